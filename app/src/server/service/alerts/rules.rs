//! The detection rules as data (`detection_rule`, seeded from SPEC "Detection rules"):
//! threshold, window, severity, whether enabled, and which automatic responses an alert of
//! the rule runs. The rules themselves — what each counts — are in `detect`.

use crate::error::AppError;
use crate::server::repo::alerts as repo;
use crate::types::alert::{AlertKind, AlertSeverity};
use serde::Deserialize;
use sqlx::AnyConnection;

/// One automatic response (seed 000 section 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// An in-app notification to the subject's supervisor.
    NotifySupervisor,
    /// An in-app notification to every active security administrator.
    NotifySecurity,
    /// A notification to the account's owner (an attacked account).
    NotifyOwner,
    /// The subject may not export until an administrator lifts it.
    SuspendExports,
    /// The subject is blocked and all their sessions end.
    BlockUser,
    /// A forensic snapshot of the subject is stored with the alert.
    Snapshot,
    /// The attacked account is locked for a while (sign-in protection).
    LockAccount,
    /// The attacking address is refused sign-ins for a while.
    ThrottleIp,
}

/// Rule-specific settings (hours for OFF_HOURS_ACCESS, export sizes for MASS_EXPORT).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Params {
    pub from_hour: Option<u32>,
    pub to_hour: Option<u32>,
    pub weekends: Option<bool>,
    pub single_export: Option<i64>,
    pub critical_export: Option<i64>,
    pub throttle_secs: Option<i64>,
}

/// A rule as detection uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub kind: AlertKind,
    pub threshold: i64,
    pub window_secs: i64,
    pub severity: AlertSeverity,
    pub enabled: bool,
    pub actions: Vec<Action>,
    pub params: Params,
}

impl Rule {
    pub fn window_ms(&self) -> i64 {
        self.window_secs.saturating_mul(1000)
    }

    pub fn does(&self, action: Action) -> bool {
        self.actions.contains(&action)
    }
}

/// Every rule, keyed by kind; rows that do not parse are skipped (and logged).
pub async fn load(conn: &mut AnyConnection) -> Result<Vec<Rule>, AppError> {
    Ok(repo::rules(conn)
        .await?
        .into_iter()
        .filter_map(|row| {
            let parsed = (|| {
                Some(Rule {
                    kind: AlertKind::from_code(&row.kind)?,
                    threshold: row.threshold,
                    window_secs: row.window_secs,
                    severity: AlertSeverity::from_code(&row.severity)?,
                    enabled: row.enabled != 0,
                    actions: serde_json::from_str(&row.actions).ok()?,
                    params: serde_json::from_str(&row.params).ok()?,
                })
            })();
            if parsed.is_none() {
                tracing::error!(
                    kind = row.kind,
                    "a detection rule does not parse; it is skipped"
                );
            }
            parsed
        })
        .collect())
}

/// The enabled rule of `kind`, if any.
pub fn enabled(rules: &[Rule], kind: AlertKind) -> Option<&Rule> {
    rules.iter().find(|r| r.kind == kind && r.enabled)
}
