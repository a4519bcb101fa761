//! The tamper-evident audit log: concurrent appends, checkpoints, and the tamper suite
//! (an attacker with database access edits rows; the verifier names kind and position).

use crate::helpers::{TestApp, spawn_app};
use app::server::repo::audit::AuditRow;
use app::server::service::audit::{self, NewEvent, event_hash};
use app::server::service::audit_files;
use app::server::service::checkpoint::{self, Reason};
use app::server::service::integrity;
use app::types::audit::{AuditAction, DamageKind, Outcome, VerifyReport};
use rand::{Rng, SeedableRng};
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
    audit_files::verify_database(
        &app.state.db,
        app.state.signer.verifying_key(),
        &integrity::locations(&app.state),
        &mut |_| {},
    )
    .await
    .expect("verification runs")
}

fn damage(report: &VerifyReport) -> (DamageKind, i64) {
    let d = report
        .damage
        .as_ref()
        .unwrap_or_else(|| panic!("damage not detected: {report:?}"));
    (d.kind, d.seq)
}

async fn row(app: &TestApp, seq: i64) -> AuditRow {
    sqlx::query_as("select * from audit_event where seq = $1")
        .bind(seq)
        .fetch_one(app.state.db.pool())
        .await
        .expect("row")
}

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql)
        .execute(app.state.db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// Writes every column of `r` over the row at `r.seq` (as an attacker with SQL access).
async fn overwrite(app: &TestApp, r: &AuditRow) {
    sqlx::query(
        "update audit_event set created_at = $1, actor_username = $2, action = $3, details_json = $4, \
         ip = $5, prev_hash = $6, hash = $7 where seq = $8",
    )
    .bind(r.created_at)
    .bind(&r.actor_username)
    .bind(&r.action)
    .bind(&r.details_json)
    .bind(&r.ip)
    .bind(&r.prev_hash)
    .bind(&r.hash)
    .bind(r.seq)
    .execute(app.state.db.pool())
    .await
    .expect("overwrite");
}

fn rng() -> (u64, rand::rngs::StdRng) {
    let seed = std::env::var("CENTINELA_TAMPER_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random::<u64>);
    (seed, rand::rngs::StdRng::seed_from_u64(seed))
}

const N: i64 = 120;
const EVERY: i64 = 20;

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
async fn a_bit_flip_in_any_field_is_reported_as_modified_at_its_position() {
    let (seed, mut rng) = rng();
    for _ in 0..3 {
        let app = spawn_app().await;
        grow_chain(&app, N, EVERY).await;
        let p = rng.gen_range(2..N);
        let mut r = row(&app, p).await;
        match rng.gen_range(0..4) {
            0 => r.actor_username = r.actor_username.map(|u| flip(&u)),
            1 => r.details_json = r.details_json.map(|d| flip(&d)),
            2 => r.created_at ^= 1,
            _ => r.hash = flip(&r.hash),
        }
        overwrite(&app, &r).await;
        assert_eq!(
            damage(&verify(&app).await),
            (DamageKind::Modified, p),
            "seed {seed}"
        );
    }
}

fn flip(s: &str) -> String {
    let mut bytes = s.as_bytes().to_vec();
    let i = bytes.len() / 2;
    bytes[i] ^= 1;
    String::from_utf8(bytes).expect("ascii stays utf-8")
}

#[tokio::test]
async fn a_deleted_row_is_reported_at_its_position() {
    let (seed, mut rng) = rng();
    for _ in 0..3 {
        let app = spawn_app().await;
        grow_chain(&app, N, EVERY).await;
        let p = rng.gen_range(2..N);
        exec(&app, &format!("delete from audit_event where seq = {p}")).await;
        assert_eq!(
            damage(&verify(&app).await),
            (DamageKind::Deleted, p),
            "seed {seed}"
        );
    }
}

#[tokio::test]
async fn a_forged_row_inserted_into_the_chain_is_reported() {
    let (seed, mut rng) = rng();
    for _ in 0..3 {
        let app = spawn_app().await;
        grow_chain(&app, N, EVERY).await;
        let p = rng.gen_range(2..N);
        // Make room at p (two steps: the primary key forbids overlapping renumbering).
        exec(
            &app,
            &format!("update audit_event set seq = -(seq + 1) where seq >= {p}"),
        )
        .await;
        exec(&app, "update audit_event set seq = -seq where seq < 0").await;
        let mut forged = row(&app, p - 1).await;
        forged.seq = p;
        forged.actor_username = Some("intruso".into());
        forged.details_json = Some("{\"note\":\"todo en orden\"}".into());
        forged.prev_hash = format!("{:064x}", rng.r#gen::<u128>());
        forged.hash = event_hash(&forged);
        sqlx::query(
            "insert into audit_event (seq, created_at, actor_username, action, module, outcome, \
             severity, details_json, prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(forged.seq)
        .bind(forged.created_at)
        .bind(&forged.actor_username)
        .bind(&forged.action)
        .bind(&forged.module)
        .bind(&forged.outcome)
        .bind(&forged.severity)
        .bind(&forged.details_json)
        .bind(&forged.prev_hash)
        .bind(&forged.hash)
        .execute(app.state.db.pool())
        .await
        .expect("insert");
        assert_eq!(
            damage(&verify(&app).await),
            (DamageKind::Inserted, p),
            "seed {seed}"
        );
    }
}

#[tokio::test]
async fn two_swapped_rows_are_reported_as_reordered() {
    let (seed, mut rng) = rng();
    for _ in 0..3 {
        let app = spawn_app().await;
        grow_chain(&app, N, EVERY).await;
        let i = rng.gen_range(2..N - 1);
        let j = if rng.gen_bool(0.3) {
            i + 1
        } else {
            rng.gen_range(i + 1..=N)
        };
        exec(
            &app,
            &format!("update audit_event set seq = -1 where seq = {i}"),
        )
        .await;
        exec(
            &app,
            &format!("update audit_event set seq = {i} where seq = {j}"),
        )
        .await;
        exec(
            &app,
            &format!("update audit_event set seq = {j} where seq = -1"),
        )
        .await;
        assert_eq!(
            damage(&verify(&app).await),
            (DamageKind::Reordered, i),
            "seed {seed}, swapped {i} and {j}"
        );
    }
}

#[tokio::test]
async fn a_truncated_tail_is_reported_even_with_the_head_rewound() {
    let (seed, mut rng) = rng();
    for _ in 0..3 {
        let app = spawn_app().await;
        grow_chain(&app, N, EVERY).await;
        let keep = rng.gen_range(N - EVERY..N);
        exec(&app, &format!("delete from audit_event where seq > {keep}")).await;
        let last = row(&app, keep).await;
        sqlx::query("update audit_head set seq = $1, hash = $2 where id = 1")
            .bind(keep)
            .bind(&last.hash)
            .execute(app.state.db.pool())
            .await
            .expect("rewind head");
        assert_eq!(
            damage(&verify(&app).await),
            (DamageKind::Truncated, keep + 1),
            "seed {seed}"
        );
    }
}

#[tokio::test]
async fn a_row_edited_with_every_later_hash_recomputed_is_caught_by_the_signed_checkpoints() {
    let (seed, mut rng) = rng();
    for _ in 0..3 {
        let app = spawn_app().await;
        grow_chain(&app, N, EVERY).await;
        let p = rng.gen_range(2..N);
        let mut prev = row(&app, p - 1).await.hash;
        for seq in p..=N {
            let mut r = row(&app, seq).await;
            if seq == p {
                r.actor_username = Some("otra.persona".into());
            }
            r.prev_hash = prev.clone();
            r.hash = event_hash(&r);
            overwrite(&app, &r).await;
            prev = r.hash;
        }
        sqlx::query("update audit_head set hash = $1 where id = 1")
            .bind(&prev)
            .execute(app.state.db.pool())
            .await
            .expect("head");
        let report = verify(&app).await;
        let (kind, seq) = damage(&report);
        assert_eq!(kind, DamageKind::Modified, "seed {seed}");
        // Located after the last checkpoint that still matches, before the edit.
        let expected = ((p - 1) / EVERY) * EVERY + 1;
        assert_eq!(seq, expected, "seed {seed}, edited {p}");
        assert!(seq <= p && p < seq + EVERY);
    }
}

#[tokio::test]
async fn forged_or_foreign_checkpoints_are_bad_signatures() {
    let app = spawn_app().await;
    grow_chain(&app, 40, 20).await;
    exec(
        &app,
        "update audit_checkpoint set head_hash = 'ab' || substr(head_hash, 3) where seq = 20",
    )
    .await;
    assert_eq!(damage(&verify(&app).await), (DamageKind::BadSignature, 20));
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
    let chunk = app::server::repo::audit_canonical::chunk(&mut conn, i64::MIN, i64::MAX)
        .await
        .expect("chunk")
        .expect("events");
    let built = app::server::repo::audit_canonical::parse_chunk(&chunk).expect("parses");
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
