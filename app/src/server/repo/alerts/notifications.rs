//! In-app notifications (`notification`).

use sqlx::AnyConnection;

pub async fn insert_notification(
    conn: &mut AnyConnection,
    user_id: i64,
    alert_id: i64,
    params: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into notification (user_id, alert_id, params, created_at) values ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(alert_id)
    .bind(params)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A notification that is not about an alert (training, approvals): `params` holds its
/// `notice`.
pub async fn insert_notice(
    conn: &mut AnyConnection,
    user_id: i64,
    params: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into notification (user_id, alert_id, params, created_at) values ($1, null, $2, $3)",
    )
    .bind(user_id)
    .bind(params)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A notification with its alert.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub alert_id: Option<i64>,
    pub params: String,
    pub read_at: Option<i64>,
    pub created_at: i64,
}

/// The user's notifications, unread first, newest first.
pub async fn notifications(
    conn: &mut AnyConnection,
    user_id: i64,
    limit: i64,
) -> Result<Vec<NotificationRow>, sqlx::Error> {
    sqlx::query_as(
        "select id, alert_id, params, read_at, created_at from notification where user_id = $1 \
         order by (case when read_at is null then 0 else 1 end), created_at desc, id desc limit $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Marks the user's notification `id` read; false if it is not theirs (or does not exist).
pub async fn mark_notification_read(
    conn: &mut AnyConnection,
    user_id: i64,
    id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update notification set read_at = coalesce(read_at, $1) where id = $2 and user_id = $3",
    )
    .bind(now)
    .bind(id)
    .bind(user_id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}
