//! The front end's files (`/pkg/...`): the brotli or gzip copy made at build time when the
//! browser accepts it, and a year of caching for a build's files, which are in a folder
//! named by the hash of their contents (a new build is a new folder, so nothing stale is
//! ever used); anything else is revalidated.

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

/// `<16 hex digits>/<file>` (below `/pkg`), as `scripts/site.sh` lays a build out.
fn is_hashed_name(path: &str) -> bool {
    let mut parts = path.trim_start_matches('/').split('/');
    matches!(
        (parts.next(), parts.next(), parts.next()),
        (Some(build), Some(file), None)
            if build.len() == 16 && build.chars().all(|c| c.is_ascii_hexdigit()) && !file.is_empty()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_hashed_names_are_cached_for_long() {
        assert!(is_hashed_name("/0123456789abcdef/centinela_bg.wasm"));
        assert!(is_hashed_name("/0123456789abcdef/chunk_4.wasm"));
        assert!(is_hashed_name("/0123456789abcdef/centinela.css"));
        assert!(!is_hashed_name("/centinela.js"));
        assert!(!is_hashed_name("/0123456789abcdeg/centinela.js"));
        assert!(!is_hashed_name("/0123456789abcdef/"));
        assert!(!is_hashed_name("/0123456789abcdef/a/b.js"));
    }
}
