//! The mail outbox (`mail_outbox`).

use sqlx::AnyConnection;

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMail<'a> {
    pub user_id: Option<i64>,
    pub to_address: &'a str,
    /// What the message says, as data (rendered when it is sent).
    pub params: &'a str,
    pub alert_id: Option<i64>,
    /// A file it carries (`attach`).
    pub attachment_id: Option<i64>,
}

pub async fn enqueue(
    conn: &mut AnyConnection,
    m: &NewMail<'_>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into mail_outbox (user_id, to_address, params, alert_id, attachment_id, status, \
         attempts, next_attempt_at, created_at) values ($1, $2, $3, $4, $5, 'queued', 0, $6, $6)",
    )
    .bind(m.user_id)
    .bind(m.to_address)
    .bind(m.params)
    .bind(m.alert_id)
    .bind(m.attachment_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores a file for messages to carry; its id.
pub async fn attach(
    conn: &mut AnyConnection,
    file: &crate::server::mail::MailFile,
    now: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "insert into mail_attachment (file_name, content_type, body, created_at) \
         values ($1, $2, $3, $4) returning id",
    )
    .bind(&file.file_name)
    .bind(&file.content_type)
    .bind(&file.body)
    .bind(now)
    .fetch_one(conn)
    .await
}

/// The file a message carries.
pub async fn attachment(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<crate::server::mail::MailFile>, sqlx::Error> {
    sqlx::query_as("select file_name, content_type, body from mail_attachment where id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A queued message.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MailRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub to_address: String,
    pub params: String,
    pub attempts: i64,
    pub attachment_id: Option<i64>,
}

/// Messages due for (another) attempt, oldest first.
pub async fn due(
    conn: &mut AnyConnection,
    now: i64,
    limit: i64,
) -> Result<Vec<MailRow>, sqlx::Error> {
    sqlx::query_as(
        "select id, user_id, to_address, params, attempts, attachment_id from mail_outbox \
         where status = 'queued' and next_attempt_at <= $1 order by id limit $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Takes a queued message for sending; false if another sender took it first.
pub async fn claim(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update mail_outbox set status = 'sending', attempts = attempts + 1 \
         where id = $1 and status = 'queued'",
    )
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

pub async fn mark_sent(conn: &mut AnyConnection, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update mail_outbox set status = 'sent', sent_at = $1, last_error = null where id = $2",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Puts a message back in the queue for `next_attempt_at`, or gives up (`failed`).
pub async fn retry_or_fail(
    conn: &mut AnyConnection,
    id: i64,
    next_attempt_at: Option<i64>,
    error: &str,
) -> Result<(), sqlx::Error> {
    let (status, next) = match next_attempt_at {
        Some(at) => ("queued", at),
        None => ("failed", 0),
    };
    sqlx::query(
        "update mail_outbox set status = $1, next_attempt_at = $2, last_error = $3 where id = $4",
    )
    .bind(status)
    .bind(next)
    .bind(error)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Where a user's mail goes.
pub async fn address_of(
    conn: &mut AnyConnection,
    user_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("select email from app_user where id = $1")
        .bind(user_id)
        .fetch_optional(conn)
        .await
}

/// A message as the outbox page lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub to_address: String,
    pub params: String,
    pub status: String,
    pub attempts: i64,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// The newest messages, newest first.
pub async fn recent(conn: &mut AnyConnection, limit: i64) -> Result<Vec<OutboxRow>, sqlx::Error> {
    sqlx::query_as(
        "select id, to_address, params, status, attempts, created_at, sent_at \
         from mail_outbox order by id desc limit $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await
}
