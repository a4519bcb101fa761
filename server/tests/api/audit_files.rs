//! The audit log beyond the database: exports verified offline, retention archives, the
//! verification started from the UI, and the explorer.

use crate::audit_chain::{grow_chain, verify};
use crate::helpers::spawn_app;
use app::server::service::audit::{archive, checkpoint, files as audit_files, integrity, verify};
use app::types::audit::DamageKind;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::time::Duration;

/// Verifies an exported file as `verify-audit --file` does, with no witness.
pub async fn verify_file(
    app: &crate::helpers::TestApp,
    file: &std::path::Path,
    key: ed25519_dalek::VerifyingKey,
) -> app::types::audit::VerifyReport {
    verify::verify_file(
        file,
        key,
        &verify::Witness::default(),
        integrity::grace_ms(app.state.checkpoint_interval),
        app.clock.now_ms(),
        &mut |_| {},
    )
    .await
    .expect("verify")
}

#[tokio::test]
async fn an_exported_log_verifies_offline_with_only_the_public_key_and_fails_after_a_one_byte_edit()
{
    let app = spawn_app().await;
    grow_chain(&app, 60, 20).await;
    let file = app.data_dir.join("export.jsonl");
    let written = audit_files::export(
        &app.state.db,
        &app.state.signer.public_key_hex(),
        &integrity::locations(&app.state),
        app.clock.now_ms(),
        &file,
    )
    .await
    .expect("export");
    assert_eq!(written, 60);
    let key = app.state.signer.verifying_key();
    let report = verify_file(&app, &file, key).await;
    assert_eq!(report.damage, None);
    assert_eq!(report.events, 60);
    assert!(report.checkpoints >= 3);

    // Another key does not vouch for these checkpoints.
    let stranger = checkpoint::Signer::new([1; 32], None).verifying_key();
    let report = verify_file(&app, &file, stranger).await;
    assert_eq!(
        report.damage.expect("damage").kind,
        DamageKind::BadSignature
    );

    // One byte changed in an event is caught.
    let mut bytes = std::fs::read(&file).expect("read");
    let at = bytes
        .windows(9)
        .rposition(|w| w == b"usuario.3")
        .expect("a name to edit")
        + 8;
    bytes[at] = b'4';
    std::fs::write(&file, &bytes).expect("write");
    let report = verify_file(&app, &file, key).await;
    assert_eq!(report.damage.expect("damage").kind, DamageKind::Modified);
}

#[tokio::test]
async fn the_cli_exports_and_verifies_and_its_exit_code_tells_damage() {
    let app = spawn_app().await;
    if !app.database_url.starts_with("sqlite") {
        return; // the CLI path is the same for both; this test drives the SQLite file.
    }
    grow_chain(&app, 30, 10).await;
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_centinela"))
            .args(args)
            .env("DATABASE_URL", &app.database_url)
            .env("CENTINELA_DATA_DIR", &app.data_dir)
            .env("CENTINELA_LOG", "error")
            .output()
            .expect("runs")
    };
    let key = String::from_utf8(run(&["audit-key"]).stdout)
        .expect("utf-8")
        .trim()
        .to_owned();
    assert_eq!(key, app.state.signer.public_key_hex());
    let out = run(&["verify-audit"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("INTACT"));

    let file = app.data_dir.join("log.jsonl");
    assert!(
        run(&["export-audit", "--out", file.to_str().expect("path")])
            .status
            .success()
    );
    let offline = std::process::Command::new(env!("CARGO_BIN_EXE_centinela"))
        .args([
            "verify-audit",
            "--file",
            file.to_str().expect("path"),
            "--public-key",
            &key,
        ])
        .env("DATABASE_URL", "postgres://nowhere.invalid/none")
        .output()
        .expect("runs");
    assert_eq!(
        offline.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&offline.stdout)
    );

    sqlx::query("delete from audit_event where seq = 12")
        .execute(app.state.db.pool())
        .await
        .expect("delete");
    let out = run(&["verify-audit"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("deleted") && text.contains("first bad seq: 12"),
        "{text}"
    );
    // The failed run is itself recorded, and raises the signal for the detection engine.
    assert_eq!(
        app.scalar(
            "select cast(count(*) as bigint) from security_signal where kind = 'TAMPERED_LOG'"
        )
        .await,
        1,
        "the CLI said: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn archived_segments_keep_the_chain_verifiable_and_damage_in_them_is_found() {
    let app = spawn_app().await;
    grow_chain(&app, 50, 25).await;
    app.clock.advance(Duration::from_secs(40 * 86_400));
    grow_chain(&app, 30, 15).await;
    let segment = archive::archive_older_than(&app.state, 30, &app.state.archive_dir)
        .await
        .expect("archive")
        .expect("a segment");
    assert_eq!((segment.first_seq, segment.last_seq), (1, 50));
    assert!(
        app.scalar("select cast(min(seq) as bigint) from audit_event")
            .await
            > 50
    );
    let report = verify(&app).await;
    assert_eq!(report.damage, None, "{report:?}");
    assert!(
        report.events >= 81,
        "the archive and the database form one chain"
    );

    // Edit one event inside the compressed segment.
    let path = app.state.archive_dir.join(&segment.file_name);
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("open"))
        .read_to_string(&mut text)
        .expect("gunzip");
    let edited = text.replacen("usuario.2", "usuario.9", 1);
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&path).expect("create"),
        flate2::Compression::default(),
    );
    gz.write_all(edited.as_bytes()).expect("write");
    gz.finish().expect("finish");
    assert_eq!(
        verify(&app).await.damage.expect("damage").kind,
        DamageKind::Modified
    );

    // A missing segment is a deletion at its first event.
    std::fs::remove_file(&path).expect("remove");
    let damage = verify(&app).await.damage.expect("damage");
    assert_eq!((damage.kind, damage.seq), (DamageKind::Deleted, 1));
}

async fn admin(app: &crate::helpers::TestApp) -> reqwest::Client {
    app.create_user("admin", "direccion", "admin").await;
    let client = app.client();
    app.login(&client, "admin").await;
    client
}

#[tokio::test]
async fn the_explorer_filters_pages_and_exports_and_is_for_administrators_only() {
    let app = spawn_app().await;
    grow_chain(&app, 130, 65).await;
    let admin = admin(&app).await;
    let (status, page) = app
        .post_json(&admin, "/api/audit_search", &json!({ "filter": {} }))
        .await;
    assert_eq!(status, 200, "{page}");
    let events = page["events"].as_array().expect("events");
    assert_eq!(events.len(), 50);
    let seqs: Vec<i64> = events
        .iter()
        .map(|e| e["seq"].as_i64().expect("seq"))
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first");
    let next = page["next_before"].as_i64().expect("cursor");
    let (_, older) = app
        .post_json(
            &admin,
            "/api/audit_search",
            &json!({ "filter": { "before": next } }),
        )
        .await;
    assert!(
        older["events"]
            .as_array()
            .expect("events")
            .iter()
            .all(|e| e["seq"].as_i64() < Some(next))
    );

    let (_, by_user) = app
        .post_json(
            &admin,
            "/api/audit_search",
            &json!({ "filter": { "user": "usuario.3", "action": "sensitive_data_viewed" } }),
        )
        .await;
    let found = by_user["events"].as_array().expect("events");
    assert!(!found.is_empty());
    assert!(found.iter().all(|e| e["actor_username"] == "usuario.3"));
    let (_, by_target) = app
        .post_json(
            &admin,
            "/api/audit_search",
            &json!({ "filter": { "target_type": "contact", "target_id": "42" } }),
        )
        .await;
    assert_eq!(by_target["events"].as_array().map(Vec::len), Some(1));
    let (status, bad) = app
        .post_json(
            &admin,
            "/api/audit_search",
            &json!({ "filter": { "from": "ayer" } }),
        )
        .await;
    assert_eq!((status, bad["code"].as_str()), (422, Some("validation")));

    let (status, one) = app
        .post_form(&admin, "/api/audit_event", &[("seq", "42")])
        .await;
    assert_eq!(status, 200);
    assert_eq!(one["seq"], 42);

    // CSV of the filtered view: audited, and a newline in a field cannot forge a line.
    sqlx::query("update audit_event set actor_username = $1 where seq = 5")
        .bind("ana\n6,forged")
        .execute(app.state.db.pool())
        .await
        .expect("edit");
    let res = admin
        .get(app.url("/auditoria/export.csv?user=ana%0A6%2Cforged"))
        .send()
        .await
        .expect("csv");
    assert_eq!(res.status(), 200);
    let csv = res.text().await.expect("text");
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.contains("ana\\u{000a}6,forged"));
    assert_eq!(app.audit("audit_exported").await.len(), 1);

    // Everyone else: 403 from every function behind the page, 401 without a session.
    app.create_user("direccion.director", "direccion", "director")
        .await;
    let director = app.client();
    app.login(&director, "direccion.director").await;
    assert_eq!(
        app.post_json(&director, "/api/audit_search", &json!({ "filter": {} }))
            .await
            .0,
        403
    );
    assert_eq!(
        app.post_form(&director, "/api/audit_event", &[("seq", "1")])
            .await
            .0,
        403
    );
    assert_eq!(
        app.post_form(&director, "/api/audit_integrity", &[])
            .await
            .0,
        403
    );
    assert_eq!(
        app.post_form(&director, "/api/verify_audit", &[]).await.0,
        403
    );
    assert_eq!(
        director
            .get(app.url("/auditoria/export.csv"))
            .send()
            .await
            .expect("csv")
            .status(),
        403
    );
    assert_eq!(app.get_page(&director, "/auditoria").await.status(), 403);
    assert_eq!(
        app.post_json(&app.client(), "/api/audit_search", &json!({ "filter": {} }))
            .await
            .0,
        401
    );
}

/// Polls a verification run, as the page does, until it reports.
async fn finished(app: &crate::helpers::TestApp, admin: &reqwest::Client, id: &str) -> Value {
    for _ in 0..200 {
        let status = app
            .post_form(admin, "/api/verify_status", &[("id", id)])
            .await
            .1;
        if !status["report"].is_null() {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("verification {id} did not finish");
}

#[tokio::test]
async fn an_administrator_runs_the_verification_from_the_ui_and_sees_progress_and_result() {
    let app = spawn_app().await;
    grow_chain(&app, 40, 20).await;
    let admin = admin(&app).await;
    let (status, id) = app.post_form(&admin, "/api/verify_audit", &[]).await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_u64().expect("run id").to_string();
    let mut status = finished(&app, &admin, &id).await;
    assert_eq!(status["report"]["damage"], Value::Null, "{status}");
    assert!(status["report"]["events"].as_u64() >= Some(40));
    let runs = app.audit("integrity_check").await;
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].outcome, "success");

    sqlx::query("update audit_event set ip = '6.6.6.6' where seq = 7")
        .execute(app.state.db.pool())
        .await
        .expect("tamper");
    let id = app
        .post_form(&admin, "/api/verify_audit", &[])
        .await
        .1
        .as_u64()
        .expect("id")
        .to_string();
    status = finished(&app, &admin, &id).await;
    assert_eq!(status["report"]["damage"]["kind"], "modified");
    assert_eq!(status["report"]["damage"]["seq"], 7);
    assert_eq!(app.audit("integrity_check").await[0].outcome, "failure");
    assert_eq!(
        app.scalar(
            "select cast(count(*) as bigint) from security_signal where kind = 'TAMPERED_LOG'"
        )
        .await,
        1
    );
}
