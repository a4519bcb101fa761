//! Compliance reports computed for the page in the background, on this server process:
//! each run's progress and, once done, its report; one run at a time per administrator,
//! read only by the one who started it.

use super::compliance::{bounds, compute, draw, parts, target};
use super::record_generated;
use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::types::compliance::ComplianceRun;
use std::collections::HashMap;
use std::sync::Mutex;

/// Reports being computed for the page, on this server process; each is read by the
/// administrator who started it.
#[derive(Debug, Default)]
pub struct Runs {
    /// The last id given, and each run with the user who started it.
    inner: Mutex<(u64, HashMap<u64, Owned>)>,
}

/// A run and the user who started it.
type Owned = (i64, ComplianceRun);

impl Runs {
    fn update(&self, id: u64, f: impl FnOnce(&mut ComplianceRun)) {
        if let Ok(mut inner) = self.inner.lock()
            && let Some((_, run)) = inner.1.get_mut(&id)
        {
            f(run);
        }
    }

    /// Run `id`, if `user` started it.
    pub fn get(&self, id: u64, user: i64) -> Option<ComplianceRun> {
        let inner = self.inner.lock().ok()?;
        inner
            .1
            .get(&id)
            .filter(|(owner, _)| *owner == user)
            .map(|(_, run)| run.clone())
    }

    /// Registers a new run of `user`; refused while their previous one still runs (one at
    /// a time each, so nobody can start a pile of year-long reports).
    fn start(&self, user: i64, total: u32) -> Result<u64, AppError> {
        let Ok(mut inner) = self.inner.lock() else {
            return Err(AppError::Internal);
        };
        if inner
            .1
            .values()
            .any(|(owner, r)| *owner == user && r.report.is_none() && !r.failed)
        {
            return Err(AppError::Conflict(Notice::ReportRunning));
        }
        // Finished runs older than the newest 20 are forgotten.
        if inner.1.len() > 20 {
            let mut finished: Vec<u64> = inner
                .1
                .iter()
                .filter(|(_, (_, r))| r.report.is_some() || r.failed)
                .map(|(id, _)| *id)
                .collect();
            finished.sort_unstable();
            let excess = inner.1.len().saturating_sub(20);
            for id in finished.into_iter().take(excess) {
                inner.1.remove(&id);
            }
        }
        inner.0 += 1;
        let id = inner.0;
        inner.1.insert(
            id,
            (
                user,
                ComplianceRun {
                    id,
                    done: 0,
                    total,
                    report: None,
                    failed: false,
                },
            ),
        );
        Ok(id)
    }
}

/// Starts computing the report for the page; the run's id (the range is checked first).
pub async fn start(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    from_day: &str,
    to_day: &str,
) -> Result<u64, AppError> {
    let (from, to) = bounds(from_day, to_day)?;
    let total = u32::try_from(parts(from, to).len()).unwrap_or(u32::MAX);
    let id = state.compliance.start(caller.user_id, total)?;
    let (state, caller, meta) = (state.clone(), caller.clone(), meta.clone());
    let (from_day, to_day) = (from_day.to_owned(), to_day.to_owned());
    let locale = crate::locale::current_request_locale();
    tokio::spawn(async move {
        let runs = state.compliance.clone();
        let made = compute(&state, &from_day, &to_day, |done, _| {
            runs.update(id, |r| r.done = done);
        })
        .await;
        let recorded = match &made {
            Ok(report) => {
                record_generated(
                    &state,
                    &caller,
                    &meta,
                    &target(report),
                    (report.head_seq, &report.head_hash),
                    "page",
                )
                .await
            }
            Err(error) => Err(error.clone()),
        };
        match (made, recorded) {
            (Ok(report), Ok(())) => {
                let report = draw(report, locale);
                runs.update(id, |r| r.report = Some(report));
            }
            (_, Err(error)) => {
                tracing::error!(?error, "compliance report");
                runs.update(id, |r| r.failed = true);
            }
            (Err(_), _) => runs.update(id, |r| r.failed = true),
        }
    });
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_run_at_a_time_per_administrator() {
        let runs = Runs::default();
        let first = runs.start(7, 12).expect("first");
        assert!(runs.start(7, 12).is_err(), "the first still runs");
        assert!(runs.start(8, 12).is_ok(), "another administrator");
        runs.update(first, |r| r.failed = true);
        assert!(runs.start(7, 12).is_ok(), "the first ended");
        assert!(runs.get(first, 8).is_none(), "only its owner reads it");
    }
}
