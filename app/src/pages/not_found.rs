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
