//! Signed checkpoints (`audit_checkpoint`).

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

/// One signed checkpoint, as stored and as exported (see `service::audit::checkpoint`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Checkpoint {
    pub seq: i64,
    pub head_hash: String,
    pub signature: String,
    pub public_key: String,
    pub reason: String,
    pub created_at: i64,
}

pub async fn insert_checkpoint(
    conn: &mut AnyConnection,
    c: &Checkpoint,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into audit_checkpoint (seq, head_hash, signature, public_key, reason, created_at) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(c.seq)
    .bind(&c.head_hash)
    .bind(&c.signature)
    .bind(&c.public_key)
    .bind(&c.reason)
    .bind(c.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn latest_checkpoint(
    conn: &mut AnyConnection,
) -> Result<Option<Checkpoint>, sqlx::Error> {
    sqlx::query_as(
        "select seq, head_hash, signature, public_key, reason, created_at from audit_checkpoint \
         order by created_at desc, id desc limit 1",
    )
    .fetch_optional(conn)
    .await
}

pub async fn all_checkpoints(conn: &mut AnyConnection) -> Result<Vec<Checkpoint>, sqlx::Error> {
    sqlx::query_as(
        "select seq, head_hash, signature, public_key, reason, created_at from audit_checkpoint \
         order by seq, created_at",
    )
    .fetch_all(conn)
    .await
}
