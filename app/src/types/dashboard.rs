//! The security dashboard as the page and `POST /api/dashboard` see it (SPEC "Security
//! dashboard"; seed 002 section 3.4): the overall state and its reason, the open alerts by
//! state, severity and kind, the recent figures, the lists, and the charts' data.

use super::alert::{AlertItem, AlertSeverity, AlertState};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

coded_enum! {
    case = "SCREAMING_SNAKE_CASE",
    /// How things stand at a glance (seed 002's rule), from best to worst.
    Overall {
        Normal => "NORMAL",
        Precaucion => "PRECAUCION",
        Alerta => "ALERTA",
        Critico => "CRITICO",
    }
}

/// More NUEVA alerts than this is ALERTA; more than [`CAUTION_NEW`] is PRECAUCIÓN.
pub const ALERT_NEW: i64 = 10;
pub const CAUTION_NEW: i64 = 5;

impl Overall {
    /// Seed 002's rule: CRÍTICO if any critical alert is open, else ALERTA if more than 10
    /// are NUEVA, else PRECAUCIÓN if more than 5, else NORMAL.
    pub fn of(open_critical: i64, nueva: i64) -> Self {
        if open_critical > 0 {
            Self::Critico
        } else if nueva > ALERT_NEW {
            Self::Alerta
        } else if nueva > CAUTION_NEW {
            Self::Precaucion
        } else {
            Self::Normal
        }
    }

    /// The state's name, in `l`.
    pub fn name(self, l: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            Self::Normal => td_string!(l, dashboard.overall.normal),
            Self::Precaucion => td_string!(l, dashboard.overall.precaucion),
            Self::Alerta => td_string!(l, dashboard.overall.alerta),
            Self::Critico => td_string!(l, dashboard.overall.critico),
        }
    }

    /// Why, in plain words, in `l`.
    pub fn reason(self, open_critical: i64, nueva: i64, l: crate::i18n::Locale) -> String {
        use crate::i18n::td_string;
        match self {
            Self::Critico => crate::plural!(
                l,
                open_critical,
                dashboard.reason.critico_1 | dashboard.reason.critico_n,
                count = open_critical
            ),
            Self::Alerta => {
                td_string!(l, dashboard.reason.alerta, count = nueva, max = ALERT_NEW).to_string()
            }
            Self::Precaucion => td_string!(
                l,
                dashboard.reason.precaucion,
                count = nueva,
                max = CAUTION_NEW
            )
            .to_string(),
            Self::Normal => crate::plural!(
                l,
                nueva,
                dashboard.reason.normal_1 | dashboard.reason.normal_n,
                count = nueva
            ),
        }
    }
}

/// One user among those with the most alerts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopUser {
    pub username: String,
    pub alerts: i64,
}

/// One event of the recent-activity feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityItem {
    pub seq: i64,
    pub at: i64,
    pub actor: Option<String>,
    pub action: String,
    pub outcome: String,
    pub severity: String,
}

/// One day of the 7-day trend: alerts first seen that day (Lima), by severity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendDay {
    /// `YYYY-MM-DD` in Lima.
    pub day: String,
    pub low: i64,
    pub medium: i64,
    pub high: i64,
    pub critical: i64,
}

impl TrendDay {
    pub fn of(&self, s: AlertSeverity) -> i64 {
        match s {
            AlertSeverity::Low => self.low,
            AlertSeverity::Medium => self.medium,
            AlertSeverity::High => self.high,
            AlertSeverity::Critical => self.critical,
        }
    }
}

/// One day of exports (Lima): how many files and how many contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportDay {
    pub day: String,
    pub exports: i64,
    pub contacts: i64,
}

/// A chart drawn on the server: an SVG (with `role="img"` and a `<title>`), its title and
/// a summary in words; the page shows its data as a table beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chart {
    pub key: String,
    pub title: String,
    pub summary: String,
    pub svg: String,
}

/// The dashboard summary (`POST /api/dashboard`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub overall: Overall,
    /// Why, in the reader's language.
    pub reason: String,
    /// Every alert by state (open and closed).
    pub by_state: BTreeMap<AlertState, i64>,
    /// Open alerts (NUEVA, EN_REVISION) by severity and by kind (codes).
    pub by_severity: BTreeMap<AlertSeverity, i64>,
    pub by_kind: BTreeMap<String, i64>,
    /// Alerts first seen in the last 24 hours and 7 days.
    pub last_24h: i64,
    pub last_7d: i64,
    /// Of the alerts first seen in the last 30 days, the share already closed (0 to 1).
    pub resolution_rate: f64,
    /// The median time from first seen to closed of the alerts closed in the last 30 days
    /// (milliseconds; none closed: null).
    pub median_resolution_ms: Option<i64>,
    pub active_sessions: i64,
    /// Users with open sessions from more than one address.
    pub multi_ip_users: i64,
    pub failed_sign_ins_24h: i64,
    pub exports_today: i64,
    pub contacts_today: i64,
    pub exports_7d: i64,
    pub contacts_7d: i64,
    /// Export requests waiting for a decision.
    pub pending_approvals: i64,
    /// Users with the most alerts first seen in the last 30 days.
    pub top_users: Vec<TopUser>,
    /// The most recent CRITICAL and HIGH alerts (open or not).
    pub recent_severe: Vec<AlertItem>,
    pub recent_activity: Vec<ActivityItem>,
    /// Alerts first seen on each of the last 7 days (Lima), by severity.
    pub trend_7d: Vec<TrendDay>,
    /// Alerts first seen in the last 30 days by hour of day (Lima), 24 values.
    pub by_hour: Vec<i64>,
    /// Exports per day over the last 30 days (Lima).
    pub exports_30d: Vec<ExportDay>,
    /// The three charts (trend, hours, exports), drawn for the reader.
    #[serde(default)]
    pub charts: Vec<Chart>,
    /// When this summary was computed.
    pub at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overall_state_changes_exactly_at_seed_002s_boundaries() {
        assert_eq!(Overall::of(0, 0), Overall::Normal);
        assert_eq!(Overall::of(0, 5), Overall::Normal);
        assert_eq!(Overall::of(0, 6), Overall::Precaucion);
        assert_eq!(Overall::of(0, 10), Overall::Precaucion);
        assert_eq!(Overall::of(0, 11), Overall::Alerta);
        assert_eq!(Overall::of(1, 0), Overall::Critico);
        assert_eq!(Overall::of(1, 50), Overall::Critico);
    }
}
