//! Accounts an administrator creates, and passwords they reset, through a one-time link:
//! the administrator never chooses or sees a password. A new account (or one whose password
//! was reset) holds an unusable random password until its owner opens the link — shown
//! once to the administrator, to hand over — and sets one. A link works once, for
//! `LINK_TTL_MS`, and a new one voids the older ones; only its SHA-256 is stored. Resetting
//! also ends every session of the account. Each step is one audit event in its transaction.

use super::accounts::{end_all, reason};
use super::users::{check_identity, check_password};
use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::password_links;
use crate::server::repo::users::{self, NewUser};
use crate::server::service::audit::{self, NewEvent};
use crate::types::audit::{AuditAction, Outcome, Severity};
use crate::types::{Department, Role};
use serde_json::json;
use sha2::{Digest, Sha256};

/// How long a set-password link works.
pub const LINK_TTL_MS: i64 = 72 * 3_600_000;

/// The page a link opens.
pub fn link_path(token: &str) -> String {
    format!("/clave/{token}")
}

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

/// A new link for `user` (voiding the older ones); returns its token.
async fn new_link(
    tx: &mut sqlx::AnyConnection,
    user: i64,
    purpose: &str,
    by: i64,
    now: i64,
) -> Result<String, AppError> {
    let token = format!(
        "{:032x}{:032x}",
        rand::random::<u128>(),
        rand::random::<u128>()
    );
    password_links::void_password_links(tx, user, now).await?;
    password_links::insert_password_link(
        tx,
        &digest(&token),
        user,
        purpose,
        by,
        now + LINK_TTL_MS,
        now,
    )
    .await?;
    Ok(token)
}

/// An account as an administrator asks for it.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub username: String,
    pub full_name: String,
    pub email: String,
    pub department: String,
    pub role: String,
    /// The supervisor's username, if any.
    pub supervisor: Option<String>,
}

fn unknown(field: &str, value: &str) -> AppError {
    AppError::validation(
        field,
        Notice::UnknownValue {
            value: value.chars().filter(|c| !c.is_control()).take(40).collect(),
        },
    )
}

/// Creates the account; returns its username and the one-time link to set its password.
pub async fn create(
    state: &AppState,
    admin: &AuthSession,
    meta: &RequestMeta,
    new: NewAccount,
) -> Result<(String, String), AppError> {
    let username = check_identity(&new.username, &new.full_name, &new.email)?;
    let department: Department = new
        .department
        .trim()
        .parse()
        .map_err(|_| unknown("department", &new.department))?;
    let role: Role = new
        .role
        .trim()
        .parse()
        .map_err(|_| unknown("role", &new.role))?;
    // Nobody will ever type this: the account waits for its owner to set a password.
    let placeholder = format!("{:032x}", rand::random::<u128>());
    let hash = state.passwords.hash(placeholder).await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let supervisor = match new
        .supervisor
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(name) => Some(
            users::id_by_username(&mut tx, &name.to_lowercase())
                .await?
                .ok_or_else(|| unknown("supervisor", name))?,
        ),
        None => None,
    };
    let row = NewUser {
        username: &username,
        full_name: new.full_name.trim(),
        email: new.email.trim(),
        department: department.code(),
        role: role.code(),
        password_hash: &hash,
    };
    let id = users::insert_user_if_absent(&mut tx, &row, now)
        .await?
        .ok_or_else(|| {
            AppError::validation(
                "username",
                Notice::UserExists {
                    username: username.clone(),
                },
            )
        })?;
    users::set_supervisor(&mut tx, id, supervisor, now).await?;
    let token = new_link(&mut tx, id, "create", admin.user_id, now).await?;
    let event = NewEvent::new(AuditAction::UserCreated, Outcome::Success)
        .actor(Some(admin.user_id), &admin.username)
        .target("user", id)
        .meta(meta)
        .severity(if role == Role::Admin {
            Severity::High
        } else {
            Severity::Medium
        })
        .change(
            serde_json::Value::Null,
            json!({
                "username": username,
                "full_name": new.full_name.trim(),
                "department": department.code(),
                "role": role.code(),
                "supervisor": new.supervisor.as_deref().map(str::trim).filter(|s| !s.is_empty()),
            }),
        )
        .details(json!({ "username": username, "password": "set_password_link" }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok((username, link_path(&token)))
}

/// Resets `username`'s password: the old one stops working, every session ends, and a new
/// one-time link is returned for its owner. Never on one's own account.
pub async fn reset(
    state: &AppState,
    admin: &AuthSession,
    meta: &RequestMeta,
    username: &str,
    why: &str,
) -> Result<String, AppError> {
    let why = reason(why)?;
    let placeholder = format!("{:032x}", rand::random::<u128>());
    let hash = state.passwords.hash(placeholder).await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let account = users::account_by_username(&mut tx, &username.trim().to_lowercase())
        .await?
        .ok_or(AppError::NotFound)?;
    if account.id == admin.user_id {
        return Err(AppError::Conflict(Notice::OwnAccount));
    }
    users::set_password_hash(&mut tx, account.id, &hash, now).await?;
    let ended = end_all(&mut tx, account.id, now, "password_reset").await?;
    let token = new_link(&mut tx, account.id, "reset", admin.user_id, now).await?;
    let event = NewEvent::new(AuditAction::PasswordReset, Outcome::Success)
        .actor(Some(admin.user_id), &admin.username)
        .target("user", account.id)
        .meta(meta)
        .severity(Severity::Medium)
        .change(json!({ "password": "set" }), json!({ "password": "reset" }))
        .details(json!({
            "username": account.username,
            "reason": why,
            "sessions_ended": ended,
        }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok(link_path(&token))
}

/// Sets the password of the link's account (`POST /api/set_password`, no sign-in): the
/// link works once and until it runs out (410 `password_link_invalid` otherwise).
pub async fn set_password(
    state: &AppState,
    meta: &RequestMeta,
    token: &str,
    password: &str,
) -> Result<(), AppError> {
    check_password(password)?;
    let hash = state.passwords.hash(password.to_owned()).await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let user = password_links::use_password_link(&mut tx, &digest(token), now)
        .await?
        .ok_or(AppError::Refused(Notice::PasswordLinkInvalid))?;
    users::set_password_hash(&mut tx, user, &hash, now).await?;
    let account = users::account_by_id(&mut tx, user)
        .await?
        .ok_or(AppError::Refused(Notice::PasswordLinkInvalid))?;
    let event = NewEvent::new(AuditAction::PasswordSet, Outcome::Success)
        .actor(Some(user), &account.username)
        .target("user", user)
        .meta(meta)
        .details(json!({ "username": account.username }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok(())
}
