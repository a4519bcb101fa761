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
