//! Export approvals (SPEC "Export flow" step 4, seed 000's approval flow): a request over a
//! limit waits for its approvers (`route`), who approve or reject it here; the final
//! approval turns it into a single-use grant (`export::grant`); requests expire after
//! `ApprovalPolicy::request_ttl_ms` (a job) or are withdrawn by their requester.
//!
//! Life cycle: `pending` → `approved` (after one or two approvals) | `rejected` | `expired`
//! | `cancelled`; every state but `pending` is final. Each decision is one audit event in
//! the decision's transaction, and the requester and approvers are told of each outcome
//! (in the app and by mail through the outbox).

pub mod campaigns;
pub mod route;
mod views;

pub use views::{grant_url, inbox, mine};

use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::approvals::{self as repo, ApprovalRow};
use crate::server::repo::{alerts as notes, mail};
use crate::server::service::audit::{self, NewEvent};
use crate::types::approval::{Decided, RequestState, Verdict};
use crate::types::audit::{AuditAction, Outcome};
use serde_json::json;
use sqlx::AnyConnection;

/// A rejection states its reason in at least this many characters.
pub const MIN_REASON: usize = 10;
/// Comments and reasons are kept to this many characters.
pub const MAX_COMMENT: usize = 500;

/// Tells `user` `notice`: in the app, and by mail (rendered when sent, in their language).
pub async fn tell(
    tx: &mut AnyConnection,
    user: i64,
    notice: &Notice,
    now: i64,
) -> Result<(), AppError> {
    let params = json!({ "notice": notice }).to_string();
    notes::insert_notice(tx, user, &params, now).await?;
    if let Some(email) = mail::address_of(tx, user).await?
        && email.contains('@')
    {
        let queued = mail::NewMail {
            user_id: Some(user),
            to_address: &email,
            params: &params,
            alert_id: None,
            attachment_id: None,
        };
        mail::enqueue(tx, &queued, now).await?;
    }
    Ok(())
}

/// Tells the approvers of `r` (but `except`) `notice`: everyone who may still approve it
/// and everyone who already did.
async fn tell_approvers(
    tx: &mut AnyConnection,
    r: &ApprovalRow,
    except: Option<i64>,
    notice: &Notice,
    now: i64,
) -> Result<(), AppError> {
    let mut told: Vec<i64> = except.into_iter().collect();
    let pending: Vec<i64> = route::pending_approvers(tx, r)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    for user in pending.into_iter().chain(r.first_by).chain(r.second_by) {
        if user != r.user_id && !told.contains(&user) {
            tell(tx, user, notice, now).await?;
            told.push(user);
        }
    }
    Ok(())
}

/// A comment as typed: trimmed, `None` when empty; refused when too long.
fn comment_of(comment: Option<String>) -> Result<Option<String>, AppError> {
    let comment = comment
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    if comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_COMMENT)
    {
        return Err(AppError::invalid(
            "comment",
            Notice::TooLong { max: MAX_COMMENT },
        ));
    }
    Ok(comment)
}

/// Why `route::approve` said no, as an error: a second approval by the same person is a
/// conflict (409), anything else a refusal (403).
fn refused(notice: Notice) -> AppError {
    match notice {
        Notice::AlreadyApproved => AppError::Conflict(notice),
        other => AppError::Refused(other),
    }
}

fn state_of(r: &ApprovalRow) -> RequestState {
    RequestState::from_code(&r.status).unwrap_or(RequestState::Pending)
}

/// An approver's decision on request `id` (`POST /api/decide_approval`): 403 when the
/// caller is not among its approvers (their own request included), 409 when it is no longer
/// pending, has expired, or already counts the caller's approval. Concurrent decisions
/// queue on the request's row: exactly one ends it.
pub async fn decide(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    id: i64,
    decision: &str,
    comment: Option<String>,
) -> Result<Decided, AppError> {
    let verdict = Verdict::from_code(decision).ok_or(AppError::BadRequest)?;
    let comment = comment_of(comment)?;
    if verdict == Verdict::Reject
        && comment
            .as_ref()
            .is_none_or(|c| c.chars().count() < MIN_REASON)
    {
        return Err(AppError::invalid(
            "comment",
            Notice::ReasonRequired { min: MIN_REASON },
        ));
    }
    let mut tx = state.db.begin_write().await?;
    let now = state.clock.now_ms();
    let me = repo::person(&mut tx, caller.user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let r = repo::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if r.user_id == me.id {
        return Err(AppError::Refused(Notice::OwnRequest));
    }
    if !route::is_approver(&r, &me) {
        return Err(AppError::Refused(Notice::NotAnApprover));
    }
    if !repo::claim_pending(&mut tx, id).await? {
        let state = repo::find(&mut tx, id)
            .await?
            .map_or(state_of(&r), |r| state_of(&r));
        return Err(AppError::Conflict(Notice::RequestClosed { state }));
    }
    // Read again under the claim: a concurrent decision may have changed it.
    let r = repo::find(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if now >= r.expires_at {
        return Err(AppError::Conflict(Notice::RequestExpired));
    }
    let decided = match verdict {
        Verdict::Reject => {
            // Only someone who could still approve may reject (an approval given stays given).
            route::approve(&r, &me).map_err(refused)?;
            reject(&mut tx, &r, caller, meta, comment, now).await?
        }
        Verdict::Approve => {
            let grant_ttl = state.approvals.grant_ttl_ms;
            approve(&mut tx, &r, &me, caller, meta, comment, now, grant_ttl).await?
        }
    };
    tx.commit().await?;
    Ok(decided)
}

async fn reject(
    tx: &mut AnyConnection,
    r: &ApprovalRow,
    caller: &AuthSession,
    meta: &RequestMeta,
    reason: Option<String>,
    now: i64,
) -> Result<Decided, AppError> {
    let reason = reason.unwrap_or_default();
    repo::insert_decision(tx, r.id, caller.user_id, "reject", None, Some(&reason), now).await?;
    repo::close(
        tx,
        r.id,
        "rejected",
        now,
        Some(caller.user_id),
        Some(&reason),
        None,
    )
    .await?;
    let event = NewEvent::new(AuditAction::ExportRejected, Outcome::Success)
        .actor(Some(caller.user_id), &caller.username)
        .target("export_request", r.id)
        .meta(meta)
        .details(json!({
            "requester": r.requester,
            "count": r.count,
            "reason": reason,
        }));
    audit::append(tx, now, event).await?;
    let told = Notice::RequestRejected {
        request_id: r.id,
        by: caller.username.clone(),
        reason,
    };
    tell(tx, r.user_id, &told, now).await?;
    tell_approvers(tx, r, Some(caller.user_id), &told, now).await?;
    let (needed, given) = route::progress(r);
    Ok(Decided {
        request_id: r.id,
        state: RequestState::Rejected,
        approvals_needed: needed,
        approvals_given: given,
    })
}

#[allow(clippy::too_many_arguments)]
async fn approve(
    tx: &mut AnyConnection,
    r: &ApprovalRow,
    me: &repo::Person,
    caller: &AuthSession,
    meta: &RequestMeta,
    comment: Option<String>,
    now: i64,
    grant_ttl_ms: i64,
) -> Result<Decided, AppError> {
    let (first_by, second_by, slot) = route::approve(r, me).map_err(refused)?;
    repo::set_approvals(tx, r.id, first_by, second_by).await?;
    repo::insert_decision(
        tx,
        r.id,
        me.id,
        "approve",
        Some(slot),
        comment.as_deref(),
        now,
    )
    .await?;
    let after = ApprovalRow {
        first_by,
        second_by,
        ..r.clone()
    };
    let (needed, given) = route::progress(&after);
    let granted = given >= needed;
    let until = now + grant_ttl_ms;
    if granted {
        repo::close(
            tx,
            r.id,
            "approved",
            now,
            Some(me.id),
            comment.as_deref(),
            Some(until),
        )
        .await?;
    }
    let event = NewEvent::new(AuditAction::ExportApproved, Outcome::Success)
        .actor(Some(caller.user_id), &caller.username)
        .target("export_request", r.id)
        .meta(meta)
        .details(json!({
            "requester": r.requester,
            "count": r.count,
            "slot": slot,
            "approvals_given": given,
            "approvals_needed": needed,
            "final": granted,
            "grant_expires_at": granted.then_some(until),
            "comment": comment,
        }));
    audit::append(tx, now, event).await?;
    if granted {
        let told = Notice::RequestGranted {
            request_id: r.id,
            count: r.count,
            until,
        };
        tell(tx, r.user_id, &told, now).await?;
        // The approver who gave the other approval hears the outcome too.
        tell_approvers(tx, &after, Some(me.id), &told, now).await?;
    } else {
        let told = Notice::ApprovalGiven {
            request_id: r.id,
            by: caller.username.clone(),
        };
        tell(tx, r.user_id, &told, now).await?;
    }
    Ok(Decided {
        request_id: r.id,
        state: if granted {
            RequestState::Approved
        } else {
            RequestState::Pending
        },
        approvals_needed: needed,
        approvals_given: given,
    })
}

/// The requester withdraws their pending request (audited; its approvers are told).
pub async fn cancel(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    id: i64,
) -> Result<(), AppError> {
    let mut tx = state.db.begin_write().await?;
    let now = state.clock.now_ms();
    let r = repo::find(&mut tx, id)
        .await?
        .filter(|r| r.user_id == caller.user_id)
        .ok_or(AppError::NotFound)?;
    if !repo::claim_pending(&mut tx, id).await? {
        return Err(AppError::Conflict(Notice::RequestClosed {
            state: state_of(&r),
        }));
    }
    repo::close(&mut tx, id, "cancelled", now, None, None, None).await?;
    let event = NewEvent::new(AuditAction::ExportRequestCancelled, Outcome::Success)
        .actor(Some(caller.user_id), &caller.username)
        .target("export_request", id)
        .meta(meta)
        .details(json!({ "count": r.count }));
    audit::append(&mut tx, now, event).await?;
    let told = Notice::RequestWithdrawn {
        request_id: id,
        requester: r.requester.clone(),
    };
    tell_approvers(&mut tx, &r, None, &told, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Expires every pending request whose time ran out (a periodic job): each is one audit
/// event, and the requester and approvers are told. Returns how many expired.
pub async fn expire_overdue(state: &AppState) -> Result<usize, AppError> {
    let mut tx = state.db.begin_write().await?;
    let now = state.clock.now_ms();
    let overdue = repo::overdue(&mut tx, now, 200).await?;
    let mut expired = 0;
    for r in &overdue {
        if !repo::claim_pending(&mut tx, r.id).await? {
            continue;
        }
        repo::close(&mut tx, r.id, "expired", now, None, None, None).await?;
        let event = NewEvent::new(AuditAction::ExportRequestExpired, Outcome::Success)
            .actor(None, "system")
            .target("export_request", r.id)
            .details(json!({
                "requester": r.requester,
                "count": r.count,
                "expires_at": r.expires_at,
            }));
        audit::append(&mut tx, now, event).await?;
        let told = Notice::RequestLapsed { request_id: r.id };
        tell(&mut tx, r.user_id, &told, now).await?;
        tell_approvers(&mut tx, r, None, &told, now).await?;
        expired += 1;
    }
    tx.commit().await?;
    Ok(expired)
}
