//! `make bench` (export engine): ratios measured in one run on one database file.
//!
//! 1. Quota status latency for a user with 1,000,000 past exports vs one with 1,000
//!    (same database, exports spread over the past year). Target: at most 1.5x.
//! 2. Allowed export decisions per second vs bare durable single-row commits on the same
//!    SQLite file, both with the same number of concurrent requests. Target: at least 0.8x
//!    under load (16 concurrent requests). Throughput is a server's rate when requests
//!    queue: there concurrent decisions share one commit (see `group_commit`). The ratio
//!    at 1 and 4 concurrent requests is printed too: with one request at a time it is a
//!    latency ratio (a decision reads, builds a file and writes ~19 pages; a bare commit
//!    writes one row), and it stays well below the target.
//! 3. Allowed export decisions per second with the audit head signed every second (the
//!    server's head signer) vs without, under the same load, runs alternated. Target: at
//!    least 0.95x.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

use app::server::AppState;
use app::server::context::AuthSession;
use app::server::service::access::usage;
use std::time::Instant;

const DAY_MS: i64 = 86_400_000;
/// Concurrent requests for the throughput comparison (the same for both sides); the last
/// level is the one judged. `BENCH_CONCURRENCY` runs one level instead.
fn levels() -> Vec<usize> {
    match std::env::var("BENCH_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        Some(n) => vec![n],
        None => vec![1, 4, 16],
    }
}

mod common;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (_dir, state) = common::fresh_state("bench.db").await?;
    let hash = app::server::service::access::password::hash_blocking("bench-password-123")
        .map_err(|e| anyhow::anyhow!("{e}"))?;

    println!("Export engine benchmarks (SQLite)\n");
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let mut quota_ok = true;
    if only.is_empty() || only == "quota" {
        let small = common::user(&state, "bench.small", "ventas", "executive", &hash).await?;
        let large = common::user(&state, "bench.large", "ventas", "executive", &hash).await?;
        let started = Instant::now();
        past_exports(&state, small.user_id, 1_000).await?;
        past_exports(&state, large.user_id, 1_000_000).await?;
        println!(
            "  (inserted 1,001,000 past exports in {:.1} s)",
            started.elapsed().as_secs_f64()
        );

        let small_latency = quota_latency(&state, &small, 3_000).await?;
        let large_latency = quota_latency(&state, &large, 3_000).await?;
        let ratio = large_latency / small_latency;
        println!(
            "quota status, 1,000 past exports:      median {:>8.1} µs",
            small_latency
        );
        println!(
            "quota status, 1,000,000 past exports:  median {:>8.1} µs",
            large_latency
        );
        quota_ok = ratio <= 1.5;
        println!(
            "  ratio 1M / 1k = {ratio:.2}  (target <= 1.50)  {}\n",
            verdict(quota_ok)
        );
    }
    if !(only.is_empty() || only == "decisions") {
        return Ok(());
    }

    app::server::service::demo::seed(&state, "bench-password-123")
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let exporter = common::user(&state, "bench.exporter", "direccion", "admin", &hash).await?;
    sqlx::query("create table bench_commit (id integer primary key, v integer not null, created_at integer not null)")
        .execute(state.db.pool())
        .await?;
    println!("throughput (per second; concurrent requests on both sides):");
    let mut decisions_ok = false;
    for workers in levels() {
        let commits = common::rate(&state, workers, |state, i| async move {
            let mut tx = state.db.begin_write().await?;
            sqlx::query("insert into bench_commit (v, created_at) values ($1, $2)")
                .bind(i as i64)
                .bind(state.clock.now_ms())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
        .await?;
        let decisions = common::decision_rate(&state, &exporter, workers).await?;
        let ratio = decisions / commits;
        decisions_ok = ratio >= 0.8;
        println!(
            "  {workers:>2} concurrent: bare durable commits {commits:>6.0}, allowed export decisions \
             {decisions:>6.0}, ratio {ratio:.2}"
        );
    }
    println!(
        "  ratio decisions / commits under load (last line) {}  (target >= 0.80)",
        verdict(decisions_ok)
    );

    let workers = levels().last().copied().unwrap_or(16);
    println!("\nhead signed every second vs not ({workers} concurrent requests, alternated):");
    // Every run adds exports to the same database, so later runs work on a larger one:
    // the order alternates, so that neither side always runs on the larger database.
    let (mut off, mut on) = (0.0, 0.0);
    for round in 1..=4 {
        let signing_first = round % 2 == 0;
        let mut results = [0.0, 0.0];
        for signing in [signing_first, !signing_first] {
            let stop = tokio_util::sync::CancellationToken::new();
            let signer =
                signing.then(|| tokio::spawn(sign_every_second(state.clone(), stop.clone())));
            let rate = common::decision_rate(&state, &exporter, workers).await?;
            stop.cancel();
            let signed = match signer {
                Some(signer) => signer.await??,
                None => 0,
            };
            results[usize::from(signing)] = rate;
            if signing {
                println!("  round {round}: with    {rate:>6.0}/s ({signed} checkpoints signed)");
            } else {
                println!("  round {round}: without {rate:>6.0}/s");
            }
        }
        off += results[0];
        on += results[1];
    }
    let signing_ratio = on / off;
    let signing_ok = signing_ratio >= 0.95;
    println!(
        "  ratio with / without {signing_ratio:.2}  (target >= 0.95)  {}",
        verdict(signing_ok)
    );
    if !(quota_ok && decisions_ok && signing_ok) {
        std::process::exit(1);
    }
    Ok(())
}

/// The server's head signer, ticking every second until `stop`; returns how many
/// checkpoints it signed.
async fn sign_every_second(
    state: AppState,
    stop: tokio_util::sync::CancellationToken,
) -> anyhow::Result<usize> {
    use app::server::jobs::{Job, Runner, checkpoints::HeadSigner};
    let runner = Runner::new(state.clone());
    let mut tick = tokio::time::interval(HeadSigner.interval());
    let mut signed = 0;
    loop {
        tokio::select! {
            _ = stop.cancelled() => return Ok(signed),
            _ = tick.tick() => {}
        }
        let before = latest_checkpoint_seq(&state).await?;
        runner.tick(&HeadSigner).await?;
        if latest_checkpoint_seq(&state).await? != before {
            signed += 1;
        }
    }
}

async fn latest_checkpoint_seq(state: &AppState) -> anyhow::Result<Option<i64>> {
    let mut conn = state.db.conn().await?;
    Ok(app::server::repo::audit::latest_checkpoint(&mut conn)
        .await?
        .map(|c| c.seq))
}

fn verdict(ok: bool) -> &'static str {
    if ok { "MET" } else { "MISSED" }
}

/// `n` exports of two contacts each, spread evenly over the past 365 days, as the engine
/// stores them (generated inside the database: a recursive query, not a million binds).
async fn past_exports(state: &AppState, user_id: i64, n: i64) -> anyhow::Result<()> {
    let now = state.clock.now_ms();
    let span = 365 * DAY_MS;
    let mut tx = state.db.begin_write().await?;
    sqlx::query(
        "with recursive k(i) as (select 0 union all select i + 1 from k where i + 1 < $1) \
         insert into export (id, receipt, user_id, count, cumulative, fields, format, justification, \
         contacts_digest, sha256, size_bytes, expires_at, created_at) \
         select $2 || '-' || i, 'B-' || $2 || '-' || i, $3, 2, 2 * (i + 1), '[\"full_name\"]', 'csv', \
         'bench', '', '', 0, $4 - $5 + ($5 * i) / $1, $4 - $5 + ($5 * i) / $1 from k",
    )
    .bind(n)
    .bind(user_id.to_string())
    .bind(user_id)
    .bind(now)
    .bind(span)
    .execute(&mut *tx)
    .await?;
    sqlx::query("insert into quota_account (user_id, total, created_at, updated_at) values ($1, $2, $3, $3)")
        .bind(user_id)
        .bind(2 * n)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Median latency of the quota status (what `POST /api/my_quota` runs), in microseconds.
async fn quota_latency(state: &AppState, caller: &AuthSession, runs: usize) -> anyhow::Result<f64> {
    for _ in 0..200 {
        usage::my_quota(state, caller)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        usage::my_quota(state, caller)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        samples.push(t.elapsed().as_secs_f64() * 1e6);
    }
    samples.sort_by(f64::total_cmp);
    Ok(samples[runs / 2])
}
