//! Exports, their files, quota accounts and export requests.

use crate::server::Backend;
use sqlx::AnyConnection;

/// Creates the user's quota account if needed and returns its total, locking the row on
/// PostgreSQL so that one user's decisions queue (SQLite's write transaction already does).
pub async fn lock_quota_account(
    conn: &mut AnyConnection,
    user_id: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "insert into quota_account (user_id, total, created_at, updated_at) values ($1, 0, $2, $2) \
         on conflict (user_id) do nothing",
    )
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let sql = match Backend::of(conn) {
        Backend::Sqlite => "select total from quota_account where user_id = $1",
        Backend::Postgres => "select total from quota_account where user_id = $1 for update",
    };
    sqlx::query_scalar(sql).bind(user_id).fetch_one(conn).await
}

/// The user's running total without locking (0 before their first export).
pub async fn quota_total(conn: &mut AnyConnection, user_id: i64) -> Result<i64, sqlx::Error> {
    Ok(
        sqlx::query_scalar("select total from quota_account where user_id = $1")
            .bind(user_id)
            .fetch_optional(conn)
            .await?
            .unwrap_or(0),
    )
}

pub async fn set_quota_total(
    conn: &mut AnyConnection,
    user_id: i64,
    total: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("update quota_account set total = $1, updated_at = $2 where user_id = $3")
        .bind(total)
        .bind(now)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The running total after the user's last export made at or before `t` (0 if none).
pub async fn cumulative_at_or_before(
    conn: &mut AnyConnection,
    user_id: i64,
    t: i64,
) -> Result<i64, sqlx::Error> {
    Ok(sqlx::query_scalar(
        "select cumulative from export where user_id = $1 and created_at <= $2 \
         order by created_at desc, cumulative desc limit 1",
    )
    .bind(user_id)
    .bind(t)
    .fetch_optional(conn)
    .await?
    .unwrap_or(0))
}

/// When the user's first export after `t` was made.
pub async fn first_created_after(
    conn: &mut AnyConnection,
    user_id: i64,
    t: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "select created_at from export where user_id = $1 and created_at > $2 \
         order by created_at asc limit 1",
    )
    .bind(user_id)
    .bind(t)
    .fetch_optional(conn)
    .await
}

/// When the user's running total first reached `target`.
pub async fn first_reaching(
    conn: &mut AnyConnection,
    user_id: i64,
    target: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "select created_at from export where user_id = $1 and cumulative >= $2 \
         order by cumulative asc limit 1",
    )
    .bind(user_id)
    .bind(target)
    .fetch_optional(conn)
    .await
}

/// An export record as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExportRow {
    pub id: String,
    pub receipt: String,
    pub user_id: i64,
    pub request_id: Option<i64>,
    pub count: i64,
    pub cumulative: i64,
    pub fields: String,
    pub format: String,
    pub justification: String,
    pub campaign: Option<String>,
    pub contacts_digest: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub session_id: Option<String>,
    pub expires_at: i64,
    pub downloaded_at: Option<i64>,
    pub created_at: i64,
}

pub async fn insert_export(conn: &mut AnyConnection, e: &ExportRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into export (id, receipt, user_id, request_id, count, cumulative, fields, format, \
         justification, campaign, contacts_digest, sha256, size_bytes, ip, user_agent, session_id, \
         expires_at, downloaded_at, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         $11, $12, $13, $14, $15, $16, $17, $18, $19)",
    )
    .bind(&e.id)
    .bind(&e.receipt)
    .bind(e.user_id)
    .bind(e.request_id)
    .bind(e.count)
    .bind(e.cumulative)
    .bind(&e.fields)
    .bind(&e.format)
    .bind(&e.justification)
    .bind(&e.campaign)
    .bind(&e.contacts_digest)
    .bind(&e.sha256)
    .bind(e.size_bytes)
    .bind(&e.ip)
    .bind(&e.user_agent)
    .bind(&e.session_id)
    .bind(e.expires_at)
    .bind(e.downloaded_at)
    .bind(e.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_file(
    conn: &mut AnyConnection,
    export_id: &str,
    content: &[u8],
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("insert into export_file (export_id, content, created_at) values ($1, $2, $3)")
        .bind(export_id)
        .bind(content.to_vec())
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// The export `id` if it belongs to `user_id`.
pub async fn find_owned(
    conn: &mut AnyConnection,
    id: &str,
    user_id: i64,
) -> Result<Option<ExportRow>, sqlx::Error> {
    sqlx::query_as("select * from export where id = $1 and user_id = $2")
        .bind(id)
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// Marks the export downloaded and hands over its file, which is deleted: usable once.
pub async fn take_file(
    conn: &mut AnyConnection,
    id: &str,
    now: i64,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let claimed =
        sqlx::query("update export set downloaded_at = $1 where id = $2 and downloaded_at is null")
            .bind(now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    if claimed.rows_affected() != 1 {
        return Ok(None);
    }
    let content: Option<Vec<u8>> =
        sqlx::query_scalar("select content from export_file where export_id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    sqlx::query("delete from export_file where export_id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(content)
}

/// Deletes files whose links expired without being used.
pub async fn delete_expired_files(conn: &mut AnyConnection, now: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "delete from export_file where export_id in (select id from export where expires_at < $1)",
    )
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected())
}

pub async fn recent_exports(
    conn: &mut AnyConnection,
    user_id: i64,
    limit: i64,
) -> Result<Vec<ExportRow>, sqlx::Error> {
    sqlx::query_as(
        "select * from export where user_id = $1 order by created_at desc, cumulative desc limit $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// A request waiting for (or past) a decision.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub user_id: i64,
    pub approver_id: Option<i64>,
    pub status: String,
    pub reason_code: String,
    pub reason: String,
    pub count: i64,
    pub fields: String,
    pub format: String,
    pub justification: String,
    pub campaign: Option<String>,
    pub contact_ids: String,
    pub contacts_digest: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
}

/// A pending request of the user for exactly the same contacts, fields and format.
pub async fn find_pending_duplicate(
    conn: &mut AnyConnection,
    user_id: i64,
    digest: &str,
    fields: &str,
    format: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "select id from export_request where user_id = $1 and status = 'pending' \
         and contacts_digest = $2 and fields = $3 and format = $4 order by id limit 1",
    )
    .bind(user_id)
    .bind(digest)
    .bind(fields)
    .bind(format)
    .fetch_optional(conn)
    .await
}

pub async fn insert_request(conn: &mut AnyConnection, r: &RequestRow) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "insert into export_request (user_id, approver_id, status, reason_code, reason, count, \
         fields, format, justification, campaign, contact_ids, contacts_digest, ip, user_agent, \
         created_at, expires_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         $14, $15, $16) returning id",
    )
    .bind(r.user_id)
    .bind(r.approver_id)
    .bind(&r.status)
    .bind(&r.reason_code)
    .bind(&r.reason)
    .bind(r.count)
    .bind(&r.fields)
    .bind(&r.format)
    .bind(&r.justification)
    .bind(&r.campaign)
    .bind(&r.contact_ids)
    .bind(&r.contacts_digest)
    .bind(&r.ip)
    .bind(&r.user_agent)
    .bind(r.created_at)
    .bind(r.expires_at)
    .fetch_one(conn)
    .await
}

/// The user's requests (newest first) with the approver's username.
pub async fn recent_requests(
    conn: &mut AnyConnection,
    user_id: i64,
    limit: i64,
) -> Result<Vec<(i64, i64, String, i64, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "select r.id, r.created_at, r.status, r.count, r.reason, a.username from export_request r \
         left join app_user a on a.id = r.approver_id where r.user_id = $1 \
         order by r.created_at desc, r.id desc limit $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}
