//! Alerts as the UI and the fixed endpoints see them (SPEC "Detection rules", "Alert
//! triage"): the kinds, severities and states, and one alert in a list.

use serde::{Deserialize, Serialize};

pub use super::alert_rules::{AlertResponse, Outbox, OutboxItem, RuleView};
pub use super::triage::{
    ActionTaken, AlertDetail, BulkOp, BulkReport, BulkSkip, BulkTarget, HistoryEntry, OwnerAnswer,
    StateCounts, SubjectSession, SubjectView, TimelineEvent,
};

coded_enum! {
    case = "SCREAMING_SNAKE_CASE",
    /// What a rule detected.
    AlertKind {
        BruteForce => "BRUTE_FORCE",
        CredentialStuffing => "CREDENTIAL_STUFFING",
        ConcurrentSession => "CONCURRENT_SESSION",
        UnusualLocation => "UNUSUAL_LOCATION",
        OffHoursAccess => "OFF_HOURS_ACCESS",
        MassExport => "MASS_EXPORT",
        HighExportJunior => "HIGH_EXPORT_JUNIOR",
        PermissionChange => "PERMISSION_CHANGE",
        UnusualActivity => "UNUSUAL_ACTIVITY",
        DeniedBurst => "DENIED_BURST",
        TamperedLog => "TAMPERED_LOG",
    }
}

coded_enum! {
    case = "SCREAMING_SNAKE_CASE",
    /// How bad (seed 002's table), in increasing order.
    AlertSeverity {
        Low => "LOW",
        Medium => "MEDIUM",
        High => "HIGH",
        Critical => "CRITICAL",
    }
}

coded_enum! {
    case = "SCREAMING_SNAKE_CASE",
    /// Where an alert is in triage.
    AlertState {
        Nueva => "NUEVA",
        EnRevision => "EN_REVISION",
        Resuelta => "RESUELTA",
        FalsoPositivo => "FALSO_POSITIVO",
    }
}

impl AlertState {
    /// Open alerts take repeats instead of new rows.
    pub fn is_open(self) -> bool {
        matches!(self, Self::Nueva | Self::EnRevision)
    }

    /// The triage state machine (SPEC "Alert triage"): NUEVA → EN_REVISION → RESUELTA |
    /// FALSO_POSITIVO; a NUEVA alert may be closed directly; a closed one may be reopened
    /// to EN_REVISION. Nothing else.
    pub fn may_move_to(self, to: Self) -> bool {
        use AlertState::*;
        matches!(
            (self, to),
            (Nueva, EnRevision | Resuelta | FalsoPositivo)
                | (EnRevision, Resuelta | FalsoPositivo)
                | (Resuelta | FalsoPositivo, EnRevision)
        )
    }
}

/// What an alert's description is made of (rendered in the reader's language).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertFacts {
    /// How many matching events (or contacts, or accounts) the rule counted.
    #[serde(default)]
    pub count: i64,
    /// The rule's threshold when it fired.
    #[serde(default)]
    pub threshold: i64,
    /// The rule's window, in minutes (0: none).
    #[serde(default)]
    pub minutes: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

/// One alert in a list (`POST /api/alerts`, `POST /api/my_alerts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertItem {
    pub id: i64,
    pub kind: AlertKind,
    pub severity: AlertSeverity,
    pub state: AlertState,
    pub username: Option<String>,
    pub ip: Option<String>,
    pub occurrences: i64,
    pub first_seen: i64,
    pub last_seen: i64,
    pub version: i64,
    /// The administrator working on it.
    #[serde(default)]
    pub assignee: Option<String>,
    /// How many comments it has.
    #[serde(default)]
    pub comments: i64,
    /// The subject's answer to "was this you?", once given.
    #[serde(default)]
    pub answer: Option<OwnerAnswer>,
    /// What the rule counted (the description is made of it).
    pub facts: AlertFacts,
    /// What happened, in the reader's language (rendered where it is shown).
    pub description: String,
}

impl AlertItem {
    /// Writes the description in `l`.
    pub fn rendered(mut self, l: crate::i18n::Locale) -> Self {
        self.description = self.kind.describe(&self.facts, l);
        self
    }

    /// Whether its subject may still answer "was this you?" (an open alert about their own
    /// sign-in or export, not answered yet).
    pub fn awaits_answer(&self) -> bool {
        self.kind.asks_owner() && self.state.is_open() && self.answer.is_none()
    }
}

/// A page of alerts, most severe and newest first; `next_cursor` continues it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertPage {
    pub items: Vec<AlertItem>,
    pub next_cursor: Option<String>,
    /// How many alerts each state holds under the other filters (the state filter aside).
    #[serde(default)]
    pub counts: StateCounts,
}

/// The filters of `POST /api/alerts` (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertFilter {
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    /// Only alerts assigned to this administrator.
    #[serde(default)]
    pub assignee: Option<String>,
    /// Only alerts active on or after this day (`YYYY-MM-DD`, Lima).
    #[serde(default)]
    pub from: Option<String>,
    /// Only alerts active on or before this day (`YYYY-MM-DD`, Lima).
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub limit: Option<i64>,
}

impl AlertKind {
    /// The kind's name, in `l`.
    pub fn name(self, l: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            Self::BruteForce => td_string!(l, alerts.kind.brute_force),
            Self::CredentialStuffing => td_string!(l, alerts.kind.credential_stuffing),
            Self::ConcurrentSession => td_string!(l, alerts.kind.concurrent_session),
            Self::UnusualLocation => td_string!(l, alerts.kind.unusual_location),
            Self::OffHoursAccess => td_string!(l, alerts.kind.off_hours_access),
            Self::MassExport => td_string!(l, alerts.kind.mass_export),
            Self::HighExportJunior => td_string!(l, alerts.kind.high_export_junior),
            Self::PermissionChange => td_string!(l, alerts.kind.permission_change),
            Self::UnusualActivity => td_string!(l, alerts.kind.unusual_activity),
            Self::DeniedBurst => td_string!(l, alerts.kind.denied_burst),
            Self::TamperedLog => td_string!(l, alerts.kind.tampered_log),
        }
    }

    /// What happened, in plain words, in `l`.
    pub fn describe(self, facts: &AlertFacts, l: crate::i18n::Locale) -> String {
        use crate::i18n::td_string;
        let (count, threshold, minutes) = (facts.count, facts.threshold, facts.minutes);
        let username = facts.username.as_deref().unwrap_or("?");
        let ip = facts.ip.as_deref().unwrap_or("?");
        match self {
            Self::BruteForce => td_string!(
                l,
                alerts.describe.brute_force,
                count = count,
                username = username,
                minutes = minutes
            )
            .to_string(),
            Self::CredentialStuffing => td_string!(
                l,
                alerts.describe.credential_stuffing,
                ip = ip,
                count = count,
                minutes = minutes
            )
            .to_string(),
            Self::ConcurrentSession => td_string!(
                l,
                alerts.describe.concurrent_session,
                username = username,
                count = count
            )
            .to_string(),
            Self::UnusualLocation => td_string!(
                l,
                alerts.describe.unusual_location,
                username = username,
                ip = ip
            )
            .to_string(),
            Self::OffHoursAccess => {
                td_string!(l, alerts.describe.off_hours_access, username = username).to_string()
            }
            Self::MassExport => td_string!(
                l,
                alerts.describe.mass_export,
                username = username,
                count = count,
                threshold = threshold
            )
            .to_string(),
            Self::HighExportJunior => td_string!(
                l,
                alerts.describe.high_export_junior,
                username = username,
                count = count
            )
            .to_string(),
            Self::PermissionChange => td_string!(
                l,
                alerts.describe.permission_change,
                username = username,
                count = count,
                minutes = minutes
            )
            .to_string(),
            Self::UnusualActivity => td_string!(
                l,
                alerts.describe.unusual_activity,
                username = username,
                count = count,
                minutes = minutes
            )
            .to_string(),
            Self::DeniedBurst => td_string!(
                l,
                alerts.describe.denied_burst,
                username = username,
                count = count,
                minutes = minutes
            )
            .to_string(),
            Self::TamperedLog => td_string!(l, alerts.describe.tampered_log).to_string(),
        }
    }
}

/// One in-app notification (`POST /api/notifications`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationItem {
    pub id: i64,
    pub alert_id: Option<i64>,
    pub kind: Option<AlertKind>,
    pub severity: Option<AlertSeverity>,
    pub facts: AlertFacts,
    /// A notice that is not about an alert (training), if this is one.
    #[serde(default)]
    pub notice: Option<crate::notice::Notice>,
    /// What it is about, in the reader's language (rendered where it is shown).
    pub text: String,
    pub read: bool,
    pub created_at: i64,
}

impl NotificationItem {
    /// Writes the text in `l`.
    pub fn rendered(mut self, l: crate::i18n::Locale) -> Self {
        self.text = match (&self.kind, &self.notice) {
            (Some(k), _) => k.describe(&self.facts, l),
            (None, Some(notice)) => notice.render(l),
            (None, None) => String::new(),
        };
        self
    }
}

impl AlertState {
    /// The state's name, in `l`.
    pub fn name(self, l: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            Self::Nueva => td_string!(l, alerts.state.nueva),
            Self::EnRevision => td_string!(l, alerts.state.en_revision),
            Self::Resuelta => td_string!(l, alerts.state.resuelta),
            Self::FalsoPositivo => td_string!(l, alerts.state.falso_positivo),
        }
    }
}

impl AlertSeverity {
    /// The severity's name, in `l`.
    pub fn name(self, l: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            Self::Low => td_string!(l, alerts.severity.low),
            Self::Medium => td_string!(l, alerts.severity.medium),
            Self::High => td_string!(l, alerts.severity.high),
            Self::Critical => td_string!(l, alerts.severity.critical),
        }
    }
}

impl AlertKind {
    /// Alerts about the subject's own sign-in or export, which they are asked about ("was
    /// this you?").
    pub fn asks_owner(self) -> bool {
        matches!(
            self,
            Self::UnusualLocation
                | Self::OffHoursAccess
                | Self::ConcurrentSession
                | Self::MassExport
        )
    }

    /// Rules that count within a window (the others look at one event or the present).
    pub fn windowed(self) -> bool {
        !matches!(
            self,
            Self::ConcurrentSession | Self::OffHoursAccess | Self::TamperedLog
        )
    }
}

/// What an alert notification says (`notification.params`, `mail_outbox.params`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertNote {
    #[serde(default)]
    pub alert_id: Option<i64>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub facts: AlertFacts,
    /// A notice that is not about an alert (training), rendered for the reader.
    #[serde(default)]
    pub notice: Option<crate::notice::Notice>,
}

impl AlertNote {
    /// The mail about it, in `l`: (subject, body).
    pub fn mail(&self, l: crate::i18n::Locale) -> (String, String) {
        use crate::i18n::td_string;
        if let (None, Some(crate::notice::Notice::MonthlyReportReady { month })) =
            (&self.kind, &self.notice)
        {
            let subject = td_string!(l, reports.mail_subject, month = month).to_string();
            return (
                subject,
                format!("{}\n", td_string!(l, reports.mail_body, month = month)),
            );
        }
        if let (None, Some(notice)) = (&self.kind, &self.notice) {
            // A notice that is not about an alert (approvals, training): its text says it all.
            let text = notice.render(l);
            let short: String = text.chars().take(90).collect();
            let subject = td_string!(l, mail.notice_subject, text = short).to_string();
            return (subject, format!("{text}\n"));
        }
        let kind = self.kind.as_deref().and_then(AlertKind::from_code);
        let severity = self.severity.as_deref().and_then(AlertSeverity::from_code);
        let subject = td_string!(
            l,
            mail.alert_subject,
            kind = kind.map_or("?", |k| k.name(l)),
            severity = severity.map_or("?", |s| s.name(l))
        )
        .to_string();
        let body = format!(
            "{}\n\n{}\n",
            kind.map(|k| k.describe(&self.facts, l)).unwrap_or_default(),
            td_string!(l, mail.alert_footer)
        );
        (subject, body)
    }
}
