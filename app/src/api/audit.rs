//! The audit explorer and integrity checks (administrators only: every function refuses
//! everyone else with 403, whatever the menu shows).

use crate::error::AppError;
use crate::types::audit::{AuditEventView, AuditFilter, AuditPage, IntegrityInfo, RunStatus};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(prefix = "/api", endpoint = "audit_search", input = Json)]
pub async fn audit_search(filter: AuditFilter) -> Result<AuditPage, AppError> {
    use crate::server::{context, service::audit::explorer};
    use crate::types::Role;
    context::require_role(Role::Admin)?;
    explorer::page(&context::state()?, &filter).await
}

#[server(prefix = "/api", endpoint = "audit_event")]
pub async fn audit_event(seq: i64) -> Result<AuditEventView, AppError> {
    use crate::server::{context, service::audit::explorer};
    use crate::types::Role;
    context::require_role(Role::Admin)?;
    explorer::event(&context::state()?, seq).await
}

#[server(prefix = "/api", endpoint = "audit_integrity")]
pub async fn audit_integrity() -> Result<IntegrityInfo, AppError> {
    use crate::server::{context, service::audit::explorer};
    use crate::types::Role;
    context::require_role(Role::Admin)?;
    explorer::integrity_info(&context::state()?).await
}

/// Starts verifying the whole chain in the background; returns the run's id.
#[server(prefix = "/api", endpoint = "verify_audit")]
pub async fn verify_audit() -> Result<u64, AppError> {
    use crate::server::{context, service::audit::integrity};
    use crate::types::Role;
    let caller = context::require_role(Role::Admin)?;
    integrity::start(&context::state()?, &caller, &context::request_meta()?).await
}

#[server(prefix = "/api", endpoint = "verify_status")]
pub async fn verify_status(id: u64) -> Result<RunStatus, AppError> {
    use crate::server::context;
    use crate::types::Role;
    context::require_role(Role::Admin)?;
    context::state()?
        .verifications
        .get(id)
        .ok_or(AppError::NotFound)
}
