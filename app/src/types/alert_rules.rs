//! The detection rules page's vocabulary: a rule as shown, the automatic responses a rule
//! can run, and the mail outbox.

use super::alert::{AlertKind, AlertSeverity};
use serde::{Deserialize, Serialize};

/// A detection rule as the rules page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleView {
    pub kind: AlertKind,
    pub threshold: i64,
    pub window_secs: i64,
    pub severity: AlertSeverity,
    pub enabled: bool,
    /// Whether the rule counts within a window (otherwise `window_secs` is unused).
    pub windowed: bool,
    /// The automatic responses its alerts run.
    pub actions: Vec<AlertResponse>,
}

coded_enum! {
    /// One automatic response an alert can run (seed 000 section 5). Which ones a rule's
    /// alerts run is data (`detection_rule.actions`), chosen on the rules page: tell the
    /// subject's supervisor, every active security administrator, or the account's owner
    /// (an attacked account); suspend the subject's exports until an administrator lifts
    /// it; block the subject and end their sessions; keep a forensic snapshot with the
    /// alert; lock the attacked account for a while; slow down the attacking address.
    AlertResponse {
        NotifySupervisor => "notify_supervisor",
        NotifySecurity => "notify_security",
        NotifyOwner => "notify_owner",
        SuspendExports => "suspend_exports",
        BlockUser => "block_user",
        Snapshot => "snapshot",
        LockAccount => "lock_account",
        ThrottleIp => "throttle_ip",
    }
}

impl AlertResponse {
    /// The response's name, in `l`.
    pub fn name(self, l: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            Self::NotifySupervisor => td_string!(l, rules.response.notify_supervisor),
            Self::NotifySecurity => td_string!(l, rules.response.notify_security),
            Self::NotifyOwner => td_string!(l, rules.response.notify_owner),
            Self::SuspendExports => td_string!(l, rules.response.suspend_exports),
            Self::BlockUser => td_string!(l, rules.response.block_user),
            Self::Snapshot => td_string!(l, rules.response.snapshot),
            Self::LockAccount => td_string!(l, rules.response.lock_account),
            Self::ThrottleIp => td_string!(l, rules.response.throttle_ip),
        }
    }
}

/// One message in the mail outbox, as administrators see it (never its SMTP error text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub id: i64,
    pub to_address: String,
    pub kind: Option<AlertKind>,
    pub severity: Option<AlertSeverity>,
    /// `queued`, `sending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// The outbox page: whether mail can go out at all, and the latest messages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    /// Whether `CENTINELA_SMTP_URL` is set (otherwise mail stays queued).
    pub configured: bool,
    pub items: Vec<OutboxItem>,
}
