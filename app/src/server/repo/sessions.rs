//! Signed-in sessions: which session belongs to which user, from where, and how it ended.

use sqlx::AnyConnection;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub id: String,
    pub user_id: i64,
    pub ip: String,
    pub user_agent: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub ended_at: Option<i64>,
    pub end_reason: Option<String>,
}

/// A session together with what the per-request check needs to know about its user.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionWithUser {
    pub id: String,
    pub user_id: i64,
    pub ip: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub ended_at: Option<i64>,
    pub username: String,
    pub role: String,
    pub status: String,
    pub locked_until: Option<i64>,
}

pub async fn insert_session(conn: &mut AnyConnection, row: &SessionRow) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into user_session (id, user_id, ip, user_agent, created_at, last_seen_at) \
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&row.id)
    .bind(row.user_id)
    .bind(&row.ip)
    .bind(&row.user_agent)
    .bind(row.created_at)
    .bind(row.last_seen_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_with_user(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<SessionWithUser>, sqlx::Error> {
    sqlx::query_as(
        "select s.id, s.user_id, s.ip, s.created_at, s.last_seen_at, s.ended_at, u.username, \
         u.role, u.status, u.locked_until from user_session s join app_user u on u.id = s.user_id \
         where s.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

pub async fn touch(conn: &mut AnyConnection, id: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("update user_session set last_seen_at = $1 where id = $2 and ended_at is null")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends an open session; returns false if it had already ended.
pub async fn end(
    conn: &mut AnyConnection,
    id: &str,
    now: i64,
    reason: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "update user_session set ended_at = $1, end_reason = $2 where id = $3 and ended_at is null",
    )
    .bind(now)
    .bind(reason)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Open sessions idle since before `idle_before` or started before `started_before`.
pub async fn find_expired(
    conn: &mut AnyConnection,
    idle_before: i64,
    started_before: i64,
    limit: i64,
) -> Result<Vec<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "select * from user_session where ended_at is null \
         and (last_seen_at < $1 or created_at < $2) order by last_seen_at limit $3",
    )
    .bind(idle_before)
    .bind(started_before)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The user's sessions that are open and not idle since before `active_after`.
pub async fn open_for_user(
    conn: &mut AnyConnection,
    user_id: i64,
    active_after: i64,
) -> Result<Vec<SessionRow>, sqlx::Error> {
    sqlx::query_as(
        "select * from user_session where user_id = $1 and ended_at is null \
         and last_seen_at > $2 order by created_at desc",
    )
    .bind(user_id)
    .bind(active_after)
    .fetch_all(conn)
    .await
}

pub async fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<SessionRow>, sqlx::Error> {
    sqlx::query_as("select * from user_session where id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}
