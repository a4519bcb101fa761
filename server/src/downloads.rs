//! File downloads: `GET /exports/{id}/download` (an export, for its owner only: anyone else
//! gets 404; once, within 15 minutes), `GET /requests/{id}/download` (the export of an
//! approved request, once, by its requester) and `GET /auditoria/export.csv` (the audit
//! explorer's filtered view, administrators only, audited) and `GET /capacitacion/estado.csv`
//! (the training status list, administrators only).
//!
//! The two single-use links are not spent by a navigation from another site: the session
//! cookie (SameSite=Lax) rides along on one, so any page could otherwise burn a user's
//! download by sending their browser to it. Such a navigation is sent to "Mi uso", where
//! the download waits, untouched.

use crate::middleware::error_response;
use app::AppError;
use app::server::AppState;
use app::server::context::{AuthSession, RequestMeta};
use app::server::service::audit::explorer;
use app::server::service::export;
use app::types::Role;
use app::types::audit::AuditFilter;
use axum::extract::{Path, Query, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use http::header::{self, HeaderValue};

pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let (parts, _) = req.into_parts();
    if let Some(elsewhere) = from_another_site(&parts) {
        return elsewhere;
    }
    let (caller, meta) = match signed_in(&parts) {
        Ok(found) => found,
        Err(error) => return error_response(error),
    };
    file_response(export::download(&state, &caller, &meta, &id).await)
}

/// `GET /requests/{id}/download`: the export of an approved request, produced now from the
/// approved contacts and fields, for its requester only (anyone else gets 404), once,
/// before the grant runs out.
pub async fn grant(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let (parts, _) = req.into_parts();
    if let Some(elsewhere) = from_another_site(&parts) {
        return elsewhere;
    }
    let (caller, meta) = match signed_in(&parts) {
        Ok(found) => found,
        Err(error) => return error_response(error),
    };
    let Ok(id) = id.parse::<i64>() else {
        return error_response(AppError::NotFound);
    };
    file_response(export::grant::download(&state, &caller, &meta, id).await)
}

/// A redirect to "Mi uso" for a request a browser marks as coming from another site (see
/// the module's note); `None` for our own pages, typed addresses and non-browser clients.
fn from_another_site(parts: &http::request::Parts) -> Option<Response> {
    if crate::middleware::same_site(&parts.headers) {
        return None;
    }
    tracing::warn!(path = %parts.uri.path(), "single-use download from another site sent to Mi uso");
    Some(Redirect::to("/mi-uso").into_response())
}

/// The signed-in caller behind a request and what the audit log records about it (401
/// without a session).
fn signed_in(parts: &http::request::Parts) -> Result<(AuthSession, RequestMeta), AppError> {
    let caller = parts
        .extensions
        .get::<AuthSession>()
        .cloned()
        .ok_or(AppError::Unauthorized)?;
    Ok((caller, RequestMeta::from_parts(parts)))
}

/// An export file as an attachment with its SHA-256, or the error's response.
fn file_response(made: Result<export::Download, AppError>) -> Response {
    match made {
        Ok(file) => {
            let disposition = format!("attachment; filename=\"{}\"", file.file_name);
            let mut res = file.content.into_response();
            let headers = res.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(file.content_type),
            );
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                headers.insert(header::CONTENT_DISPOSITION, v);
            }
            if let Ok(v) = HeaderValue::from_str(&file.sha256) {
                headers.insert("x-content-sha256", v);
            }
            res
        }
        Err(error) => error_response(error),
    }
}

/// The signed-in administrator behind a request, or why not (401 / 403).
fn administrator(parts: &http::request::Parts) -> Result<AuthSession, AppError> {
    match parts.extensions.get::<AuthSession>() {
        None => Err(AppError::Unauthorized),
        Some(c) if c.role != Role::Admin => Err(AppError::Forbidden),
        Some(c) => Ok(c.clone()),
    }
}

/// A CSV download with `disposition`, or the error's response.
fn csv_response(made: Result<Vec<u8>, AppError>, disposition: &str) -> Response {
    attachment(made, "text/csv; charset=utf-8", disposition)
}

/// A download of `content_type` with `disposition`, or the error's response.
fn attachment(
    made: Result<Vec<u8>, AppError>,
    content_type: &'static str,
    disposition: &str,
) -> Response {
    match made {
        Ok(bytes) => {
            let mut res = bytes.into_response();
            let headers = res.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            if let Ok(v) = HeaderValue::from_str(disposition) {
                headers.insert(header::CONTENT_DISPOSITION, v);
            }
            res
        }
        Err(error) => error_response(error),
    }
}

pub async fn audit_csv(
    State(state): State<AppState>,
    Query(filter): Query<AuditFilter>,
    req: Request,
) -> Response {
    let (parts, _) = req.into_parts();
    let caller = match administrator(&parts) {
        Ok(caller) => caller,
        Err(refused) => return error_response(refused),
    };
    let meta = RequestMeta::from_parts(&parts);
    let made = explorer::csv(&state, &caller, &meta, &filter).await;
    csv_response(made, "attachment; filename=\"centinela-auditoria.csv\"")
}

/// `GET /capacitacion/estado.csv`: the administrators' training list, filtered as the page is.
pub async fn training_csv(
    State(state): State<AppState>,
    Query(filter): Query<app::types::training::TrainingFilter>,
    req: Request,
) -> Response {
    use app::server::service::training::status;
    let (parts, _) = req.into_parts();
    if let Err(refused) = administrator(&parts) {
        return error_response(refused);
    }
    let made = status::list(&state, &filter)
        .await
        .and_then(|rows| status::csv(&rows));
    csv_response(made, "attachment; filename=\"centinela-capacitacion.csv\"")
}

/// `GET /reports/monthly/{YYYY-MM}.csv` and `.pdf` (administrators): the monthly audit
/// report as one CSV file with sections, or as a PDF with its charts in the caller's
/// language; generating it is an audit event.
pub async fn monthly_report(
    State(state): State<AppState>,
    Path(file): Path<String>,
    req: Request,
) -> Response {
    use app::server::service::reports;
    let (parts, _) = req.into_parts();
    let admin = match administrator(&parts) {
        Ok(admin) => admin,
        Err(refused) => return error_response(refused),
    };
    let (month, format) = match (file.strip_suffix(".csv"), file.strip_suffix(".pdf")) {
        (Some(month), _) => (month.trim().to_owned(), "csv"),
        (_, Some(month)) => (month.trim().to_owned(), "pdf"),
        _ => return error_response(AppError::NotFound),
    };
    let meta = RequestMeta::from_parts(&parts);
    let locale = app::locale::current_request_locale();
    let made = async {
        let report = reports::monthly::compute(&state, &month).await?;
        let (report, body) = if format == "pdf" {
            let report = reports::monthly::draw(report, locale);
            // Laying out and compressing the PDF is CPU work: off the async workers.
            tokio::task::spawn_blocking(move || {
                reports::pdf::monthly(&report, locale).map(|body| (report, body))
            })
            .await
            .map_err(|_| AppError::Internal)??
        } else {
            let body = reports::csv::monthly(&report)?;
            (report, body)
        };
        reports::monthly::record_generated(&state, &admin, &meta, &report, format).await?;
        Ok(body)
    }
    .await;
    let disposition = format!("attachment; filename=\"centinela-reporte-{month}.{format}\"");
    if format == "pdf" {
        attachment(made, "application/pdf", &disposition)
    } else {
        csv_response(made, &disposition)
    }
}

/// The range of a compliance report download (`?from=YYYY-MM-DD&to=YYYY-MM-DD`).
#[derive(Debug, serde::Deserialize)]
pub struct Range {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// `GET /reports/compliance/report.csv` and `.pdf` `?from=&to=` (administrators): the
/// compliance report of a range of Lima days as CSV (one file with sections) or PDF;
/// audited. The range is read in parts, so a year does not hold up other requests.
pub async fn compliance_report(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(range): Query<Range>,
    req: Request,
) -> Response {
    use app::server::service::reports::{self, compliance};
    let (parts, _) = req.into_parts();
    let admin = match administrator(&parts) {
        Ok(admin) => admin,
        Err(refused) => return error_response(refused),
    };
    let format = match file.as_str() {
        "report.csv" => "csv",
        "report.pdf" => "pdf",
        _ => return error_response(AppError::NotFound),
    };
    let meta = RequestMeta::from_parts(&parts);
    let locale = app::locale::current_request_locale();
    let made = async {
        let report = compliance::compute(&state, &range.from, &range.to, |_, _| {}).await?;
        reports::record_generated(
            &state,
            &admin,
            &meta,
            &compliance::target(&report),
            (report.head_seq, &report.head_hash),
            format,
        )
        .await?;
        if format == "pdf" {
            let report = compliance::draw(report, locale);
            tokio::task::spawn_blocking(move || reports::pdf::compliance(&report, locale))
                .await
                .map_err(|_| AppError::Internal)?
        } else {
            reports::csv::compliance(&report)
        }
    }
    .await;
    let disposition = format!(
        "attachment; filename=\"centinela-cumplimiento-{}-{}.{format}\"",
        range.from.trim(),
        range.to.trim()
    );
    if format == "pdf" {
        attachment(made, "application/pdf", &disposition)
    } else {
        csv_response(made, &disposition)
    }
}
