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
