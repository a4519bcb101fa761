//! The HTML shell and the app around the route table (`routes.rs`).

use crate::i18n::*;
use crate::routes::AppRoutes;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::Router;

/// Where the stylesheet is (content-hashed in a built site).
fn stylesheet_href() -> String {
    #[cfg(feature = "ssr")]
    {
        crate::server::assets::stylesheet_href()
    }
    #[cfg(not(feature = "ssr"))]
    {
        "/pkg/centinela.css".into()
    }
}

/// The document around the app (server-rendered once per page load).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <link rel="stylesheet" href=stylesheet_href() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser, once the page is interactive: tests wait for this.
    Effect::new(|| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <I18nContextProvider
            cookie_name=crate::locale::LOCALE_COOKIE
            cookie_options=crate::components::lang::cookie_options()
            ssr_lang_header_getter=crate::components::lang::ignore_accept_language()
        >
            <Title formatter=|page: String| {
                if page.is_empty() { "Centinela".to_owned() } else { format!("{page} · Centinela") }
            } />
            <Router>
                <AppRoutes />
            </Router>
        </I18nContextProvider>
    }
}
