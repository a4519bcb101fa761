//! Export requests as approvals see them: who may approve, each decision, the grant, and
//! the people approvals are routed to.

use sqlx::AnyConnection;

/// Someone a request may be routed to.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Person {
    pub id: i64,
    pub username: String,
    pub department: String,
    pub role: String,
    pub status: String,
    pub supervisor_id: Option<i64>,
}

const PERSON: &str = "select id, username, department, role, status, supervisor_id from app_user";

pub async fn person(conn: &mut AnyConnection, id: i64) -> Result<Option<Person>, sqlx::Error> {
    sqlx::query_as(&format!("{PERSON} where id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Active holders of `role` in `department`.
pub async fn holders(
    conn: &mut AnyConnection,
    department: &str,
    role: &str,
) -> Result<Vec<Person>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{PERSON} where department = $1 and role = $2 and status <> 'blocked' order by username"
    ))
    .bind(department)
    .bind(role)
    .fetch_all(conn)
    .await
}

/// Active security administrators.
pub async fn admins(conn: &mut AnyConnection) -> Result<Vec<Person>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{PERSON} where role = 'admin' and status <> 'blocked' order by username"
    ))
    .fetch_all(conn)
    .await
}

/// A request with its requester, as approvals read it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApprovalRow {
    pub id: i64,
    pub user_id: i64,
    pub requester: String,
    pub requester_name: String,
    pub department: String,
    pub role: String,
    pub approver_id: Option<i64>,
    pub status: String,
    pub reason_code: String,
    pub reason: String,
    pub count: i64,
    pub fields: String,
    pub format: String,
    pub justification: String,
    pub campaign: Option<String>,
    pub contact_ids: String,
    pub contacts_digest: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub second_role: Option<String>,
    pub second_mode: Option<String>,
    pub first_by: Option<i64>,
    pub second_by: Option<i64>,
    pub granted_at: Option<i64>,
    pub grant_expires_at: Option<i64>,
    pub export_id: Option<String>,
    pub version: i64,
}

const APPROVAL_ROW: &str = "select r.id, r.user_id, u.username as requester, \
     u.full_name as requester_name, u.department, u.role, r.approver_id, r.status, \
     r.reason_code, r.reason, r.count, r.fields, r.format, r.justification, r.campaign, \
     r.contact_ids, r.contacts_digest, r.created_at, r.expires_at, r.second_role, \
     r.second_mode, r.first_by, r.second_by, r.granted_at, r.grant_expires_at, r.export_id, \
     r.version from export_request r join app_user u on u.id = r.user_id";

pub async fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<ApprovalRow>, sqlx::Error> {
    sqlx::query_as(&format!("{APPROVAL_ROW} where r.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Takes the pending request `id` for a decision: on PostgreSQL its row stays locked until
/// the transaction ends, so a concurrent decision waits and then finds it decided. False
/// when it is not pending (or does not exist).
pub async fn claim_pending(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update export_request set version = version + 1 where id = $1 and status = 'pending'",
    )
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Every pending request, oldest first (they expire within days, so there are few).
pub async fn pending(
    conn: &mut AnyConnection,
    limit: i64,
) -> Result<Vec<ApprovalRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{APPROVAL_ROW} where r.status = 'pending' order by r.created_at, r.id limit $1"
    ))
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Pending requests whose time ran out by `now`.
pub async fn overdue(
    conn: &mut AnyConnection,
    now: i64,
    limit: i64,
) -> Result<Vec<ApprovalRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{APPROVAL_ROW} where r.status = 'pending' and r.expires_at <= $1 \
         order by r.expires_at, r.id limit $2"
    ))
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Requests `approver_id` decided, newest decision first.
pub async fn decided_by(
    conn: &mut AnyConnection,
    approver_id: i64,
    limit: i64,
) -> Result<Vec<ApprovalRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{APPROVAL_ROW} where r.id in (select d.request_id from export_decision d \
         where d.approver_id = $1) order by r.created_at desc, r.id desc limit $2"
    ))
    .bind(approver_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The user's requests, newest first.
pub async fn of_user(
    conn: &mut AnyConnection,
    user_id: i64,
    limit: i64,
) -> Result<Vec<ApprovalRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{APPROVAL_ROW} where r.user_id = $1 order by r.created_at desc, r.id desc limit $2"
    ))
    .bind(user_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// The user's requests other than `except`: (all, approved).
pub async fn history_of(
    conn: &mut AnyConnection,
    user_id: i64,
    except: i64,
) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as(
        "select count(*), coalesce(sum(case when status = 'approved' then 1 else 0 end), 0) \
         from export_request where user_id = $1 and id <> $2",
    )
    .bind(user_id)
    .bind(except)
    .fetch_one(conn)
    .await
}

/// Who must approve a new request (written right after it is inserted).
pub async fn set_route(
    conn: &mut AnyConnection,
    id: i64,
    approver_id: Option<i64>,
    second: Option<(&str, &str)>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update export_request set approver_id = $1, second_role = $2, second_mode = $3 \
         where id = $4",
    )
    .bind(approver_id)
    .bind(second.map(|s| s.0))
    .bind(second.map(|s| s.1))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records who gave each approval so far.
pub async fn set_approvals(
    conn: &mut AnyConnection,
    id: i64,
    first_by: Option<i64>,
    second_by: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query("update export_request set first_by = $1, second_by = $2 where id = $3")
        .bind(first_by)
        .bind(second_by)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends a pending request: `approved` (with its grant's download deadline), `rejected`,
/// `expired` or `cancelled`.
pub async fn close(
    conn: &mut AnyConnection,
    id: i64,
    status: &str,
    now: i64,
    decided_by: Option<i64>,
    comment: Option<&str>,
    grant_expires_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "update export_request set status = $1, decided_at = $2, decided_by = $3, \
         decision_comment = $4, granted_at = case when $1 = 'approved' then $2 else null end, \
         grant_expires_at = $5 where id = $6 and status = 'pending'",
    )
    .bind(status)
    .bind(now)
    .bind(decided_by)
    .bind(comment)
    .bind(grant_expires_at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_decision(
    conn: &mut AnyConnection,
    request_id: i64,
    approver_id: i64,
    decision: &str,
    slot: Option<&str>,
    comment: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into export_decision (request_id, approver_id, decision, slot, comment, \
         created_at) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(request_id)
    .bind(approver_id)
    .bind(decision)
    .bind(slot)
    .bind(comment)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// One decision, with the approver's username.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DecisionRow {
    pub request_id: i64,
    pub approver: String,
    pub decision: String,
    pub comment: Option<String>,
    pub created_at: i64,
}

/// The decisions on the requests `ids`, oldest first.
pub async fn decisions(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> Result<Vec<DecisionRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "select d.request_id, a.username as approver, d.decision, d.comment, d.created_at \
         from export_decision d join app_user a on a.id = d.approver_id \
         where d.request_id in ({}) order by d.created_at, d.id",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(*id);
    }
    query.fetch_all(conn).await
}

/// Binds the approved request to the export it produced: false if it was used already.
pub async fn use_grant(
    conn: &mut AnyConnection,
    id: i64,
    export_id: &str,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "update export_request set export_id = $1 where id = $2 and status = 'approved' \
         and export_id is null",
    )
    .bind(export_id)
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// The receipt of an export and how many contacts it held (shown once a grant was used).
pub async fn receipt_of(
    conn: &mut AnyConnection,
    export_id: &str,
) -> Result<Option<(String, i64)>, sqlx::Error> {
    sqlx::query_as("select receipt, count from export where id = $1")
        .bind(export_id)
        .fetch_optional(conn)
        .await
}
