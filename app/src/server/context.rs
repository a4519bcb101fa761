//! What a server function may know about its request: the state, the caller, the client
//! address and user agent. Every server function starts here, because any HTTP client can
//! call it: authorization happens on the server, never only in the UI.

use super::AppState;
use crate::error::AppError;
use crate::types::Role;
use http::request::Parts;
use leptos::prelude::*;
use std::net::{IpAddr, Ipv4Addr};

/// The client's address as the server decided it (peer, or trusted proxy's word for it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// The signed-in caller, put in the request by the authentication middleware.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthSession {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    pub session_id: String,
}

/// Who did something, from where: what the audit log records for each request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestMeta {
    pub ip: String,
    pub user_agent: String,
    pub session_id: Option<String>,
}

impl RequestMeta {
    /// Reads the address (from [`ClientIp`]), user agent and session out of a request.
    pub fn from_parts(parts: &Parts) -> Self {
        let ip = parts
            .extensions
            .get::<ClientIp>()
            .map(|c| c.0)
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let user_agent = parts
            .headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .chars()
            .take(512)
            .collect();
        Self {
            ip: ip.to_string(),
            user_agent,
            session_id: parts
                .extensions
                .get::<AuthSession>()
                .map(|s| s.session_id.clone()),
        }
    }
}

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

fn parts() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or_else(|| {
        tracing::error!("request parts missing from the Leptos context");
        AppError::Internal
    })
}

pub fn request_meta() -> Result<RequestMeta, AppError> {
    Ok(RequestMeta::from_parts(&parts()?))
}

/// The signed-in caller, or `None`.
pub fn current_session() -> Option<AuthSession> {
    use_context::<Parts>().and_then(|p| p.extensions.get::<AuthSession>().cloned())
}

/// The signed-in user as pages show them, when this request is a page load (the session
/// check loads it for pages only; server functions get [`AuthSession`]).
pub fn page_user() -> Option<crate::types::SessionUser> {
    use_context::<Parts>().and_then(|p| p.extensions.get::<crate::types::SessionUser>().cloned())
}

/// The signed-in caller, or 401.
pub fn require_user() -> Result<AuthSession, AppError> {
    current_session().ok_or(AppError::Unauthorized)
}

/// The signed-in caller if they hold `role`, else 403 (401 when not signed in).
pub fn require_role(role: Role) -> Result<AuthSession, AppError> {
    let user = require_user()?;
    if user.role == role {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The tower-sessions session of this request (cookie handling lives there).
pub async fn http_session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|error| {
            tracing::error!(%error, "session layer missing");
            AppError::Internal
        })
}

/// Whether the request is a plain HTML form post (no JavaScript), which wants a redirect.
pub fn wants_html() -> bool {
    use_context::<Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// The key under which the tower-sessions record keeps our session id.
pub const SESSION_KEY: &str = "sid";

fn store_error(error: tower_sessions::session::Error) -> AppError {
    tracing::error!(%error, "session store");
    AppError::Unavailable
}

/// Binds the browser to a new session: a fresh cookie id (no fixation), holding `session_id`.
pub async fn start_http_session(session_id: &str) -> Result<(), AppError> {
    let session = http_session().await?;
    session.cycle_id().await.map_err(store_error)?;
    session
        .insert(SESSION_KEY, session_id)
        .await
        .map_err(store_error)
}

/// Forgets the browser's session: the record is deleted and the cookie cleared.
pub async fn end_http_session() -> Result<(), AppError> {
    http_session().await?.flush().await.map_err(store_error)
}

/// The language this browser chose with the switch (its cookie), if it chose one.
pub fn chosen_locale() -> Option<crate::i18n::Locale> {
    use_context::<Parts>().and_then(|p| {
        p.headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(crate::locale::chosen_in_cookie_header)
    })
}

/// Makes this browser speak `locale` from the next page on (the switch's cookie).
pub fn remember_locale(locale: crate::i18n::Locale) {
    let cookie = format!(
        "{}={}; Path=/; Max-Age={}; SameSite=Lax",
        crate::locale::LOCALE_COOKIE,
        crate::locale::code(locale),
        365 * 24 * 3600
    );
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&cookie),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// Tells the client when to try again (with a 429).
pub fn retry_after(seconds: i64) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&seconds.max(1).to_string()),
    ) {
        response.insert_header(http::header::RETRY_AFTER, value);
    }
}
