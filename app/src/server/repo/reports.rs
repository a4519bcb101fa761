//! What the reports read: a period's exports, export requests and alerts (index ranges on
//! their times, never the whole history).

use sqlx::AnyConnection;

/// One export of the period, with its author.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExportFact {
    pub receipt: String,
    pub username: String,
    pub full_name: String,
    pub department: String,
    pub role: String,
    pub count: i64,
    pub fields: String,
    pub request_id: Option<i64>,
    pub created_at: i64,
}

/// Exports made in `[from, to)`, oldest first.
pub async fn exports_between(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
) -> Result<Vec<ExportFact>, sqlx::Error> {
    sqlx::query_as(
        "select e.receipt, u.username, u.full_name, u.department, u.role, e.count, e.fields, \
         e.request_id, e.created_at from export e join app_user u on u.id = e.user_id \
         where e.created_at >= $1 and e.created_at < $2 order by e.created_at, e.id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await
}

/// Export requests made in `[from, to)`, counted by status.
pub async fn requests_by_status(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select status, cast(count(*) as bigint) from export_request \
         where created_at >= $1 and created_at < $2 group by status",
    )
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await
}

/// Alerts raised in `[from, to)`, counted by kind and state.
pub async fn alerts_by_kind_and_state(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select kind, state, cast(count(*) as bigint) from alert \
         where created_at >= $1 and created_at < $2 group by kind, state order by kind, state",
    )
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await
}

/// When each alert of `[from, to)` was raised, and its severity (the charts' data).
pub async fn alerts_raised_between(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "select created_at, severity from alert where created_at >= $1 and created_at < $2 \
         order by created_at",
    )
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await
}

/// Whether `month`'s report was mailed already.
pub async fn delivered(conn: &mut AnyConnection, month: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> =
        sqlx::query_scalar("select month from report_delivery where month = $1")
            .bind(month)
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

/// When the audit log's earliest event happened (none for an empty log).
pub async fn log_began(conn: &mut AnyConnection) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("select min(created_at) from audit_event")
        .fetch_one(conn)
        .await
}

/// Who receives the monthly report: security administrators who are not blocked and have
/// an e-mail address — (id, address, language).
pub async fn report_recipients(
    conn: &mut AnyConnection,
) -> Result<Vec<(i64, String, Option<String>)>, sqlx::Error> {
    sqlx::query_as(
        "select id, email, locale from app_user where role = 'admin' and status <> 'blocked' \
         and email like '%@%' order by id",
    )
    .fetch_all(conn)
    .await
}

/// Records `month`'s delivery; false when a row was there already (delivered elsewhere).
pub async fn claim_delivery(
    conn: &mut AnyConnection,
    month: &str,
    head_seq: i64,
    recipients: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "insert into report_delivery (month, head_seq, recipients, created_at) \
         values ($1, $2, $3, $4) on conflict (month) do nothing",
    )
    .bind(month)
    .bind(head_seq)
    .bind(recipients)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Audited operations of `[from, to)`, counted by action, outcome and severity.
pub async fn operations_between(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
) -> Result<Vec<(String, String, String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "select action, outcome, severity, cast(count(*) as bigint) from audit_event \
         where created_at >= $1 and created_at < $2 group by action, outcome, severity",
    )
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await
}

/// The last verification of the log before `to`: when, and its outcome.
pub async fn last_check_before(
    conn: &mut AnyConnection,
    to: i64,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "select created_at, outcome from audit_event where action = 'integrity_check' \
         and created_at < $1 order by seq desc limit 1",
    )
    .bind(to)
    .fetch_optional(conn)
    .await
}

/// Checkpoints signed, and tampering signals raised, in `[from, to)`.
pub async fn integrity_marks_between(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
) -> Result<(i64, i64), sqlx::Error> {
    let checkpoints: i64 = sqlx::query_scalar(
        "select cast(count(*) as bigint) from audit_checkpoint \
         where created_at >= $1 and created_at < $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    let signals: i64 = sqlx::query_scalar(
        "select cast(count(*) as bigint) from security_signal where kind = 'TAMPERED_LOG' \
         and created_at >= $1 and created_at < $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(conn)
    .await?;
    Ok((checkpoints, signals))
}
