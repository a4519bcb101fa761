//! The chain head (`audit_head`): the last event's seq and hash, one row.

use crate::server::Backend;
use crate::server::batch::Statement;
use sqlx::AnyConnection;

/// Reads the chain head and, on PostgreSQL, locks it until the transaction ends, so that
/// concurrent appends queue up (SQLite's immediate transaction already serialises them).
pub async fn lock_head(conn: &mut AnyConnection) -> Result<(i64, String), sqlx::Error> {
    let sql = match Backend::of(conn) {
        Backend::Sqlite => "select seq, hash from audit_head where id = 1",
        Backend::Postgres => "select seq, hash from audit_head where id = 1 for update",
    };
    sqlx::query_as(sql).fetch_one(conn).await
}

/// Moves the head to `seq`/`hash` (after an append).
pub fn set_head_statement(seq: i64, hash: &str, now: i64) -> Statement {
    Statement {
        sql: "update audit_head set seq = $1, hash = $2, created_at = $3 where id = 1",
        values: vec![seq.into(), hash.into(), now.into()],
    }
}

/// The chain head as recorded, without locking it (verification only reads).
pub async fn current_head(conn: &mut AnyConnection) -> Result<(i64, String), sqlx::Error> {
    sqlx::query_as("select seq, hash from audit_head where id = 1")
        .fetch_one(conn)
        .await
}
