//! Detection and automatic response (SPEC "Detection rules"; seeds 000 section 5, 002 and
//! 003): the audit stream is evaluated as it is written (`detect`), against rules whose
//! thresholds are data (`rules`); what a rule finds becomes an alert — or one more
//! occurrence of the open alert of the same kind about the same subject — with its audit
//! event, and the rule's automatic responses (`respond`), all in one transaction.

pub mod answer;
pub mod detail;
pub mod detect;
pub mod listing;
pub mod outbox;
pub mod respond;
pub mod rules;
pub mod triage;

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
    record_all(tx, now, rule, std::slice::from_ref(finding)).await
}

/// Records findings of one kind about one subject, in the order their events were written:
/// the first raises the alert (or repeats the open one); the others are folded into one
/// repeat that adds their count — one update and one audit event however many events of
/// the batch matched, so a flood of matching events costs a write per batch, not per event.
pub async fn record_all(
    tx: &mut AnyConnection,
    now: i64,
    rule: &Rule,
    findings: &[Finding],
) -> Result<Recorded, AppError> {
    let Some(first) = findings.first() else {
        return Err(AppError::Internal);
    };
    let (recorded, was, occurrences, mut triggers, repeats) =
        match repo::find_open(tx, first.kind.code(), &first.subject_key).await? {
            Some(alert) => (
                Recorded::Repeated(alert.id),
                AlertSeverity::from_code(&alert.severity).unwrap_or(AlertSeverity::Low),
                alert.occurrences,
                serde_json::from_str::<Vec<i64>>(&alert.trigger_seqs).unwrap_or_default(),
                findings,
            ),
            None => {
                let id = raise(tx, now, rule, first).await?;
                (
                    Recorded::Raised(id),
                    first.severity,
                    1,
                    vec![first.seq],
                    &findings[1..],
                )
            }
        };
    let Some(last) = repeats.last() else {
        return Ok(recorded);
    };
    let id = match recorded {
        Recorded::Raised(id) | Recorded::Repeated(id) => id,
    };
    for finding in repeats {
        triggers.push(finding.seq);
        if triggers.len() > MAX_TRIGGERS {
            triggers.remove(MAX_TRIGGERS / 2);
        }
    }
    let severity = repeats
        .iter()
        .map(|f| f.severity)
        .fold(was, AlertSeverity::max);
    let count = i64::try_from(repeats.len()).unwrap_or(i64::MAX);
    let params = serde_json::to_string(&last.facts).unwrap_or_else(|_| "{}".into());
    repo::repeat_alert(
        tx,
        id,
        count,
        severity.code(),
        &params,
        last.at,
        &json!(triggers).to_string(),
    )
    .await?;
    let event = NewEvent::new(AuditAction::AlertRepeated, Outcome::Success)
        .actor(None, "centinela")
        .target("alert", id)
        .severity(audit_severity(severity))
        .details(json!({
            "kind": last.kind.code(),
            "occurrences": occurrences + count,
            "repeats": count,
            "trigger_seq": last.seq,
            "trigger_seqs": repeats.iter().map(|f| f.seq).collect::<Vec<_>>(),
            "subject": last.subject_key,
        }));
    audit::append(tx, now, event).await?;
    if severity > was {
        respond::run(tx, now, rule, last, severity, id).await?;
    }
    Ok(recorded)
}

/// A new alert from `finding`, with its audit event and the rule's responses.
async fn raise(
    tx: &mut AnyConnection,
    now: i64,
    rule: &Rule,
    finding: &Finding,
) -> Result<i64, AppError> {
    let params = serde_json::to_string(&finding.facts).unwrap_or_else(|_| "{}".into());
    let new = NewAlert {
        kind: finding.kind.code(),
        severity: finding.severity.code(),
        subject_user_id: finding.user_id,
        subject_ip: finding.ip.as_deref(),
        subject_key: &finding.subject_key,
        params: &params,
        details:
            &json!({ "rule": { "threshold": rule.threshold, "window_secs": rule.window_secs } })
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
    respond::run(tx, now, rule, finding, finding.severity, id).await?;
    Ok(id)
}
