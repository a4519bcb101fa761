//! `make bench` (audit log): verification throughput over 1,000,000 events vs `sha256sum`
//! over the same canonical bytes, measured in one run on this machine. Target: at least
//! 0.5x. Also prints the explorer's first-page latency on that log (for information).

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)]

use app::server::AppState;
use app::server::repo::audit::AuditRow;
use app::server::service::audit::{GENESIS_HASH, canonical_bytes, event_hash};
use app::server::service::audit::{checkpoint, integrity, verify};
use app::types::audit::AuditFilter;
use std::io::Write;
use std::time::Instant;

const EVENTS: i64 = 1_000_000;
const ROWS_PER_INSERT: usize = 50;
const UA: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

mod common;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let (dir, state) = common::fresh_state("audit.db").await?;
    println!("Audit log benchmarks (SQLite, {EVENTS} events)\n");

    let started = Instant::now();
    let canonical = dir.path().join("canonical.bin");
    let bytes = build_chain(&state, &canonical).await?;
    checkpoint::write(&state, checkpoint::Reason::Manual)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "  (built and stored the chain in {:.1} s; {:.0} MB of canonical bytes)",
        started.elapsed().as_secs_f64(),
        bytes as f64 / 1e6
    );

    let started = Instant::now();
    let report = verify::verify_database(
        &state.db,
        state.signer.verifying_key(),
        &integrity::locations(&state),
        integrity::judgement(&state),
        &mut |_| {},
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let verify_secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        report.damage.is_none() && report.events == EVENTS as u64,
        "unexpected report {report:?}"
    );

    let started = Instant::now();
    let out = std::process::Command::new("sha256sum")
        .arg(&canonical)
        .output()?;
    let sha_secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(out.status.success(), "sha256sum failed");

    let mb = bytes as f64 / 1e6;
    println!(
        "verify-audit (database, every hash, link, seq and checkpoint):  {verify_secs:>6.2} s  {:>7.1} MB/s  {:>9.0} events/s",
        mb / verify_secs,
        EVENTS as f64 / verify_secs
    );
    println!(
        "sha256sum over the same canonical bytes:                        {sha_secs:>6.2} s  {:>7.1} MB/s",
        mb / sha_secs
    );
    let ratio = sha_secs / verify_secs;
    let ok = ratio >= 0.5;
    println!(
        "  ratio verification / sha256sum = {ratio:.2}  (target >= 0.50)  {}\n",
        if ok { "MET" } else { "MISSED" }
    );

    let filter = AuditFilter {
        user: "usuario.7".into(),
        ..Default::default()
    };
    let mut samples = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        app::server::service::audit::explorer::page(&state, &filter)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        samples.push(t.elapsed().as_secs_f64() * 1e3);
    }
    samples.sort_by(f64::total_cmp);
    println!(
        "explorer, first page filtered by user on 1M events: median {:.2} ms (information)",
        samples[100]
    );
    if !ok {
        std::process::exit(1);
    }
    Ok(())
}

/// Builds a valid chain of `EVENTS` realistic events, stores it, and writes the canonical
/// bytes of every event to `canonical` (what sha256sum will read). Returns their length.
async fn build_chain(state: &AppState, canonical: &std::path::Path) -> anyhow::Result<u64> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(canonical)?);
    let mut prev = GENESIS_HASH.to_owned();
    let mut total = 0u64;
    let mut batch: Vec<AuditRow> = Vec::with_capacity(ROWS_PER_INSERT);
    let start = state.clock.now_ms() - EVENTS;
    let mut tx = state.db.begin_write().await?;
    for seq in 1..=EVENTS {
        let mut row = AuditRow {
            seq,
            created_at: start + seq,
            actor_id: Some(seq % 40),
            actor_username: Some(format!("usuario.{}", seq % 40)),
            action: "export_allowed".into(),
            module: "export".into(),
            target_type: Some("export".into()),
            target_id: Some(format!("{seq:032x}")),
            outcome: "success".into(),
            severity: "info".into(),
            ip: Some(format!("10.0.{}.{}", seq % 250, seq % 200)),
            user_agent: Some(UA.into()),
            ua_browser: Some("Chrome 131.0.0.0".into()),
            ua_os: Some("Windows 10".into()),
            ua_device: Some("desktop".into()),
            session_id: Some(format!("{:032x}", seq * 7)),
            before_json: None,
            after_json: None,
            details_json: Some(format!(
                "{{\"count\":{},\"format\":\"csv\",\"receipt\":\"R-{seq:010}\"}}",
                seq % 50 + 1
            )),
            prev_hash: prev,
            hash: String::new(),
        };
        let bytes = canonical_bytes(&row);
        out.write_all(&bytes)?;
        total += bytes.len() as u64;
        row.hash = event_hash(&row);
        prev = row.hash.clone();
        batch.push(row);
        if batch.len() == ROWS_PER_INSERT || seq == EVENTS {
            insert(&mut tx, &batch).await?;
            batch.clear();
        }
        if seq % 100_000 == 0 {
            tx.commit().await?;
            tx = state.db.begin_write().await?;
        }
    }
    sqlx::query("update audit_head set seq = $1, hash = $2 where id = 1")
        .bind(EVENTS)
        .bind(&prev)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    out.flush()?;
    Ok(total)
}

/// SQLite-only bulk insert with anonymous `?` parameters (bound by position, no name lookups).
async fn insert(conn: &mut sqlx::AnyConnection, rows: &[AuditRow]) -> anyhow::Result<()> {
    let one = format!("({})", vec!["?"; 21].join(","));
    let sql = format!(
        "insert into audit_event (seq, created_at, actor_id, actor_username, action, module, target_type, target_id, \
         outcome, severity, ip, user_agent, ua_browser, ua_os, ua_device, session_id, before_json, after_json, \
         details_json, prev_hash, hash) values {}",
        vec![one; rows.len()].join(",")
    );
    let mut q = sqlx::query(&sql);
    for r in rows {
        q = q
            .bind(r.seq)
            .bind(r.created_at)
            .bind(r.actor_id)
            .bind(&r.actor_username)
            .bind(&r.action)
            .bind(&r.module)
            .bind(&r.target_type)
            .bind(&r.target_id)
            .bind(&r.outcome)
            .bind(&r.severity)
            .bind(&r.ip)
            .bind(&r.user_agent)
            .bind(&r.ua_browser)
            .bind(&r.ua_os)
            .bind(&r.ua_device)
            .bind(&r.session_id)
            .bind(&r.before_json)
            .bind(&r.after_json)
            .bind(&r.details_json)
            .bind(&r.prev_hash)
            .bind(&r.hash);
    }
    q.execute(conn).await?;
    Ok(())
}
