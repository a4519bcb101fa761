//! The monthly audit report (seed 000 section 3): exports per user, anomalies, every
//! Contabilidad export, approvals, alerts and recommendations derived from the figures.

use super::dashboard::{Chart, ExportDay, TrendDay};
use super::field::Field;
use crate::i18n::{Locale, td_string};
use serde::{Deserialize, Serialize};

/// One user's exports in the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserExports {
    pub username: String,
    pub full_name: String,
    pub department: String,
    pub role: String,
    pub exports: i64,
    pub contacts: i64,
    /// Contacts per export, rounded down.
    pub average: i64,
    pub largest: i64,
}

coded_enum! {
    case = "SCREAMING_SNAKE_CASE",
    /// What the report flags (seed 000 section 3).
    AnomalyKind {
        HighExportJunior => "HIGH_EXPORT_JUNIOR",
        MassiveSingleExport => "MASSIVE_SINGLE_EXPORT",
        BusyDay => "BUSY_DAY",
        AfterHours => "AFTER_HOURS",
    }
}

/// One anomaly: who, which Lima day, and the figure that made it one (contacts in the
/// month, contacts in the export, exports that day, or contacts exported after hours).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anomaly {
    pub kind: AnomalyKind,
    pub username: String,
    pub day: String,
    pub value: i64,
    pub receipt: Option<String>,
}

/// One export, as the Contabilidad list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportLine {
    pub receipt: String,
    pub username: String,
    pub at: i64,
    pub count: i64,
    pub fields: Vec<Field>,
    pub request_id: Option<i64>,
}

/// Export requests of the month, by how they ended.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalTally {
    pub pending: i64,
    pub approved: i64,
    pub rejected: i64,
    pub expired: i64,
    pub cancelled: i64,
}

/// Alerts raised in the month, by kind and where they stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertTally {
    pub kind: String,
    pub state: String,
    pub count: i64,
}

/// What the figures suggest, as data (rendered in the reader's language).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "key", rename_all = "snake_case")]
pub enum Recommendation {
    /// Juniors over 500 contacts: review their limits and training.
    ReviewJuniors { users: Vec<String> },
    /// Single exports over 1,000 contacts: confirm each was approved and needed.
    ReviewMassiveExports { count: i64 },
    /// Days with more than 10 exports by one person: look for automation or sharing.
    ReviewBusyDays { count: i64 },
    /// Exports after hours or on weekends: confirm them with the people who made them.
    ReviewAfterHours { count: i64 },
    /// Every Contabilidad export is reviewed monthly.
    ReviewAccounting { count: i64 },
    /// More rejected than approved requests: limits may not fit the work.
    ReviewRejections { rejected: i64, approved: i64 },
    /// Alerts of the month still open: triage them.
    TriageAlerts { open: i64 },
    /// Nothing stood out.
    NothingToReview,
}

/// The monthly audit report of `month` (`YYYY-MM`, Lima).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyReport {
    pub month: String,
    /// The month's bounds (unix ms): from its first midnight in Lima, to the next month's.
    pub from: i64,
    pub to: i64,
    pub generated_at: i64,
    /// The audit log's head when the report was computed: ties the report to the log.
    pub head_seq: i64,
    pub head_hash: String,
    pub users: Vec<UserExports>,
    pub anomalies: Vec<Anomaly>,
    pub accounting: Vec<ExportLine>,
    pub approvals: ApprovalTally,
    pub alerts: Vec<AlertTally>,
    pub recommendations: Vec<Recommendation>,
    /// Each Lima day of the month: exports and contacts (the exports chart's data).
    pub days: Vec<ExportDay>,
    /// Each Lima day of the month: alerts raised, by severity.
    pub alert_days: Vec<TrendDay>,
    /// Alerts raised in the month by Lima hour of day (24 values).
    pub alert_hours: Vec<i64>,
    /// The charts of those figures, drawn for the reader (empty until drawn).
    #[serde(default)]
    pub charts: Vec<Chart>,
}

impl AnomalyKind {
    /// What the anomaly is, in `l`.
    pub fn name(self, l: Locale) -> &'static str {
        match self {
            Self::HighExportJunior => td_string!(l, reports.kind_high_export_junior),
            Self::MassiveSingleExport => td_string!(l, reports.kind_massive_single_export),
            Self::BusyDay => td_string!(l, reports.kind_busy_day),
            Self::AfterHours => td_string!(l, reports.kind_after_hours),
        }
    }
}

impl Recommendation {
    /// The recommendation, in `l`.
    pub fn render(&self, l: Locale) -> String {
        match self {
            Self::ReviewJuniors { users } => {
                td_string!(l, reports.rec_review_juniors, users = users.join(", ")).to_string()
            }
            Self::ReviewMassiveExports { count } => {
                td_string!(l, reports.rec_review_massive, count = count).to_string()
            }
            Self::ReviewBusyDays { count } => {
                td_string!(l, reports.rec_review_busy, count = count).to_string()
            }
            Self::ReviewAfterHours { count } => {
                td_string!(l, reports.rec_review_after_hours, count = count).to_string()
            }
            Self::ReviewAccounting { count } => {
                td_string!(l, reports.rec_review_accounting, count = count).to_string()
            }
            Self::ReviewRejections { rejected, approved } => td_string!(
                l,
                reports.rec_review_rejections,
                rejected = rejected,
                approved = approved
            )
            .to_string(),
            Self::TriageAlerts { open } => {
                td_string!(l, reports.rec_triage_alerts, count = open).to_string()
            }
            Self::NothingToReview => td_string!(l, reports.rec_nothing).to_owned(),
        }
    }
}
