//! The texts of the notices about accounts, policies, alert triage and reports (what
//! administrators are told when a change is refused), apart from `notice.rs` so that each
//! file stays readable.

use super::Notice;
use crate::i18n::{Locale, td_string};
use crate::types::time::format_lima;

impl Notice {
    /// The account, policy, triage and report notices; `render` hands them over (through the approvals').
    pub(super) fn render_admin(&self, l: Locale) -> String {
        match self {
            Self::UsernameInvalid => td_string!(l, notice.username_invalid).to_string(),
            Self::FullNameRequired => td_string!(l, notice.full_name_required).to_string(),
            Self::EmailInvalid => td_string!(l, notice.email_invalid).to_string(),
            Self::PasswordTooShort { min } => {
                td_string!(l, notice.password_too_short, min = min).to_string()
            }
            Self::UserExists { username } => {
                td_string!(l, notice.user_exists, username = username).to_string()
            }
            Self::ReasonRequired { min } => {
                td_string!(l, notice.reason_required, min = min).to_string()
            }
            Self::OwnAccount => td_string!(l, notice.own_account).to_string(),
            Self::LastAdministrator => td_string!(l, notice.last_administrator).to_string(),
            Self::AlreadyBlocked { username } => {
                td_string!(l, notice.already_blocked, username = username).to_string()
            }
            Self::NotBlocked { username } => {
                td_string!(l, notice.not_blocked, username = username).to_string()
            }
            Self::NotSuspended { username } => {
                td_string!(l, notice.not_suspended, username = username).to_string()
            }
            Self::NotLocked { username } => {
                td_string!(l, notice.not_locked, username = username).to_string()
            }
            Self::NoOpenSessions { username } => {
                td_string!(l, notice.no_open_sessions, username = username).to_string()
            }
            Self::UnknownValue { value } => {
                td_string!(l, notice.unknown_value, value = value).to_string()
            }
            Self::SupervisorCycle => td_string!(l, notice.supervisor_cycle).to_string(),
            Self::NothingChanged => td_string!(l, notice.nothing_changed).to_string(),
            Self::PasswordLinkInvalid => td_string!(l, notice.password_link_invalid).to_string(),
            Self::LimitOrder { field } => {
                td_string!(l, notice.limit_order, field = field).to_string()
            }
            Self::NothingVisible => td_string!(l, notice.nothing_visible).to_string(),
            Self::FieldNotVisible { field } => {
                td_string!(l, notice.field_not_visible, field = field.code()).to_string()
            }
            Self::SecondApprovalIncomplete => td_string!(l, notice.second_incomplete).to_string(),
            Self::MonthlyReportReady { month } => {
                td_string!(l, reports.mail_body, month = month).to_string()
            }
            Self::ReportRange { max_days } => {
                td_string!(l, notice.report_range, max_days = max_days).to_string()
            }
            Self::ReportRunning => td_string!(l, notice.report_running).to_string(),
            Self::AlertChanged { by, at } => {
                td_string!(l, notice.alert_changed, by = by, at = format_lima(*at)).to_string()
            }
            Self::TransitionNotAllowed { from, to } => {
                let name = |code: &str| {
                    crate::types::alert::AlertState::from_code(code).map_or("?", |s| s.name(l))
                };
                td_string!(
                    l,
                    notice.transition_not_allowed,
                    from = name(from),
                    to = name(to)
                )
                .to_string()
            }
            Self::NoteRequired { min } => {
                td_string!(l, notice.note_required, min = min).to_string()
            }
            Self::ActionTakenRequired => td_string!(l, notice.action_taken_required).to_string(),
            Self::AnotherOpenAlert { id } => {
                td_string!(l, notice.another_open_alert, id = id).to_string()
            }
            Self::NotAnAdministrator { username } => {
                td_string!(l, notice.not_an_administrator, username = username).to_string()
            }
            Self::AlreadyAnswered => td_string!(l, notice.already_answered).to_string(),
            Self::AlertClosed => td_string!(l, notice.alert_closed).to_string(),
            other => other.render_training(l),
        }
    }
}
