//! The tamper suite: an attacker with database access edits the chain in each of the six
//! ways, at random positions (set CENTINELA_TAMPER_SEED to replay one); the verifier must
//! name the kind and the position.

use crate::audit_chain::{grow_chain, verify};
use crate::helpers::{TestApp, spawn_app};
use app::server::repo::audit::AuditRow;
use app::server::service::audit::event_hash;
use app::types::audit::{DamageKind, VerifyReport};
use rand::{Rng, SeedableRng};

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

fn flip(s: &str) -> String {
    let mut bytes = s.as_bytes().to_vec();
    let i = bytes.len() / 2;
    bytes[i] ^= 1;
    String::from_utf8(bytes).expect("ascii stays utf-8")
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
