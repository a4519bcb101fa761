//! The wire of server functions, as HTTP sees it: each takes one body encoding (415 for
//! any other), and each error leaves with its own status instead of the framework's 500.

use crate::middleware::error_response;
use app::AppError;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::Method;
use http::header::{self, HeaderValue};

/// Server functions take one body encoding each: those in `app::api::JSON_ENDPOINTS` only
/// `application/json`, every other one only a form (`application/x-www-form-urlencoded`
/// or `multipart/form-data`; an empty body may come without a type). Anything else — a
/// `text/plain` body, which is what a cross-site form can send — is refused with 415 before
/// it is decoded, so it changes nothing.
pub async fn require_body_encoding(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if req.method() != Method::POST || !path.starts_with("/api/") {
        return next.run(req).await;
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
    // No body: a zero length, or neither a length nor a chunked transfer (HTTP/1.1).
    let empty = match req.headers().get(header::CONTENT_LENGTH) {
        Some(length) => length.to_str().is_ok_and(|v| v.trim() == "0"),
        None => !req.headers().contains_key(header::TRANSFER_ENCODING),
    };
    let json = app::api::JSON_ENDPOINTS.contains(&path);
    let accepted = match content_type.as_deref() {
        Some("application/json") => json,
        Some("application/x-www-form-urlencoded" | "multipart/form-data") => !json,
        None => !json && empty,
        Some(_) => false,
    };
    if accepted {
        return next.run(req).await;
    }
    let expected = if json {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    error_response(AppError::Refused(app::Notice::UnsupportedContentType {
        expected: expected.to_owned(),
    }))
}

/// Gives each server-function error its own status (401, 403, 422, ...): the framework
/// answers every error with 500, but the JSON body says which error it is.
pub async fn error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if !res.headers().contains_key("serverfnerror") {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 256 * 1024).await else {
        return error_response(AppError::Internal);
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.status_code();
        parts.extensions.insert(error);
    }
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, axum::body::Body::from(bytes))
}
