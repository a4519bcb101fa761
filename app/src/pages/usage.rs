//! "Mi uso": my quota per window, my exports with receipts, my approval requests, my
//! sign-in history and my open sessions (with "Cerrar sesión" for the others).

use crate::api::usage::{end_session, get_my_usage};
use crate::components::error::ErrorNotice;
use crate::components::labels;
use crate::components::live::use_live;
use crate::components::quota::QuotaBars;
use crate::i18n::*;
use crate::types::export::{ActiveSession, ExportReceipt, MyUsage, RequestSummary, SignInEntry};
use crate::types::time::format_lima;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn UsagePage() -> impl IntoView {
    let i18n = use_i18n();
    let end = Action::new(|id: &String| end_session(id.clone()));
    let usage = Resource::new(move || end.version().get(), |_| get_my_usage());
    view! {
        <Title text=move || t_string!(i18n, usage.title) />
        <h1>{t!(i18n, usage.title)}</h1>
        {move || end.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
        <Transition fallback=|| view! { <div class="loading" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match usage.await {
                    Ok(usage) => view! { <Usage usage end /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Usage(usage: MyUsage, end: Action<String, Result<(), crate::AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="grid-2">
            <section class="card" data-testid="my-quota">
                <h2>{t!(i18n, usage.quota)}</h2>
                <QuotaBars quota=usage.quota />
            </section>
            <section class="card">
                <h2>{t!(i18n, usage.sessions)}</h2>
                <Sessions sessions=usage.sessions end />
            </section>
        </div>
        <section>
            <h2>{t!(i18n, usage.exports)}</h2>
            <Exports exports=usage.exports />
        </section>
        <section>
            <h2>{t!(i18n, usage.requests)}</h2>
            <Requests requests=usage.requests />
        </section>
        <section>
            <h2>{t!(i18n, usage.sign_ins)}</h2>
            <SignIns entries=usage.sign_ins />
        </section>
    }
}

#[component]
fn Exports(exports: Vec<ExportReceipt>) -> impl IntoView {
    let i18n = use_i18n();
    if exports.is_empty() {
        return view! { <p class="card muted">{t!(i18n, usage.no_exports)}</p> }.into_any();
    }
    let rows = exports
        .into_iter()
        .map(|e| {
            let fields = e.fields.clone();
            let field_names = move || {
                fields
                    .iter()
                    .map(|f| labels::field(i18n.get_locale(), *f))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let file = match (e.download_url, e.downloaded_at) {
                (Some(url), _) => view! { <a class="button button-small" href=url download="" rel="external">{t!(i18n, export.download)}</a> }.into_any(),
                (None, Some(_)) => view! { <span class="muted">{t!(i18n, usage.downloaded)}</span> }.into_any(),
                (None, None) => view! { <span class="muted">{t!(i18n, usage.expired)}</span> }.into_any(),
            };
            view! {
                <tr>
                    <td><code>{e.receipt}</code></td>
                    <td>{format_lima(e.created_at)}</td>
                    <td class="num">{e.count}</td>
                    <td>{field_names}</td>
                    <td>{e.format.to_uppercase()}</td>
                    <td><code class="hash" title=e.sha256.clone()>{e.sha256.chars().take(16).collect::<String>()}"…"</code></td>
                    <td>{file}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="my-exports">
                <thead><tr>
                    <th>{t!(i18n, export.receipt)}</th><th>{t!(i18n, usage.when)}</th>
                    <th>{t!(i18n, usage.count)}</th><th>{t!(i18n, usage.fields)}</th>
                    <th>{t!(i18n, export.format)}</th><th>{t!(i18n, export.sha256)}</th>
                    <th>{t!(i18n, usage.file)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Requests(requests: Vec<RequestSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if requests.is_empty() {
        return view! { <p class="card muted">{t!(i18n, usage.no_requests)}</p> }.into_any();
    }
    let rows = requests
        .into_iter()
        .map(|r| {
            let status = r.status.clone();
            view! {
                <tr>
                    <td class="num">{r.id}</td>
                    <td>{format_lima(r.created_at)}</td>
                    <td class="num">{r.count}</td>
                    <td><span class=format!("badge badge-{}", r.status)>{move || labels::request_status(i18n.get_locale(), &status)}</span></td>
                    <td>{r.approver.unwrap_or_default()}</td>
                    <td class="reason">{r.reason}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="my-requests">
                <thead><tr>
                    <th>"#"</th><th>{t!(i18n, usage.when)}</th><th>{t!(i18n, usage.count)}</th>
                    <th>{t!(i18n, usage.status)}</th><th>{t!(i18n, usage.approver)}</th><th>{t!(i18n, usage.reason)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn SignIns(entries: Vec<SignInEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = entries
        .into_iter()
        .map(|e| {
            let device = e.device.clone().unwrap_or_default();
            view! {
                <tr class:failed=!e.success>
                    <td>{format_lima(e.at)}</td>
                    <td>{move || if e.success { t_string!(i18n, usage.ok) } else { t_string!(i18n, usage.failed) }}</td>
                    <td>{e.ip.unwrap_or_default()}</td>
                    <td>{e.browser.unwrap_or_default()}</td>
                    <td>{e.os.unwrap_or_default()}</td>
                    <td>{move || labels::device(i18n.get_locale(), &device)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="my-sign-ins">
                <thead><tr>
                    <th>{t!(i18n, usage.when)}</th><th>{t!(i18n, usage.result)}</th><th>{t!(i18n, usage.ip)}</th>
                    <th>{t!(i18n, usage.browser)}</th><th>{t!(i18n, usage.os)}</th><th>{t!(i18n, usage.device)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[component]
fn Sessions(
    sessions: Vec<ActiveSession>,
    end: Action<String, Result<(), crate::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let live = use_live();
    let items = sessions
        .into_iter()
        .map(|s| {
            let id = s.id.clone();
            let device = s.device.clone();
            view! {
                <li class="session" data-testid="session">
                    <div>
                        <strong>{s.browser}" · "{s.os}</strong>
                        " "<span class="muted">{move || labels::device(i18n.get_locale(), &device)}</span>
                        <div class="muted small">
                            {s.ip}" · "{t!(i18n, usage.started)}" "{format_lima(s.started_at)}
                            " · "{t!(i18n, usage.last_seen)}" "{format_lima(s.last_seen_at)}
                        </div>
                    </div>
                    {if s.current {
                        view! { <span class="badge badge-active">{t!(i18n, usage.this_session)}</span> }.into_any()
                    } else {
                        view! {
                            <button type="button" class="button button-small button-secondary"
                                disabled=move || !live.get() on:click=move |_| { end.dispatch(id.clone()); }>
                                {t!(i18n, usage.end)}
                            </button>
                        }.into_any()
                    }}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="sessions">{items}</ul> }
}
