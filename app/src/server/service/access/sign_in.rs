//! Signing in and out, and deciding on every request whether a session is still valid.
//!
//! Sessions end on the server: on sign-out, after 30 minutes without activity, after 12
//! hours in any case, and when the account is blocked. Each ending is an audit event.

use super::protection;
use crate::error::AppError;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::{sessions, users};
use crate::server::service::audit::{self, NewEvent};
use crate::types::audit::{AuditAction, Outcome, Severity};
use crate::types::{Department, Role, SessionUser};
use serde_json::json;

/// `last_seen_at` is refreshed at most this often (bounds the idle check's error).
const TOUCH_INTERVAL_MS: i64 = 30_000;
/// Usernames longer than this are not looked up (and fail like any wrong name).
const MAX_USERNAME: usize = 64;

/// A fresh session for a user who proved their password.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: SessionUser,
    pub session_id: String,
}

pub fn new_session_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

fn normalise_username(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// Checks the password and opens a session. Unknown users and wrong passwords fail the same
/// way, with the same work done (a hash check and an audit event).
pub async fn sign_in(
    state: &AppState,
    username: &str,
    password: &str,
    meta: &RequestMeta,
) -> Result<SignedIn, AppError> {
    let username = normalise_username(username);
    let credentials = credentials(state, &username).await?;
    let stored_hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let verified = state
        .passwords
        .verify(password.to_owned(), stored_hash)
        .await?;
    conclude(state, &username, credentials, verified, meta).await
}

/// The demo history's sign-in: the same decision and records as [`sign_in`], for an
/// attempt whose password the caller knows to be right or wrong (the demo typed it), so
/// ninety days of sign-ins skip the deliberately slow hash. Never reachable from a request.
pub(crate) async fn sign_in_typed(
    state: &AppState,
    username: &str,
    password_right: bool,
    meta: &RequestMeta,
) -> Result<SignedIn, AppError> {
    let username = normalise_username(username);
    let credentials = credentials(state, &username).await?;
    conclude(state, &username, credentials, password_right, meta).await
}

async fn credentials(
    state: &AppState,
    username: &str,
) -> Result<Option<users::Credentials>, AppError> {
    if username.len() > MAX_USERNAME {
        return Ok(None);
    }
    Ok(users::find_credentials(&mut *state.db.conn().await?, username).await?)
}

/// Decides an attempt once its password was checked: fails it (counting towards the
/// account's lock), refuses a blocked account, or opens a session — each audited.
async fn conclude(
    state: &AppState,
    username: &str,
    credentials: Option<users::Credentials>,
    verified: bool,
    meta: &RequestMeta,
) -> Result<SignedIn, AppError> {
    let now = state.clock.now_ms();
    let known_id = credentials.as_ref().map(|c| c.id);
    let mut tx = state.db.begin_write().await?;
    // A temporarily locked account answers exactly like a wrong password: nobody learns
    // that the password was right, nor that the account exists.
    let locked = credentials.as_ref().is_some_and(|c| c.locked_at(now));
    let Some(account) = credentials.clone().filter(|_| verified && !locked) else {
        let event = NewEvent::new(AuditAction::SignInFailed, Outcome::Failure)
            .actor(known_id, username)
            .meta(meta)
            .details(json!({ "reason": if locked { "locked" } else { "invalid_credentials" } }));
        audit::append(&mut tx, now, event).await?;
        if let Some(account) = &credentials {
            protection::after_failure(&mut tx, now, account, meta).await?;
        }
        tx.commit().await?;
        return Err(AppError::InvalidCredentials);
    };
    if !account.may_sign_in(now) {
        let event = NewEvent::new(AuditAction::SignInFailed, Outcome::Denied)
            .actor(Some(account.id), &account.username)
            .meta(meta)
            .severity(Severity::Medium)
            .details(json!({ "reason": "account_blocked", "status": account.status }));
        audit::append(&mut tx, now, event).await?;
        tx.commit().await?;
        return Err(AppError::AccountBlocked);
    }
    if account.status == "locked" {
        // The lock ran out: the account is active again (the escalation is forgotten below).
        users::unlock(&mut tx, account.id, false, now).await?;
    }
    users::reset_lock_level(&mut tx, account.id).await?;
    let session_id = new_session_id();
    let row = sessions::SessionRow {
        id: session_id.clone(),
        user_id: account.id,
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
        created_at: now,
        last_seen_at: now,
        ended_at: None,
        end_reason: None,
    };
    sessions::insert_session(&mut tx, &row).await?;
    let session_meta = RequestMeta {
        session_id: Some(session_id.clone()),
        ..meta.clone()
    };
    let event = NewEvent::new(AuditAction::SignIn, Outcome::Success)
        .actor(Some(account.id), &account.username)
        .target("session", &session_id)
        .meta(&session_meta);
    audit::append(&mut tx, now, event).await?;
    let user = load_session_user(&mut tx, account.id, now, &meta.ip).await?;
    tx.commit().await?;
    Ok(SignedIn { user, session_id })
}

/// Ends the caller's session on the server.
pub async fn sign_out(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    if sessions::end(&mut tx, &caller.session_id, now, "logout").await? {
        let event = NewEvent::new(AuditAction::SignOut, Outcome::Success)
            .actor(Some(caller.user_id), &caller.username)
            .target("session", &caller.session_id)
            .meta(meta);
        audit::append(&mut tx, now, event).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Why an open session is over, if it is.
fn expiry_reason(
    state: &AppState,
    s: &sessions::SessionWithUser,
    now: i64,
) -> Option<&'static str> {
    // A temporary lock stops new sign-ins only: the owner's open sessions go on.
    let usable = matches!(s.status.as_str(), "active" | "locked");
    if usable {
        state.sessions.timed_out(s.created_at, s.last_seen_at, now)
    } else {
        Some("account_blocked")
    }
}

/// Decides whether the session `session_id` may act now; ends it (audited) if not.
pub async fn resume(state: &AppState, session_id: &str) -> Result<Option<AuthSession>, AppError> {
    check(state, session_id, true).await
}

/// Whether the session is still valid — as [`resume`], but without counting as activity:
/// a long-lived stream asks this, so an unattended dashboard still times out when idle.
pub async fn still_valid(state: &AppState, session_id: &str) -> Result<bool, AppError> {
    Ok(check(state, session_id, false).await?.is_some())
}

async fn check(
    state: &AppState,
    session_id: &str,
    touch: bool,
) -> Result<Option<AuthSession>, AppError> {
    let now = state.clock.now_ms();
    let found = sessions::find_with_user(&mut *state.db.conn().await?, session_id).await?;
    let Some(session) = found.filter(|s| s.ended_at.is_none()) else {
        return Ok(None);
    };
    if let Some(reason) = expiry_reason(state, &session, now) {
        expire(
            state,
            session.id.clone(),
            session.user_id,
            session.username.clone(),
            reason,
        )
        .await?;
        return Ok(None);
    }
    if touch && now - session.last_seen_at >= TOUCH_INTERVAL_MS {
        let mut tx = state.db.begin_write().await?;
        sessions::touch(&mut tx, &session.id, now).await?;
        tx.commit().await?;
    }
    let role = session.role.parse::<Role>().map_err(|e| {
        tracing::error!(error = %e, "stored role");
        AppError::Internal
    })?;
    Ok(Some(AuthSession {
        user_id: session.user_id,
        username: session.username,
        role,
        session_id: session.id,
    }))
}

/// Ends one session for `reason` and records it, unless something else ended it first.
pub async fn expire(
    state: &AppState,
    session_id: String,
    user_id: i64,
    username: String,
    reason: &str,
) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    if sessions::end(&mut tx, &session_id, now, reason).await? {
        let meta = RequestMeta {
            session_id: Some(session_id.clone()),
            ..RequestMeta::default()
        };
        let event = NewEvent::new(AuditAction::SessionExpired, Outcome::Success)
            .actor(Some(user_id), username)
            .target("session", &session_id)
            .meta(&meta)
            .details(json!({ "reason": reason }));
        audit::append(&mut tx, now, event).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Ends every open session that timed out while nobody used it.
pub async fn sweep_expired(state: &AppState) -> Result<usize, AppError> {
    let now = state.clock.now_ms();
    let (idle_before, started_before) = state.sessions.cutoffs(now);
    let stale = sessions::find_expired(
        &mut *state.db.conn().await?,
        idle_before,
        started_before,
        500,
    )
    .await?;
    let mut ended = 0;
    for s in stale {
        let username = users::find_user(&mut *state.db.conn().await?, s.user_id)
            .await?
            .map(|u| u.username)
            .unwrap_or_default();
        let reason = state
            .sessions
            .timed_out(s.created_at, s.last_seen_at, now)
            .unwrap_or("idle_timeout");
        expire(state, s.id, s.user_id, username, reason).await?;
        ended += 1;
    }
    Ok(ended)
}

/// The signed-in user as the UI shows them.
pub async fn session_user(state: &AppState, caller: &AuthSession) -> Result<SessionUser, AppError> {
    let mut conn = state.db.conn().await?;
    let session = sessions::find_with_user(&mut conn, &caller.session_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    load_session_user(&mut conn, caller.user_id, session.created_at, &session.ip).await
}

async fn load_session_user(
    conn: &mut sqlx::AnyConnection,
    user_id: i64,
    session_started_at: i64,
    session_ip: &str,
) -> Result<SessionUser, AppError> {
    let record = users::find_user(conn, user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let corrupt = |e: crate::types::org::UnknownCode| {
        tracing::error!(error = %e, "stored organisation code");
        AppError::Internal
    };
    Ok(SessionUser {
        id: record.id,
        username: record.username,
        full_name: record.full_name,
        department: record.department.parse::<Department>().map_err(corrupt)?,
        role: record.role.parse::<Role>().map_err(corrupt)?,
        supervisor: record.supervisor,
        has_reports: record.reports > 0,
        session_started_at,
        session_ip: session_ip.to_owned(),
        locale: record.locale,
    })
}
