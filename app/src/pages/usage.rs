//! "Mi uso": my quota per window, my exports with receipts, my approval requests, my
//! sign-in history and my open sessions (with "Cerrar sesión" for the others).

use crate::api::alerts::{alert_answer, my_alerts};
use crate::api::usage::{end_session, get_my_usage};
use crate::components::async_view::AsyncView;
use crate::components::data_table::DataTable;
use crate::components::error::ErrorNotice;
use crate::components::labels;
use crate::components::live::use_live;
use crate::components::quota::QuotaBars;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::types::alert::{AlertItem, OwnerAnswer};
use crate::types::export::{ActiveSession, ExportReceipt, MyUsage, SignInEntry};
use crate::types::time::format_lima;
use leptos::prelude::*;

#[component]
pub fn UsagePage() -> impl IntoView {
    let i18n = use_i18n();
    let end = Action::new(|id: &String| end_session(id.clone()));
    let usage = Resource::new(move || end.version().get(), |_| get_my_usage());
    let answer = Action::new(|(id, yes): &(i64, bool)| {
        alert_answer(*id, if *yes { "yes" } else { "no" }.to_owned())
    });
    let alerts = Resource::new(move || answer.version().get(), |_| my_alerts());
    view! {
        <PageTitle text=|l| td_string!(l, usage.title).to_owned() />
        <h1>{t!(i18n, usage.title)}</h1>
        {move || end.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
        <AsyncView resource=usage transition=true let:usage>
            <Usage usage end />
        </AsyncView>
        <crate::pages::training::TrainingSummary />
        <section>
            <h2>{t!(i18n, usage.alerts)}</h2>
            {move || answer.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error /> })}
            <AsyncView resource=alerts quiet=true transition=true let:alerts>
                <MyAlerts alerts answer />
            </AsyncView>
        </section>
    }
}

/// The security alerts about me, in plain words; those about my own sign-in or export ask
/// "was this you?".
#[component]
fn MyAlerts(
    alerts: Vec<AlertItem>,
    answer: Action<(i64, bool), Result<AlertItem, crate::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    if alerts.is_empty() {
        return view! { <p class="card muted">{t!(i18n, usage.no_alerts)}</p> }.into_any();
    }
    let rows = alerts
        .into_iter()
        .map(|a| {
            view! {
                <tr>
                    <td>{format_lima(a.last_seen)}</td>
                    <td>{move || a.kind.name(i18n.get_locale())}</td>
                    <td>{a.description.clone()}</td>
                    <td>{move || a.state.name(i18n.get_locale())}</td>
                    <td>{was_it_me(&a, answer)}</td>
                </tr>
            }
        })
        .collect_view();
    let columns = |l: Locale| {
        vec![
            td_string!(l, usage.when),
            td_string!(l, usage.alert_kind),
            td_string!(l, usage.alert_what),
            td_string!(l, usage.alert_state),
            td_string!(l, usage.was_it_you),
        ]
    };
    view! { <DataTable testid="my-alerts" columns>{rows}</DataTable> }.into_any()
}

/// The "was this you?" buttons of an alert that asks, or the answer already given.
fn was_it_me(
    a: &AlertItem,
    answer: Action<(i64, bool), Result<AlertItem, crate::AppError>>,
) -> impl IntoView + use<> {
    let i18n = use_i18n();
    let id = a.id;
    if let Some(given) = a.answer {
        return view! {
            <span data-testid="my-answer">{move || match given {
                OwnerAnswer::Yes => td_string!(i18n.get_locale(), usage.answered_yes),
                OwnerAnswer::No => td_string!(i18n.get_locale(), usage.answered_no),
            }}</span>
        }
        .into_any();
    }
    if !a.awaits_answer() {
        return view! { <span class="muted">"—"</span> }.into_any();
    }
    let live = use_live();
    let busy = move || !live.get() || answer.pending().get();
    view! {
        <div class="actions" data-testid="was-it-you">
            <button type="button" class="button button-small" disabled=busy
                on:click=move |_| { answer.dispatch((id, true)); }>{t!(i18n, usage.it_was_me)}</button>
            <button type="button" class="button button-small button-danger" disabled=busy
                on:click=move |_| { answer.dispatch((id, false)); }>{t!(i18n, usage.not_me)}</button>
        </div>
    }
    .into_any()
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
        <crate::pages::my_requests::MyRequestsSection />
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
    let columns = |l: Locale| {
        vec![
            td_string!(l, export.receipt),
            td_string!(l, usage.when),
            td_string!(l, usage.count),
            td_string!(l, usage.fields),
            td_string!(l, export.format),
            td_string!(l, export.sha256),
            td_string!(l, usage.file),
        ]
    };
    view! { <DataTable testid="my-exports" columns>{rows}</DataTable> }.into_any()
}

#[component]
fn SignIns(entries: Vec<SignInEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let rows = entries
        .into_iter()
        .map(|e| {
            let device = e.device.clone().unwrap_or_default();
            let browser = e.browser.clone().unwrap_or_default();
            let os = e.os.clone().unwrap_or_default();
            view! {
                <tr class:failed=!e.success>
                    <td>{format_lima(e.at)}</td>
                    <td>{move || if e.success { t_string!(i18n, usage.ok) } else { t_string!(i18n, usage.failed) }}</td>
                    <td>{e.ip.unwrap_or_default()}</td>
                    <td>{move || labels::agent_part(i18n.get_locale(), &browser)}</td>
                    <td>{move || labels::agent_part(i18n.get_locale(), &os)}</td>
                    <td>{move || labels::device(i18n.get_locale(), &device)}</td>
                </tr>
            }
        })
        .collect_view();
    let columns = |l: Locale| {
        vec![
            td_string!(l, usage.when),
            td_string!(l, usage.result),
            td_string!(l, usage.ip),
            td_string!(l, usage.browser),
            td_string!(l, usage.os),
            td_string!(l, usage.device),
        ]
    };
    view! { <DataTable testid="my-sign-ins" columns>{rows}</DataTable> }
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
            let (browser, os, device) = (s.browser.clone(), s.os.clone(), s.device.clone());
            let agent = move || {
                let locale = i18n.get_locale();
                format!("{} · {}", labels::agent_part(locale, &browser), labels::agent_part(locale, &os))
            };
            view! {
                <li class="session" data-testid="session">
                    <div>
                        <strong>{agent}</strong>
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
