//! The audit chain's rows and head.

use crate::server::Backend;
use sqlx::AnyConnection;

/// One stored audit event, exactly as hashed (see `service::audit::canonical_bytes`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditRow {
    pub seq: i64,
    pub created_at: i64,
    pub actor_id: Option<i64>,
    pub actor_username: Option<String>,
    pub action: String,
    pub module: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub outcome: String,
    pub severity: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub ua_browser: Option<String>,
    pub ua_os: Option<String>,
    pub ua_device: Option<String>,
    pub session_id: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub details_json: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// Reads the chain head and, on PostgreSQL, locks it until the transaction ends, so that
/// concurrent appends queue up (SQLite's immediate transaction already serialises them).
pub async fn lock_head(conn: &mut AnyConnection) -> Result<(i64, String), sqlx::Error> {
    let sql = match Backend::of(conn) {
        Backend::Sqlite => "select seq, hash from audit_head where id = 1",
        Backend::Postgres => "select seq, hash from audit_head where id = 1 for update",
    };
    sqlx::query_as(sql).fetch_one(conn).await
}

pub async fn set_head(
    conn: &mut AnyConnection,
    seq: i64,
    hash: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("update audit_head set seq = $1, hash = $2, created_at = $3 where id = 1")
        .bind(seq)
        .bind(hash)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_event(conn: &mut AnyConnection, row: &AuditRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into audit_event (seq, created_at, actor_id, actor_username, action, module, \
         target_type, target_id, outcome, severity, ip, user_agent, ua_browser, ua_os, ua_device, \
         session_id, before_json, after_json, details_json, prev_hash, hash) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $19, $20, $21)",
    )
    .bind(row.seq)
    .bind(row.created_at)
    .bind(row.actor_id)
    .bind(&row.actor_username)
    .bind(&row.action)
    .bind(&row.module)
    .bind(&row.target_type)
    .bind(&row.target_id)
    .bind(&row.outcome)
    .bind(&row.severity)
    .bind(&row.ip)
    .bind(&row.user_agent)
    .bind(&row.ua_browser)
    .bind(&row.ua_os)
    .bind(&row.ua_device)
    .bind(&row.session_id)
    .bind(&row.before_json)
    .bind(&row.after_json)
    .bind(&row.details_json)
    .bind(&row.prev_hash)
    .bind(&row.hash)
    .execute(conn)
    .await?;
    Ok(())
}

/// The most recent events of one action (newest first); tests and the UI use it.
pub async fn latest_by_action(
    conn: &mut AnyConnection,
    action: &str,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as("select * from audit_event where action = $1 order by seq desc limit $2")
        .bind(action)
        .bind(limit)
        .fetch_all(conn)
        .await
}

/// Sign-in attempts on the user's account, newest first.
pub async fn sign_in_history(
    conn: &mut AnyConnection,
    user_id: i64,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as(
        "select * from audit_event where actor_id = $1 and action in ('sign_in', 'sign_in_failed') \
         order by seq desc limit $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}
