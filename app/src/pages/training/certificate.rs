//! The employee's printable certificate, and the public check anyone can open with a
//! certificate's code (`/certificates/{code}`, no sign-in): whose it is, when it was issued,
//! until when it holds, and whether it is valid, expired or revoked — nothing else.

use crate::api::training::{check_certificate, my_training};
use crate::components::async_view::AsyncView;
use crate::components::error::set_page_status;
use crate::components::title::PageTitle;
use crate::error::AppError;
use crate::i18n::*;
use crate::types::time::format_lima_date;
use crate::types::training::{CertificateStatus, MyTraining, PublicCertificate};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn status_name(l: Locale, s: CertificateStatus) -> &'static str {
    match s {
        CertificateStatus::Valid => td_string!(l, training.status_valid),
        CertificateStatus::Expired => td_string!(l, training.status_expired),
        CertificateStatus::Revoked => td_string!(l, training.status_revoked),
    }
}

#[component]
pub fn MyCertificatePage() -> impl IntoView {
    let mine = Resource::new(|| (), |_| my_training());
    view! {
        <PageTitle text=|l| td_string!(l, training.certificate).to_owned() />
        <AsyncView resource=mine let:mine>
            <Printable mine />
        </AsyncView>
    }
}

#[component]
fn Printable(mine: MyTraining) -> impl IntoView {
    let i18n = use_i18n();
    let Some(c) = mine.certificate else {
        return view! {
            <section class="card">
                <p>{t!(i18n, training.not_certified_body)}</p>
                <a class="button" href="/capacitacion">{t!(i18n, training.back)}</a>
            </section>
        }
        .into_any();
    };
    let verify = format!("/certificates/{}", c.code);
    view! {
        <article class="certificate" data-testid="certificate">
            <p class="certificate-kicker">{t!(i18n, training.certificate_kicker)}</p>
            <h1>{mine.full_name.clone()}</h1>
            <p>{t!(i18n, training.certificate_body)}</p>
            <dl class="certificate-facts">
                <dt>{t!(i18n, training.issued)}</dt><dd>{format_lima_date(c.issued_at)}</dd>
                <dt>{t!(i18n, training.valid_until_label)}</dt><dd>{format_lima_date(c.valid_until)}</dd>
                <dt>{t!(i18n, training.code)}</dt><dd><code data-testid="certificate-code">{c.code.clone()}</code></dd>
            </dl>
            <p class="muted small">{t!(i18n, training.verify_at)} " " <a href=verify.clone() data-testid="verify-link">{verify.clone()}</a></p>
        </article>
        <p class="no-print">
            <button type="button" class="button" on:click=|_| { let _ = window().print(); }>{t!(i18n, training.print)}</button>
        </p>
    }
    .into_any()
}

/// `GET /certificates/{code}`.
#[component]
pub fn PublicCertificatePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let found = Resource::new(
        move || params.read().get("code").unwrap_or_default(),
        check_certificate,
    );
    view! {
        <PageTitle text=|l| td_string!(l, training.check_title).to_owned() />
        <main class="page page-narrow">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match found.await {
                        Ok(c) => view! { <Checked c /> }.into_any(),
                        Err(AppError::NotFound) => {
                            set_page_status(404);
                            view! { <section class="card status-card" data-testid="certificate-check"><h1>{t!(i18n, training.check_unknown)}</h1></section> }.into_any()
                        }
                        Err(error) => view! { <crate::components::error::ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn Checked(c: PublicCertificate) -> impl IntoView {
    let i18n = use_i18n();
    let status = c.status;
    view! {
        <section class="card certificate-check" data-testid="certificate-check" data-status=status.code()>
            <p class="certificate-kicker">{c.company.clone()} " · " {t!(i18n, training.check_title)}</p>
            <h1>{c.full_name.clone()}</h1>
            <p class=format!("badge badge-certificate-{}", status.code()) data-testid="certificate-status">
                {move || status_name(i18n.get_locale(), status)}
            </p>
            <dl class="certificate-facts">
                <dt>{t!(i18n, training.issued)}</dt><dd>{format_lima_date(c.issued_at)}</dd>
                <dt>{t!(i18n, training.valid_until_label)}</dt><dd>{format_lima_date(c.valid_until)}</dd>
                <dt>{t!(i18n, training.code)}</dt><dd><code>{c.code.clone()}</code></dd>
            </dl>
        </section>
    }
}
