//! Exports, their files, quota accounts and export requests.

use crate::server::Backend;
use crate::server::batch::{Statement, Value};
use sqlx::AnyConnection;

/// Makes one user's quota decisions queue. On PostgreSQL this creates the user's quota
/// account if needed and locks it until the transaction ends; on SQLite there is nothing to
/// do, because the write transaction already excludes every other writer.
pub async fn lock_quota_account(
    conn: &mut AnyConnection,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    if Backend::of(conn) == Backend::Sqlite {
        return Ok(());
    }
    sqlx::query(
        "insert into quota_account (user_id, total, created_at, updated_at) values ($1, 0, $2, $2) \
         on conflict (user_id) do nothing",
    )
    .bind(user_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("select total from quota_account where user_id = $1 for update")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Everything a quota decision reads, in one query: the running total, for each window
/// start the total that had left by then and the first export still inside, and the audit
/// chain's head (an allowed export appends right after it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub total: i64,
    pub left: [i64; 3],
    pub oldest: [Option<i64>; 3],
    pub head_seq: i64,
    pub head_hash: String,
}

/// Reads the snapshot for window starts `starts` (day, week, month). With `lock` on
/// PostgreSQL the chain head stays locked until the transaction ends (the quota account
/// was locked by [`lock_quota_account`]); SQLite's write transaction already excludes others.
pub async fn snapshot(
    conn: &mut AnyConnection,
    user_id: i64,
    starts: [i64; 3],
    lock: bool,
) -> Result<Snapshot, sqlx::Error> {
    let left = |n: usize| {
        format!(
            "coalesce((select cumulative from export where user_id = $1 and created_at <= ${n} \
             order by created_at desc, cumulative desc limit 1), 0)"
        )
    };
    let oldest = |n: usize| {
        format!(
            "(select created_at from export where user_id = $1 and created_at > ${n} \
             order by created_at asc limit 1)"
        )
    };
    let lock = if lock && Backend::of(conn) == Backend::Postgres {
        " for update"
    } else {
        ""
    };
    let sql = format!(
        "select coalesce((select total from quota_account where user_id = $1), 0), {}, {}, {}, \
         {}, {}, {}, h.seq, h.hash from audit_head h where h.id = 1{lock}",
        left(2),
        left(3),
        left(4),
        oldest(2),
        oldest(3),
        oldest(4)
    );
    type Row = (
        i64,
        i64,
        i64,
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        i64,
        String,
    );
    let r: Row = sqlx::query_as(&sql)
        .bind(user_id)
        .bind(starts[0])
        .bind(starts[1])
        .bind(starts[2])
        .fetch_one(conn)
        .await?;
    Ok(Snapshot {
        total: r.0,
        left: [r.1, r.2, r.3],
        oldest: [r.4, r.5, r.6],
        head_seq: r.7,
        head_hash: r.8,
    })
}

/// Sets the user's running total after an export (creating the account the first time).
pub fn set_quota_total_statement(user_id: i64, total: i64, now: i64) -> Statement {
    Statement {
        sql: "insert into quota_account (user_id, total, created_at, updated_at) values ($1, $2, $3, $3) \
              on conflict (user_id) do update set total = excluded.total, updated_at = excluded.updated_at",
        values: vec![user_id.into(), total.into(), now.into()],
    }
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

pub fn insert_export_statement(e: &ExportRow) -> Statement {
    Statement {
        sql: "insert into export (id, receipt, user_id, request_id, count, cumulative, fields, format, \
              justification, campaign, contacts_digest, sha256, size_bytes, ip, user_agent, session_id, \
              expires_at, downloaded_at, created_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
              $11, $12, $13, $14, $15, $16, $17, $18, $19)",
        values: vec![
            (&e.id).into(),
            (&e.receipt).into(),
            e.user_id.into(),
            e.request_id.into(),
            e.count.into(),
            e.cumulative.into(),
            (&e.fields).into(),
            (&e.format).into(),
            (&e.justification).into(),
            (&e.campaign).into(),
            (&e.contacts_digest).into(),
            (&e.sha256).into(),
            e.size_bytes.into(),
            (&e.ip).into(),
            (&e.user_agent).into(),
            (&e.session_id).into(),
            e.expires_at.into(),
            e.downloaded_at.into(),
            e.created_at.into(),
        ],
    }
}

pub fn insert_file_statement(export_id: &str, content: Vec<u8>, now: i64) -> Statement {
    Statement {
        sql: "insert into export_file (export_id, content, created_at) values ($1, $2, $3)",
        values: vec![export_id.into(), Value::Bytes(content), now.into()],
    }
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

/// One of a user's requests as "Mi uso" lists it. `reason` is the stored notice (JSON).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RequestListed {
    pub id: i64,
    pub created_at: i64,
    pub status: String,
    pub count: i64,
    pub reason_code: String,
    pub reason: String,
    pub approver: Option<String>,
}

/// The user's requests (newest first) with the approver's username.
pub async fn recent_requests(
    conn: &mut AnyConnection,
    user_id: i64,
    limit: i64,
) -> Result<Vec<RequestListed>, sqlx::Error> {
    sqlx::query_as(
        "select r.id, r.created_at, r.status, r.count, r.reason_code, r.reason, \
         a.username as approver from export_request r \
         left join app_user a on a.id = r.approver_id where r.user_id = $1 \
         order by r.created_at desc, r.id desc limit $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}
