//! Export policies (administrators): each role's limits and each department's rule, edited
//! with a reason, and their history.

// The rule form sends one field per setting, and the `#[server]` macro does not pass an
// item-level `allow` on to the browser's half.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;

/// Every policy and the latest changes.
#[server(prefix = "/api", endpoint = "policies")]
pub async fn policies() -> Result<crate::types::policy::Policies, AppError> {
    use crate::server::{context, service::policy::edit};
    use crate::types::Role;
    context::require_role(Role::Admin)?;
    edit::policies(&context::state()?).await
}

/// Changes a role's limits (empty: no limit), with a reason.
#[server(prefix = "/api", endpoint = "update_role_limit")]
pub async fn update_role_limit(
    role: String,
    daily: Option<String>,
    weekly: Option<String>,
    monthly: Option<String>,
    approval_threshold: Option<String>,
    reason: String,
) -> Result<(), AppError> {
    use crate::server::{context, service::policy::edit};
    use crate::types::Role;
    let admin = context::require_role(Role::Admin)?;
    let limits = edit::LimitsInput {
        daily,
        weekly,
        monthly,
        approval_threshold,
    };
    let state = context::state()?;
    let meta = context::request_meta()?;
    edit::update_role_limit(&state, &admin, &meta, &role, &limits, &reason).await
}

/// Changes a department's rule, with a reason. The field lists come as `viewable[]`,
/// `exportable[]` and `sensitive[]` (the page always sends an empty one too).
#[server(prefix = "/api", endpoint = "update_department_rule")]
pub async fn update_department_rule(
    department: String,
    daily: Option<String>,
    weekly: Option<String>,
    monthly: Option<String>,
    approval_threshold: Option<String>,
    visibility: String,
    viewable: Option<Vec<String>>,
    exportable: Option<Vec<String>>,
    sensitive: Option<Vec<String>>,
    required_purpose: Option<String>,
    second_approval_role: Option<String>,
    second_approval_above: Option<String>,
    second_approval_mode: Option<String>,
    confirm_nothing_visible: Option<String>,
    reason: String,
) -> Result<(), AppError> {
    use crate::server::{context, service::policy::edit};
    use crate::types::Role;
    let admin = context::require_role(Role::Admin)?;
    let input = edit::RuleInput {
        limits: edit::LimitsInput {
            daily,
            weekly,
            monthly,
            approval_threshold,
        },
        visibility,
        viewable: viewable.unwrap_or_default(),
        exportable: exportable.unwrap_or_default(),
        sensitive: sensitive.unwrap_or_default(),
        required_purpose,
        second_approval_role,
        second_approval_above,
        second_approval_mode,
        confirm_nothing_visible: confirm_nothing_visible
            .is_some_and(|v| matches!(v.as_str(), "on" | "true" | "1")),
    };
    let state = context::state()?;
    let meta = context::request_meta()?;
    edit::update_department_rule(&state, &admin, &meta, &department, &input, &reason).await
}
