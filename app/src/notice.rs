//! Messages for people, as data: a code with its parameters, rendered in the reader's
//! language only where it is shown. Services return a [`Notice`] (inside an `AppError` or
//! a typed outcome); server functions and pages render it for the requesting user, and
//! mail and background jobs for the recipient, in the language that user chose.

use crate::i18n::{Locale, td_string};
use crate::types::approval::RequestState;
use crate::types::time::format_lima;
use crate::types::{Field, QuotaWindow, Role};
use serde::{Deserialize, Serialize};

/// Every message a service can hand to a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "key", rename_all = "snake_case")]
pub enum Notice {
    // Export refusals (SPEC "Export flow").
    NoFields,
    UnknownField {
        field: String,
    },
    /// A field named twice (or more names than the catalogue has: `field` is empty).
    DuplicateField {
        field: String,
    },
    FieldNotAllowed {
        field: Field,
    },
    InvalidFormat,
    JustificationShort,
    JustificationLong,
    JustificationPurpose,
    CampaignRequired,
    ManifestRequired,
    NoContacts,
    TooManyContacts {
        max: usize,
    },
    ContactNotVisible,
    /// An automatic response to a security alert suspended the caller's exports.
    ExportsSuspended,
    // Over a limit: recorded as a pending request instead.
    QuotaExceeded {
        window: QuotaWindow,
        used: i64,
        limit: i64,
        remaining: i64,
        count: i64,
        /// When the export would fit again (`None`: never, it is over the limit itself).
        room_at: Option<i64>,
    },
    ApprovalThreshold {
        threshold: i64,
    },
    AwaitsApproval {
        approver: Option<String>,
    },
    // The one-time download.
    LinkUsed,
    LinkExpired,
    // Contacts.
    FieldNotRevealable,
    // Requests.
    /// A server function got a body in another encoding than the one it takes.
    UnsupportedContentType {
        expected: String,
    },
    // Sessions.
    CurrentSession,
    // Input format.
    DateFormat,
    /// A number outside what makes sense for it.
    OutOfRange {
        min: i64,
        max: i64,
    },
    TooLong {
        max: usize,
    },
    // Users.
    UsernameInvalid,
    FullNameRequired,
    EmailInvalid,
    PasswordTooShort {
        min: usize,
    },
    UserExists {
        username: String,
    },
    /// A code (role, department, status, ...) nothing knows.
    UnknownValue {
        value: String,
    },
    /// The new supervisor reports, directly or not, to the user.
    SupervisorCycle,
    /// A change that changes nothing.
    NothingChanged,
    /// A set-password link that was used already or ran out.
    PasswordLinkInvalid,
    // Policies.
    /// Limits go daily ≤ weekly ≤ monthly; `field` is the one out of order.
    LimitOrder {
        field: String,
    },
    /// A department rule that leaves no field visible, without saying so.
    NothingVisible,
    /// An exportable or sensitive field the department cannot see.
    FieldNotVisible {
        field: Field,
    },
    /// A second approval names a role and a threshold together, or neither.
    SecondApprovalIncomplete,
    // Reports.
    /// Told to the security administrators by mail, with the PDF attached.
    MonthlyReportReady {
        month: String,
    },
    /// A report's period ends before it starts, or spans more than `max_days`.
    ReportRange {
        max_days: i64,
    },
    /// The caller's previous compliance report is still being computed.
    ReportRunning,
    // Alert triage (SPEC "Alert triage").
    /// Someone changed the alert since the caller loaded it.
    AlertChanged {
        by: String,
        at: i64,
    },
    /// The state machine does not go from `from` to `to`.
    TransitionNotAllowed {
        from: String,
        to: String,
    },
    /// Closing or reopening needs notes of at least `min` characters.
    NoteRequired {
        min: usize,
    },
    /// Closing needs the action taken, from the closed list.
    ActionTakenRequired,
    /// Reopening would make a second open alert of the same kind about the same subject.
    AnotherOpenAlert {
        id: i64,
    },
    /// Alerts are assigned to active security administrators only.
    NotAnAdministrator {
        username: String,
    },
    /// The subject already answered "was this you?" about this alert.
    AlreadyAnswered,
    /// The alert is closed: nothing more to answer.
    AlertClosed,
    // What an administrator does to an account.
    /// The action needs a reason of at least `min` characters.
    ReasonRequired {
        min: usize,
    },
    /// Administrators do not act on their own account from here.
    OwnAccount,
    /// The last active security administrator cannot be blocked.
    LastAdministrator,
    AlreadyBlocked {
        username: String,
    },
    NotBlocked {
        username: String,
    },
    NotSuspended {
        username: String,
    },
    NotLocked {
        username: String,
    },
    NoOpenSessions {
        username: String,
    },
    // Training (SPEC "Training").
    /// Exports need a current training certificate.
    NotCertified,
    /// The confidentiality agreement comes before the quiz, once per certificate period.
    AgreementRequired,
    /// Three attempts in 24 hours; the next is possible at `next_at`.
    TooManyAttempts {
        next_at: i64,
    },
    /// The attempt was submitted already.
    AttemptSubmitted,
    /// An answer to a question the attempt did not draw, or an option it does not have.
    NotInAttempt {
        question: String,
    },
    /// The caller's certificate expires soon (a notification).
    CertificateExpiring {
        valid_until: i64,
    },
    /// An incident closed with "training assigned": certificate revoked, limits halved.
    TrainingAssigned,
    // Export approvals (SPEC "Export flow" step 4).
    /// Over the department's second-approval threshold (Contabilidad's CFO, Dirección).
    SecondApprovalRequired {
        above: i64,
        role: Role,
    },
    /// Nobody decides their own request.
    OwnRequest,
    /// The caller is not among the request's approvers.
    NotAnApprover,
    /// The request is no longer pending.
    RequestClosed {
        state: RequestState,
    },
    /// A pending request past its time (the expiry job will mark it).
    RequestExpired,
    /// The caller's approval is already counted: one person counts once.
    AlreadyApproved,
    /// The approved export was not downloaded in time.
    GrantExpired,
    /// A Marketing export names no approved campaign running today.
    CampaignNotApproved {
        campaign: String,
    },
    CampaignExists {
        name: String,
    },
    /// A campaign ends before it starts, or runs longer than a year.
    CampaignDates,
    /// The campaign was decided already.
    CampaignDecided,
    CampaignNameRequired,
    /// A request state filter no list knows.
    UnknownState {
        value: String,
    },
    /// Told to the approvers: a request waits for them.
    ApprovalAsked {
        request_id: i64,
        requester: String,
        count: i64,
    },
    /// Told to the requester: one of two approvals is in.
    ApprovalGiven {
        request_id: i64,
        by: String,
    },
    /// Told to the requester and the approvers: approved, download once until `until`.
    RequestGranted {
        request_id: i64,
        count: i64,
        until: i64,
    },
    RequestRejected {
        request_id: i64,
        by: String,
        reason: String,
    },
    RequestLapsed {
        request_id: i64,
    },
    RequestWithdrawn {
        request_id: i64,
        requester: String,
    },
    /// Text that was rendered elsewhere (older stored rows, or a code this build does not
    /// know); shown as it is.
    Text {
        code: String,
        message: String,
    },
}

impl Notice {
    /// The text a person reads, in `l`.
    pub fn render(&self, l: Locale) -> String {
        match self {
            Self::NoFields => td_string!(l, export.refused.no_fields).to_string(),
            Self::UnknownField { field } => {
                td_string!(l, export.refused.unknown_field, field = field).to_string()
            }
            Self::DuplicateField { field } if field.is_empty() => {
                td_string!(l, export.refused.too_many_fields, max = Field::ALL.len()).to_string()
            }
            Self::DuplicateField { field } => {
                td_string!(l, export.refused.duplicate_field, field = field).to_string()
            }
            Self::FieldNotAllowed { field } => {
                td_string!(l, export.refused.field_not_allowed, field = field.code()).to_string()
            }
            Self::InvalidFormat => td_string!(l, export.refused.invalid_format).to_string(),
            Self::JustificationShort => {
                td_string!(l, export.refused.justification_short).to_string()
            }
            Self::JustificationLong => td_string!(l, export.refused.justification_long).to_string(),
            Self::JustificationPurpose => {
                td_string!(l, export.refused.justification_purpose).to_string()
            }
            Self::CampaignRequired => td_string!(l, export.refused.campaign_required).to_string(),
            Self::ManifestRequired => td_string!(l, export.refused.manifest_required).to_string(),
            Self::NoContacts => td_string!(l, export.refused.no_contacts).to_string(),
            Self::TooManyContacts { max } => {
                td_string!(l, export.refused.too_many_contacts, max = max).to_string()
            }
            Self::ContactNotVisible => {
                td_string!(l, export.refused.contact_not_visible).to_string()
            }
            Self::ExportsSuspended => td_string!(l, alerts.exports_suspended).to_string(),
            Self::QuotaExceeded {
                window,
                used,
                limit,
                remaining,
                count,
                room_at,
            } => {
                let name = window_name(l, *window);
                let head = td_string!(
                    l,
                    export.over_window,
                    window = name,
                    used = used,
                    limit = limit,
                    remaining = remaining
                );
                let tail = match room_at {
                    Some(at) => crate::plural!(
                        l,
                        *count,
                        export.room_at_1 | export.room_at_n,
                        count = count,
                        at = format_lima(*at)
                    ),
                    None => td_string!(l, export.never_fits, window = name).to_string(),
                };
                format!("{head} {tail}")
            }
            Self::ApprovalThreshold { threshold } => {
                td_string!(l, export.over_threshold, threshold = threshold).to_string()
            }
            Self::AwaitsApproval { approver } => match approver {
                Some(approver) => {
                    td_string!(l, export.pending_with, approver = approver).to_string()
                }
                None => td_string!(l, export.pending).to_string(),
            },
            Self::LinkUsed => td_string!(l, export.link_used).to_string(),
            Self::LinkExpired => td_string!(l, export.link_expired).to_string(),
            Self::FieldNotRevealable => td_string!(l, contacts.not_revealable).to_string(),
            Self::UnsupportedContentType { expected } => {
                td_string!(l, notice.unsupported_content_type, expected = expected).to_string()
            }
            Self::CurrentSession => td_string!(l, usage.current_session).to_string(),
            Self::DateFormat => td_string!(l, notice.date_format).to_string(),
            Self::OutOfRange { min, max } => {
                td_string!(l, notice.out_of_range, min = min, max = max).to_string()
            }
            Self::TooLong { max } => td_string!(l, notice.too_long, max = max).to_string(),
            Self::Text { message, .. } => message.clone(),
            approval => approval.render_approval(l),
        }
    }
}

fn window_name(l: Locale, w: QuotaWindow) -> &'static str {
    match w {
        QuotaWindow::Day => td_string!(l, export.window.day),
        QuotaWindow::Week => td_string!(l, export.window.week),
        QuotaWindow::Month => td_string!(l, export.window.month),
    }
}

#[path = "notice_training.rs"]
mod training;

#[path = "notice_admin.rs"]
mod admin;

#[path = "notice_approvals.rs"]
pub mod approvals;

#[path = "notice_codes.rs"]
mod codes;

#[cfg(test)]
#[path = "notice_tests.rs"]
mod tests;
