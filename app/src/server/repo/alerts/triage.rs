//! What triage writes on an alert (its state, its assignee, its comment count) and reads
//! around it (its history and timeline in the audit log).

use super::{ALERT_COLUMNS, ALERT_FROM, AlertRow};
use crate::server::repo::audit::AuditRow;
use sqlx::AnyConnection;

/// One alert by id.
pub async fn alert(conn: &mut AnyConnection, id: i64) -> Result<Option<AlertRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "select {ALERT_COLUMNS} from {ALERT_FROM} where a.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Moves the alert to `state` if it is still at `version`; false if someone changed it.
pub async fn move_alert(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    state: &str,
    closed_at: Option<i64>,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update alert set state = $1, closed_at = $2, version = version + 1 \
         where id = $3 and version = $4",
    )
    .bind(state)
    .bind(closed_at)
    .bind(id)
    .bind(version)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Assigns the alert if it is still at `version`; false if someone changed it.
pub async fn assign_alert(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    assignee: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update alert set assignee_id = $1, version = version + 1 where id = $2 and version = $3",
    )
    .bind(assignee)
    .bind(id)
    .bind(version)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Counts one more comment (comments never conflict with a transition: no version bump).
pub async fn count_comment(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    Ok(
        sqlx::query("update alert set comments = comments + 1 where id = $1")
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected()
            == 1,
    )
}

/// The open alert of `kind` about `subject_key` other than `id`, if any.
pub async fn other_open(
    conn: &mut AnyConnection,
    id: i64,
    kind: &str,
    subject_key: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "select id from alert where kind = $1 and subject_key = $2 and id <> $3 \
         and state in ('NUEVA', 'EN_REVISION')",
    )
    .bind(kind)
    .bind(subject_key)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// The audit events about one object, oldest first (an index seek on the target).
pub async fn events_about(
    conn: &mut AnyConnection,
    target_type: &str,
    target_id: &str,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as(
        "select * from audit_event where target_type = $1 and target_id = $2 \
         order by seq limit $3",
    )
    .bind(target_type)
    .bind(target_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The actor's events between two sequence numbers (inclusive), oldest first.
pub async fn actor_events_between(
    conn: &mut AnyConnection,
    actor_id: i64,
    from: i64,
    to: i64,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as(
        "select * from audit_event where actor_id = $1 and seq >= $2 and seq <= $3 \
         order by seq limit $4",
    )
    .bind(actor_id)
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Events by sequence number (those that triggered an alert), oldest first.
pub async fn events_at(
    conn: &mut AnyConnection,
    seqs: &[i64],
) -> Result<Vec<AuditRow>, sqlx::Error> {
    let mut rows = Vec::with_capacity(seqs.len());
    for seq in seqs {
        if let Some(row) = sqlx::query_as("select * from audit_event where seq = $1")
            .bind(seq)
            .fetch_optional(&mut *conn)
            .await?
        {
            rows.push(row);
        }
    }
    Ok(rows)
}

/// The id of `username` if they are an active security administrator.
pub async fn active_admin_id(
    conn: &mut AnyConnection,
    username: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "select id from app_user where username = $1 and role = 'admin' and status = 'active'",
    )
    .bind(username)
    .fetch_optional(conn)
    .await
}

/// Records the subject's answer (and the severity it leaves) if the alert is still at
/// `version` and unanswered; false otherwise.
pub async fn answer_alert(
    conn: &mut AnyConnection,
    id: i64,
    version: i64,
    answer: &str,
    severity: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update alert set owner_answer = $1, answered_at = $2, severity = $3, \
         version = version + 1 where id = $4 and version = $5 and owner_answer is null",
    )
    .bind(answer)
    .bind(now)
    .bind(severity)
    .bind(id)
    .bind(version)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}
