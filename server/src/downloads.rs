//! `GET /exports/{id}/download`: the export file, for its owner only (anyone else gets 404),
//! once, within 15 minutes of the export.

use crate::middleware::error_response;
use app::AppError;
use app::server::AppState;
use app::server::context::{AuthSession, RequestMeta};
use app::server::service::export;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use http::header::{self, HeaderValue};

pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    req: Request,
) -> Response {
    let (parts, _) = req.into_parts();
    let Some(caller) = parts.extensions.get::<AuthSession>().cloned() else {
        return error_response(AppError::Unauthorized);
    };
    let meta = RequestMeta::from_parts(&parts);
    match export::download(&state, &caller, &meta, &id).await {
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
