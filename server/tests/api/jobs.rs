//! The job runner: one instance at a time runs a periodic job when several share a
//! PostgreSQL database; on SQLite (one process owns the file) the job simply runs.

use crate::helpers::spawn_app;
use app::server::jobs::{Job, Runner};
use app::server::{AppState, Backend};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

struct Counting(Arc<AtomicUsize>);

#[async_trait::async_trait]
impl Job for Counting {
    fn name(&self) -> &'static str {
        "counting"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(60)
    }

    async fn run(&self, _state: &AppState) -> anyhow::Result<()> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[tokio::test]
async fn a_periodic_job_runs_on_one_instance_per_period_and_moves_when_its_holder_stops() {
    let app = spawn_app().await;
    let runs = Arc::new(AtomicUsize::new(0));
    let job = Counting(runs.clone());
    let first = Runner::with_instance(app.state.clone(), "instance-a".into());
    let second = Runner::with_instance(app.state.clone(), "instance-b".into());
    let shared = app.state.db.backend() == Backend::Postgres;

    assert!(first.tick(&job).await.expect("tick"));
    assert_eq!(second.tick(&job).await.expect("tick"), !shared);
    // The holder keeps its lease from period to period.
    app.clock.advance(Duration::from_secs(60));
    assert!(first.tick(&job).await.expect("tick"));
    assert_eq!(second.tick(&job).await.expect("tick"), !shared);
    assert_eq!(runs.load(Ordering::SeqCst), if shared { 2 } else { 4 });

    // The holder stops ticking: once its lease runs out, the other instance takes over.
    app.clock.advance(Duration::from_secs(120));
    assert!(second.tick(&job).await.expect("tick"));
    assert_eq!(first.tick(&job).await.expect("tick"), !shared);
}
