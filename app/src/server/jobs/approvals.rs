//! Every minute: export requests still pending when their time runs out
//! (`CENTINELA_APPROVAL_HOURS`, 72 by default) expire; each is an audit event, and the
//! requester and approvers are told.

use super::Job;
use crate::server::AppState;
use crate::server::service::approvals;
use std::time::Duration;

pub struct ExpiredRequests;

#[async_trait::async_trait]
impl Job for ExpiredRequests {
    fn name(&self) -> &'static str {
        "expired_requests"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(60)
    }

    async fn run(&self, state: &AppState) -> anyhow::Result<()> {
        let expired = approvals::expire_overdue(state).await?;
        if expired > 0 {
            tracing::info!(
                requests = expired,
                "export requests expired without a decision"
            );
        }
        Ok(())
    }
}
