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
    let decision = export::request_export(&context::state()?, &caller, &meta, request).await?;
    Ok(outcome(decision, crate::locale::current_request_locale()))
}

/// The decision as the requester reads it, in their language.
#[cfg(feature = "ssr")]
fn outcome(
    decision: crate::server::service::export::Decision,
    locale: crate::i18n::Locale,
) -> ExportOutcome {
    use crate::Notice;
    use crate::server::service::export::{Decision, download_url};
    match decision {
        Decision::Allowed {
            export_id,
            receipt,
            sha256,
            count,
            expires_at,
        } => ExportOutcome::Allowed {
            download_url: download_url(&export_id),
            export_id,
            receipt,
            sha256,
            count,
            expires_at,
        },
        Decision::NeedsApproval {
            request_id,
            reason,
            route,
        } => {
            let waits = Notice::AwaitsApproval {
                approver: route.first.clone(),
            };
            ExportOutcome::NeedsApproval {
                request_id,
                reason_code: reason.code().to_owned(),
                reason: format!("{} {}", reason.render(locale), waits.render(locale)),
                approver: route.first.clone(),
                route,
            }
        }
    }
}

/// What the export form may offer the caller, with their current quota.
#[server(prefix = "/api", endpoint = "export_options")]
pub async fn get_export_options() -> Result<ExportOptions, AppError> {
    use crate::server::{context, service::access::usage};
    let caller = context::require_user()?;
    usage::export_options(&context::state()?, &caller).await
}
