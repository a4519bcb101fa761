//! Export approvals (SPEC "Fixed HTTP surface"): the approvers' inbox, their decisions, the
//! requester's own requests, and Marketing's campaigns.

use crate::error::AppError;
use crate::types::approval::{ApprovalList, Decided};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// `POST /api/approvals` (approvers): the requests waiting for the caller's decision, or
/// with `state` (`decided`, `approved`, `rejected`, `expired`, `cancelled`) the ones they
/// decided.
#[server(prefix = "/api", endpoint = "approvals", input = Json)]
pub async fn approvals(state: Option<String>) -> Result<ApprovalList, AppError> {
    use crate::server::{context, service::approvals};
    let caller = context::require_user()?;
    let locale = crate::locale::current_request_locale();
    approvals::inbox(&context::state()?, &caller, state.as_deref(), locale).await
}

/// `POST /api/decide_approval`: `approve` (optional comment) or `reject` (a reason of at
/// least 10 characters); 403 when the caller is not an approver of the request (their own
/// included), 409 when it was decided already.
#[server(prefix = "/api", endpoint = "decide_approval", input = Json)]
pub async fn decide_approval(
    request_id: i64,
    decision: String,
    comment: Option<String>,
) -> Result<Decided, AppError> {
    use crate::server::{context, service::approvals};
    let caller = context::require_user()?;
    let meta = context::request_meta()?;
    approvals::decide(
        &context::state()?,
        &caller,
        &meta,
        request_id,
        &decision,
        comment,
    )
    .await
}

/// `POST /api/my_requests`: the caller's approval requests, with the one-time download
/// link of each approved one until it is used or runs out.
#[server(prefix = "/api", endpoint = "my_requests", input = Json)]
pub async fn my_requests() -> Result<crate::types::approval::MyRequests, AppError> {
    use crate::server::{context, service::approvals};
    let caller = context::require_user()?;
    let locale = crate::locale::current_request_locale();
    approvals::mine(&context::state()?, &caller, locale).await
}

/// The requester withdraws a pending request.
#[server(prefix = "/api", endpoint = "cancel_request")]
pub async fn cancel_request(request_id: i64) -> Result<(), AppError> {
    use crate::server::{context, service::approvals};
    let caller = context::require_user()?;
    let meta = context::request_meta()?;
    approvals::cancel(&context::state()?, &caller, &meta, request_id).await
}

/// Marketing's campaigns.
#[server(prefix = "/api", endpoint = "campaigns")]
pub async fn campaigns() -> Result<crate::types::approval::Campaigns, AppError> {
    use crate::server::{context, service::approvals::campaigns};
    let caller = context::require_user()?;
    campaigns::list(&context::state()?, &caller).await
}

/// Proposes a campaign (Marketing staff and security administrators).
#[server(prefix = "/api", endpoint = "propose_campaign")]
pub async fn propose_campaign(
    name: String,
    purpose: String,
    starts_on: String,
    ends_on: String,
) -> Result<i64, AppError> {
    use crate::server::{context, service::approvals::campaigns};
    let caller = context::require_user()?;
    let proposal = campaigns::Proposal {
        name,
        purpose,
        starts_on,
        ends_on,
    };
    campaigns::propose(
        &context::state()?,
        &caller,
        &context::request_meta()?,
        proposal,
    )
    .await
}

/// Approves or rejects a proposed campaign (a Marketing supervisor or above, or a security
/// administrator; never the proposer).
#[server(prefix = "/api", endpoint = "decide_campaign")]
pub async fn decide_campaign(
    id: i64,
    decision: String,
    comment: Option<String>,
) -> Result<(), AppError> {
    use crate::server::{context, service::approvals::campaigns};
    let caller = context::require_user()?;
    let approve = match decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(AppError::BadRequest),
    };
    campaigns::decide(
        &context::state()?,
        &caller,
        &context::request_meta()?,
        id,
        approve,
        comment,
    )
    .await
}
