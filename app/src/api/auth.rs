//! Signing in and out, and who the caller is.

use crate::error::AppError;
use crate::types::SessionUser;
use leptos::prelude::*;

/// `POST /api/login` with form fields `username` and `password`.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<SessionUser, AppError> {
    use crate::server::{context, service::auth};
    let state = context::state()?;
    let meta = context::request_meta()?;
    let signed_in = auth::sign_in(&state, &username, &password, &meta).await?;
    context::start_http_session(&signed_in.session_id).await?;
    if context::wants_html() {
        leptos_axum::redirect("/");
    }
    Ok(signed_in.user)
}

/// `POST /api/logout`: ends the current session on the server and clears the cookie.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::{context, service::auth};
    let state = context::state()?;
    if let Some(caller) = context::current_session() {
        auth::sign_out(&state, &caller, &context::request_meta()?).await?;
    }
    context::end_http_session().await?;
    if context::wants_html() {
        leptos_axum::redirect("/login");
    }
    Ok(())
}

/// The signed-in user, or `None` when nobody is signed in.
#[server(prefix = "/api", endpoint = "me")]
pub async fn me() -> Result<Option<SessionUser>, AppError> {
    use crate::server::{context, service::auth};
    let Some(caller) = context::current_session() else {
        return Ok(None);
    };
    let state = context::state()?;
    Ok(Some(auth::session_user(&state, &caller).await?))
}
