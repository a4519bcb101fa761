//! Alert triage as the fixed endpoints and the alert page see it (SPEC "Alert triage"):
//! the action taken when closing, one alert with its history and timeline.

use super::alert::AlertItem;
use serde::{Deserialize, Serialize};

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

/// One alert with everything triage needs (`POST /api/alert`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertDetail {
    #[serde(flatten)]
    pub alert: AlertItem,
    pub assignee: Option<String>,
    pub closed_at: Option<i64>,
    pub comments: i64,
    /// The rule's settings when it fired, as stored (JSON).
    pub details: serde_json::Value,
    /// The forensic snapshot of a CRITICAL alert (JSON), if one was kept.
    pub snapshot: Option<serde_json::Value>,
    pub history: Vec<HistoryEntry>,
    pub events: Vec<TimelineEvent>,
}
