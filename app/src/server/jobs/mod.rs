//! Background work started with the server: periodic sweeps that must happen even when
//! nobody makes a request.

use super::AppState;
use super::repo::http_session::DbSessionStore;
use super::service::auth;
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
