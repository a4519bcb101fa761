//! Every minute: ends timed-out sessions (each ending audited) and drops expired cookie
//! records.

use super::Job;
use crate::server::AppState;
use crate::server::repo::http_session::DbSessionStore;
use crate::server::service::access::sign_in;
use std::time::Duration;

pub struct SessionSweep;

#[async_trait::async_trait]
impl Job for SessionSweep {
    fn name(&self) -> &'static str {
        "session_sweep"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(60)
    }

    async fn run(&self, state: &AppState) -> anyhow::Result<()> {
        let ended = sign_in::sweep_expired(state).await?;
        if ended > 0 {
            tracing::info!(sessions = ended, "ended timed-out sessions");
        }
        DbSessionStore::new(state.db.clone())
            .delete_expired()
            .await?;
        Ok(())
    }
}
