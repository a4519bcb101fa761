//! The user directory (administrators only).

use crate::error::AppError;
use crate::types::UserRow;
use leptos::prelude::*;

/// The directory (administrators), filtered by a search, department, role and status.
#[server(prefix = "/api", endpoint = "users")]
pub async fn list_users(
    q: Option<String>,
    department: Option<String>,
    role: Option<String>,
    status: Option<String>,
) -> Result<Vec<UserRow>, AppError> {
    use crate::server::{context, service::access::directory};
    use crate::types::{Role, session::UserFilter};
    context::require_role(Role::Admin)?;
    let filter = UserFilter {
        q,
        department,
        role,
        status,
    };
    directory::list(&context::state()?, &filter).await
}

/// One person's page (administrators).
#[server(prefix = "/api", endpoint = "user_detail")]
pub async fn user_detail(username: String) -> Result<crate::types::session::UserDetail, AppError> {
    use crate::server::{context, service::access::directory};
    use crate::types::Role;
    context::require_role(Role::Admin)?;
    directory::detail(&context::state()?, &username).await
}

/// Changes a user's role, department or supervisor (administrators), with a reason.
#[server(prefix = "/api", endpoint = "user_change")]
pub async fn user_change(
    username: String,
    role: Option<String>,
    department: Option<String>,
    supervisor: Option<String>,
    reason: String,
) -> Result<(), AppError> {
    use crate::server::{context, service::access::assignment};
    use crate::types::Role;
    let admin = context::require_role(Role::Admin)?;
    let change = assignment::Change {
        username,
        role,
        department,
        supervisor,
        reason,
    };
    assignment::change(
        &context::state()?,
        &admin,
        &context::request_meta()?,
        change,
    )
    .await
}

/// `POST /api/user_status` (administrators, JSON): `active` or `blocked`, with a reason;
/// answers the user as it is now. 400 without a reason, 409 on one's own account or the
/// last active administrator.
#[server(prefix = "/api", endpoint = "user_status", input = leptos::server_fn::codec::Json)]
pub async fn user_status(
    username: String,
    status: String,
    reason: Option<String>,
) -> Result<UserRow, AppError> {
    use crate::server::{context, service::access};
    use crate::types::Role;
    let admin = context::require_role(Role::Admin)?;
    let state = context::state()?;
    let meta = context::request_meta()?;
    access::accounts::set_status(&state, &admin, &meta, &username, &status, reason).await?;
    access::directory::one(&state, &username).await
}

/// `POST /api/user_action` (administrators): `block`, `unblock`, `end_sessions` or
/// `lift_suspension` on `username`, with a `reason` (at least 10 characters) and the
/// `alert_id` it is taken from, if any; `session` (a session's `handle`) with
/// `end_sessions` ends that one only. Audited with before and after.
#[server(prefix = "/api", endpoint = "user_action", input = leptos::server_fn::codec::Json)]
pub async fn user_action(
    username: String,
    action: String,
    reason: String,
    alert_id: Option<i64>,
    #[server(default)] session: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{context, service::access::accounts};
    use crate::types::Role;
    let admin = context::require_role(Role::Admin)?;
    let request = accounts::Request {
        username,
        action,
        reason,
        alert_id,
        session,
    };
    accounts::act(
        &context::state()?,
        &admin,
        &context::request_meta()?,
        request,
    )
    .await
}

/// Creates an account (administrators); answers its username and the one-time link its
/// owner opens to set a password (shown once: hand it over).
#[server(prefix = "/api", endpoint = "create_user")]
pub async fn create_user(
    username: String,
    full_name: String,
    email: String,
    department: String,
    role: String,
    supervisor: Option<String>,
) -> Result<crate::types::session::PasswordLink, AppError> {
    use crate::server::{context, service::access::links};
    use crate::types::Role;
    let admin = context::require_role(Role::Admin)?;
    let new = links::NewAccount {
        username,
        full_name,
        email,
        department,
        role,
        supervisor,
    };
    let (username, link) =
        links::create(&context::state()?, &admin, &context::request_meta()?, new).await?;
    Ok(crate::types::session::PasswordLink { username, link })
}

/// Resets a user's password (administrators), with a reason: the old one stops working,
/// their sessions end, and a new one-time link is answered.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(
    username: String,
    reason: String,
) -> Result<crate::types::session::PasswordLink, AppError> {
    use crate::server::{context, service::access::links};
    use crate::types::Role;
    let admin = context::require_role(Role::Admin)?;
    let state = context::state()?;
    let meta = context::request_meta()?;
    let link = links::reset(&state, &admin, &meta, &username, &reason).await?;
    Ok(crate::types::session::PasswordLink { username, link })
}

/// Sets a password through a one-time link (no sign-in needed).
#[server(prefix = "/api", endpoint = "set_password")]
pub async fn set_password(token: String, password: String) -> Result<(), AppError> {
    use crate::server::{context, service::access::links};
    links::set_password(
        &context::state()?,
        &context::request_meta()?,
        &token,
        &password,
    )
    .await
}
