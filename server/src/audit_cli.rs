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

/// Signs the chain's head after a command that appended events: the server's head signer
/// signs only what the server itself wrote, so each process signs its own events.
pub async fn sign_head(state: &AppState) {
    if let Err(error) = checkpoint::write(state, Reason::Manual).await {
        eprintln!(
            "warning: could not sign the audit log's head ({})",
            error.message_in(app::i18n::Locale::en)
        );
    }
}

fn progress(checked: u64) {
    let mut err = std::io::stderr();
    let _ = write!(err, "\r  checked {checked} events");
    let _ = err.flush();
}

/// `2026-11-22 14:05:09 UTC` for a unix-millisecond instant.
fn utc(ms: i64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| ms.to_string())
}

/// Prints the report: what was proved, up to where, and the verdict; exit code 1 when the
/// log is damaged.
fn print(report: &VerifyReport, public_key: &str) -> ExitCode {
    eprintln!();
    println!("Audit log verification");
    println!("  public key:   {public_key}");
    println!("  judged as of: {}", utc(report.as_of));
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
    if report.witness_checkpoints > 0 {
        let omitted = if report.witness_omitted.is_empty() {
            "the file carries all of them".to_owned()
        } else {
            let seqs: Vec<String> = report.witness_omitted.iter().map(i64::to_string).collect();
            format!("the file omits those at seq {}", seqs.join(", "))
        };
        println!(
            "  witness:      {} checkpoints or trusted heads; {omitted}",
            report.witness_checkpoints
        );
    }
    match (report.first_seq, report.signed_through) {
        (Some(first), Some(through)) => {
            println!("  signed:       seq {first} to {through} (proved by a signed checkpoint)")
        }
        (Some(_), None) => println!("  signed:       none"),
        _ => {}
    }
    if let (Some(from), Some(last), Some(since)) =
        (report.unsigned_from, report.last_seq, report.unsigned_since)
    {
        println!(
            "  unsigned:     seq {from} to {last} (oldest written {}, {} s before the verdict)",
            utc(since),
            (report.as_of - since).max(0) / 1000
        );
    }
    match &report.damage {
        None => {
            let through = report
                .signed_through
                .map_or_else(|| "no event".to_owned(), |s| format!("up to seq {s}"));
            println!(
                "  result:       INTACT: every hash, link, seq step and checkpoint verified; \
                 the content is proved {through}"
            );
            if report.unsigned_from.is_some() {
                println!(
                    "                (the newer events are younger than two checkpoint \
                     intervals: their signature is still due)"
                );
            }
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

/// Verifies the database; the verdict is printed (and decides the exit code) before the
/// run is recorded, so a log damaged in a way that also stops recording still says so.
pub async fn verify_database(state: &AppState) -> anyhow::Result<ExitCode> {
    eprintln!("Verifying the audit log ({})…", state.db.backend().name());
    let report = verify::verify_database(
        &state.db,
        state.signer.verifying_key(),
        &integrity::locations(state),
        integrity::judgement(state),
        &mut progress,
    )
    .await
    .map_err(|e| anyhow::anyhow!("verification could not run: {e}"))?;
    let verdict = print(&report, &state.signer.public_key_hex());
    let meta = RequestMeta::default();
    match integrity::record_run(state, (None, "cli"), &meta, &report).await {
        Ok(()) => sign_head(state).await,
        Err(error) => eprintln!(
            "warning: this verification could not be recorded in the audit log ({}); the \
             verdict above stands",
            error.message_in(app::i18n::Locale::en)
        ),
    }
    Ok(verdict)
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

/// Verifies an exported file offline, against an optional witness (a copy of the
/// checkpoint file, heads written down as `SEQ:HASH`).
pub async fn verify_file(
    file: &Path,
    key: Option<&str>,
    witness_file: Option<&Path>,
    trusted_heads: &[String],
    interval: std::time::Duration,
) -> anyhow::Result<ExitCode> {
    let (key, hex_key) = public_key(key)?;
    let mut witness = verify::Witness::default();
    if let Some(path) = witness_file {
        anyhow::ensure!(
            path.is_file(),
            "the witness {} is not a file",
            path.display()
        );
        witness.checkpoints = checkpoint::read_file(path);
        anyhow::ensure!(
            !witness.checkpoints.is_empty(),
            "the witness {} holds no checkpoint",
            path.display()
        );
    }
    for head in trusted_heads {
        witness
            .trusted
            .push(verify::TrustedHead::parse(head).with_context(|| {
                format!("--trusted-head {head}: expected SEQ:HASH (a seq and 64 hex digits)")
            })?);
    }
    eprintln!("Verifying {}…", file.display());
    let report = verify::verify_file(
        file,
        key,
        &witness,
        integrity::grace_ms(interval),
        chrono::Utc::now().timestamp_millis(),
        &mut progress,
    )
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
    sign_head(state).await;
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
