//! What a security administrator does to an account while investigating (the alert page's
//! buttons): block it (which ends its sessions), unblock it, end a temporary sign-in lock,
//! end all its sessions, lift an export suspension. Each needs a reason, is checked on the server (not on one's own
//! account; never the last active administrator) and is one audit event with before and
//! after, in the same transaction as the change. Done from an alert, the event names it,
//! and the alert's history shows it.

use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::{sessions, users};
use crate::server::service::audit::{self, NewEvent};
use crate::types::audit::{AuditAction, Outcome, Severity};
use crate::types::session::AccountAction;
use crate::types::triage::{SubjectSession, SubjectView};
use serde_json::json;

/// The shortest and longest reason an action takes.
pub use crate::types::triage::MIN_NOTE_CHARS as MIN_REASON_CHARS;
pub const MAX_REASON_CHARS: usize = 1000;

/// One action on one account.
#[derive(Debug, Clone)]
pub struct Request {
    pub username: String,
    pub action: String,
    pub reason: String,
    /// The alert it is taken from, if any.
    pub alert_id: Option<i64>,
    /// With `end_sessions`: end only this session (its `handle`), not all of them.
    pub session: Option<String>,
}

/// The public name of a session: a prefix of its id's SHA-256 (the id itself is a secret).
pub fn session_handle(id: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(id.as_bytes()))[..16].to_owned()
}

pub fn reason(text: &str) -> Result<String, AppError> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars < MIN_REASON_CHARS {
        return Err(AppError::invalid(
            "reason",
            Notice::ReasonRequired {
                min: MIN_REASON_CHARS,
            },
        ));
    }
    if chars > MAX_REASON_CHARS {
        return Err(AppError::invalid(
            "reason",
            Notice::TooLong {
                max: MAX_REASON_CHARS,
            },
        ));
    }
    Ok(text.to_owned())
}

/// Carries out `request` (`POST /api/user_action`).
pub async fn act(
    state: &AppState,
    admin: &AuthSession,
    meta: &RequestMeta,
    request: Request,
) -> Result<(), AppError> {
    let action = AccountAction::from_code(request.action.trim()).ok_or_else(|| {
        AppError::invalid(
            "action",
            Notice::UnknownValue {
                value: request
                    .action
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(40)
                    .collect(),
            },
        )
    })?;
    let why = reason(&request.reason)?;
    let username = request.username.trim().to_lowercase();
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let account = users::account_by_username(&mut tx, &username)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(alert) = request.alert_id
        && crate::server::repo::alerts::alert(&mut tx, alert)
            .await?
            .is_none()
    {
        return Err(AppError::NotFound);
    }
    if account.id == admin.user_id {
        return Err(AppError::invalid("username", Notice::OwnAccount));
    }
    let conflict = |notice: Notice| Err(AppError::Conflict(notice));
    let name = account.username.clone();
    let (audit_action, severity, before, after, mut details) = match action {
        AccountAction::Block => {
            if account.status == "blocked" {
                return conflict(Notice::AlreadyBlocked { username: name });
            }
            if account.role == "admin"
                && account.status == "active"
                && users::active_admins(&mut tx).await? <= 1
            {
                return conflict(Notice::LastAdministrator);
            }
            crate::server::repo::alerts::block_user(&mut tx, account.id, &why, now).await?;
            let ended = end_all(&mut tx, account.id, now, "blocked").await?;
            (
                AuditAction::UserBlocked,
                Severity::High,
                json!({ "status": account.status }),
                json!({ "status": "blocked", "reason": why }),
                json!({ "sessions_ended": ended }),
            )
        }
        AccountAction::Unblock => {
            if !users::unblock(&mut tx, account.id, now).await? {
                return conflict(Notice::NotBlocked { username: name });
            }
            (
                AuditAction::UserUnblocked,
                Severity::Medium,
                json!({ "status": "blocked", "reason": account.blocked_reason }),
                json!({ "status": "active" }),
                json!({}),
            )
        }
        AccountAction::Unlock => {
            if !users::unlock(&mut tx, account.id, true, now).await? {
                return conflict(Notice::NotLocked { username: name });
            }
            (
                AuditAction::AccountUnlocked,
                Severity::Medium,
                json!({ "status": "locked" }),
                json!({ "status": "active" }),
                json!({}),
            )
        }
        AccountAction::EndSessions if request.session.is_some() => {
            let handle = request.session.clone().unwrap_or_default();
            let open = sessions::open_for_user(&mut tx, account.id, 0).await?;
            let count = open.len();
            let chosen = open
                .into_iter()
                .find(|s| session_handle(&s.id) == handle.trim())
                .ok_or(AppError::NotFound)?;
            if !sessions::end(&mut tx, &chosen.id, now, "revoked_by_admin").await? {
                return Err(AppError::NotFound);
            }
            (
                AuditAction::SessionRevoked,
                Severity::Medium,
                json!({ "open_sessions": count }),
                json!({ "open_sessions": count - 1 }),
                json!({ "sessions_ended": [chosen.ip], "session": handle.trim() }),
            )
        }
        AccountAction::EndSessions => {
            let ended = end_all(&mut tx, account.id, now, "revoked_by_admin").await?;
            if ended.is_empty() {
                return conflict(Notice::NoOpenSessions { username: name });
            }
            (
                AuditAction::SessionRevoked,
                Severity::Medium,
                json!({ "open_sessions": ended.len() }),
                json!({ "open_sessions": 0 }),
                json!({ "sessions_ended": ended }),
            )
        }
        AccountAction::LiftSuspension => {
            if !users::lift_export_suspension(&mut tx, account.id, now).await? {
                return conflict(Notice::NotSuspended { username: name });
            }
            (
                AuditAction::ExportsResumed,
                Severity::Medium,
                json!({
                    "exports_suspended_at": account.exports_suspended_at,
                    "by_alert": account.exports_suspended_by_alert,
                }),
                json!({ "exports_suspended_at": null }),
                json!({}),
            )
        }
    };
    details["reason"] = json!(why);
    details["alert_id"] = json!(request.alert_id);
    details["username"] = json!(account.username);
    let event = NewEvent::new(audit_action, Outcome::Success)
        .actor(Some(admin.user_id), &admin.username)
        .target("user", account.id)
        .meta(meta)
        .severity(severity)
        .change(before, after)
        .details(details);
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every open session of the user (their next request is unauthenticated); returns
/// the addresses the sessions were open from, one per session.
pub(super) async fn end_all(
    tx: &mut sqlx::AnyConnection,
    user: i64,
    now: i64,
    why: &str,
) -> Result<Vec<String>, AppError> {
    let mut ended = Vec::new();
    for session in sessions::open_for_user(tx, user, 0).await? {
        if sessions::end(tx, &session.id, now, why).await? {
            ended.push(session.ip);
        }
    }
    Ok(ended)
}

/// `POST /api/user_status`: `blocked` blocks the account (ending its sessions); `active`
/// unblocks it, or ends a temporary sign-in lock. A reason is required (400 without), and
/// never on one's own account nor against the last active administrator (409).
pub async fn set_status(
    state: &AppState,
    admin: &AuthSession,
    meta: &RequestMeta,
    username: &str,
    status: &str,
    why: Option<String>,
) -> Result<(), AppError> {
    let why = reason(why.as_deref().unwrap_or_default())?;
    let username = username.trim().to_lowercase();
    let account = users::account_by_username(&mut *state.db.conn().await?, &username)
        .await?
        .ok_or(AppError::NotFound)?;
    if account.id == admin.user_id {
        return Err(AppError::Conflict(Notice::OwnAccount));
    }
    let action = match (status.trim(), account.status.as_str()) {
        ("blocked", _) => AccountAction::Block,
        ("active", "locked") => AccountAction::Unlock,
        ("active", _) => AccountAction::Unblock,
        (other, _) => {
            return Err(AppError::invalid(
                "status",
                Notice::UnknownValue {
                    value: other.chars().filter(|c| !c.is_control()).take(40).collect(),
                },
            ));
        }
    };
    let request = Request {
        username,
        action: action.code().to_owned(),
        reason: why,
        alert_id: None,
        session: None,
    };
    act(state, admin, meta, request).await
}

/// An account as administrators act on it (the user's page and the alert page's account
/// panel): status, suspension, open sessions (without their secret ids).
pub async fn view(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    user: i64,
) -> Result<Option<SubjectView>, AppError> {
    let Some(account) = users::account_by_id(conn, user).await? else {
        return Ok(None);
    };
    let bad = |e: crate::types::org::UnknownCode| {
        tracing::error!(error = %e, "stored organisation code");
        AppError::Internal
    };
    let idle = i64::try_from(state.sessions.idle_timeout.as_millis()).unwrap_or(i64::MAX);
    let now = state.clock.now_ms();
    let sessions = sessions::open_for_user(conn, user, now - idle)
        .await?
        .into_iter()
        .map(|s| {
            let ua = super::user_agent::parse(&s.user_agent);
            SubjectSession {
                handle: session_handle(&s.id),
                started_at: s.created_at,
                last_seen_at: s.last_seen_at,
                ip: s.ip,
                browser: ua.browser,
                os: ua.os,
                device: ua.device,
            }
        })
        .collect();
    Ok(Some(SubjectView {
        username: account.username,
        full_name: account.full_name,
        department: account.department.parse().map_err(bad)?,
        role: account.role.parse().map_err(bad)?,
        status: account.status.parse().map_err(bad)?,
        blocked_reason: account.blocked_reason,
        exports_suspended_at: account.exports_suspended_at,
        sessions,
    }))
}
