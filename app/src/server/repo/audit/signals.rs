//! Signals for the detection engine (`security_signal`).

use sqlx::AnyConnection;

/// Records a signal for the detection engine.
pub async fn insert_signal(
    conn: &mut AnyConnection,
    kind: &str,
    severity: &str,
    details: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into security_signal (kind, severity, details, created_at) values ($1, $2, $3, $4)",
    )
    .bind(kind)
    .bind(severity)
    .bind(details)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// How many signals of `kind` were raised since `since`.
pub async fn count_since(
    conn: &mut AnyConnection,
    kind: &str,
    since: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select cast(count(*) as bigint) from security_signal where kind = $1 and created_at >= $2",
    )
    .bind(kind)
    .bind(since)
    .fetch_one(conn)
    .await
}
