//! The vocabulary of the audit log: what happened, in which module, how it ended, how bad.

use serde::{Deserialize, Serialize};

coded_enum!(
    /// Every security-relevant action (SPEC "Audit log").
    AuditAction {
        SignIn => "sign_in",
        SignInFailed => "sign_in_failed",
        AccountLocked => "account_locked",
        AccountUnlocked => "account_unlocked",
        SignOut => "sign_out",
        SessionExpired => "session_expired",
        SessionRevoked => "session_revoked",
        ExportRequested => "export_requested",
        ExportAllowed => "export_allowed",
        ExportRefused => "export_refused",
        ExportApproved => "export_approved",
        ExportRejected => "export_rejected",
        ExportDownloaded => "export_downloaded",
        ExportRequestExpired => "export_request_expired",
        ExportRequestCancelled => "export_request_cancelled",
        CampaignProposed => "campaign_proposed",
        CampaignDecided => "campaign_decided",
        SensitiveDataViewed => "sensitive_data_viewed",
        RoleChanged => "role_changed",
        PermissionChanged => "permission_changed",
        PolicyChanged => "policy_changed",
        UserCreated => "user_created",
        UserBlocked => "user_blocked",
        UserUnblocked => "user_unblocked",
        PasswordReset => "password_reset",
        PasswordSet => "password_set",
        AlertStateChanged => "alert_state_changed",
        AlertRaised => "alert_raised",
        AlertRepeated => "alert_repeated",
        AlertAssigned => "alert_assigned",
        AlertCommented => "alert_commented",
        AlertAnswered => "alert_answered",
        ExportsSuspended => "exports_suspended",
        ExportsResumed => "exports_resumed",
        QuizStarted => "quiz_started",
        QuizAttempt => "quiz_attempt",
        AgreementAccepted => "agreement_accepted",
        CertificateIssued => "certificate_issued",
        CertificateRevoked => "certificate_revoked",
        TrainingAssigned => "training_assigned",
        IntegrityCheck => "integrity_check",
        AuditExported => "audit_exported",
        AuditArchived => "audit_archived",
        ReportGenerated => "report_generated",
        DemoSeeded => "demo_seeded",
    }
);

coded_enum!(
    /// The part of Centinela an event belongs to.
    AuditModule {
        Auth => "auth",
        Export => "export",
        Contacts => "contacts",
        Users => "users",
        Policies => "policies",
        Alerts => "alerts",
        Training => "training",
        Audit => "audit",
        System => "system",
    }
);

coded_enum!(
    /// How an action ended.
    Outcome {
        Success => "success",
        Failure => "failure",
        Denied => "denied",
    }
);

coded_enum!(
    /// How much an event matters to security (seed 002's scale, plus plain information).
    Severity {
        Info => "info",
        Low => "low",
        Medium => "medium",
        High => "high",
        Critical => "critical",
    }
);

impl AuditAction {
    /// The module an action belongs to.
    pub fn module(self) -> AuditModule {
        use AuditAction::*;
        match self {
            SignIn | SignInFailed | SignOut | SessionExpired | SessionRevoked | AccountLocked
            | AccountUnlocked => AuditModule::Auth,
            ExportRequested
            | ExportAllowed
            | ExportRefused
            | ExportApproved
            | ExportRejected
            | ExportDownloaded
            | ExportRequestExpired
            | ExportRequestCancelled => AuditModule::Export,
            CampaignProposed | CampaignDecided => AuditModule::Policies,
            SensitiveDataViewed => AuditModule::Contacts,
            RoleChanged | PermissionChanged | UserCreated | UserBlocked | UserUnblocked
            | PasswordReset => AuditModule::Users,
            PasswordSet => AuditModule::Auth,
            PolicyChanged => AuditModule::Policies,
            AlertStateChanged | AlertRaised | AlertRepeated | AlertAssigned | AlertCommented
            | AlertAnswered => AuditModule::Alerts,
            ExportsSuspended | ExportsResumed => AuditModule::Users,
            QuizStarted | QuizAttempt | AgreementAccepted | CertificateIssued
            | CertificateRevoked | TrainingAssigned => AuditModule::Training,
            IntegrityCheck | AuditExported | AuditArchived | ReportGenerated => AuditModule::Audit,
            DemoSeeded => AuditModule::System,
        }
    }
}

/// What a verification found wrong, first position first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DamageKind {
    Modified,
    Deleted,
    Inserted,
    Reordered,
    Truncated,
    BadSignature,
    /// The same event twice in a row.
    Duplicate,
    /// Rows beyond the chain's recorded head (`audit_head`): written around the chain.
    PastHead,
    /// Events that no signed checkpoint covers and that are too old to be waiting for one.
    Unsigned,
}

impl DamageKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Modified => "modified",
            Self::Deleted => "deleted",
            Self::Inserted => "inserted",
            Self::Reordered => "reordered",
            Self::Truncated => "truncated",
            Self::BadSignature => "bad_signature",
            Self::Duplicate => "duplicate",
            Self::PastHead => "past_head",
            Self::Unsigned => "unsigned",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Damage {
    pub kind: DamageKind,
    /// The first position that is not what was written.
    pub seq: i64,
    pub detail: String,
}

/// The result of verifying the chain: what was proved, up to where, and the first damage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyReport {
    pub events: u64,
    pub checkpoints: u64,
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
    pub damage: Option<Damage>,
    /// Events up to this seq are covered by a valid signed checkpoint (or a trusted head)
    /// that the chain still matches.
    #[serde(default)]
    pub signed_through: Option<i64>,
    /// The first event after `signed_through`, if any: from it to `last_seq` nothing is
    /// signed yet.
    #[serde(default)]
    pub unsigned_from: Option<i64>,
    /// When that first unsigned event was written (unix ms).
    #[serde(default)]
    pub unsigned_since: Option<i64>,
    /// The time the verdict is judged at: when the database was verified, or when the file
    /// was exported (unix ms).
    #[serde(default)]
    pub as_of: i64,
    /// Checkpoints of the witness that the verified file does not carry (its chain may
    /// still match them).
    #[serde(default)]
    pub witness_omitted: Vec<i64>,
    /// How many checkpoints (or trusted heads) the witness held.
    #[serde(default)]
    pub witness_checkpoints: u64,
}

/// A verification started from the UI, as it progresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunStatus {
    pub id: u64,
    pub started_at: i64,
    pub checked: u64,
    pub total: u64,
    pub report: Option<VerifyReport>,
    pub failed: bool,
}

/// The explorer's filters (empty strings mean "any"); `before` is the keyset cursor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    #[serde(default)]
    pub user: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub module: String,
    #[serde(default)]
    pub target_type: String,
    #[serde(default)]
    pub target_id: String,
    #[serde(default)]
    pub severity: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub ip: String,
    /// First day (YYYY-MM-DD, Lima).
    #[serde(default)]
    pub from: String,
    /// Last day included (YYYY-MM-DD, Lima).
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub before: Option<i64>,
}

impl AuditFilter {
    /// The filter's keys, in the order the explorer writes them into its links. The same
    /// names are the query-string keys of the UI and of the CSV export, and the filter names
    /// on the server (where `user` means the actor's username). `before` is the cursor, not
    /// a filter, so it is not among them.
    pub const KEYS: [&'static str; 10] = [
        "user",
        "action",
        "module",
        "target_type",
        "target_id",
        "severity",
        "outcome",
        "ip",
        "from",
        "to",
    ];

    /// Every filter with its value (empty means "any"), in the order of [`Self::KEYS`].
    pub fn pairs(&self) -> [(&'static str, &str); 10] {
        // Destructured, so that a new field cannot be forgotten here.
        let Self {
            user,
            action,
            module,
            target_type,
            target_id,
            severity,
            outcome,
            ip,
            from,
            to,
            before: _,
        } = self;
        [
            ("user", user.as_str()),
            ("action", action.as_str()),
            ("module", module.as_str()),
            ("target_type", target_type.as_str()),
            ("target_id", target_id.as_str()),
            ("severity", severity.as_str()),
            ("outcome", outcome.as_str()),
            ("ip", ip.as_str()),
            ("from", from.as_str()),
            ("to", to.as_str()),
        ]
    }

    /// The value of one filter; empty for "any" and for a key that is not in [`Self::KEYS`].
    pub fn get(&self, key: &str) -> &str {
        self.pairs()
            .into_iter()
            .find_map(|(k, v)| (k == key).then_some(v))
            .unwrap_or_default()
    }

    /// The filter out of named values, e.g. a query string: `value(key)` for each of
    /// [`Self::KEYS`] and for `before` (the cursor; ignored unless it is a number).
    pub fn from_pairs(value: impl Fn(&str) -> Option<String>) -> Self {
        let text = |key: &str| value(key).unwrap_or_default();
        Self {
            user: text("user"),
            action: text("action"),
            module: text("module"),
            target_type: text("target_type"),
            target_id: text("target_id"),
            severity: text("severity"),
            outcome: text("outcome"),
            ip: text("ip"),
            from: text("from"),
            to: text("to"),
            before: value("before").and_then(|b| b.trim().parse().ok()),
        }
    }
}

/// One event as the explorer shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEventView {
    pub seq: i64,
    pub created_at: i64,
    pub actor_id: Option<i64>,
    pub actor_username: Option<String>,
    pub action: String,
    pub module: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub outcome: String,
    pub severity: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub browser: Option<String>,
    pub os: Option<String>,
    pub device: Option<String>,
    pub session_id: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub details_json: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub events: Vec<AuditEventView>,
    /// The cursor for the next (older) page, if there is one.
    pub next_before: Option<i64>,
}

/// The integrity panel: the key that signs checkpoints and the latest checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrityInfo {
    pub public_key: String,
    pub latest_checkpoint: Option<(i64, i64, String)>,
    pub events: i64,
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
    pub archived_segments: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for a in AuditAction::ALL {
            assert!(seen.insert(a.code()), "duplicate code {}", a.code());
            assert_eq!(AuditAction::from_code(a.code()), Some(*a));
        }
    }

    #[test]
    fn the_filter_keys_are_defined_once_and_round_trip() {
        let filter = AuditFilter::from_pairs(|key| Some(format!("{key}-value")));
        let keys = filter.pairs().map(|(key, _)| key);
        assert_eq!(keys, AuditFilter::KEYS);
        for key in AuditFilter::KEYS {
            assert_eq!(filter.get(key), format!("{key}-value"));
        }
        assert_eq!(filter.get("unknown"), "");
        assert_eq!(
            filter.before, None,
            "a cursor that is not a number is ignored"
        );
        let again = AuditFilter::from_pairs(|key| {
            filter
                .pairs()
                .into_iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_owned())
        });
        assert_eq!(again, filter);
        let paged = AuditFilter::from_pairs(|key| (key == "before").then(|| "42".to_owned()));
        assert_eq!(paged.before, Some(42));
    }
}
