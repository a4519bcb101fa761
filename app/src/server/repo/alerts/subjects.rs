//! Who an alert is about and who hears of it, and what the responses change: security
//! signals, administrators, supervisors, suspended exports, blocked users.

use sqlx::AnyConnection;

/// An unconsumed signal (today: TAMPERED_LOG from the verifier and the append guard).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SignalRow {
    pub id: i64,
    pub kind: String,
    pub details: String,
    pub created_at: i64,
}

pub async fn unconsumed_signals(conn: &mut AnyConnection) -> Result<Vec<SignalRow>, sqlx::Error> {
    sqlx::query_as(
        "select id, kind, details, created_at from security_signal \
         where consumed_at is null order by id limit 100",
    )
    .fetch_all(conn)
    .await
}

/// Marks a signal consumed; false if another evaluator consumed it first.
pub async fn consume_signal(
    conn: &mut AnyConnection,
    id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update security_signal set consumed_at = $1 where id = $2 and consumed_at is null",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Active security administrators (they receive security notifications).
pub async fn security_admins(conn: &mut AnyConnection) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "select id from app_user where role = 'admin' and status = 'active' order by id",
    )
    .fetch_all(conn)
    .await
}

/// The user's role and supervisor.
pub async fn role_and_supervisor(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<Option<(String, Option<i64>)>, sqlx::Error> {
    sqlx::query_as("select role, supervisor_id from app_user where id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// Suspends the user's exports (until an administrator lifts it); false if already so.
pub async fn suspend_exports(
    conn: &mut AnyConnection,
    user_id: i64,
    alert_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update app_user set exports_suspended_at = $1, exports_suspended_by_alert = $2 \
         where id = $3 and exports_suspended_at is null",
    )
    .bind(now)
    .bind(alert_id)
    .bind(user_id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Blocks the user (with the reason shown to administrators); false if already blocked.
pub async fn block_user(
    conn: &mut AnyConnection,
    user_id: i64,
    reason: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update app_user set status = 'blocked', blocked_reason = $1, updated_at = $2 \
         where id = $3 and status <> 'blocked'",
    )
    .bind(reason)
    .bind(now)
    .bind(user_id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}
