//! Signing in and out, and who the caller is.

use crate::error::AppError;
use crate::types::SessionUser;
use leptos::prelude::*;

/// `POST /api/login` with form fields `username` and `password`.
#[server(prefix = "/api", endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<SessionUser, AppError> {
    use crate::server::context;
    use crate::server::service::access::{language, protection, sign_in as auth};
    let state = context::state()?;
    let meta = context::request_meta()?;
    if let Some(wait) = protection::throttled(&state, &meta.ip).await? {
        context::retry_after(wait);
        return Err(AppError::TooManyRequests);
    }
    let signed_in = auth::sign_in(&state, &username, &password, &meta).await?;
    context::start_http_session(&signed_in.session_id).await?;
    // A language picked before signing in becomes the user's; otherwise the user's own
    // comes back in this browser.
    match context::chosen_locale() {
        Some(chosen) => language::set(&state, signed_in.user.id, chosen).await?,
        None => {
            if let Ok(stored) = signed_in.user.locale.parse() {
                context::remember_locale(stored);
            }
        }
    }
    // A language picked before signing in becomes the user's; otherwise the user's own
    // comes back in this browser.
    match context::chosen_locale() {
        Some(chosen) => language::set(&state, signed_in.user.id, chosen).await?,
        None => {
            if let Ok(stored) = signed_in.user.locale.parse() {
                context::remember_locale(stored);
            }
        }
    }
    if context::wants_html() {
        leptos_axum::redirect("/");
    }
    Ok(signed_in.user)
}

/// `POST /api/logout`: ends the current session on the server and clears the cookie.
#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::server::{context, service::access::sign_in as auth};
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
    use crate::server::{context, service::access::sign_in as auth};
    let Some(caller) = context::current_session() else {
        return Ok(None);
    };
    let state = context::state()?;
    Ok(Some(auth::session_user(&state, &caller).await?))
}

/// Stores the language the signed-in caller reads (the ES/EN switch calls it), so that
/// mail and notices reach them in it.
#[server(prefix = "/api", endpoint = "set_language")]
pub async fn set_language(locale: String) -> Result<(), AppError> {
    use crate::Notice;
    use crate::server::{context, service::access::language};
    let caller = context::require_user()?;
    let locale = locale.parse().map_err(|_| {
        AppError::validation(
            "locale",
            Notice::Text {
                code: "unknown_locale".into(),
                message: "es-PE | en".into(),
            },
        )
    })?;
    language::set(&context::state()?, caller.user_id, locale).await
}

/// `POST /api/unlock_user` (administrators): ends the sign-in lock of `username` (audited).
#[server(prefix = "/api", endpoint = "unlock_user")]
pub async fn unlock_user(username: String) -> Result<(), AppError> {
    use crate::server::{context, service::access::protection};
    use crate::types::Role;
    let admin = context::require_role(Role::Admin)?;
    let meta = context::request_meta()?;
    protection::unlock(&context::state()?, &admin, &meta, &username).await
}
