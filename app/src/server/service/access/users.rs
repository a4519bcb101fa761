//! What every new account must be (the CLI's `create-admin` and the Users page), and the
//! CLI's `create-admin`.

use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::repo::users;
use crate::types::{Department, Role};

/// The shortest password an account may have.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Checks a new account's username (3 to 64 of `a-z 0-9 . _ -`), name and e-mail; answers
/// the username as stored (lowercase).
pub fn check_identity(username: &str, full_name: &str, email: &str) -> Result<String, AppError> {
    let username = username.trim().to_lowercase();
    let valid_name = (3..=64).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if !valid_name {
        return Err(AppError::validation("username", Notice::UsernameInvalid));
    }
    if full_name.trim().is_empty() {
        return Err(AppError::validation("full_name", Notice::FullNameRequired));
    }
    let email = email.trim();
    if !email.contains('@') || email.starts_with('@') || email.ends_with('@') {
        return Err(AppError::validation("email", Notice::EmailInvalid));
    }
    Ok(username)
}

/// A password is at least [`MIN_PASSWORD_CHARS`] characters long.
pub fn check_password(password: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::validation(
            "password",
            Notice::PasswordTooShort {
                min: MIN_PASSWORD_CHARS,
            },
        ));
    }
    Ok(())
}

/// Creates an administrator account (the CLI's `create-admin`), audited.
pub async fn create_admin(
    state: &AppState,
    username: &str,
    full_name: &str,
    email: &str,
    password: &str,
) -> Result<i64, AppError> {
    use crate::server::repo::users::NewUser;
    use crate::server::service::audit::{self, NewEvent};
    use crate::types::audit::{AuditAction, Outcome};

    let username = check_identity(username, full_name, email)?;
    check_password(password)?;
    let hash = state.passwords.hash(password.to_owned()).await?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let new = NewUser {
        username: &username,
        full_name: full_name.trim(),
        email: email.trim(),
        department: Department::Direccion.code(),
        role: Role::Admin.code(),
        password_hash: &hash,
    };
    let id = users::insert_user_if_absent(&mut tx, &new, now)
        .await?
        .ok_or_else(|| {
            AppError::Conflict(Notice::UserExists {
                username: username.clone(),
            })
        })?;
    let event = NewEvent::new(AuditAction::UserCreated, Outcome::Success)
        .actor(None, "cli")
        .target("user", id)
        .change(
            serde_json::Value::Null,
            serde_json::json!({ "username": username, "role": "admin", "department": "direccion" }),
        );
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok(id)
}
