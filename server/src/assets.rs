//! The front end's files (`/pkg/...`): the brotli or gzip copy made at build time when the
//! browser accepts it, and a year of caching for content-hashed names (a new build has new
//! names, so nothing stale is ever used); anything else is revalidated.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::path::Path;
use tower_http::services::ServeDir;

pub fn router<S: Clone + Send + Sync + 'static>(site_root: &Path) -> Router<S> {
    let files = ServeDir::new(site_root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn(cache_control))
}

async fn cache_control(req: Request, next: Next) -> Response {
    let hashed = is_hashed_name(req.uri().path());
    let mut res = next.run(req).await;
    if res.status().is_success() {
        let value = if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}

/// `centinela.<16 hex digits>.<extension>`, as `scripts/site.sh` names them.
fn is_hashed_name(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.split('.');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("centinela"), Some(hash), Some(_), None)
            if hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_hashed_names_are_cached_for_long() {
        assert!(is_hashed_name("/centinela.0123456789abcdef.wasm"));
        assert!(is_hashed_name("/pkg/centinela.0123456789abcdef.js"));
        assert!(!is_hashed_name("/centinela.js"));
        assert!(!is_hashed_name("/centinela_bg.wasm"));
        assert!(!is_hashed_name("/centinela.0123456789abcdeg.css"));
        assert!(!is_hashed_name("/centinela.0123456789abcdef.wasm.br"));
    }
}
