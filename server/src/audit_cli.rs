//! The audit subcommands: verify (database or exported file), export, archive.

use anyhow::Context;
use app::server::AppState;
use app::server::context::RequestMeta;
use app::server::service::audit::checkpoint::{self, Reason};
use app::server::service::audit::{self, NewEvent};
use app::server::service::audit::{archive as archiving, files as audit_files, integrity, verify};
use app::types::audit::{AuditAction, Outcome, VerifyReport};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

fn progress(checked: u64) {
    let mut err = std::io::stderr();
    let _ = write!(err, "\r  checked {checked} events");
    let _ = err.flush();
}

/// Prints the report; exit code 1 when the log is damaged.
fn print(report: &VerifyReport, public_key: &str) -> ExitCode {
    eprintln!();
    println!("Audit log verification");
    println!("  public key:   {public_key}");
    match (report.first_seq, report.last_seq) {
        (Some(first), Some(last)) => {
            println!("  events:       {} (seq {first} to {last})", report.events)
        }
        _ => println!("  events:       {}", report.events),
    }
    println!(
        "  checkpoints:  {} with a valid signature",
        report.checkpoints
    );
    match &report.damage {
        None => {
            println!("  result:       INTACT: every hash, link, seq step and checkpoint verified");
            ExitCode::SUCCESS
        }
        Some(damage) => {
            println!("  result:       DAMAGED");
            println!("  kind:         {}", damage.kind.code());
            println!("  first bad seq: {}", damage.seq);
            println!("  detail:       {}", damage.detail);
            ExitCode::from(1)
        }
    }
}

pub async fn verify_database(state: &AppState) -> anyhow::Result<ExitCode> {
    eprintln!("Verifying the audit log ({})…", state.db.backend().name());
    let report = verify::verify_database(
        &state.db,
        state.signer.verifying_key(),
        &integrity::locations(state),
        &mut progress,
    )
    .await
    .map_err(|e| anyhow::anyhow!("verification could not run: {e}"))?;
    let meta = RequestMeta::default();
    integrity::record_run(state, (None, "cli"), &meta, &report)
        .await
        .map_err(|e| anyhow::anyhow!("recording the verification failed: {e}"))?;
    Ok(print(&report, &state.signer.public_key_hex()))
}

/// The public key given as hex, or the path of a file holding it.
fn public_key(given: Option<&str>) -> anyhow::Result<(ed25519_dalek::VerifyingKey, String)> {
    let given = given.context("--public-key is required with --file")?;
    let text = if Path::new(given).is_file() {
        std::fs::read_to_string(given).with_context(|| format!("cannot read {given}"))?
    } else {
        given.to_owned()
    };
    let key =
        checkpoint::parse_public_key(&text).context("the public key must be 64 hex digits")?;
    Ok((key, text.trim().to_owned()))
}

pub async fn verify_file(file: &Path, key: Option<&str>) -> anyhow::Result<ExitCode> {
    let (key, hex_key) = public_key(key)?;
    eprintln!("Verifying {}…", file.display());
    let report = verify::verify_file(file, key, &mut progress)
        .await
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    Ok(print(&report, &hex_key))
}

pub async fn export(state: &AppState, out: &Path) -> anyhow::Result<()> {
    let written = audit_files::export(
        &state.db,
        &state.signer.public_key_hex(),
        &integrity::locations(state),
        state.clock.now_ms(),
        out,
    )
    .await
    .map_err(|e| anyhow::anyhow!("export failed: {e}"))?;
    let mut tx = state.db.begin_write().await?;
    let event = NewEvent::new(AuditAction::AuditExported, Outcome::Success)
        .actor(None, "cli")
        .details(serde_json::json!({ "events": written, "file": out.display().to_string() }));
    audit::append(&mut tx, state.clock.now_ms(), event).await?;
    tx.commit().await?;
    println!("exported {written} events to {}", out.display());
    println!(
        "verify it with: centinela verify-audit --file {} --public-key {}",
        out.display(),
        state.signer.public_key_hex()
    );
    Ok(())
}

pub async fn archive(state: &AppState, days: i64) -> anyhow::Result<()> {
    anyhow::ensure!(days >= 0, "--older-than must be zero or more days");
    match archiving::archive_older_than(state, days, &state.archive_dir)
        .await
        .map_err(|e| anyhow::anyhow!("archiving failed: {e}"))?
    {
        Some(segment) => println!(
            "archived events {} to {} ({} events) into {}",
            segment.first_seq,
            segment.last_seq,
            segment.event_count,
            state.archive_dir.join(&segment.file_name).display()
        ),
        None => println!("no events older than {days} days"),
    }
    checkpoint::write(state, Reason::Manual)
        .await
        .map_err(|e| anyhow::anyhow!("checkpoint failed: {e}"))?;
    Ok(())
}
