//! The holes an adversarial review found in the audit log's database, each reproduced as
//! the attacker did it: stripped checkpoints, a forged tail event, a junk row past the head.
//! (Exported files are in `audit_witness`, the export endpoint's in `request_checks`.)

use crate::audit_chain::{grow_chain, verify};
use crate::helpers::{TestApp, spawn_app};
use app::server::repo::audit::AuditRow;
use app::server::service::audit::{GENESIS_HASH, event_hash};
use app::types::audit::{DamageKind, VerifyReport};
use serde_json::Value;
use std::time::Duration;

/// Two checkpoint intervals and a bit: older than this, an unsigned event is damage.
pub(crate) const PAST_GRACE: Duration = Duration::from_secs(2 * 300 + 60);

pub(crate) fn kind_and_seq(report: &VerifyReport) -> Option<(DamageKind, i64)> {
    report.damage.as_ref().map(|d| (d.kind, d.seq))
}

/// Writes a row at `seq` as an attacker with SQL access would (`head` moves the chain head
/// to it too).
async fn forge(app: &TestApp, seq: i64, created_at: i64, head: bool) {
    let (prev_seq, prev_hash): (i64, String) =
        sqlx::query_as("select seq, hash from audit_head where id = 1")
            .fetch_one(app.state.db.pool())
            .await
            .expect("head");
    let mut row = sample(seq, created_at);
    row.prev_hash = if prev_seq == seq - 1 {
        prev_hash
    } else {
        "0".repeat(64)
    };
    row.hash = event_hash(&row);
    sqlx::query(
        "insert into audit_event (seq, created_at, actor_id, actor_username, action, module, \
         outcome, severity, details_json, prev_hash, hash) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(row.seq)
    .bind(row.created_at)
    .bind(row.actor_id)
    .bind(&row.actor_username)
    .bind(&row.action)
    .bind(&row.module)
    .bind(&row.outcome)
    .bind(&row.severity)
    .bind(&row.details_json)
    .bind(&row.prev_hash)
    .bind(&row.hash)
    .execute(app.state.db.pool())
    .await
    .expect("forged row");
    if head {
        sqlx::query("update audit_head set seq = $1, hash = $2 where id = 1")
            .bind(row.seq)
            .bind(&row.hash)
            .execute(app.state.db.pool())
            .await
            .expect("head moved");
    }
}

fn sample(seq: i64, created_at: i64) -> AuditRow {
    AuditRow {
        seq,
        created_at,
        actor_id: Some(1),
        actor_username: Some("admin".into()),
        action: "export_allowed".into(),
        module: "export".into(),
        target_type: None,
        target_id: None,
        outcome: "success".into(),
        severity: "info".into(),
        ip: None,
        user_agent: None,
        ua_browser: None,
        ua_os: None,
        ua_device: None,
        session_id: None,
        before_json: None,
        after_json: None,
        details_json: Some(r#"{"count":0}"#.into()),
        prev_hash: String::new(),
        hash: String::new(),
    }
}

#[tokio::test]
async fn a_forged_event_appended_after_the_newest_checkpoint_is_never_signed_and_turns_to_damage() {
    let app = spawn_app().await;
    grow_chain(&app, 30, 10).await;
    let head = app.scalar("select seq from audit_head where id = 1").await;
    forge(&app, head + 1, app.clock.now_ms(), true).await;
    // The server's head signer runs every second; it does not sign a row it did not write.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let report = verify(&app).await;
    assert_eq!(
        report.damage, None,
        "young: its signature could still be due"
    );
    assert_eq!(
        (report.signed_through, report.unsigned_from),
        (Some(head), Some(head + 1))
    );
    let signed = app
        .scalar("select cast(max(seq) as bigint) from audit_checkpoint")
        .await;
    assert_eq!(signed, head, "the forged head was signed");

    app.clock.advance(PAST_GRACE);
    assert_eq!(
        kind_and_seq(&verify(&app).await),
        Some((DamageKind::Unsigned, head + 1))
    );
}

#[tokio::test]
async fn a_junk_row_past_the_head_is_its_own_damage_and_the_server_fails_closed_with_503() {
    let app = spawn_app().await;
    app.create_user("ventas.ejecutivo", "ventas", "executive")
        .await;
    grow_chain(&app, 10, 10).await;
    let head = app.scalar("select seq from audit_head where id = 1").await;
    let original: Option<String> =
        sqlx::query_scalar("select actor_username from audit_event where seq = 4")
            .fetch_one(app.state.db.pool())
            .await
            .expect("event 4");
    // An event is changed, and a junk row masks it where the next event belongs.
    sqlx::query("update audit_event set actor_username = 'nadie' where seq = 4")
        .execute(app.state.db.pool())
        .await
        .expect("edit");
    forge(&app, head + 1, app.clock.now_ms(), false).await;
    assert_eq!(
        kind_and_seq(&verify(&app).await),
        Some((DamageKind::Modified, 4))
    );

    sqlx::query("update audit_event set actor_username = $1 where seq = 4")
        .bind(original)
        .execute(app.state.db.pool())
        .await
        .expect("undo the edit");
    assert_eq!(
        kind_and_seq(&verify(&app).await),
        Some((DamageKind::PastHead, head + 1))
    );

    // Every audited action now fails closed, with a clear message, and administrators are
    // told.
    let client = app.client();
    let res = app
        .post_login(&client, "ventas.ejecutivo", crate::helpers::PASSWORD)
        .await;
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["code"], "audit_log_needs_attention");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("registro de auditoría")),
        "{body}"
    );
    let signals = app
        .scalar("select cast(count(*) as bigint) from security_signal where kind = 'TAMPERED_LOG'")
        .await;
    assert_eq!(signals, 1);
    assert!(app.whoami(&client).await.is_none(), "nobody was signed in");
}

#[tokio::test]
async fn the_cli_gives_the_verdict_first_even_when_it_cannot_record_its_run() {
    let app = spawn_app().await;
    if !app.database_url.starts_with("sqlite") {
        return; // the CLI path is the same for both; this test drives the SQLite file.
    }
    grow_chain(&app, 10, 10).await;
    let head = app.scalar("select seq from audit_head where id = 1").await;
    sqlx::query("update audit_event set actor_username = 'nadie' where seq = 4")
        .execute(app.state.db.pool())
        .await
        .expect("edit");
    forge(&app, head + 1, app.clock.now_ms(), false).await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_centinela"))
        .arg("verify-audit")
        .env("DATABASE_URL", &app.database_url)
        .env("CENTINELA_DATA_DIR", &app.data_dir)
        .env("CENTINELA_LOG", "error")
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("DAMAGED") && stdout.contains("modified"),
        "{stdout}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("could not be recorded"),
        "the failure to record is a warning after the verdict"
    );
}

#[tokio::test]
async fn a_rewritten_database_stripped_of_its_checkpoints_is_not_intact_and_is_never_re_signed() {
    let app = spawn_app().await;
    grow_chain(&app, 30, 10).await;
    // The attacker rewrites event 5, re-hashes every later event with the documented
    // encoding, moves the head, and deletes every checkpoint, inside and outside.
    let rows: Vec<AuditRow> = sqlx::query_as("select * from audit_event order by seq")
        .fetch_all(app.state.db.pool())
        .await
        .expect("rows");
    let mut prev = GENESIS_HASH.to_owned();
    for mut row in rows {
        if row.seq == 5 {
            row.actor_username = Some("otra.persona".into());
        }
        row.prev_hash = prev.clone();
        row.hash = event_hash(&row);
        prev.clone_from(&row.hash);
        sqlx::query(
            "update audit_event set actor_username = $1, prev_hash = $2, hash = $3 where seq = $4",
        )
        .bind(&row.actor_username)
        .bind(&row.prev_hash)
        .bind(&row.hash)
        .bind(row.seq)
        .execute(app.state.db.pool())
        .await
        .expect("rewrite");
    }
    sqlx::query("update audit_head set hash = $1 where id = 1")
        .bind(&prev)
        .execute(app.state.db.pool())
        .await
        .expect("head");
    sqlx::query("delete from audit_checkpoint")
        .execute(app.state.db.pool())
        .await
        .expect("delete checkpoints");
    std::fs::write(app.data_dir.join("audit-checkpoints.jsonl"), "").expect("empty file");

    let report = verify(&app).await;
    assert_eq!(kind_and_seq(&report), Some((DamageKind::Unsigned, 1)));
    assert_eq!(report.checkpoints, 0);
    // The server's head signer does not sign a head it did not write.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    assert_eq!(
        kind_and_seq(&verify(&app).await),
        Some((DamageKind::Unsigned, 1))
    );
}
