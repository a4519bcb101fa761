//! The compliance report (seed 003) for a date range: per category — authentication,
//! sessions, exports, permission and policy changes, data access, log integrity — the
//! operations, how many succeeded and failed, the alerts raised and how they stand; the
//! integrity checks; and recommendations derived from the figures.

use super::alert::AlertKind;
use super::audit::AuditAction;
use super::dashboard::{Chart, TrendDay};
use super::report::AlertTally;
use crate::i18n::{Locale, td_string};
use serde::{Deserialize, Serialize};

coded_enum! {
    /// The report's categories.
    Category {
        Authentication => "authentication",
        Sessions => "sessions",
        Exports => "exports",
        Permissions => "permissions",
        DataAccess => "data_access",
        Integrity => "integrity",
    }
}

impl Category {
    /// The category of an audited action; none for those the report leaves out (alert
    /// triage, training, the demo).
    pub fn of_action(action: AuditAction) -> Option<Self> {
        use AuditAction::*;
        Some(match action {
            SignIn | SignInFailed | AccountLocked | AccountUnlocked | PasswordSet => {
                Self::Authentication
            }
            SignOut | SessionExpired | SessionRevoked => Self::Sessions,
            ExportRequested
            | ExportAllowed
            | ExportRefused
            | ExportApproved
            | ExportRejected
            | ExportDownloaded
            | ExportRequestExpired
            | ExportRequestCancelled => Self::Exports,
            RoleChanged | PermissionChanged | UserCreated | UserBlocked | UserUnblocked
            | PasswordReset | PolicyChanged | CampaignProposed | CampaignDecided
            | ExportsSuspended | ExportsResumed => Self::Permissions,
            SensitiveDataViewed | AuditExported | ReportGenerated => Self::DataAccess,
            IntegrityCheck | AuditArchived => Self::Integrity,
            AlertStateChanged | AlertRaised | AlertRepeated | AlertAssigned | AlertCommented
            | AlertAnswered | QuizStarted | QuizAttempt | AgreementAccepted | CertificateIssued
            | CertificateRevoked | TrainingAssigned | DemoSeeded => {
                return None;
            }
        })
    }

    /// The category an alert kind watches.
    pub fn of_alert(kind: AlertKind) -> Self {
        use AlertKind::*;
        match kind {
            BruteForce | CredentialStuffing | UnusualLocation | OffHoursAccess => {
                Self::Authentication
            }
            ConcurrentSession => Self::Sessions,
            MassExport | HighExportJunior | DeniedBurst => Self::Exports,
            PermissionChange => Self::Permissions,
            UnusualActivity => Self::DataAccess,
            TamperedLog => Self::Integrity,
        }
    }

    /// The category's name, in `l`.
    pub fn name(self, l: Locale) -> &'static str {
        match self {
            Self::Authentication => td_string!(l, compliance.authentication),
            Self::Sessions => td_string!(l, compliance.sessions),
            Self::Exports => td_string!(l, compliance.exports),
            Self::Permissions => td_string!(l, compliance.permissions),
            Self::DataAccess => td_string!(l, compliance.data_access),
            Self::Integrity => td_string!(l, compliance.integrity),
        }
    }
}

/// One category's figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryFigures {
    pub category: Option<Category>,
    pub operations: i64,
    pub succeeded: i64,
    pub failed: i64,
    /// Failed operations of high or critical severity.
    pub critical_failures: i64,
    pub alerts: i64,
    pub alerts_open: i64,
    pub alerts_resolved: i64,
    pub alerts_false_positive: i64,
}

impl CategoryFigures {
    /// Succeeded operations per thousand (none without operations).
    pub fn success_permille(&self) -> Option<i64> {
        (self.operations > 0).then(|| self.succeeded * 1000 / self.operations)
    }

    /// The success rate as a percentage with one decimal ("—" without operations).
    pub fn success_text(&self) -> String {
        self.success_permille()
            .map_or_else(|| "—".to_owned(), |p| format!("{:.1} %", p as f64 / 10.0))
    }
}

/// The log's integrity over the period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrityFigures {
    /// Verifications run in the period, and how many found damage.
    pub checks: i64,
    pub checks_failed: i64,
    /// The last verification up to the period's end: when, and whether it passed.
    pub last_check_at: Option<i64>,
    pub last_check_passed: Option<bool>,
    /// Checkpoints signed in the period.
    pub checkpoints: i64,
    /// Tampering signals raised in the period.
    pub tamper_signals: i64,
}

/// What the figures suggest (rendered in the reader's language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "key", rename_all = "snake_case")]
pub enum ComplianceRecommendation {
    /// Fewer than 95 % of a category's operations succeeded (seed 003's bar).
    LowSuccessRate {
        category: Category,
        permille: i64,
    },
    /// Failed operations of high or critical severity.
    CriticalFailures {
        count: i64,
    },
    /// Alerts of the period still open.
    TriageAlerts {
        open: i64,
    },
    /// The log was not verified in the period.
    VerifyLog,
    /// A verification found damage, or tampering was signalled.
    InvestigateIntegrity {
        failed: i64,
        signals: i64,
    },
    NothingToReview,
}

impl ComplianceRecommendation {
    pub fn render(&self, l: Locale) -> String {
        match self {
            Self::LowSuccessRate { category, permille } => td_string!(
                l,
                compliance.rec_low_success,
                category = category.name(l),
                rate = format!("{:.1}", *permille as f64 / 10.0)
            )
            .to_string(),
            Self::CriticalFailures { count } => {
                td_string!(l, compliance.rec_critical_failures, count = count).to_string()
            }
            Self::TriageAlerts { open } => {
                td_string!(l, reports.rec_triage_alerts, count = open).to_string()
            }
            Self::VerifyLog => td_string!(l, compliance.rec_verify_log).to_owned(),
            Self::InvestigateIntegrity { failed, signals } => td_string!(
                l,
                compliance.rec_investigate,
                failed = failed,
                signals = signals
            )
            .to_string(),
            Self::NothingToReview => td_string!(l, reports.rec_nothing).to_owned(),
        }
    }
}

/// The compliance report of `[from_day, to_day]` (Lima dates, both included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceReport {
    pub from_day: String,
    pub to_day: String,
    /// The bounds (unix ms): `from_day`'s first midnight to the midnight after `to_day`.
    pub from: i64,
    pub to: i64,
    pub generated_at: i64,
    pub head_seq: i64,
    pub head_hash: String,
    /// Every category's operations together.
    pub total: CategoryFigures,
    pub categories: Vec<CategoryFigures>,
    pub integrity: IntegrityFigures,
    pub alerts: Vec<AlertTally>,
    pub recommendations: Vec<ComplianceRecommendation>,
    /// Each Lima day of the range: alerts raised, by severity.
    pub alert_days: Vec<TrendDay>,
    /// Alerts raised in the range by Lima hour of day (24 values).
    pub alert_hours: Vec<i64>,
    /// The charts of those figures, drawn for the reader (empty until drawn).
    #[serde(default)]
    pub charts: Vec<Chart>,
}

/// A report being computed in the background: how far it got, then the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceRun {
    pub id: u64,
    /// Parts (of at most 31 days) done, of all.
    pub done: u32,
    pub total: u32,
    pub report: Option<ComplianceReport>,
    pub failed: bool,
}
