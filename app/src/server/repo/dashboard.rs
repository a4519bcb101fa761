//! What the security dashboard reads: the alert tally (kept by triggers), and index ranges
//! over a time window — never a scan of every alert or event.

use super::alerts::AlertRow;
use super::audit::AuditRow;
use sqlx::AnyConnection;

/// (state, severity, kind, n) for every combination that holds alerts.
pub async fn tally(
    conn: &mut AnyConnection,
) -> Result<Vec<(String, String, String, i64)>, sqlx::Error> {
    sqlx::query_as("select state, severity, kind, n from alert_tally where n > 0")
        .fetch_all(conn)
        .await
}

/// (created_at, severity, subject_user_id, state) of the alerts raised since `since`.
pub async fn raised_since(
    conn: &mut AnyConnection,
    since: i64,
) -> Result<Vec<(i64, String, Option<i64>, String)>, sqlx::Error> {
    sqlx::query_as(
        "select created_at, severity, subject_user_id, state from alert where created_at >= $1",
    )
    .bind(since)
    .fetch_all(conn)
    .await
}

/// How long each alert closed since `since` took, from first seen to closed (ms).
pub async fn resolution_times(
    conn: &mut AnyConnection,
    since: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("select closed_at - first_seen from alert where closed_at >= $1 order by 1")
        .bind(since)
        .fetch_all(conn)
        .await
}

/// Usernames by id (for the top users).
pub async fn usernames(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(name) =
            sqlx::query_scalar::<_, String>("select username from app_user where id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
        {
            out.push((*id, name));
        }
    }
    Ok(out)
}

/// The latest alerts of `severity`, newest first.
pub async fn latest_of_severity(
    conn: &mut AnyConnection,
    severity: &str,
    limit: i64,
) -> Result<Vec<AlertRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {} from {} where a.severity = $1 order by a.last_seen desc limit $2",
        super::alerts::ALERT_COLUMNS,
        super::alerts::ALERT_FROM
    ))
    .bind(severity)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// (open sessions active since `active_after`, users among them with more than one address).
pub async fn sessions(
    conn: &mut AnyConnection,
    active_after: i64,
) -> Result<(i64, i64), sqlx::Error> {
    let open: i64 = sqlx::query_scalar(
        "select cast(count(*) as bigint) from user_session \
         where ended_at is null and last_seen_at > $1",
    )
    .bind(active_after)
    .fetch_one(&mut *conn)
    .await?;
    let multi: i64 = sqlx::query_scalar(
        "select cast(count(*) as bigint) from (select user_id from user_session \
         where ended_at is null and last_seen_at > $1 group by user_id \
         having count(distinct ip) > 1) m",
    )
    .bind(active_after)
    .fetch_one(conn)
    .await?;
    Ok((open, multi))
}

/// How many events of `action` were written since `since` (a seek on time, then a range on
/// the action's index).
pub async fn count_action_since(
    conn: &mut AnyConnection,
    action: &str,
    since: i64,
) -> Result<i64, sqlx::Error> {
    let first: Option<i64> = sqlx::query_scalar(
        "select seq from audit_event where created_at >= $1 order by created_at, seq limit 1",
    )
    .bind(since)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(first) = first else { return Ok(0) };
    sqlx::query_scalar(
        "select cast(count(*) as bigint) from audit_event where action = $1 and seq >= $2",
    )
    .bind(action)
    .bind(first)
    .fetch_one(conn)
    .await
}

/// (created_at, contacts) of every export since `since`.
pub async fn exports_since(
    conn: &mut AnyConnection,
    since: i64,
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    sqlx::query_as("select created_at, count from export where created_at >= $1")
        .bind(since)
        .fetch_all(conn)
        .await
}

pub async fn pending_requests(conn: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "select cast(count(*) as bigint) from export_request where status = 'pending'",
    )
    .fetch_one(conn)
    .await
}

/// The newest events of the log.
pub async fn latest_events(
    conn: &mut AnyConnection,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as("select * from audit_event order by seq desc limit $1")
        .bind(limit)
        .fetch_all(conn)
        .await
}
