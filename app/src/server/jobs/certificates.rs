//! Every hour: tells each employee whose certificate ends within 30 days, once, through
//! their notifications (SPEC "Training").

use super::Job;
use crate::server::AppState;
use crate::server::service::training::certificates;
use std::time::Duration;

pub struct ExpiringCertificates;

#[async_trait::async_trait]
impl Job for ExpiringCertificates {
    fn name(&self) -> &'static str {
        "expiring_certificates"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(3600)
    }

    async fn run(&self, state: &AppState) -> anyhow::Result<()> {
        let told = certificates::notify_expiring(state).await?;
        if told > 0 {
            tracing::info!(employees = told, "told of certificates about to expire");
        }
        Ok(())
    }
}
