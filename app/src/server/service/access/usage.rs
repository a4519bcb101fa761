//! "Mi uso": a user's own quota, exports, requests, sign-ins and sessions, and ending one
//! of their other sessions.

use super::user_agent;
use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::{audit as audit_repo, exports, sessions};
use crate::server::service::approvals;
use crate::server::service::audit::{self, NewEvent};
use crate::server::service::export::download_url;
use crate::server::service::export::quota;
use crate::server::service::policy::{self, Policy};
use crate::types::audit::{AuditAction, Outcome};
use crate::types::export::{
    ActiveSession, ExportOptions, ExportReceipt, MyUsage, RequestSummary, SignInEntry,
};
use crate::types::{Field, MyQuota};
use serde_json::json;
use sqlx::AnyConnection;

const LIST_LENGTH: i64 = 20;

/// Quota per window and the approval threshold, as of now.
pub async fn my_quota(state: &AppState, caller: &AuthSession) -> Result<MyQuota, AppError> {
    let mut conn = state.db.conn().await?;
    let policy = policy::load(&mut conn, caller.user_id).await?;
    quota_of(&mut conn, &policy, caller.user_id, state.clock.now_ms()).await
}

/// What the export form may offer the caller, with their current quota: one policy load
/// serves both.
pub async fn export_options(
    state: &AppState,
    caller: &AuthSession,
) -> Result<ExportOptions, AppError> {
    let mut conn = state.db.conn().await?;
    let policy = policy::load(&mut conn, caller.user_id).await?;
    let now = state.clock.now_ms();
    let quota = quota_of(&mut conn, &policy, caller.user_id, now).await?;
    let approval_route =
        approvals::route::preview(&mut conn, caller.user_id, policy.second_approval).await?;
    let campaigns = match policy.required_purpose {
        Some(policy::Purpose::Campaign) => approvals::campaigns::running(&mut conn, now).await?,
        _ => Vec::new(),
    };
    Ok(ExportOptions {
        certified: policy.certified_until.is_some_and(|until| until > now),
        exportable: policy.exportable,
        required_purpose: policy.required_purpose.map(|p| p.code().to_owned()),
        quota,
        approval_route,
        campaigns,
    })
}

pub(super) async fn quota_of(
    conn: &mut AnyConnection,
    policy: &Policy,
    user_id: i64,
    now: i64,
) -> Result<MyQuota, AppError> {
    let snapshot = exports::snapshot(conn, user_id, quota::window_starts(now), false).await?;
    let usage = quota::usage(&snapshot);
    Ok(MyQuota {
        windows: quota::window_quotas(&policy.limits, &usage),
        approval_threshold: policy.limits.approval_threshold,
    })
}

/// The user's latest exports with their receipts; with `links_at`, the one-time download
/// link of each still usable then (only ever for their owner).
pub(super) async fn exports_of(
    conn: &mut AnyConnection,
    user_id: i64,
    limit: i64,
    links_at: Option<i64>,
) -> Result<Vec<ExportReceipt>, AppError> {
    Ok(exports::recent_exports(conn, user_id, limit)
        .await?
        .into_iter()
        .map(|e| {
            let usable =
                links_at.is_some_and(|now| e.downloaded_at.is_none() && now < e.expires_at);
            let fields: Vec<String> = serde_json::from_str(&e.fields).unwrap_or_default();
            ExportReceipt {
                download_url: usable.then(|| download_url(&e.id)),
                export_id: e.id,
                receipt: e.receipt,
                created_at: e.created_at,
                count: e.count,
                fields: fields.iter().filter_map(|f| Field::from_code(f)).collect(),
                format: e.format,
                sha256: e.sha256,
                expires_at: e.expires_at,
                downloaded_at: e.downloaded_at,
            }
        })
        .collect())
}

/// The user's latest sign-in attempts.
pub(super) async fn sign_ins_of(
    conn: &mut AnyConnection,
    user_id: i64,
    limit: i64,
) -> Result<Vec<SignInEntry>, AppError> {
    Ok(audit_repo::sign_in_history(conn, user_id, limit)
        .await?
        .into_iter()
        .map(|e| SignInEntry {
            at: e.created_at,
            success: e.action == AuditAction::SignIn.code(),
            ip: e.ip,
            browser: e.ua_browser,
            os: e.ua_os,
            device: e.ua_device,
        })
        .collect())
}

pub async fn my_usage(state: &AppState, caller: &AuthSession) -> Result<MyUsage, AppError> {
    let now = state.clock.now_ms();
    let mut conn = state.db.conn().await?;
    let policy = policy::load(&mut conn, caller.user_id).await?;
    let quota = quota_of(&mut conn, &policy, caller.user_id, now).await?;
    let exports = exports_of(&mut conn, caller.user_id, LIST_LENGTH, Some(now)).await?;
    let requests = exports::recent_requests(&mut conn, caller.user_id, LIST_LENGTH)
        .await?
        .into_iter()
        .map(|r| RequestSummary {
            reason: Notice::from_stored(&r.reason_code, &r.reason),
            id: r.id,
            created_at: r.created_at,
            status: r.status,
            count: r.count,
            approver: r.approver,
        })
        .collect();
    let sign_ins = sign_ins_of(&mut conn, caller.user_id, LIST_LENGTH).await?;
    let idle = i64::try_from(state.sessions.idle_timeout.as_millis()).unwrap_or(i64::MAX);
    let sessions = sessions::open_for_user(&mut conn, caller.user_id, now - idle)
        .await?
        .into_iter()
        .map(|s| {
            let ua = user_agent::parse(&s.user_agent);
            ActiveSession {
                current: s.id == caller.session_id,
                id: s.id,
                started_at: s.created_at,
                last_seen_at: s.last_seen_at,
                ip: s.ip,
                browser: ua.browser,
                os: ua.os,
                device: ua.device,
            }
        })
        .collect();
    Ok(MyUsage {
        quota,
        exports,
        requests,
        sign_ins,
        sessions,
    })
}

/// Ends one of the caller's other sessions (for example a forgotten one on another
/// computer); audited. The current session ends with "Cerrar sesión" instead.
pub async fn end_other_session(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    session_id: &str,
) -> Result<(), AppError> {
    if session_id == caller.session_id {
        return Err(AppError::validation("session_id", Notice::CurrentSession));
    }
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let owned = sessions::find(&mut tx, session_id)
        .await?
        .filter(|s| s.user_id == caller.user_id)
        .ok_or(AppError::NotFound)?;
    if sessions::end(&mut tx, &owned.id, now, "revoked_by_user").await? {
        let event = NewEvent::new(AuditAction::SessionRevoked, Outcome::Success)
            .actor(Some(caller.user_id), &caller.username)
            .target("session", &owned.id)
            .meta(meta)
            .details(json!({ "by": "owner", "ip": owned.ip }));
        audit::append(&mut tx, now, event).await?;
    }
    tx.commit().await?;
    Ok(())
}
