//! Requests as approvers read them (the inbox) and as requesters read them ("Mi uso").

use super::route;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::AuthSession;
use crate::server::repo::approvals::{self as repo, ApprovalRow, DecisionRow, Person};
use crate::server::repo::{exports, users};
use crate::server::service::export::quota;
use crate::types::approval::{
    ApprovalItem, ApprovalList, ApprovalRoute, DecisionView, MyRequest, MyRequests, RequestState,
    Verdict,
};
use crate::types::field::parse_field_list;
use crate::types::{Department, Role};
use sqlx::AnyConnection;

/// How many requests a list shows.
const LISTED: i64 = 100;

/// The link that downloads an approved request's export, once.
pub fn grant_url(request_id: i64) -> String {
    format!("/requests/{request_id}/download")
}

/// The approvals inbox (`POST /api/approvals`): with `state` `pending` (the default), the
/// requests waiting for the caller's decision; `decided`, every request the caller decided;
/// a final state's name, those of them in that state. Supervisors and above, and anyone
/// with people reporting to them; others get 403.
pub async fn inbox(
    state: &AppState,
    caller: &AuthSession,
    which: Option<&str>,
    l: Locale,
) -> Result<ApprovalList, AppError> {
    let mut conn = state.db.conn().await?;
    let me = repo::person(&mut conn, caller.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if !may_approve(&mut conn, &me).await? {
        return Err(AppError::Forbidden);
    }
    let which = which.map(str::trim).filter(|w| !w.is_empty());
    let rows: Vec<ApprovalRow> = match which {
        None | Some("pending") => repo::pending(&mut conn, 1000)
            .await?
            .into_iter()
            .filter(|r| route::open_slots(r, &me) != route::Slots::default())
            .take(LISTED as usize)
            .collect(),
        Some("decided") => repo::decided_by(&mut conn, me.id, LISTED).await?,
        Some(code) => {
            let wanted = RequestState::from_code(code).ok_or_else(|| {
                AppError::invalid(
                    "state",
                    Notice::UnknownState {
                        value: code.chars().filter(|c| !c.is_control()).take(40).collect(),
                    },
                )
            })?;
            repo::decided_by(&mut conn, me.id, LISTED)
                .await?
                .into_iter()
                .filter(|r| r.status == wanted.code())
                .collect()
        }
    };
    let now = state.clock.now_ms();
    let decisions = repo::decisions(&mut conn, &ids(&rows)).await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        items.push(item(&mut conn, r, &me, &decisions, now, l).await?);
    }
    Ok(ApprovalList { items })
}

/// Approvers: supervisors and above, and anyone someone reports to.
async fn may_approve(conn: &mut AnyConnection, me: &Person) -> Result<bool, AppError> {
    let senior = me
        .role
        .parse::<Role>()
        .is_ok_and(|role| role >= Role::Supervisor);
    if senior {
        return Ok(true);
    }
    Ok(users::find_user(conn, me.id)
        .await?
        .is_some_and(|u| u.reports > 0))
}

fn ids(rows: &[ApprovalRow]) -> Vec<i64> {
    rows.iter().map(|r| r.id).collect()
}

fn decisions_of(all: &[DecisionRow], id: i64) -> Vec<DecisionView> {
    all.iter()
        .filter(|d| d.request_id == id)
        .map(|d| DecisionView {
            approver: d.approver.clone(),
            decision: Verdict::from_code(&d.decision).unwrap_or(Verdict::Reject),
            comment: d.comment.clone(),
            at: d.created_at,
        })
        .collect()
}

/// Who approves `r`, as people read it.
async fn route_of(conn: &mut AnyConnection, r: &ApprovalRow) -> Result<ApprovalRoute, AppError> {
    route::describe(conn, r.user_id, &r.department, &route::of_row(r), None).await
}

fn reason_of(r: &ApprovalRow, l: Locale) -> String {
    Notice::from_stored(&r.reason_code, &r.reason).render(l)
}

async fn item(
    conn: &mut AnyConnection,
    r: ApprovalRow,
    me: &Person,
    decisions: &[DecisionRow],
    now: i64,
    l: Locale,
) -> Result<ApprovalItem, AppError> {
    let snapshot = exports::snapshot(conn, r.user_id, quota::window_starts(now), false).await?;
    let (previous, previous_approved) = repo::history_of(conn, r.user_id, r.id).await?;
    let fields = parse_field_list(&r.fields).unwrap_or_default();
    let (needed, given) = route::progress(&r);
    let slots = route::open_slots(&r, me);
    Ok(ApprovalItem {
        request_id: r.id,
        route: route_of(conn, &r).await?,
        decisions: decisions_of(decisions, r.id),
        reason: reason_of(&r, l),
        may_decide: (slots.first || slots.second) && now < r.expires_at,
        requester: r.requester,
        requester_name: r.requester_name,
        department: r.department.parse().unwrap_or(Department::Ventas),
        role: r.role.parse().unwrap_or(Role::Intern),
        count: r.count,
        sensitive_fields: fields
            .iter()
            .copied()
            .filter(|f| f.class().is_sensitive())
            .collect(),
        fields,
        format: r.format,
        justification: r.justification,
        campaign: r.campaign,
        state: RequestState::from_code(&r.status).unwrap_or(RequestState::Pending),
        approvals_needed: needed,
        approvals_given: given,
        created_at: r.created_at,
        expires_at: r.expires_at,
        used_this_month: snapshot.total - snapshot.left[2],
        previous_requests: previous,
        previous_approved,
    })
}

/// The caller's requests (`POST /api/my_requests`), newest first, each with its approvers,
/// decisions and, while an approved one can be downloaded, its one-time link.
pub async fn mine(
    state: &AppState,
    caller: &AuthSession,
    l: Locale,
) -> Result<MyRequests, AppError> {
    let mut conn = state.db.conn().await?;
    let rows = repo::of_user(&mut conn, caller.user_id, LISTED).await?;
    let decisions = repo::decisions(&mut conn, &ids(&rows)).await?;
    let now = state.clock.now_ms();
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let (needed, given) = route::progress(&r);
        let used = match r.export_id.as_deref() {
            Some(export) => repo::receipt_of(&mut conn, export).await?,
            None => None,
        };
        let downloadable = r.status == "approved"
            && r.export_id.is_none()
            && r.grant_expires_at.is_some_and(|until| now < until);
        items.push(MyRequest {
            request_id: r.id,
            created_at: r.created_at,
            state: RequestState::from_code(&r.status).unwrap_or(RequestState::Pending),
            count: r.count,
            fields: parse_field_list(&r.fields).unwrap_or_default(),
            reason: reason_of(&r, l),
            approvals_needed: needed,
            approvals_given: given,
            route: route_of(&mut conn, &r).await?,
            decisions: decisions_of(&decisions, r.id),
            expires_at: r.expires_at,
            download_url: downloadable.then(|| grant_url(r.id)),
            grant_expires_at: r.grant_expires_at,
            left_out: used.as_ref().map(|(_, count)| r.count - count),
            receipt: used.map(|(receipt, _)| receipt),
            format: r.format,
            justification: r.justification,
            campaign: r.campaign,
        });
    }
    Ok(MyRequests { items })
}
