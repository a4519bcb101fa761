//! The one small runner every periodic job plugs into. A job says its name, how often it
//! runs and what it does; the runner ticks it until the server stops, logs failures and
//! carries on. When several Centinela instances share one PostgreSQL database, each tick
//! first takes the job's lease (`repo::jobs::take_lease`), so a job runs on one instance
//! per period; on SQLite (one process owns the file) it simply runs.

use crate::server::repo::jobs as leases;
use crate::server::{AppState, Backend};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// A periodic job.
#[async_trait::async_trait]
pub trait Job: Send + Sync + 'static {
    /// Stable name: the lease's key and the logs' `job` field.
    fn name(&self) -> &'static str;
    /// How long between two runs.
    fn interval(&self) -> Duration;
    /// Whether the first run happens at start (otherwise after one interval).
    fn at_start(&self) -> bool {
        true
    }
    /// Whether one instance at a time runs it when instances share a database (default);
    /// `false` for work each instance must do for itself.
    fn exclusive(&self) -> bool {
        true
    }
    /// One run. Errors are logged; the next tick tries again.
    async fn run(&self, state: &AppState) -> anyhow::Result<()>;
}

/// Starts jobs and decides, per tick, whether this instance runs them.
#[derive(Clone)]
pub struct Runner {
    state: AppState,
    /// This instance's name in the lease table.
    instance: String,
}

impl Runner {
    pub fn new(state: AppState) -> Self {
        Self::with_instance(state, format!("{:016x}", rand::random::<u64>()))
    }

    /// A runner with a chosen instance name (tests start two "instances" on one database).
    pub fn with_instance(state: AppState, instance: String) -> Self {
        Self { state, instance }
    }

    /// Runs each job on its own task until `stop` is cancelled.
    pub fn start(&self, jobs: Vec<Arc<dyn Job>>, stop: CancellationToken) {
        for job in jobs {
            let runner = self.clone();
            let stop = stop.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(job.interval());
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                if !job.at_start() {
                    tick.tick().await;
                }
                loop {
                    tokio::select! {
                        _ = stop.cancelled() => return,
                        _ = tick.tick() => {}
                    }
                    if let Err(error) = runner.tick(job.as_ref()).await {
                        tracing::warn!(job = job.name(), error = %format!("{error:#}"), "job failed");
                    }
                }
            });
        }
    }

    /// One tick of `job`: takes its lease where instances share the database, then runs
    /// it. Returns whether it ran here.
    pub async fn tick(&self, job: &dyn Job) -> anyhow::Result<bool> {
        if !self.holds_lease(job).await? {
            return Ok(false);
        }
        job.run(&self.state).await?;
        Ok(true)
    }

    /// The lease lasts one and a half intervals: the holder renews it at its next tick
    /// and keeps it; if the holder stops, another instance takes over after that.
    async fn holds_lease(&self, job: &dyn Job) -> anyhow::Result<bool> {
        if !job.exclusive() || self.state.db.backend() == Backend::Sqlite {
            return Ok(true);
        }
        let now = self.state.clock.now_ms();
        let period = i64::try_from(job.interval().as_millis()).unwrap_or(i64::MAX / 4);
        let mut conn = self.state.db.conn().await?;
        Ok(leases::take_lease(
            &mut conn,
            job.name(),
            &self.instance,
            now,
            now + period * 3 / 2,
        )
        .await?)
    }
}
