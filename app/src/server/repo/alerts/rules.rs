//! The detection rules (`detection_rule`) and the detection cursor (`detection_cursor`).

use sqlx::AnyConnection;

/// A detection rule as stored (`detection_rule`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RuleRow {
    pub kind: String,
    pub threshold: i64,
    pub window_secs: i64,
    pub severity: String,
    pub enabled: i64,
    pub actions: String,
    pub params: String,
}

pub async fn rules(conn: &mut AnyConnection) -> Result<Vec<RuleRow>, sqlx::Error> {
    sqlx::query_as(
        "select kind, threshold, window_secs, severity, enabled, actions, params \
         from detection_rule order by kind",
    )
    .fetch_all(conn)
    .await
}

pub async fn rule(conn: &mut AnyConnection, kind: &str) -> Result<Option<RuleRow>, sqlx::Error> {
    sqlx::query_as(
        "select kind, threshold, window_secs, severity, enabled, actions, params \
         from detection_rule where kind = $1",
    )
    .bind(kind)
    .fetch_optional(conn)
    .await
}

/// Changes a rule's threshold, window, severity, whether it is enabled, and its responses.
pub async fn update_rule(
    conn: &mut AnyConnection,
    row: &RuleRow,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update detection_rule set threshold = $1, window_secs = $2, severity = $3, enabled = $4, \
         actions = $5, updated_at = $6 where kind = $7",
    )
    .bind(row.threshold)
    .bind(row.window_secs)
    .bind(&row.severity)
    .bind(row.enabled)
    .bind(&row.actions)
    .bind(now)
    .bind(&row.kind)
    .execute(conn)
    .await?;
    Ok(())
}

/// The last event detection has evaluated.
pub async fn cursor(conn: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select last_seq from detection_cursor where id = 1")
        .fetch_one(conn)
        .await
}

/// Moves the cursor from `from` to `to`; false if it is no longer at `from` (another
/// evaluator moved it first, so these events were evaluated already).
pub async fn advance_cursor(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update detection_cursor set last_seq = $1, updated_at = $2 where id = 1 and last_seq = $3",
    )
    .bind(to)
    .bind(now)
    .bind(from)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}
