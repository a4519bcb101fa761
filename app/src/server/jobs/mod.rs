//! Background work started with the server: periodic sweeps that must happen even when
//! nobody makes a request.

use super::AppState;
use super::repo::exports;
use super::repo::http_session::DbSessionStore;
use super::service::auth;
use super::service::checkpoint::{self, Reason};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Every minute: ends timed-out sessions (audited), drops expired cookie records and
/// deletes export files whose links expired unused.
pub async fn housekeeping(state: AppState, store: DbSessionStore, stop: CancellationToken) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tick.tick() => {}
        }
        match auth::sweep_expired(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sessions = n, "ended timed-out sessions"),
            Err(error) => tracing::warn!(%error, "session sweep failed"),
        }
        if let Err(error) = store.delete_expired().await {
            tracing::warn!(%error, "cookie record cleanup failed");
        }
        let cleanup = async {
            let mut conn = state.db.conn().await?;
            exports::delete_expired_files(&mut conn, state.clock.now_ms()).await
        };
        if let Err(error) = cleanup.await {
            tracing::warn!(%error, "expired export cleanup failed");
        }
    }
}

/// Signs a checkpoint every `interval` (a heartbeat when nothing happened).
pub async fn checkpoints(state: AppState, interval: Duration, stop: CancellationToken) {
    let mut tick = tokio::time::interval(interval);
    tick.tick().await;
    loop {
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tick.tick() => {}
        }
        if let Err(error) = checkpoint::write(&state, Reason::Periodic).await {
            tracing::warn!(%error, "checkpoint failed");
        }
    }
}
