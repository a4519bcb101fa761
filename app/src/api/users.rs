//! The user directory (administrators only).

use crate::error::AppError;
use crate::types::UserRow;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "users")]
pub async fn list_users() -> Result<Vec<UserRow>, AppError> {
    use crate::server::{context, service};
    use crate::types::Role;
    context::require_role(Role::Admin)?;
    service::access::users::list(&context::state()?).await
}

/// `POST /api/user_action` (administrators): `block`, `unblock`, `end_sessions` or
/// `lift_suspension` on `username`, with a `reason` (at least 10 characters) and the
/// `alert_id` it is taken from, if any; audited with before and after.
#[server(prefix = "/api", endpoint = "user_action", input = leptos::server_fn::codec::Json)]
pub async fn user_action(
    username: String,
    action: String,
    reason: String,
    alert_id: Option<i64>,
) -> Result<(), AppError> {
    use crate::server::{context, service::access::accounts};
    use crate::types::Role;
    let admin = context::require_role(Role::Admin)?;
    let request = accounts::Request {
        username,
        action,
        reason,
        alert_id,
    };
    accounts::act(
        &context::state()?,
        &admin,
        &context::request_meta()?,
        request,
    )
    .await
}
