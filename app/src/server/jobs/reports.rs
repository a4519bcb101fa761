//! Mails the monthly audit report to the security administrators from the first day of
//! each month (Lima): see `service/reports/delivery.rs`. Every 15 minutes, not at start, so
//! a server that starts does not race its own first requests; once per month however many
//! runs or instances there are.

use super::Job;
use crate::server::AppState;
use crate::server::service::reports::delivery;
use std::time::Duration;

pub struct MonthlyReportMail;

#[async_trait::async_trait]
impl Job for MonthlyReportMail {
    fn name(&self) -> &'static str {
        "monthly_report_mail"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(15 * 60)
    }

    fn at_start(&self) -> bool {
        false
    }

    async fn run(&self, state: &AppState) -> anyhow::Result<()> {
        delivery::deliver_due(state)
            .await
            .map_err(|e| anyhow::anyhow!("monthly report: {e:?}"))?;
        Ok(())
    }
}
