//! Protection applied to every request, outermost first: security headers (with a fresh CSP
//! nonce), the client's address, the request's language, the cross-site check, and — after
//! the cookie layer — the session check that tells handlers who is calling.

use app::AppError;
use app::i18n::Locale;
use app::locale::{REQUEST_LOCALE, locale_from_cookie_header};
use app::server::AppState;
use app::server::context::{AuthSession, ClientIp, SESSION_KEY};
use app::server::service::access::sign_in as auth;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, StatusCode};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use tower_sessions::Session;

/// The CSP nonce of this response; the page's own scripts carry it.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

/// Settings the header middleware needs.
#[derive(Debug, Clone, Copy)]
pub struct HeaderPolicy {
    pub https: bool,
}

fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Adds the security headers to every response, error pages included.
pub async fn security_headers(
    State(policy): State<HeaderPolicy>,
    mut req: Request,
    next: Next,
) -> Response {
    let nonce = format!("{:032x}", rand::random::<u128>());
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let is_asset = req.uri().path().starts_with("/pkg/");
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    let mut set = |name: HeaderName, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(name, v);
        }
    };
    set(
        header::CONTENT_SECURITY_POLICY,
        &content_security_policy(&nonce),
    );
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "same-origin");
    set(
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    if policy.https {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    if !is_asset {
        // Pages and API answers hold personal data: never keep them in a shared cache.
        set(header::CACHE_CONTROL, "no-store");
    }
    res
}

/// Decides the client's address: the socket peer, unless the peer is a trusted proxy, in
/// which case the rightmost address in `X-Forwarded-For` (or `Forwarded`) that is not
/// itself a trusted proxy.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut chain: Vec<IpAddr> = forwarded_for(headers);
    chain.push(peer);
    chain
        .iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .or_else(|| chain.first())
        .copied()
        .unwrap_or(peer)
}

/// Addresses from `Forwarded: for=...` (RFC 7239), else `X-Forwarded-For`, left to right.
fn forwarded_for(headers: &HeaderMap) -> Vec<IpAddr> {
    let forwarded: Vec<IpAddr> = headers
        .get_all(header::FORWARDED)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .flat_map(|element| element.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(key, _)| key.trim().eq_ignore_ascii_case("for"))
        .filter_map(|(_, value)| parse_node(value))
        .collect();
    if !forwarded.is_empty() {
        return forwarded;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(parse_node)
        .collect()
}

/// `1.2.3.4`, `"[2001:db8::1]:4711"`, `1.2.3.4:80` -> the address.
fn parse_node(raw: &str) -> Option<IpAddr> {
    let s = raw.trim().trim_matches('"');
    if let Ok(ip) = s.parse() {
        return Some(ip);
    }
    if let Some(rest) = s.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    s.rsplit_once(':').and_then(|(host, _)| host.parse().ok())
}

pub async fn client_ip(
    State(trusted): State<Arc<Vec<IpNet>>>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::from([0, 0, 0, 0]));
    let ip = client_address(peer, req.headers(), &trusted);
    req.extensions_mut().insert(ClientIp(ip));
    next.run(req).await
}

/// Runs the request with its language (the switch's cookie, else Spanish) in scope.
pub async fn request_locale(req: Request, next: Next) -> Response {
    let locale: Locale = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(locale_from_cookie_header)
        .unwrap_or_default();
    REQUEST_LOCALE.scope(locale, next.run(req)).await
}

/// Refuses state-changing requests that a browser marks as coming from another site.
/// Non-browser clients send neither header and are not a CSRF vector.
pub async fn reject_cross_site(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || same_site(req.headers())
    {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), "cross-site request refused");
    error_response(AppError::CrossSite)
}

pub fn same_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    matches!((origin_host, host), (Some(o), Some(h)) if o.eq_ignore_ascii_case(h))
}

/// The JSON error body every client of ours understands, with the error's status (the
/// error itself rides along as a response extension for the middleware outside).
pub fn error_response(error: AppError) -> Response {
    let status = error.status_code();
    let body = serde_json::to_string(&error).unwrap_or_else(|_| "{}".into());
    let mut res = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    res.extensions_mut().insert(error);
    res
}

/// When a request failed because an append found the audit chain inconsistent, raises the
/// TAMPERED_LOG signal (the request itself already answers 503 with a clear message).
pub async fn audit_alarm(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if matches!(
        res.extensions().get::<AppError>(),
        Some(AppError::AuditLogNeedsAttention)
    ) && let Err(error) = app::server::service::audit::integrity::raise_tampered(
        &state,
        "an append found a row where the next audit event belongs",
    )
    .await
    {
        tracing::error!(%error, "could not raise the TAMPERED_LOG signal");
    }
    res
}

/// A page that redirects (for example to the sign-in page) answers 302 whoever asks:
/// Leptos sets the status only for clients that accept `text/html`, so `curl` would get a
/// 200 with a `Location` header and an empty page.
pub async fn page_redirects(req: Request, next: Next) -> Response {
    let is_get = req.method() == Method::GET;
    let mut res = next.run(req).await;
    if is_get && res.status() == StatusCode::OK && res.headers().contains_key(header::LOCATION) {
        *res.status_mut() = StatusCode::FOUND;
    }
    res
}

/// A GET of a page (not a server function, a download or a static file).
fn is_page_load(req: &Request) -> bool {
    let path = req.uri().path();
    req.method() == Method::GET
        && !path.starts_with("/api/")
        && !path.starts_with("/exports/")
        && !path.starts_with("/requests/")
        && !path.ends_with(".csv")
}

/// Tells handlers who is calling: the session must exist, be open, and be within its idle
/// and absolute limits; otherwise it is ended (audited) and the cookie is cleared.
pub async fn authenticate(
    State(state): State<AppState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    if req.uri().path().starts_with("/pkg/") {
        return next.run(req).await;
    }
    let sid = match session.get::<String>(SESSION_KEY).await {
        Ok(sid) => sid,
        Err(error) => {
            tracing::error!(%error, "session store");
            return error_response(AppError::Unavailable);
        }
    };
    if let Some(sid) = sid {
        match auth::resume(&state, &sid).await {
            Ok(Some(caller)) => {
                // A page renders the signed-in frame: it needs the user before anything.
                if is_page_load(&req) {
                    match auth::session_user(&state, &caller).await {
                        Ok(user) => {
                            req.extensions_mut().insert(user);
                        }
                        Err(error) => return error_response(error),
                    }
                }
                req.extensions_mut().insert::<AuthSession>(caller);
            }
            Ok(None) => {
                if let Err(error) = session.flush().await {
                    tracing::warn!(%error, "could not clear an ended session");
                }
            }
            Err(error) => return error_response(error),
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).expect("valid"));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn untrusted_peers_cannot_choose_their_address() {
        let h = headers(&[("x-forwarded-for", "1.2.3.4")]);
        assert_eq!(
            client_address(ip("203.0.113.9"), &h, &[]),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn trusted_proxies_give_the_rightmost_untrusted_address() {
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().expect("net")];
        // The client forged the first entry; the proxy appended the real one.
        let h = headers(&[("x-forwarded-for", "6.6.6.6, 198.51.100.7, 10.0.0.2")]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &h, &trusted),
            ip("198.51.100.7")
        );
        let h = headers(&[("forwarded", "for=\"[2001:db8::1]:4711\";proto=https")]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &h, &trusted),
            ip("2001:db8::1")
        );
        assert_eq!(
            client_address(ip("10.0.0.1"), &HeaderMap::new(), &trusted),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn cross_site_detection() {
        assert!(same_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!same_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_site(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(same_site(&headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!same_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!same_site(&headers(&[
            ("origin", "null"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(same_site(&HeaderMap::new()));
    }
}
