//! Each notice's stable, machine-readable code (what clients, tests and the audit log
//! match on), and how notices are stored as data; the texts are in `notice.rs`.

use super::Notice;

impl Notice {
    /// The stable, machine-readable code clients and the audit log see.
    pub fn code(&self) -> &str {
        match self {
            Self::NoFields => "no_fields",
            Self::UnknownField { .. } => "unknown_field",
            Self::DuplicateField { .. } => "duplicate_field",
            Self::FieldNotAllowed { .. } => "field_not_allowed",
            Self::InvalidFormat => "invalid_format",
            Self::JustificationShort | Self::JustificationLong | Self::JustificationPurpose => {
                "invalid_justification"
            }
            Self::CampaignRequired => "campaign_required",
            Self::ManifestRequired => "manifest_required",
            Self::NoContacts => "no_contacts",
            Self::TooManyContacts { .. } => "too_many_contacts",
            Self::ContactNotVisible => "contact_not_visible",
            Self::ExportsSuspended => "exports_suspended",
            Self::QuotaExceeded { .. } => "quota_exceeded",
            Self::ApprovalThreshold { .. } => "approval_threshold",
            Self::AwaitsApproval { .. } => "awaits_approval",
            Self::LinkUsed => "link_used",
            Self::LinkExpired => "link_expired",
            Self::FieldNotRevealable => "field_not_revealable",
            Self::UnsupportedContentType { .. } => "unsupported_media_type",
            Self::CurrentSession => "current_session",
            Self::DateFormat => "date_format",
            Self::OutOfRange { .. } => "out_of_range",
            Self::TooLong { .. } => "too_long",
            Self::UsernameInvalid => "username_invalid",
            Self::FullNameRequired => "full_name_required",
            Self::EmailInvalid => "email_invalid",
            Self::PasswordTooShort { .. } => "password_too_short",
            Self::UserExists { .. } => "user_exists",
            Self::UnknownValue { .. } => "unknown_value",
            Self::SupervisorCycle => "supervisor_cycle",
            Self::NothingChanged => "nothing_changed",
            Self::PasswordLinkInvalid => "password_link_invalid",
            Self::LimitOrder { .. } => "limit_order",
            Self::NothingVisible => "nothing_visible",
            Self::FieldNotVisible { .. } => "field_not_visible",
            Self::SecondApprovalIncomplete => "second_approval_incomplete",
            Self::MonthlyReportReady { .. } => "monthly_report_ready",
            Self::ReportRange { .. } => "report_range",
            Self::ReportRunning => "report_running",
            Self::AlertChanged { .. } => "alert_changed",
            Self::TransitionNotAllowed { .. } => "transition_not_allowed",
            Self::NoteRequired { .. } => "note_required",
            Self::ActionTakenRequired => "action_taken_required",
            Self::AnotherOpenAlert { .. } => "another_open_alert",
            Self::NotAnAdministrator { .. } => "not_an_administrator",
            Self::AlreadyAnswered => "already_answered",
            Self::AlertClosed => "alert_closed",
            Self::ReasonRequired { .. } => "reason_required",
            Self::OwnAccount => "own_account",
            Self::LastAdministrator => "last_administrator",
            Self::AlreadyBlocked { .. } => "already_blocked",
            Self::NotBlocked { .. } => "not_blocked",
            Self::NotSuspended { .. } => "not_suspended",
            Self::NotLocked { .. } => "not_locked",
            Self::NoOpenSessions { .. } => "no_open_sessions",
            Self::NotCertified => "not_certified",
            Self::AgreementRequired => "agreement_required",
            Self::TooManyAttempts { .. } => "too_many_attempts",
            Self::AttemptSubmitted => "attempt_submitted",
            Self::NotInAttempt { .. } => "not_in_attempt",
            Self::CertificateExpiring { .. } => "certificate_expiring",
            Self::TrainingAssigned => "training_assigned",
            Self::SecondApprovalRequired { .. } => "second_approval_required",
            Self::OwnRequest => "own_request",
            Self::NotAnApprover => "not_an_approver",
            Self::RequestClosed { .. } => "already_decided",
            Self::RequestExpired => "request_expired",
            Self::AlreadyApproved => "already_approved",
            Self::GrantExpired => "grant_expired",
            Self::CampaignNotApproved { .. } => "campaign_not_approved",
            Self::CampaignExists { .. } => "campaign_exists",
            Self::CampaignDates => "campaign_dates",
            Self::CampaignDecided => "campaign_decided",
            Self::CampaignNameRequired => "campaign_name_required",
            Self::UnknownState { .. } => "unknown_state",
            Self::ApprovalAsked { .. } => "approval_asked",
            Self::ApprovalGiven { .. } => "approval_given",
            Self::RequestGranted { .. } => "request_granted",
            Self::RequestRejected { .. } => "request_rejected",
            Self::RequestLapsed { .. } => "request_lapsed",
            Self::RequestWithdrawn { .. } => "request_withdrawn",
            Self::Text { code, .. } => code,
        }
    }
}

impl Notice {
    /// A notice stored as JSON by [`Notice::to_stored`]; text stored by older versions
    /// comes back as [`Notice::Text`] with `code`.
    pub fn from_stored(code: &str, stored: &str) -> Self {
        serde_json::from_str(stored).unwrap_or_else(|_| Self::Text {
            code: code.to_owned(),
            message: stored.to_owned(),
        })
    }

    /// The notice as stored in a text column (JSON), to be rendered when it is read.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
