//! `make bench` (detection): measured in one run on this machine.
//!
//! 1. Time from the fifth failed sign-in of an account to its BRUTE_FORCE alert being
//!    listed by `POST /api/alerts`, over 60 accounts, against the real server (its
//!    detection job running as it does in production). Target: p95 at most 1 s.
//! 2. Allowed export decisions per second at 16 concurrent requests with detection running
//!    (the evaluator ticking four times a second, as the server does) vs without, runs
//!    alternated. Target: at least 0.9x.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

use app::server::AppState;
use app::server::jobs::{Job, Runner, detection::Detection};
use server::{Application, Config};
use std::time::{Duration, Instant};

const TRIALS: usize = 60;
const WORKERS: usize = 16;
const PASSWORD: &str = "bench-password-123";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    println!("Detection benchmarks (SQLite)\n");
    let latency_ok = alert_latency().await?;
    let throughput_ok = throughput_with_detection().await?;
    if !(latency_ok && throughput_ok) {
        std::process::exit(1);
    }
    Ok(())
}

fn verdict(ok: bool) -> &'static str {
    if ok { "MET" } else { "MISSED" }
}

async fn alert_latency() -> anyhow::Result<bool> {
    let dir = tempfile::tempdir()?;
    let mut config = Config::for_tests(
        format!("sqlite://{}/bench.db", dir.path().display()),
        dir.path().join("data"),
    );
    config.log = "error".into();
    let app = Application::build(config, app::server::Clock::default()).await?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let state = app.state().clone();
    let stop = tokio_util::sync::CancellationToken::new();
    let server = tokio::spawn(app.run_until_stopped(stop.clone()));
    let hash = app::server::service::access::password::hash_blocking(PASSWORD)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    common::user(&state, "admin", "direccion", "admin", &hash).await?;
    // Every trial fails from the same address: credential stuffing would (rightly) answer
    // 429 after ten accounts, so this run turns that rule off.
    sqlx::query("update detection_rule set enabled = 0 where kind = 'CREDENTIAL_STUFFING'")
        .execute(state.db.pool())
        .await?;
    for i in 0..TRIALS {
        common::user(
            &state,
            &format!("victima.{i}"),
            "ventas",
            "assistant",
            &hash,
        )
        .await?;
    }
    let client = || {
        reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client")
    };
    let admin = client();
    let res = admin
        .post(format!("{base}/api/login"))
        .form(&[("username", "admin"), ("password", PASSWORD)])
        .send()
        .await?;
    anyhow::ensure!(res.status() == 200, "admin sign-in: {}", res.status());
    let mut samples = Vec::with_capacity(TRIALS);
    for i in 0..TRIALS {
        let username = format!("victima.{i}");
        for _ in 0..5 {
            let res = client()
                .post(format!("{base}/api/login"))
                .form(&[
                    ("username", username.as_str()),
                    ("password", "wrong-password"),
                ])
                .send()
                .await?;
            anyhow::ensure!(
                res.status() == 401,
                "failed sign-in answered {}",
                res.status()
            );
        }
        let fifth = Instant::now();
        loop {
            let body: serde_json::Value = admin
                .post(format!("{base}/api/alerts"))
                .json(&serde_json::json!({ "kind": "BRUTE_FORCE", "username": username }))
                .send()
                .await?
                .json()
                .await?;
            if body["items"]
                .as_array()
                .is_some_and(|items| !items.is_empty())
            {
                break;
            }
            anyhow::ensure!(
                fifth.elapsed() < Duration::from_secs(30),
                "no alert for {username}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        samples.push(fifth.elapsed().as_secs_f64() * 1000.0);
    }
    stop.cancel();
    let _ = server.await;
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    let p95 = samples[(samples.len() * 95).div_ceil(100) - 1];
    let ok = p95 <= 1000.0;
    println!(
        "fifth failed sign-in -> BRUTE_FORCE alert listed ({TRIALS} accounts): median {median:.0} ms, \
         p95 {p95:.0} ms  (target p95 <= 1000 ms)  {}\n",
        verdict(ok)
    );
    Ok(ok)
}

async fn throughput_with_detection() -> anyhow::Result<bool> {
    let (_dir, state) = common::fresh_state("throughput.db").await?;
    let hash = app::server::service::access::password::hash_blocking(PASSWORD)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    app::server::service::demo::seed(&state, PASSWORD)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let exporter = common::user(&state, "bench.exporter", "direccion", "admin", &hash).await?;
    println!("export decisions with detection running vs not ({WORKERS} concurrent, alternated):");
    let (mut off, mut on) = (0.0, 0.0);
    for round in 1..=4 {
        let detecting_first = round % 2 == 0;
        let mut results = [0.0, 0.0];
        for detecting in [detecting_first, !detecting_first] {
            let stop = tokio_util::sync::CancellationToken::new();
            let evaluator =
                detecting.then(|| tokio::spawn(detect_while(state.clone(), stop.clone())));
            let rate = common::decision_rate(&state, &exporter, WORKERS).await?;
            stop.cancel();
            if let Some(evaluator) = evaluator {
                evaluator.await??;
            }
            results[usize::from(detecting)] = rate;
            let label = if detecting { "with   " } else { "without" };
            println!("  round {round}: {label} {rate:>6.0}/s");
        }
        off += results[0];
        on += results[1];
    }
    let lag = {
        let mut conn = state.db.conn().await?;
        let (head, _) = app::server::repo::audit::current_head(&mut conn).await?;
        head - app::server::repo::alerts::cursor(&mut conn).await?
    };
    let ratio = on / off;
    let ok = ratio >= 0.9;
    println!(
        "  ratio with / without {ratio:.2}  (target >= 0.90)  {}  (events still to evaluate at the end: {lag})",
        verdict(ok)
    );
    Ok(ok)
}

/// The server's detection job, ticking four times a second until `stop`.
async fn detect_while(
    state: AppState,
    stop: tokio_util::sync::CancellationToken,
) -> anyhow::Result<()> {
    let runner = Runner::new(state);
    let mut tick = tokio::time::interval(Detection.interval());
    loop {
        tokio::select! {
            _ = stop.cancelled() => return Ok(()),
            _ = tick.tick() => {}
        }
        runner.tick(&Detection).await?;
    }
}

mod common;
