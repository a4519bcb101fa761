//! Showing errors to people, and setting the HTTP status of pages rendered on the server.

use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// Sets the status code of the page being rendered on the server (no-op in the browser).
pub fn set_page_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(code)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        options.set_status(code);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// A failed request, in the reader's language. A request that found the session ended
/// (signed out elsewhere, expired, blocked) takes the browser to the sign-in page.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    if error == AppError::Unauthorized {
        // Effects run only in the browser.
        Effect::new(move |_| {
            let _ = window().location().set_href("/login");
        });
    }
    view! { <p class="notice notice-error" role="alert">{move || error.message_in(i18n.get_locale())}</p> }
}
