//! Archived segments of the chain (`audit_archive`).

use sqlx::AnyConnection;

/// An archived segment of the chain.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ArchiveRow {
    pub file_name: String,
    pub first_seq: i64,
    pub last_seq: i64,
    pub last_hash: String,
    pub sha256: String,
    pub event_count: i64,
    pub created_at: i64,
}

pub async fn insert_archive(conn: &mut AnyConnection, a: &ArchiveRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into audit_archive (file_name, first_seq, last_seq, last_hash, sha256, event_count, \
         created_at) values ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&a.file_name)
    .bind(a.first_seq)
    .bind(a.last_seq)
    .bind(&a.last_hash)
    .bind(&a.sha256)
    .bind(a.event_count)
    .bind(a.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn archives(conn: &mut AnyConnection) -> Result<Vec<ArchiveRow>, sqlx::Error> {
    sqlx::query_as(
        "select file_name, first_seq, last_seq, last_hash, sha256, event_count, created_at \
         from audit_archive order by first_seq",
    )
    .fetch_all(conn)
    .await
}
