//! The 404 and 403 pages, with their status codes set on the server, and the message shown
//! when a page's code cannot be fetched.

use crate::components::error::set_page_status;
use crate::components::title::PageTitle;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    set_page_status(404);
    let i18n = use_i18n();
    view! {
        <PageTitle text=|l| td_string!(l, errors.not_found_title).to_owned() />
        <main class="page page-narrow">
            <section class="card status-card">
                <p class="status-code">"404"</p>
                <h1>{t!(i18n, errors.not_found_title)}</h1>
                <p>{t!(i18n, errors.not_found_body)}</p>
                <a class="button" href="/">{t!(i18n, errors.back_home)}</a>
            </section>
        </main>
    }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    set_page_status(403);
    let i18n = use_i18n();
    view! {
        <PageTitle text=|l| td_string!(l, errors.forbidden_title).to_owned() />
        <section class="card status-card">
            <p class="status-code">"403"</p>
            <h1>{t!(i18n, errors.forbidden_title)}</h1>
            <p>{t!(i18n, errors.forbidden_body)}</p>
            <a class="button" href="/">{t!(i18n, errors.back_home)}</a>
        </section>
    }
}

/// Shown in the browser when the part of the front end a page needs could not be fetched
/// (see `routes::area_part!`). Reloading asks the server for the page afresh.
#[component]
pub fn PageUnavailable() -> impl IntoView {
    let i18n = use_i18n();
    let reload = |_| {
        let _ = window().location().reload();
    };
    view! {
        <PageTitle text=|l| td_string!(l, errors.page_unavailable_title).to_owned() />
        <section class="card status-card" role="alert">
            <h1>{t!(i18n, errors.page_unavailable_title)}</h1>
            <p>{t!(i18n, errors.page_unavailable_body)}</p>
            <button type="button" class="button" on:click=reload>
                {t!(i18n, errors.retry)}
            </button>
        </section>
    }
}

/// When the code of the page a visit starts on cannot be fetched, the page is not hydrated
/// (`frontend`): it stays as the server drew it, readable, and this puts the same message on
/// top of it, with a link that loads the page again.
#[cfg(feature = "hydrate")]
pub fn announce_unavailable() {
    use crate::i18n::Locale;
    let document = document();
    let locale = document
        .document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|lang| lang.parse::<Locale>().ok())
        .unwrap_or_default();
    let element = |tag: &str, text: &str| -> Option<web_sys::Element> {
        let el = document.create_element(tag).ok()?;
        el.set_text_content(Some(text));
        Some(el)
    };
    let notice = (|| -> Option<web_sys::Element> {
        let section = document.create_element("section").ok()?;
        section.set_class_name("card status-card");
        section.set_attribute("role", "alert").ok()?;
        let title = element("h2", td_string!(locale, errors.page_unavailable_title))?;
        section.append_child(&title).ok()?;
        let body = element("p", td_string!(locale, errors.page_unavailable_body))?;
        section.append_child(&body).ok()?;
        let again = element("a", td_string!(locale, errors.retry))?;
        again.set_class_name("button");
        again
            .set_attribute("href", &window().location().href().ok()?)
            .ok()?;
        section.append_child(&again).ok()?;
        Some(section)
    })();
    if let (Some(notice), Some(body)) = (notice, document.body()) {
        let _ = body.prepend_with_node_1(&notice);
    }
}
