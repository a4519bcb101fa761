//! The rules, and the evaluator that runs them over the audit stream. Each event after the
//! detection cursor is evaluated once: the findings become alerts and the cursor moves past
//! the event in the same transaction, so an event is never evaluated twice and never
//! skipped — whether the evaluator ran seconds after the event was written or the sweep
//! caught up after a restart. Every count is an index seek over the rule's window, up to
//! and including the event itself, so evaluating an event later gives the same answer.

mod checks;
mod memo;

use super::rules::{self, Rule};
use super::{Finding, record, record_all};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::repo::alerts as repo;
use crate::server::repo::audit::AuditRow;
use crate::types::alert::{AlertFacts, AlertKind};
use checks::*;
pub use memo::Memo;
use sqlx::AnyConnection;

/// Events evaluated per transaction, and transactions per call (a call returns after
/// that many, so one tick of the job never runs unbounded; the next tick goes on).
const BATCH: i64 = 500;
const BATCHES_PER_CALL: usize = 4;
/// Actions that change who may do what (PERMISSION_CHANGE).
const PERMISSION_ACTIONS: [&str; 3] = ["role_changed", "permission_changed", "policy_changed"];
/// Actions that are a refusal of the actor (DENIED_BURST).
const DENIED_ACTIONS: [&str; 1] = ["export_refused"];

/// What the evaluator remembers from one evaluation to the next, in this process.
pub type Carried = tokio::sync::Mutex<Memo>;

/// Evaluates every event written since the cursor (and every unconsumed security signal);
/// returns how many alerts were raised or repeated.
pub async fn catch_up(state: &AppState) -> Result<usize, AppError> {
    let mut recorded = 0;
    let mut memo = state.detection.lock().await;
    memo.forget_roles();
    for _ in 0..BATCHES_PER_CALL {
        let (cursor, events, signals, rules) = {
            let mut conn = state.db.conn().await?;
            let cursor = repo::cursor(&mut conn).await?;
            let events = repo::events_after(&mut conn, cursor, BATCH).await?;
            let signals = repo::unconsumed_signals(&mut conn).await?;
            (cursor, events, signals, rules::load(&mut conn).await?)
        };
        if events.is_empty() && signals.is_empty() {
            return Ok(recorded);
        }
        let mut findings = Vec::new();
        {
            let mut conn = state.db.conn().await?;
            for event in &events {
                memo.note(event);
                findings.extend(evaluate(&mut conn, &mut memo, &rules, event).await?);
            }
        }
        let now = state.clock.now_ms();
        let mut tx = state.db.begin_write().await?;
        if let Some(last) = events.last()
            && !repo::advance_cursor(&mut tx, cursor, last.seq, now).await?
        {
            // Another evaluator got there first: start again from where it left off.
            continue;
        }
        for group in by_subject(findings) {
            if let Some(rule) = rules::enabled(&rules, group[0].kind) {
                record_all(&mut tx, now, rule, &group).await?;
                recorded += group.len();
            }
        }
        for signal in &signals {
            let ours = repo::consume_signal(&mut tx, signal.id, now).await?;
            if ours
                && signal.kind == "TAMPERED_LOG"
                && let Some(rule) = rules::enabled(&rules, AlertKind::TamperedLog)
            {
                let finding = Finding {
                    kind: AlertKind::TamperedLog,
                    severity: rule.severity,
                    user_id: None,
                    ip: None,
                    subject_key: "log".into(),
                    facts: AlertFacts {
                        count: 1,
                        threshold: rule.threshold,
                        ..AlertFacts::default()
                    },
                    seq: 0,
                    at: signal.created_at,
                };
                record(&mut tx, now, rule, &finding).await?;
                recorded += 1;
            }
        }
        tx.commit().await?;
        if (events.len() as i64) < BATCH {
            return Ok(recorded);
        }
    }
    Ok(recorded)
}

/// Findings grouped by kind and subject, each group in event order, the groups in the order
/// of their first finding (so one batch writes one alert update per group).
fn by_subject(findings: Vec<Finding>) -> Vec<Vec<Finding>> {
    let mut groups: Vec<Vec<Finding>> = Vec::new();
    for finding in findings {
        match groups
            .iter_mut()
            .find(|g| g[0].kind == finding.kind && g[0].subject_key == finding.subject_key)
        {
            Some(group) => group.push(finding),
            None => groups.push(vec![finding]),
        }
    }
    groups
}

/// What every rule finds in one event.
pub async fn evaluate(
    conn: &mut AnyConnection,
    memo: &mut Memo,
    rules: &[Rule],
    e: &AuditRow,
) -> Result<Vec<Finding>, AppError> {
    let mut found = Vec::new();
    // Centinela's own events (alerts, checkpoints' bookkeeping) are not anyone's activity.
    if e.module == "alerts" {
        return Ok(found);
    }
    match e.action.as_str() {
        "sign_in_failed" => {
            found.extend(brute_force(conn, rules, e).await?);
            found.extend(credential_stuffing(conn, rules, e).await?);
        }
        "sign_in" => {
            found.extend(unusual_location(conn, rules, e).await?);
            found.extend(concurrent_session(conn, rules, e).await?);
            found.extend(off_hours(rules, e, 0));
        }
        "export_allowed" => {
            found.extend(mass_export(conn, memo, rules, e).await?);
            found.extend(high_export_junior(conn, memo, rules, e).await?);
            found.extend(off_hours(rules, e, exported_count(e)));
        }
        action if PERMISSION_ACTIONS.contains(&action) => {
            found.extend(
                by_actor(
                    conn,
                    memo,
                    rules,
                    e,
                    AlertKind::PermissionChange,
                    &PERMISSION_ACTIONS,
                )
                .await?,
            );
        }
        action if DENIED_ACTIONS.contains(&action) => {
            found.extend(
                by_actor(
                    conn,
                    memo,
                    rules,
                    e,
                    AlertKind::DeniedBurst,
                    &DENIED_ACTIONS,
                )
                .await?,
            );
        }
        _ => {}
    }
    found.extend(by_actor(conn, memo, rules, e, AlertKind::UnusualActivity, &[]).await?);
    Ok(found)
}
