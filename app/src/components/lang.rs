//! The language switch. The choice lives in a cookie so the server renders the same
//! language; without it Centinela speaks Spanish (Peru), whatever the browser prefers.
//! When someone is signed in, the choice is also stored as theirs, so that mail and
//! notices reach them in it and their next browser starts in it.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::context::{CookieOptions, UseLocalesOptions};

/// One year, site-wide (browsers default such cookies to SameSite=Lax).
pub fn cookie_options() -> CookieOptions<Locale> {
    CookieOptions::default()
        .path("/")
        .max_age(365_i64 * 24 * 3600 * 1000)
}

/// Spanish is the default: the browser's Accept-Language does not pick the language.
pub fn ignore_accept_language() -> UseLocalesOptions {
    UseLocalesOptions::default().ssr_lang_header_getter(|| None)
}

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let signed_in = use_context::<crate::types::SessionUser>().is_some();
    let choose = move |locale: Locale| {
        i18n.set_locale(locale);
        if signed_in {
            leptos::task::spawn_local(async move {
                // The cookie already switched this browser; storing it is best effort.
                let _ =
                    crate::api::auth::set_language(crate::locale::code(locale).to_owned()).await;
            });
        }
    };
    let button = move |locale: Locale, text: &'static str, label: &'static str| {
        view! {
            <button
                type="button"
                lang=locale.as_str()
                title=label
                aria-pressed=move || (i18n.get_locale() == locale).to_string()
                on:click=move |_| choose(locale)
            >
                {text}
            </button>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=move || t_string!(i18n, lang.switch_label)>
            {button(Locale::es_PE, "ES", "Español")}
            {button(Locale::en, "EN", "English")}
        </div>
    }
}
