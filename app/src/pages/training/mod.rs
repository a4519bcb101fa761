//! "Capacitación" (SPEC "Training"): the employee guide, the caller's training status, and
//! the way to the agreement, the quiz and the certificate. Administrators also reach the
//! status of everyone.

pub mod certificate;
mod guide;
pub mod quiz;
pub mod status;

use crate::api::training::my_training;
use crate::components::async_view::AsyncView;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::types::time::format_lima_date;
use crate::types::training::MyTraining;
use leptos::prelude::*;

#[component]
pub fn TrainingPage() -> impl IntoView {
    let i18n = use_i18n();
    let mine = Resource::new(|| (), |_| my_training());
    let admin = expect_context::<crate::types::SessionUser>().is_admin();
    let sections = move || {
        guide::sections(i18n.get_locale())
            .iter()
            .map(|s| {
                let points = s
                    .points
                    .iter()
                    .map(|p| view! { <li>{*p}</li> })
                    .collect_view();
                view! {
                    <section class="card guide-section" id=s.id>
                        <h2>{s.title}</h2>
                        <p>{s.lead}</p>
                        <ul>{points}</ul>
                    </section>
                }
            })
            .collect_view()
    };
    let contents = move || {
        guide::sections(i18n.get_locale())
            .iter()
            .map(|s| view! { <li><a href=format!("#{}", s.id)>{s.title}</a></li> })
            .collect_view()
    };
    view! {
        <PageTitle text=|l| td_string!(l, training.title).to_owned() />
        <h1>{t!(i18n, training.title)}</h1>
        <AsyncView resource=mine let:mine>
            <Standing mine />
        </AsyncView>
        {admin.then(|| view! {
            <p><a class="button-quiet" href="/capacitacion/estado">{t!(i18n, training.everyone)}</a></p>
        })}
        <nav class="card guide-contents" aria-label=move || t_string!(i18n, training.contents)>
            <h2>{t!(i18n, training.guide)}</h2>
            <ol>{contents}</ol>
        </nav>
        {sections}
    }
}

/// Where the caller stands, and what to do next.
#[component]
fn Standing(mine: MyTraining) -> impl IntoView {
    let i18n = use_i18n();
    let certificate = mine.certificate.clone();
    let next = mine.next_attempt_at;
    let step = if mine.agreement_needed {
        view! { <a class="button" href="/capacitacion/acuerdo" data-testid="to-agreement">{t!(i18n, training.read_agreement)}</a> }.into_any()
    } else if mine.attempts_left == 0 {
        let at = next
            .map(crate::types::time::format_lima)
            .unwrap_or_default();
        view! { <p class="muted">{t!(i18n, training.no_attempts_left, at = at)}</p> }.into_any()
    } else {
        view! { <a class="button" href="/capacitacion/evaluacion" data-testid="to-quiz">{t!(i18n, training.take_quiz)}</a> }.into_any()
    };
    view! {
        <section class="card training-status" data-testid="training-status" data-certified=mine.certified.to_string()>
            {match certificate {
                Some(c) => view! {
                    <p class="status-ok"><strong>{t!(i18n, training.certified_until, date = format_lima_date(c.valid_until))}</strong></p>
                    <p><a href="/capacitacion/certificado" data-testid="my-certificate">{t!(i18n, training.see_certificate)}</a></p>
                }.into_any(),
                None => view! {
                    <p class="status-bad"><strong>{t!(i18n, training.not_certified)}</strong></p>
                    <p>{t!(i18n, training.not_certified_body)}</p>
                }.into_any(),
            }}
            {mine.limits_halved.then(|| view! { <p class="notice-warn">{t!(i18n, training.limits_halved)}</p> })}
            {mine.guardian.then(|| view! { <p class="badge badge-guardian" data-testid="guardian">{t!(i18n, training.guardian)}</p> })}
            <p class="muted small">{t!(i18n, training.attempts_left, count = mine.attempts_left)}</p>
            {step}
        </section>
    }
}

/// "Mi uso"'s training line: certified until when (or not), and "Guardián de Datos".
#[component]
pub fn TrainingSummary() -> impl IntoView {
    let i18n = use_i18n();
    let mine = Resource::new(|| (), |_| my_training());
    view! {
        <section>
            <h2>{t!(i18n, training.title)}</h2>
            <AsyncView resource=mine quiet=true let:mine>
                <div class="card" data-testid="my-training" data-certified=mine.certified.to_string()>
                    {match mine.certificate {
                        Some(c) => view! { <p>{t!(i18n, training.certified_until, date = format_lima_date(c.valid_until))}</p> }.into_any(),
                        None => view! { <p class="status-bad">{t!(i18n, training.not_certified)} " " <a href="/capacitacion">{t!(i18n, training.go)}</a></p> }.into_any(),
                    }}
                    {mine.guardian.then(|| view! { <p class="badge badge-guardian" data-testid="guardian">{t!(i18n, training.guardian)}</p> })}
                    {mine.limits_halved.then(|| view! { <p class="notice-warn">{t!(i18n, training.limits_halved)}</p> })}
                </div>
            </AsyncView>
        </section>
    }
}
