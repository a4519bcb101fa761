//! The audit chain: concurrent appends, checkpoints, the canonical encoding as the
//! database builds it, and group commit.

use crate::helpers::{TestApp, spawn_app, spawn_app_after};
use app::server::repo::audit::AuditRow;
use app::server::service::audit::checkpoint::{self, Reason};
use app::server::service::audit::integrity;
use app::server::service::audit::verify;
use app::server::service::audit::{self, NewEvent, canonical, event_hash};
use app::types::audit::{AuditAction, Outcome, VerifyReport};
use serde_json::json;

/// Appends `n` events (in batches) and signs a checkpoint after every `every` events.
pub async fn grow_chain(app: &TestApp, n: i64, every: i64) {
    let mut written = 0;
    while written < n {
        let batch = every.min(n - written);
        let mut tx = app.state.db.begin_write().await.expect("tx");
        for i in 0..batch {
            let event = NewEvent::new(AuditAction::SensitiveDataViewed, Outcome::Success)
                .actor(Some(1), format!("usuario.{}", (written + i) % 7))
                .target("contact", written + i)
                .details(json!({ "field": "passport_number", "n": written + i }));
            audit::append(&mut tx, app.clock.now_ms(), event)
                .await
                .expect("append");
        }
        tx.commit().await.expect("commit");
        written += batch;
        checkpoint::write(&app.state, Reason::Manual)
            .await
            .expect("checkpoint");
    }
}

pub async fn verify(app: &TestApp) -> VerifyReport {
    verify::verify_database(
        &app.state.db,
        app.state.signer.verifying_key(),
        &integrity::locations(&app.state),
        integrity::judgement(&app.state),
        &mut |_| {},
    )
    .await
    .expect("verification runs")
}

#[tokio::test]
async fn fifty_writers_appending_twenty_events_each_leave_one_valid_chain() {
    let app = spawn_app().await;
    let before: i64 = app
        .scalar("select cast(count(*) as bigint) from audit_event")
        .await;
    let writers = (0..50).map(|w| {
        let state = app.state.clone();
        tokio::spawn(async move {
            for i in 0..20 {
                let mut tx = state.db.begin_write().await.expect("tx");
                let event = NewEvent::new(AuditAction::QuizAttempt, Outcome::Success)
                    .actor(Some(w), format!("writer.{w}"))
                    .details(json!({ "i": i }));
                audit::append(&mut tx, state.clock.now_ms(), event)
                    .await
                    .expect("append");
                tx.commit().await.expect("commit");
            }
        })
    });
    for w in futures::future::join_all(writers).await {
        w.expect("writer");
    }
    assert_eq!(
        app.scalar("select cast(count(*) as bigint) from audit_event")
            .await
            - before,
        1000
    );
    assert_eq!(
        app.scalar("select cast(count(distinct prev_hash) as bigint) from audit_event")
            .await,
        app.scalar("select cast(count(*) as bigint) from audit_event")
            .await,
        "no two events share a predecessor: the chain never forked"
    );
    assert_eq!(
        app.scalar("select cast(max(seq) - min(seq) + 1 as bigint) from audit_event")
            .await,
        before + 1000
    );
    checkpoint::write(&app.state, Reason::Manual)
        .await
        .expect("checkpoint");
    let report = verify(&app).await;
    assert_eq!(report.damage, None);
    assert_eq!(report.events as i64, before + 1000);
}

#[tokio::test]
async fn checkpoints_are_signed_stored_copied_outside_and_heartbeat_when_idle() {
    let mut app = spawn_app().await;
    grow_chain(&app, 5, 5).await;
    let first = checkpoint::write(&app.state, Reason::Periodic)
        .await
        .expect("checkpoint");
    assert_eq!(
        first.reason, "heartbeat",
        "nothing new since the last checkpoint"
    );
    assert!(checkpoint::signature_is_valid(
        &app.state.signer.verifying_key(),
        &first
    ));
    let outside = checkpoint::read_file(&app.data_dir.join("audit-checkpoints.jsonl"));
    assert_eq!(outside.last(), Some(&first));
    let key_file = app.data_dir.join("audit-signing.key");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&key_file)
            .expect("key")
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
    let stored = app
        .scalar("select cast(count(*) as bigint) from audit_checkpoint")
        .await;
    app.shut_down().await;
    let after = checkpoint::read_file(&app.data_dir.join("audit-checkpoints.jsonl"));
    assert_eq!(after.last().map(|c| c.reason.as_str()), Some("shutdown"));
    let _ = stored;
}

#[tokio::test]
async fn the_database_builds_exactly_the_canonical_bytes_that_rust_hashes() {
    let app = spawn_app().await;
    let nasty = [
        "",
        "Núñez Peña",
        "😀 emoji",
        "línea\nnueva\r\t\u{1b}[31m",
        "comillas \" ' \\ %_",
        &"x".repeat(5000),
    ];
    let mut tx = app.state.db.begin_write().await.expect("tx");
    for (i, text) in nasty.iter().enumerate() {
        let meta = app::server::context::RequestMeta {
            ip: if i % 2 == 0 {
                String::new()
            } else {
                "2001:db8::1".into()
            },
            user_agent: text.to_string(),
            session_id: (i % 3 == 0).then(|| text.to_string()),
        };
        let mut event = NewEvent::new(AuditAction::PolicyChanged, Outcome::Success)
            .actor((i % 2 == 1).then_some(-7), *text)
            .target(text, i)
            .meta(&meta);
        if i % 2 == 0 {
            event = event.change(json!({ "v": text }), json!(null));
        }
        audit::append(&mut tx, app.clock.now_ms(), event)
            .await
            .expect("append");
    }
    tx.commit().await.expect("commit");
    let rows: Vec<AuditRow> = sqlx::query_as("select * from audit_event order by seq")
        .fetch_all(app.state.db.pool())
        .await
        .expect("rows");
    let mut conn = app.state.db.conn().await.expect("conn");
    let chunk = app::server::repo::audit::chunks::chunk(
        &mut conn,
        canonical::HASHED_FIELDS,
        i64::MIN,
        i64::MAX,
    )
    .await
    .expect("chunk")
    .expect("events");
    let built = canonical::parse_chunk(&chunk).expect("parses");
    assert_eq!(rows.len(), built.len());
    for (row, db) in rows.iter().zip(&built) {
        assert_eq!(
            db.canonical,
            app::server::service::audit::canonical_bytes(row),
            "seq {}",
            row.seq
        );
        assert_eq!(
            (db.seq, &db.prev_hash, &db.hash),
            (row.seq, &row.prev_hash, &row.hash)
        );
        assert_eq!(row.hash, event_hash(row));
    }
    checkpoint::write(&app.state, Reason::Manual)
        .await
        .expect("checkpoint");
    assert_eq!(verify(&app).await.damage, None);
}

#[tokio::test]
async fn a_failing_job_in_a_commit_group_leaves_nothing_and_the_others_commit() {
    use app::server::group_commit::Job;
    use std::sync::Arc;
    let app = spawn_app().await;
    let jobs = (0..12).map(|i| {
        let state = app.state.clone();
        tokio::spawn(async move {
            let job: Job<i64> = Arc::new(move |conn| {
                Box::pin(async move {
                    let event = NewEvent::new(AuditAction::QuizAttempt, Outcome::Success)
                        .actor(Some(i), format!("job.{i}"));
                    let seq = audit::append(conn, 0, event).await?;
                    if i == 3 {
                        return Err(app::AppError::Internal);
                    }
                    Ok(seq)
                })
            });
            state.writes.run(&state.db, job).await
        })
    });
    let results: Vec<_> = futures::future::join_all(jobs)
        .await
        .into_iter()
        .map(|r| r.expect("task"))
        .collect();
    for (i, result) in results.iter().enumerate() {
        assert_eq!(result.is_err(), i == 3, "job {i}: {result:?}");
    }
    let users: Vec<String> = sqlx::query_scalar(
        "select actor_username from audit_event where actor_username like 'job.%'",
    )
    .fetch_all(app.state.db.pool())
    .await
    .expect("rows");
    assert_eq!(users.len(), 11);
    assert!(!users.contains(&"job.3".to_owned()));
    checkpoint::write(&app.state, Reason::Manual)
        .await
        .expect("checkpoint");
    assert_eq!(verify(&app).await.damage, None);
}

/// Migration 0004 rebuilds `audit_event` on SQLite (to drop the unique indexes on the
/// hashes): a chain written before it must come through whole and still verify.
#[tokio::test]
async fn a_chain_written_before_the_hash_index_migration_still_verifies() {
    let app = spawn_app_after(
        async |url| {
            let db = app::server::db::Db::connect(url).await.expect("db");
            let backend = if url.starts_with("sqlite") {
                "sqlite"
            } else {
                "postgres"
            };
            let folder = format!("{}/../migrations/{backend}", env!("CARGO_MANIFEST_DIR"));
            let mut older = sqlx::migrate::Migrator::new(std::path::Path::new(&folder))
                .await
                .expect("migrations");
            older.migrations = older
                .migrations
                .iter()
                .filter(|m| m.version < 4)
                .cloned()
                .collect::<Vec<_>>()
                .into();
            older.run(db.pool()).await.expect("migrations up to 0003");
            let mut tx = db.begin_write().await.expect("tx");
            for i in 0..30 {
                let event = NewEvent::new(AuditAction::SensitiveDataViewed, Outcome::Success)
                    .actor(Some(1), "antes.de.migrar")
                    .target("contact", i)
                    .details(json!({ "n": i }));
                audit::append(&mut tx, 1_700_000_000_000 + i, event)
                    .await
                    .expect("append");
            }
            tx.commit().await.expect("commit");
            db.close().await;
        },
        |_| {},
    )
    .await;
    let kept: i64 = app
        .scalar("select cast(count(*) as bigint) from audit_event where actor_username = 'antes.de.migrar'")
        .await;
    assert_eq!(kept, 30);
    // The old server signed its head before it stopped, as every server does.
    checkpoint::write(&app.state, Reason::Shutdown)
        .await
        .expect("checkpoint");
    let report = verify(&app).await;
    assert_eq!(report.damage, None);
    assert_eq!(report.first_seq, Some(1));
    assert!(report.events >= 30);
}
