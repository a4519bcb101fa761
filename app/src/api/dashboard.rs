//! The security dashboard (SPEC "Fixed HTTP surface").

use crate::error::AppError;
use crate::types::dashboard::Dashboard as Summary;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// `POST /api/dashboard` (administrators): the overall state with its reason, open alerts
/// by state, severity and kind, the recent figures and lists, and the three charts.
#[server(prefix = "/api", endpoint = "dashboard", input = Json)]
pub async fn dashboard() -> Result<Summary, AppError> {
    use crate::server::{context, service};
    use crate::types::Role;
    context::require_role(Role::Admin)?;
    let locale = crate::locale::current_request_locale();
    service::dashboard::summary(&context::state()?, locale).await
}
