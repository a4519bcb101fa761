//! Exporting contacts.

use crate::error::AppError;
use crate::types::export::ExportOptions;
use crate::types::{ExportOutcome, Selection};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// `POST /api/request_export` (JSON): allowed (with a one-time download link), needs
/// approval (recorded as pending), or refused with a 4xx and the rule that refused it.
#[server(prefix = "/api", endpoint = "request_export", input = Json)]
pub async fn request_export(
    selection: Selection,
    fields: Vec<String>,
    format: String,
    justification: String,
    campaign: Option<String>,
) -> Result<ExportOutcome, AppError> {
    use crate::server::{context, service::export};
    use crate::types::ExportRequest;
    let caller = context::require_user()?;
    let meta = context::request_meta()?;
    let request = ExportRequest {
        selection,
        fields,
        format,
        justification,
        campaign,
    };
    export::request_export(&context::state()?, &caller, &meta, request).await
}

/// What the export form may offer the caller, with their current quota.
#[server(prefix = "/api", endpoint = "export_options")]
pub async fn get_export_options() -> Result<ExportOptions, AppError> {
    use crate::server::{context, service::usage};
    let caller = context::require_user()?;
    usage::export_options(&context::state()?, &caller).await
}
