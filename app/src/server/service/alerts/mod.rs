//! Detection and automatic response (SPEC "Detection rules"; seeds 000 section 5, 002 and
//! 003): the audit stream is evaluated as it is written (`detect`), against rules whose
//! thresholds are data (`rules`); what a rule finds becomes an alert — or one more
//! occurrence of the open alert of the same kind about the same subject — with its audit
//! event, and the rule's automatic responses (`respond`), all in one transaction.

pub mod detect;
pub mod listing;
pub mod outbox;
pub mod respond;
pub mod rules;

use crate::error::AppError;
use crate::server::repo::alerts::{self as repo, NewAlert};
use crate::server::service::audit::{self, NewEvent};
use crate::types::alert::{AlertFacts, AlertKind, AlertSeverity};
use crate::types::audit::{AuditAction, Outcome, Severity};
use rules::Rule;
use serde_json::json;
use sqlx::AnyConnection;

/// How many triggering sequence numbers an alert keeps (the first and the latest ones).
const MAX_TRIGGERS: usize = 50;

/// What a rule found in one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: AlertKind,
    pub severity: AlertSeverity,
    /// The user the alert is about, if any.
    pub user_id: Option<i64>,
    /// The address the alert is about (IP-based rules), or the event's address.
    pub ip: Option<String>,
    /// What de-duplication keys on: `user:<id>`, `name:<username>`, `ip:<address>`, `log`.
    pub subject_key: String,
    pub facts: AlertFacts,
    /// The event that triggered it, and when it was written.
    pub seq: i64,
    pub at: i64,
}

/// What recording a finding did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// A new alert, with this id.
    Raised(i64),
    /// One more occurrence of this open alert.
    Repeated(i64),
}

fn audit_severity(s: AlertSeverity) -> Severity {
    match s {
        AlertSeverity::Low => Severity::Low,
        AlertSeverity::Medium => Severity::Medium,
        AlertSeverity::High => Severity::High,
        AlertSeverity::Critical => Severity::Critical,
    }
}

/// Records `finding` inside the caller's transaction: a new alert with its audit event and
/// the rule's responses, or a repeat on the open alert (its count, last-seen and, if this
/// one is worse, severity — and the responses of the worse severity).
pub async fn record(
    tx: &mut AnyConnection,
    now: i64,
    rule: &Rule,
    finding: &Finding,
) -> Result<Recorded, AppError> {
    let params = serde_json::to_string(&finding.facts).unwrap_or_else(|_| "{}".into());
    let open = repo::find_open(tx, finding.kind.code(), &finding.subject_key).await?;
    let (recorded, escalated) = match open {
        Some(alert) => {
            let mut triggers: Vec<i64> =
                serde_json::from_str(&alert.trigger_seqs).unwrap_or_default();
            triggers.push(finding.seq);
            if triggers.len() > MAX_TRIGGERS {
                triggers.remove(MAX_TRIGGERS / 2);
            }
            let was = AlertSeverity::from_code(&alert.severity).unwrap_or(AlertSeverity::Low);
            let severity = was.max(finding.severity);
            repo::repeat_alert(
                tx,
                alert.id,
                severity.code(),
                &params,
                finding.at,
                &json!(triggers).to_string(),
            )
            .await?;
            let event = NewEvent::new(AuditAction::AlertRepeated, Outcome::Success)
                .actor(None, "centinela")
                .target("alert", alert.id)
                .severity(audit_severity(severity))
                .details(json!({
                    "kind": finding.kind.code(),
                    "occurrences": alert.occurrences + 1,
                    "trigger_seq": finding.seq,
                    "subject": finding.subject_key,
                }));
            audit::append(tx, now, event).await?;
            (
                Recorded::Repeated(alert.id),
                (severity > was).then_some(severity),
            )
        }
        None => {
            let new = NewAlert {
                kind: finding.kind.code(),
                severity: finding.severity.code(),
                subject_user_id: finding.user_id,
                subject_ip: finding.ip.as_deref(),
                subject_key: &finding.subject_key,
                params: &params,
                details: &json!({ "rule": { "threshold": rule.threshold, "window_secs": rule.window_secs } })
                    .to_string(),
                seen_at: finding.at,
                trigger_seqs: &json!([finding.seq]).to_string(),
            };
            let id = repo::insert_alert(tx, &new).await?;
            let event = NewEvent::new(AuditAction::AlertRaised, Outcome::Success)
                .actor(None, "centinela")
                .target("alert", id)
                .severity(audit_severity(finding.severity))
                .details(json!({
                    "kind": finding.kind.code(),
                    "severity": finding.severity.code(),
                    "trigger_seq": finding.seq,
                    "subject": finding.subject_key,
                    "facts": finding.facts,
                }));
            audit::append(tx, now, event).await?;
            (Recorded::Raised(id), Some(finding.severity))
        }
    };
    if let Some(severity) = escalated {
        let id = match recorded {
            Recorded::Raised(id) | Recorded::Repeated(id) => id,
        };
        respond::run(tx, now, rule, finding, severity, id).await?;
    }
    Ok(recorded)
}
