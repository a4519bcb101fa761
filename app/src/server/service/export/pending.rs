//! Over a limit: the request is recorded as pending and routed to its approvers.

use super::{Decision, Request};
use crate::error::AppError;
use crate::notice::Notice;
use crate::server::repo::exports::{self, RequestRow};
use crate::server::service::audit::{self, NewEvent};
use crate::types::audit::{AuditAction, Outcome};
use serde_json::json;
use sqlx::AnyConnection;

/// Over a limit: a pending request (the same one again if it was already asked for), routed
/// to its approvers (`service::approvals::route`), who are told; and its audit event.
/// Nothing is debited.
pub(super) async fn record(
    tx: &mut AnyConnection,
    r: &Request,
    now: i64,
    reason: Notice,
) -> Result<Decision, AppError> {
    use crate::server::repo::approvals as requests;
    use crate::server::service::approvals::{self, route};
    let (caller, p, policy) = (&r.caller, &r.prepared, &r.policy);
    let count = p.count();
    let requester = requests::person(tx, caller.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let pending = exports::find_pending_duplicate(
        tx,
        caller.user_id,
        &p.digest,
        &p.fields_json(),
        p.format.code(),
    )
    .await?;
    let (request_id, planned) = match pending {
        Some(id) => {
            let stored = requests::find(tx, id).await?.ok_or(AppError::Internal)?;
            (id, route::of_row(&stored))
        }
        None => {
            let planned = route::route(tx, &requester, count, policy.second_approval).await?;
            let row = RequestRow {
                id: 0,
                user_id: caller.user_id,
                approver_id: planned.first,
                status: "pending".into(),
                reason_code: reason.code().into(),
                reason: reason.to_stored(),
                count,
                fields: p.fields_json(),
                format: p.format.code().into(),
                justification: p.justification.clone(),
                campaign: p.campaign.clone(),
                contact_ids: serde_json::to_string(&p.contact_ids).unwrap_or_default(),
                contacts_digest: p.digest.clone(),
                ip: Some(r.meta.ip.clone()),
                user_agent: Some(r.meta.user_agent.clone()),
                created_at: now,
                expires_at: now + r.state.approvals.request_ttl_ms,
            };
            let id = exports::insert_request(tx, &row).await?;
            let second = planned
                .second
                .as_ref()
                .map(|(role, mode)| (role.as_str(), *mode));
            requests::set_route(tx, id, planned.first, second).await?;
            let stored = requests::find(tx, id).await?.ok_or(AppError::Internal)?;
            let asked = Notice::ApprovalAsked {
                request_id: id,
                requester: caller.username.clone(),
                count,
            };
            for approver in route::pending_approvers(tx, &stored).await? {
                approvals::tell(tx, approver.id, &asked, now).await?;
            }
            (id, planned)
        }
    };
    let shown = route::describe(tx, requester.id, &requester.department, &planned, None).await?;
    let event = NewEvent::new(AuditAction::ExportRequested, Outcome::Denied)
        .actor(Some(caller.user_id), &caller.username)
        .target("export_request", request_id)
        .meta(&r.meta)
        .details(json!({
            "reason_code": reason.code(),
            "count": count,
            "fields": p.fields.iter().map(|f| f.code()).collect::<Vec<_>>(),
            "approver": shown.first,
            "second_approval": shown.second.as_ref().map(|s| s.role.code()),
        }));
    audit::append(tx, now, event).await?;
    Ok(Decision::NeedsApproval {
        request_id,
        reason,
        route: shown,
    })
}
