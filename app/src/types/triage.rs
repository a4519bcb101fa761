//! Alert triage as the fixed endpoints and the alert page see it (SPEC "Alert triage"):
//! the action taken when closing, one alert with its history and timeline.

use super::alert::{AlertItem, AlertState};
use super::{Department, Role, UserStatus};
use crate::notice::Notice;
use serde::{Deserialize, Serialize};

/// The shortest note that closes or reopens an alert, or gives the reason of an action on
/// an account (the server enforces it; the dialogs say it before sending).
pub const MIN_NOTE_CHARS: usize = 10;

coded_enum! {
    /// What the administrator did about an alert when closing it (SPEC "Fixed HTTP
    /// surface", `action_taken`).
    ActionTaken {
        Nothing => "none",
        ContactedUser => "contacted_user",
        PasswordReset => "password_reset",
        SessionsEnded => "sessions_ended",
        UserBlocked => "user_blocked",
        ExportsSuspended => "exports_suspended",
        TrainingAssigned => "training_assigned",
        Other => "other",
    }
}

/// One entry of an alert's history: an audit event about it (raised, repeated, moved,
/// assigned, commented), so the history is as tamper-evident as the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub seq: i64,
    pub at: i64,
    /// Who did it (`centinela` for detection itself).
    pub who: Option<String>,
    /// The audit action (`alert_raised`, `alert_state_changed`, `alert_assigned`, ...).
    pub action: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub note: Option<String>,
    pub action_taken: Option<String>,
    /// For an assignment, to whom.
    pub assignee: Option<String>,
    /// For the subject's answer to "was this you?", what they said.
    #[serde(default)]
    pub answer: Option<OwnerAnswer>,
    /// For a severity change, from and to.
    #[serde(default)]
    pub severity_from: Option<String>,
    #[serde(default)]
    pub severity_to: Option<String>,
}

/// One audit event on an alert's timeline (the events that triggered it, and the subject's
/// activity around them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEvent {
    pub seq: i64,
    pub at: i64,
    pub actor: Option<String>,
    pub action: String,
    pub outcome: String,
    pub ip: Option<String>,
    /// Whether this event is one of those that triggered the alert.
    pub trigger: bool,
}

coded_enum! {
    /// The subject's answer to "was this you?" (`POST /api/alert_answer`).
    OwnerAnswer {
        Yes => "yes",
        No => "no",
    }
}

coded_enum! {
    /// What a bulk action does to every selected alert (`POST /api/alert_bulk`).
    BulkOp {
        AssignToMe => "assign_me",
        Review => "review",
        Resolve => "resolve",
        FalsePositive => "false_positive",
    }
}

impl BulkOp {
    /// The state the operation moves alerts to (none: it assigns).
    pub fn target(self) -> Option<AlertState> {
        match self {
            Self::AssignToMe => None,
            Self::Review => Some(AlertState::EnRevision),
            Self::Resolve => Some(AlertState::Resuelta),
            Self::FalsePositive => Some(AlertState::FalsoPositivo),
        }
    }
}

/// One selected alert at the version the administrator saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkTarget {
    pub id: i64,
    pub version: i64,
}

/// An alert a bulk action left alone, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkSkip {
    pub id: i64,
    pub notice: Notice,
}

/// What a bulk action did: each alert is changed at its own version, or skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkReport {
    pub applied: Vec<i64>,
    pub skipped: Vec<BulkSkip>,
}

/// How many alerts each state holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateCounts {
    pub nueva: i64,
    pub en_revision: i64,
    pub resuelta: i64,
    pub falso_positivo: i64,
}

impl StateCounts {
    pub fn of(&self, state: AlertState) -> i64 {
        match state {
            AlertState::Nueva => self.nueva,
            AlertState::EnRevision => self.en_revision,
            AlertState::Resuelta => self.resuelta,
            AlertState::FalsoPositivo => self.falso_positivo,
        }
    }

    pub fn add(&mut self, state: AlertState, n: i64) {
        match state {
            AlertState::Nueva => self.nueva += n,
            AlertState::EnRevision => self.en_revision += n,
            AlertState::Resuelta => self.resuelta += n,
            AlertState::FalsoPositivo => self.falso_positivo += n,
        }
    }
}

/// One open session of an alert's subject (without its id: that is the session's secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectSession {
    /// Names the session for "end this one" without revealing its secret id (a prefix of
    /// the id's SHA-256).
    pub handle: String,
    pub started_at: i64,
    pub last_seen_at: i64,
    pub ip: String,
    pub browser: String,
    pub os: String,
    pub device: String,
}

/// The user an alert is about, as the alert page acts on them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectView {
    pub username: String,
    pub full_name: String,
    pub department: Department,
    pub role: Role,
    pub status: UserStatus,
    pub blocked_reason: Option<String>,
    /// Since when their exports are suspended (an automatic response), if they are.
    pub exports_suspended_at: Option<i64>,
    pub sessions: Vec<SubjectSession>,
}

/// One alert with everything triage needs (`POST /api/alert`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertDetail {
    #[serde(flatten)]
    pub alert: AlertItem,
    pub closed_at: Option<i64>,
    /// The rule's settings when it fired, as stored (JSON).
    pub details: serde_json::Value,
    /// The forensic snapshot of a CRITICAL alert (JSON), if one was kept.
    pub snapshot: Option<serde_json::Value>,
    pub history: Vec<HistoryEntry>,
    pub events: Vec<TimelineEvent>,
    /// The user it is about, if any.
    pub subject: Option<SubjectView>,
    /// The active security administrators it may be assigned to.
    pub administrators: Vec<String>,
}
