//! The detection rules as data (`detection_rule`, seeded from SPEC "Detection rules"):
//! threshold, window, severity, whether enabled, and which automatic responses an alert of
//! the rule runs (all four changed on the rules page). The rules themselves — what each counts — are in `detect`.

use crate::error::AppError;
use crate::server::repo::alerts as repo;
use crate::types::alert::{AlertKind, AlertSeverity};
use serde::Deserialize;
use sqlx::AnyConnection;

/// One automatic response (seed 000 section 5); the list is shared with the rules page.
pub use crate::types::alert::AlertResponse as Action;

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

/// The longest window a rule may count over (the unusual-location rule's 90 days), and the
/// shortest; the largest threshold.
pub const MAX_WINDOW_SECS: i64 = 90 * 24 * 3600;
pub const MIN_WINDOW_SECS: i64 = 60;
pub const MAX_THRESHOLD: i64 = 1_000_000;

/// Every rule as the rules page shows it.
pub async fn list(
    state: &crate::server::AppState,
) -> Result<Vec<crate::types::alert::RuleView>, AppError> {
    let rules = load(&mut *state.db.conn().await?).await?;
    Ok(rules
        .into_iter()
        .map(|r| crate::types::alert::RuleView {
            kind: r.kind,
            threshold: r.threshold,
            window_secs: r.window_secs,
            severity: r.severity,
            enabled: r.enabled,
            windowed: r.kind.windowed(),
            actions: r.actions,
        })
        .collect())
}

/// What an administrator asks to change.
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: String,
    pub threshold: i64,
    pub window_secs: i64,
    pub severity: String,
    pub enabled: bool,
    /// The automatic responses, as codes (unknown ones are refused; empty ones skipped);
    /// `None` keeps the rule's.
    pub actions: Option<Vec<String>>,
}

/// Changes one rule, validated, audited with before and after in the same transaction.
pub async fn update(
    state: &crate::server::AppState,
    admin: &crate::server::context::AuthSession,
    meta: &crate::server::context::RequestMeta,
    change: Change,
) -> Result<(), AppError> {
    use crate::notice::Notice;
    use crate::server::service::audit::{self, NewEvent};
    use crate::types::audit::{AuditAction, Outcome, Severity};
    let kind = AlertKind::from_code(change.kind.trim()).ok_or(AppError::NotFound)?;
    let severity = AlertSeverity::from_code(change.severity.trim()).ok_or_else(|| {
        AppError::validation(
            "severity",
            Notice::Text {
                code: "unknown_value".into(),
                message: "LOW | MEDIUM | HIGH | CRITICAL".into(),
            },
        )
    })?;
    if !(1..=MAX_THRESHOLD).contains(&change.threshold) {
        return Err(AppError::validation(
            "threshold",
            Notice::OutOfRange {
                min: 1,
                max: MAX_THRESHOLD,
            },
        ));
    }
    let mut actions: Vec<Action> = Vec::new();
    let codes = change.actions.as_deref().unwrap_or_default();
    for code in codes.iter().filter(|c| !c.trim().is_empty()) {
        let action = Action::from_code(code.trim()).ok_or_else(|| {
            AppError::validation(
                "actions",
                Notice::Text {
                    code: "unknown_value".into(),
                    message: format!("actions: {}", code.chars().take(40).collect::<String>()),
                },
            )
        })?;
        if !actions.contains(&action) {
            actions.push(action);
        }
    }
    actions.sort();
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let before = repo::rule(&mut tx, kind.code())
        .await?
        .ok_or(AppError::NotFound)?;
    let window_secs = if kind.windowed() {
        if !(MIN_WINDOW_SECS..=MAX_WINDOW_SECS).contains(&change.window_secs) {
            return Err(AppError::validation(
                "window_secs",
                Notice::OutOfRange {
                    min: MIN_WINDOW_SECS,
                    max: MAX_WINDOW_SECS,
                },
            ));
        }
        change.window_secs
    } else {
        before.window_secs
    };
    let after = repo::RuleRow {
        threshold: change.threshold,
        window_secs,
        severity: severity.code().to_owned(),
        enabled: i64::from(change.enabled),
        actions: match change.actions {
            Some(_) => serde_json::to_string(&actions).unwrap_or_else(|_| "[]".into()),
            None => before.actions.clone(),
        },
        ..before.clone()
    };
    // The same responses in another order are no change.
    let normalized = |json: &str| {
        let mut listed: Vec<Action> = serde_json::from_str(json).unwrap_or_default();
        listed.sort();
        serde_json::to_string(&listed).unwrap_or_default()
    };
    let unchanged = repo::RuleRow {
        actions: normalized(&before.actions),
        ..before.clone()
    };
    if after == unchanged {
        return Ok(());
    }
    repo::update_rule(&mut tx, &after, now).await?;
    let show = |r: &repo::RuleRow| {
        serde_json::json!({
            "threshold": r.threshold,
            "window_secs": r.window_secs,
            "severity": r.severity,
            "enabled": r.enabled != 0,
            "actions": serde_json::from_str::<serde_json::Value>(&r.actions).unwrap_or_default(),
        })
    };
    let event = NewEvent::new(AuditAction::PolicyChanged, Outcome::Success)
        .actor(Some(admin.user_id), &admin.username)
        .target("detection_rule", kind.code())
        .meta(meta)
        .severity(Severity::Medium)
        .change(show(&before), show(&after));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok(())
}
