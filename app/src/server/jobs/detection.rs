//! Detection as events are written: four times a second, every event appended since the
//! detection cursor is evaluated (`service::alerts::detect`). The same pass is the sweep:
//! after a restart, or when the evaluator fell behind, it starts from the cursor, so no
//! event is missed and none is evaluated twice. One instance at a time runs it.

use super::Job;
use crate::server::AppState;
use crate::server::service::alerts::detect;
use std::time::Duration;

/// How often the audit stream is looked at: an alert exists within about this long (plus
/// the evaluation) after its event committed.
pub const PERIOD: Duration = Duration::from_millis(250);

pub struct Detection;

#[async_trait::async_trait]
impl Job for Detection {
    fn name(&self) -> &'static str {
        "detection"
    }

    fn interval(&self) -> Duration {
        PERIOD
    }

    async fn run(&self, state: &AppState) -> anyhow::Result<()> {
        let recorded = detect::catch_up(state).await?;
        if recorded > 0 {
            tracing::info!(alerts = recorded, "detection raised or repeated alerts");
        }
        Ok(())
    }
}
