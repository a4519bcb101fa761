//! Audit events (`audit_event`), exactly as hashed.

use crate::server::batch::Statement;
use sqlx::AnyConnection;

/// One stored audit event, exactly as hashed (see `service::audit::canonical_bytes`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
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
pub fn insert_event_statement(row: &AuditRow) -> Statement {
    Statement {
        sql: "insert into audit_event (seq, created_at, actor_id, actor_username, action, module, \
              target_type, target_id, outcome, severity, ip, user_agent, ua_browser, ua_os, ua_device, \
              session_id, before_json, after_json, details_json, prev_hash, hash) \
              values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
              $19, $20, $21)",
        values: vec![
            row.seq.into(),
            row.created_at.into(),
            row.actor_id.into(),
            (&row.actor_username).into(),
            (&row.action).into(),
            (&row.module).into(),
            (&row.target_type).into(),
            (&row.target_id).into(),
            (&row.outcome).into(),
            (&row.severity).into(),
            (&row.ip).into(),
            (&row.user_agent).into(),
            (&row.ua_browser).into(),
            (&row.ua_os).into(),
            (&row.ua_device).into(),
            (&row.session_id).into(),
            (&row.before_json).into(),
            (&row.after_json).into(),
            (&row.details_json).into(),
            (&row.prev_hash).into(),
            (&row.hash).into(),
        ],
    }
}

/// The most recent events of one action (newest first); tests and the UI use it.
/// The latest events about one object, newest first (an index seek on the target).
pub async fn about_target(
    conn: &mut AnyConnection,
    target_type: &str,
    target_id: &str,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as(
        "select * from audit_event where target_type = $1 and target_id = $2 \
         order by seq desc limit $3",
    )
    .bind(target_type)
    .bind(target_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

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

/// The seq of the stored event whose hash is `hash`. Hashes are not indexed (appends
/// would pay for it): this scans, and only runs to classify damage the verifier found.
pub async fn seq_of_hash(conn: &mut AnyConnection, hash: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("select seq from audit_event where hash = $1")
        .bind(hash)
        .fetch_optional(conn)
        .await
}

pub async fn event(conn: &mut AnyConnection, seq: i64) -> Result<Option<AuditRow>, sqlx::Error> {
    sqlx::query_as("select * from audit_event where seq = $1")
        .bind(seq)
        .fetch_optional(conn)
        .await
}

/// (first seq, last seq, count) of the events in the database.
pub async fn span(
    conn: &mut AnyConnection,
) -> Result<(Option<i64>, Option<i64>, i64), sqlx::Error> {
    sqlx::query_as(
        "select cast(min(seq) as bigint), cast(max(seq) as bigint), cast(count(*) as bigint) from audit_event",
    )
    .fetch_one(conn)
    .await
}

/// The last event made before `t`.
pub async fn last_seq_before(conn: &mut AnyConnection, t: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("select cast(max(seq) as bigint) from audit_event where created_at < $1")
        .bind(t)
        .fetch_one(conn)
        .await
}

/// Events `from..=to` in order (archiving and exports read in chunks).
pub async fn range(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as("select * from audit_event where seq >= $1 and seq <= $2 order by seq")
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await
}

pub async fn delete_through(conn: &mut AnyConnection, last: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("delete from audit_event where seq <= $1")
        .bind(last)
        .execute(conn)
        .await?
        .rows_affected())
}

/// The newest event of `module` (an index seek on `(module, seq)`).
pub async fn latest_in_module(
    conn: &mut AnyConnection,
    module: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("select max(seq) from audit_event where module = $1")
        .bind(module)
        .fetch_one(conn)
        .await
}
