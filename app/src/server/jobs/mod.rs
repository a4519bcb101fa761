//! Background work started with the server: periodic sweeps that must happen even when
//! nobody makes a request.

use super::AppState;
use super::repo::http_session::DbSessionStore;
use super::service::auth;
use super::service::checkpoint::{self, Reason};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Ends timed-out sessions (audited) and drops expired cookie records, every minute.
pub async fn session_sweep(state: AppState, store: DbSessionStore, stop: CancellationToken) {
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
    }
}

/// Signs a checkpoint every `interval` (a heartbeat when nothing happened), and deletes
/// export files whose links expired.
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
        match state.db.conn().await {
            Ok(mut conn) => {
                let now = state.clock.now_ms();
                if let Err(error) = super::repo::exports::delete_expired_files(&mut conn, now).await
                {
                    tracing::warn!(%error, "expired export cleanup failed");
                }
            }
            Err(error) => tracing::warn!(%error, "expired export cleanup failed"),
        }
    }
}
