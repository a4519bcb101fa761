//! Verification started by an administrator: runs in the background, reports progress,
//! and ends with an audit event; a failed run also raises a TAMPERED_LOG signal for the
//! detection engine, in the same transaction.

use super::files::Locations;
use super::verify;
use super::verify::Report;
use super::{self as audit, NewEvent};
use crate::error::AppError;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::audit as repo;
use crate::types::audit::RunStatus;
use crate::types::audit::{AuditAction, Outcome, Severity};
use std::collections::HashMap;
use std::sync::Mutex;

/// The runs of this server process (one at a time).
#[derive(Debug, Default)]
pub struct Runs {
    inner: Mutex<(u64, HashMap<u64, RunStatus>)>,
}

impl Runs {
    fn update(&self, id: u64, f: impl FnOnce(&mut RunStatus)) {
        if let Ok(mut inner) = self.inner.lock()
            && let Some(run) = inner.1.get_mut(&id)
        {
            f(run);
        }
    }

    pub fn get(&self, id: u64) -> Option<RunStatus> {
        self.inner
            .lock()
            .ok()
            .and_then(|inner| inner.1.get(&id).cloned())
    }

    fn running(&self) -> Option<u64> {
        let inner = self.inner.lock().ok()?;
        inner
            .1
            .values()
            .find(|r| r.report.is_none() && !r.failed)
            .map(|r| r.id)
    }

    fn start(&self, started_at: i64, total: u64) -> u64 {
        let Ok(mut inner) = self.inner.lock() else {
            return 0;
        };
        inner.0 += 1;
        let id = inner.0;
        inner.1.insert(
            id,
            RunStatus {
                id,
                started_at,
                checked: 0,
                total,
                report: None,
                failed: false,
            },
        );
        id
    }
}

/// Records a finished verification (and raises the signal if damage was found).
pub async fn record_run(
    state: &AppState,
    actor: (Option<i64>, &str),
    meta: &RequestMeta,
    report: &Report,
) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let details = serde_json::to_value(report).unwrap_or_default();
    let (outcome, severity) = match report.damage {
        Some(_) => (Outcome::Failure, Severity::Critical),
        None => (Outcome::Success, Severity::Info),
    };
    let event = NewEvent::new(AuditAction::IntegrityCheck, outcome)
        .actor(actor.0, actor.1)
        .meta(meta)
        .severity(severity)
        .details(details.clone());
    audit::append(&mut tx, now, event).await?;
    if report.damage.is_some() {
        repo::insert_signal(
            &mut tx,
            "TAMPERED_LOG",
            "critical",
            &details.to_string(),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Raises a TAMPERED_LOG signal because an append found the chain inconsistent (at most
/// one a minute: every audited action fails the same way until someone looks). The chain
/// cannot take an event about it, so the signal is all that is written.
pub async fn raise_tampered(state: &AppState, what: &str) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    if repo::signals::count_since(&mut tx, "TAMPERED_LOG", now - 60_000).await? == 0 {
        let details = serde_json::json!({ "reason": what }).to_string();
        repo::insert_signal(&mut tx, "TAMPERED_LOG", "critical", &details, now).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// How this server judges time in a verdict: as of now, with two checkpoint intervals of
/// grace for events still waiting for their signature.
pub fn judgement(state: &AppState) -> verify::Judgement {
    verify::Judgement {
        as_of: state.clock.now_ms(),
        grace_ms: grace_ms(state.checkpoint_interval),
    }
}

/// Two checkpoint intervals, in milliseconds.
pub fn grace_ms(interval: std::time::Duration) -> i64 {
    i64::try_from(interval.as_millis())
        .unwrap_or(i64::MAX / 2)
        .saturating_mul(2)
}

/// Where this server keeps its checkpoints and archives.
pub fn locations(state: &AppState) -> Locations {
    Locations {
        checkpoint_file: state.signer.checkpoint_file().cloned(),
        archive_dir: Some(state.archive_dir.clone()),
    }
}

/// Starts a verification in the background (or returns the one already running).
pub async fn start(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
) -> Result<u64, AppError> {
    if let Some(id) = state.verifications.running() {
        return Ok(id);
    }
    let (_, _, total) = repo::span(&mut *state.db.conn().await?).await?;
    let id = state
        .verifications
        .start(state.clock.now_ms(), u64::try_from(total).unwrap_or(0));
    let (state, caller, meta) = (state.clone(), caller.clone(), meta.clone());
    tokio::spawn(async move {
        let runs = state.verifications.clone();
        let mut progress = |checked: u64| runs.update(id, |r| r.checked = checked);
        let key = state.signer.verifying_key();
        let result = verify::verify_database(
            &state.db,
            key,
            &locations(&state),
            judgement(&state),
            &mut progress,
        )
        .await;
        match result {
            Ok(report) => {
                if let Err(error) = record_run(
                    &state,
                    (Some(caller.user_id), &caller.username),
                    &meta,
                    &report,
                )
                .await
                {
                    tracing::error!(%error, "recording the verification");
                }
                state.verifications.update(id, |r| {
                    r.checked = report.events;
                    r.report = Some(report);
                });
            }
            Err(error) => {
                tracing::error!(%error, "verification failed to run");
                state.verifications.update(id, |r| r.failed = true);
            }
        }
    });
    Ok(id)
}
