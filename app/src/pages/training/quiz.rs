//! The confidentiality agreement (accepted once per certificate period) and the quiz:
//! an attempt starts only when the employee asks for it, its questions come without their
//! answers, and the review after grading shows each choice, the right one and why.

use super::guide;
use crate::api::training::{accept_agreement, quiz_start, quiz_submit};
use crate::components::error::ErrorNotice;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::types::time::{format_lima, format_lima_date};
use crate::types::training::{PASS_PERCENT, QUESTIONS_PER_ATTEMPT, QuizResult, QuizStart};
use leptos::prelude::*;
use std::collections::BTreeMap;

#[component]
pub fn AgreementPage() -> impl IntoView {
    let i18n = use_i18n();
    let accept = Action::new(|_: &()| accept_agreement());
    let text = move || {
        let (lead, points) = guide::agreement(i18n.get_locale());
        let points = points
            .iter()
            .map(|p| view! { <li>{*p}</li> })
            .collect_view();
        view! { <p>{lead}</p> <ol>{points}</ol> }
    };
    view! {
        <PageTitle text=|l| td_string!(l, training.agreement).to_owned() />
        <h1>{t!(i18n, training.agreement)}</h1>
        <section class="card agreement" data-testid="agreement">{text}</section>
        {move || match accept.value().get() {
            Some(Ok(())) => view! {
                <p class="status-ok" data-testid="agreement-accepted">{t!(i18n, training.agreement_accepted)}</p>
                <a class="button" href="/capacitacion/evaluacion">{t!(i18n, training.take_quiz)}</a>
            }.into_any(),
            Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
            None => view! {
                <button type="button" class="button" data-testid="accept-agreement"
                    on:click=move |_| { accept.dispatch(()); }>{t!(i18n, training.accept)}</button>
            }.into_any(),
        }}
    }
}

#[component]
pub fn QuizPage() -> impl IntoView {
    let i18n = use_i18n();
    let start = Action::new(|_: &()| quiz_start());
    let submit = Action::new(|(id, answers): &(String, BTreeMap<String, String>)| {
        quiz_submit(id.clone(), answers.clone())
    });
    view! {
        <PageTitle text=|l| td_string!(l, training.quiz).to_owned() />
        <h1>{t!(i18n, training.quiz)}</h1>
        {move || match (submit.value().get(), start.value().get()) {
            (Some(Ok(result)), _) => view! { <Review result /> }.into_any(),
            (submitted, Some(Ok(attempt))) => view! {
                {submitted.and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
                <Attempt attempt submit />
            }.into_any(),
            (_, started) => view! {
                {started.and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
                <section class="card">
                    <p>{t!(i18n, training.quiz_rules, count = QUESTIONS_PER_ATTEMPT, pass = PASS_PERCENT)}</p>
                    <button type="button" class="button" data-testid="start-quiz"
                        on:click=move |_| { start.dispatch(()); }>{t!(i18n, training.start)}</button>
                </section>
            }.into_any(),
        }}
    }
}

type Submit = Action<(String, BTreeMap<String, String>), Result<QuizResult, crate::AppError>>;

#[component]
fn Attempt(attempt: QuizStart, submit: Submit) -> impl IntoView {
    let i18n = use_i18n();
    let answers = RwSignal::new(BTreeMap::<String, String>::new());
    let total = attempt.questions.len();
    let questions = attempt
        .questions
        .into_iter()
        .enumerate()
        .map(|(n, q)| {
            let options = q
                .options
                .into_iter()
                .map(|o| {
                    let (qid, oid) = (q.id.clone(), o.id.clone());
                    view! {
                        <label class="quiz-option">
                            <input type="radio" name=q.id.clone() value=o.id.clone()
                                on:change=move |_| answers.update(|a| { a.insert(qid.clone(), oid.clone()); }) />
                            " " {o.text}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="card quiz-question" data-testid="quiz-question" data-question=q.id.clone()>
                    <legend>{format!("{}. ", n + 1)}{q.text}</legend>
                    {options}
                </fieldset>
            }
        })
        .collect_view();
    let id = attempt.attempt_id.clone();
    view! {
        <p class="muted" data-testid="quiz-deadline">{t!(i18n, training.deadline, at = format_lima(attempt.expires_at))}</p>
        <form on:submit=move |ev| {
            ev.prevent_default();
            submit.dispatch((id.clone(), answers.get_untracked()));
        }>
            {questions}
            <p class="muted">{move || t_string!(i18n, training.answered, done = answers.with(BTreeMap::len), total = total).to_string()}</p>
            <button type="submit" class="button" data-testid="submit-quiz"
                disabled=move || submit.pending().get()>{t!(i18n, training.submit)}</button>
        </form>
    }
}

#[component]
fn Review(result: QuizResult) -> impl IntoView {
    let i18n = use_i18n();
    let verdict = if result.expired {
        view! { <p class="status-bad">{t!(i18n, training.expired)}</p> }.into_any()
    } else if result.passed {
        view! { <p class="status-ok">{t!(i18n, training.passed)}</p> }.into_any()
    } else {
        view! { <p class="status-bad">{t!(i18n, training.failed, pass = PASS_PERCENT)}</p> }
            .into_any()
    };
    let certificate = result.certificate.clone().map(|c| view! {
        <p data-testid="new-certificate">
            {t!(i18n, training.certificate_code)} " " <code data-testid="certificate-code">{c.code.clone()}</code>
            " · " {t!(i18n, training.valid_until, date = format_lima_date(c.valid_until))}
        </p>
        <p><a class="button" href="/capacitacion/certificado">{t!(i18n, training.see_certificate)}</a></p>
    });
    let items = result
        .review
        .into_iter()
        .map(|r| {
            let options = r
                .options
                .iter()
                .map(|o| {
                    let chosen = r.chosen.as_deref() == Some(o.id.as_str());
                    let right = o.id == r.correct;
                    view! {
                        <li class:review-right=right class:review-chosen=chosen>
                            {o.text.clone()}
                            {right.then(|| view! { " " <strong>{t!(i18n, training.right_answer)}</strong> })}
                            {(chosen && !right).then(|| view! { " " <strong>{t!(i18n, training.your_answer)}</strong> })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <li class="card review-item" data-testid="review-item" data-correct=r.is_correct.to_string()>
                    <p><strong>{if r.is_correct { "✓ " } else { "✗ " }}</strong>{r.text}</p>
                    <ul>{options}</ul>
                    <p class="muted">{r.explanation}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" data-testid="quiz-result" data-passed=result.passed.to_string()>
            <p class="quiz-score" data-testid="quiz-score">{format!("{} / {}", result.score, result.total)}</p>
            {verdict}
            {certificate}
            <p><a href="/capacitacion">{t!(i18n, training.back)}</a></p>
        </section>
        <ol class="review">{items}</ol>
    }
}
