//! "Mi uso": the caller's own quota, exports, requests, sign-ins and sessions.

use crate::error::AppError;
use crate::types::MyQuota;
use crate::types::export::MyUsage;
use leptos::prelude::*;

/// `POST /api/my_quota`: per window limit, used, remaining and when room frees up.
#[server(prefix = "/api", endpoint = "my_quota")]
pub async fn get_my_quota() -> Result<MyQuota, AppError> {
    use crate::server::{context, service::access::usage};
    let caller = context::require_user()?;
    usage::my_quota(&context::state()?, &caller).await
}

#[server(prefix = "/api", endpoint = "my_usage")]
pub async fn get_my_usage() -> Result<MyUsage, AppError> {
    use crate::server::{context, service::access::usage};
    let caller = context::require_user()?;
    usage::my_usage(&context::state()?, &caller).await
}

/// Ends another of the caller's sessions (audited).
#[server(prefix = "/api", endpoint = "end_session")]
pub async fn end_session(session_id: String) -> Result<(), AppError> {
    use crate::server::{context, service::access::usage};
    let caller = context::require_user()?;
    let meta = context::request_meta()?;
    usage::end_other_session(&context::state()?, &caller, &meta, &session_id).await
}
