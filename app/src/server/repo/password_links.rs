//! One-time links to set a password (`password_link`): only the token's SHA-256 is stored.

use sqlx::AnyConnection;

/// Voids the user's unused set-password links.
pub async fn void_password_links(
    conn: &mut AnyConnection,
    user_id: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("update password_link set used_at = $1 where user_id = $2 and used_at is null")
        .bind(now)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn insert_password_link(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: i64,
    purpose: &str,
    created_by: i64,
    expires_at: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into password_link (token_hash, user_id, purpose, created_by, expires_at, \
         created_at) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(purpose)
    .bind(created_by)
    .bind(expires_at)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Uses the link with this token hash, if it is unused and still valid: its user.
pub async fn use_password_link(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "update password_link set used_at = $1 where token_hash = $2 and used_at is null \
         and expires_at > $1 returning user_id",
    )
    .bind(now)
    .bind(token_hash)
    .fetch_optional(conn)
    .await
}
