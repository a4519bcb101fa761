//! An exported log rewritten by an attacker with the documented encoding: stripped of
//! its checkpoints it is not intact, and a witness (the checkpoint file, a trusted head)
//! locates the edit.

use crate::audit_chain::grow_chain;
use crate::audit_files::verify_file;
use crate::audit_holes::{PAST_GRACE, kind_and_seq};
use crate::helpers::{TestApp, spawn_app};
use app::server::repo::audit::AuditRow;
use app::server::service::audit::checkpoint::{self, Checkpoint};
use app::server::service::audit::verify::{self, TrustedHead, Witness};
use app::server::service::audit::{GENESIS_HASH, event_hash, files as audit_files, integrity};
use app::types::audit::DamageKind;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

async fn export(app: &TestApp) -> PathBuf {
    let file = app.data_dir.join("export.jsonl");
    audit_files::export(
        &app.state.db,
        &app.state.signer.public_key_hex(),
        &integrity::locations(&app.state),
        app.clock.now_ms(),
        &file,
    )
    .await
    .expect("export");
    file
}

/// What an attacker with the file and the documented encoding does: changes event `seq`,
/// re-hashes it and every later event, and keeps only the checkpoints `keep` likes.
fn rewrite(file: &Path, seq: i64, keep: impl Fn(&Checkpoint) -> bool) {
    let text = std::fs::read_to_string(file).expect("read");
    let mut out = Vec::new();
    let mut prev = GENESIS_HASH.to_owned();
    for line in text.lines() {
        let mut value: Value = serde_json::from_str(line).expect("json line");
        match value["kind"].as_str() {
            Some("checkpoint") => {
                let cp: Checkpoint = serde_json::from_value(value.clone()).expect("checkpoint");
                if !keep(&cp) {
                    continue;
                }
            }
            Some("event") => {
                let mut row: AuditRow = serde_json::from_value(value.clone()).expect("event");
                if row.seq == seq {
                    row.actor_username = Some("otra.persona".into());
                }
                if row.seq >= seq {
                    row.prev_hash = prev.clone();
                    row.hash = event_hash(&row);
                }
                prev.clone_from(&row.hash);
                let mut rewritten = serde_json::to_value(&row).expect("row");
                rewritten["kind"] = json!("event");
                value = rewritten;
            }
            _ => {}
        }
        out.push(value.to_string());
    }
    std::fs::write(file, out.join("\n") + "\n").expect("write");
}

#[tokio::test]
async fn a_rewritten_file_stripped_of_every_checkpoint_is_not_intact() {
    let app = spawn_app().await;
    grow_chain(&app, 60, 20).await;
    let file = export(&app).await;
    let key = app.state.signer.verifying_key();
    assert_eq!(verify_file(&app, &file, key).await.damage, None);

    rewrite(&file, 30, |_| false);
    let report = verify_file(&app, &file, key).await;
    assert_eq!(kind_and_seq(&report), Some((DamageKind::Unsigned, 1)));
    assert_eq!((report.checkpoints, report.signed_through), (0, None));
}

#[tokio::test]
async fn a_rewritten_file_keeping_only_the_earlier_checkpoints_is_not_intact_and_a_witness_names_the_edit()
 {
    let app = spawn_app().await;
    grow_chain(&app, 60, 20).await;
    // The export happens well after the events, as it would in real life.
    app.clock.advance(PAST_GRACE);
    let file = export(&app).await;
    let key = app.state.signer.verifying_key();
    let before_edit = {
        let report = verify_file(&app, &file, key).await;
        assert_eq!(report.damage, None);
        assert_eq!(report.signed_through, Some(60));
        report
    };
    let head_at_40 = {
        let text = std::fs::read_to_string(&file).expect("read");
        text.lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .find(|v| v["kind"] == "event" && v["seq"] == 40)
            .and_then(|v| v["hash"].as_str().map(str::to_owned))
            .expect("event 40")
    };
    let _ = before_edit;

    rewrite(&file, 30, |cp| cp.seq <= 20);
    let report = verify_file(&app, &file, key).await;
    assert_eq!(kind_and_seq(&report), Some((DamageKind::Unsigned, 21)));
    assert_eq!(report.signed_through, Some(20));

    // With the server's checkpoint file as a witness, the edit is located.
    let witness = Witness {
        checkpoints: checkpoint::read_file(&app.data_dir.join("audit-checkpoints.jsonl")),
        trusted: Vec::new(),
    };
    let report = verify::verify_file(
        &file,
        key,
        &witness,
        integrity::grace_ms(app.state.checkpoint_interval),
        app.clock.now_ms(),
        &mut |_| {},
    )
    .await
    .expect("verify");
    assert_eq!(kind_and_seq(&report), Some((DamageKind::Modified, 21)));
    assert!(report.witness_omitted.contains(&40) && report.witness_omitted.contains(&60));

    // So is it with a head written down by hand.
    let trusted = Witness {
        checkpoints: Vec::new(),
        trusted: vec![TrustedHead::parse(&format!("40:{head_at_40}")).expect("head")],
    };
    let report = verify::verify_file(
        &file,
        key,
        &trusted,
        integrity::grace_ms(app.state.checkpoint_interval),
        app.clock.now_ms(),
        &mut |_| {},
    )
    .await
    .expect("verify");
    assert_eq!(kind_and_seq(&report), Some((DamageKind::Modified, 21)));
}

#[tokio::test]
async fn the_cli_reports_coverage_and_checks_a_witness() {
    let app = spawn_app().await;
    if !app.database_url.starts_with("sqlite") {
        return; // the file path is the same for both databases
    }
    grow_chain(&app, 40, 20).await;
    let file = export(&app).await;
    let key = app.state.signer.public_key_hex();
    let witness = app.data_dir.join("audit-checkpoints.jsonl");
    let run = |file: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_centinela"))
            .args(["verify-audit", "--file"])
            .arg(file)
            .args(["--public-key", &key, "--witness"])
            .arg(&witness)
            .env("CENTINELA_LOG", "error")
            .output()
            .expect("runs")
    };
    let out = run(&file);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("signed:       seq 1 to 40"), "{stdout}");
    assert!(stdout.contains("INTACT"), "{stdout}");

    rewrite(&file, 30, |cp| cp.seq <= 20);
    let out = run(&file);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("DAMAGED") && stdout.contains("the file omits"),
        "{stdout}"
    );
}
