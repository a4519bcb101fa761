//! Every minute: deletes export files whose one-time links expired unused.

use super::Job;
use crate::server::AppState;
use crate::server::repo::exports;
use std::time::Duration;

pub struct ExpiredFiles;

#[async_trait::async_trait]
impl Job for ExpiredFiles {
    fn name(&self) -> &'static str {
        "expired_export_files"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(60)
    }

    async fn run(&self, state: &AppState) -> anyhow::Result<()> {
        let mut conn = state.db.conn().await?;
        exports::delete_expired_files(&mut conn, state.clock.now_ms()).await?;
        Ok(())
    }
}
