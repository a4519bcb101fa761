//! Signs a checkpoint of the audit chain every interval (a heartbeat when nothing
//! happened), so that truncation and gaps are provable.

use super::Job;
use crate::server::AppState;
use crate::server::service::audit::checkpoint::{self, Reason};
use std::time::Duration;

pub struct Checkpoints {
    pub interval: Duration,
}

#[async_trait::async_trait]
impl Job for Checkpoints {
    fn name(&self) -> &'static str {
        "audit_checkpoint"
    }

    fn interval(&self) -> Duration {
        self.interval
    }

    fn at_start(&self) -> bool {
        false
    }

    async fn run(&self, state: &AppState) -> anyhow::Result<()> {
        checkpoint::write(state, Reason::Periodic).await?;
        Ok(())
    }
}
