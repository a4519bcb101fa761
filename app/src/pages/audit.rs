//! "Auditoría" (administrators): the integrity panel and the explorer — filters over the
//! log, newest first, keyset pages, per-user and per-object history, and CSV export.

use crate::api::audit::{audit_integrity, audit_search, verify_audit, verify_status};
use crate::components::error::ErrorNotice;
use crate::components::labels;
use crate::components::live::use_live;
use crate::i18n::*;
use crate::pages::not_found::Forbidden;
use crate::types::SessionUser;
use crate::types::audit::{
    AuditAction, AuditFilter, AuditModule, AuditPage, IntegrityInfo, Outcome, RunStatus, Severity,
};
use crate::types::time::format_lima;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

fn filter_from(q: &ParamsMap) -> AuditFilter {
    let get = |k: &str| q.get(k).unwrap_or_default();
    AuditFilter {
        user: get("user"),
        action: get("action"),
        module: get("module"),
        target_type: get("target_type"),
        target_id: get("target_id"),
        severity: get("severity"),
        outcome: get("outcome"),
        ip: get("ip"),
        from: get("from"),
        to: get("to"),
        before: q.get("before").and_then(|b| b.parse().ok()),
    }
}

fn query_of(f: &AuditFilter, before: Option<i64>) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let mut parts: Vec<String> = [
        ("user", &f.user),
        ("action", &f.action),
        ("module", &f.module),
        ("target_type", &f.target_type),
        ("target_id", &f.target_id),
        ("severity", &f.severity),
        ("outcome", &f.outcome),
        ("ip", &f.ip),
        ("from", &f.from),
        ("to", &f.to),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", enc(v)))
    .collect();
    if let Some(b) = before {
        parts.push(format!("before={b}"));
    }
    parts.join("&")
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let user = expect_context::<SessionUser>();
    if !user.is_admin() {
        return view! { <Forbidden /> }.into_any();
    }
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Resource::new(move || filter_from(&query.get()), audit_search);
    let info = Resource::new(|| (), |_| audit_integrity());
    view! {
        <Title text=move || t_string!(i18n, audit.title) />
        <h1>{t!(i18n, audit.title)}</h1>
        <p class="muted">{t!(i18n, audit.intro)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match info.await {
                    Ok(info) => view! { <Integrity info /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
        <Filters />
        <Transition fallback=|| view! { <div class="loading" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <Events page /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Filters() -> impl IntoView {
    let i18n = use_i18n();
    let f = filter_from(&use_query_map().get_untracked());
    let select = move |name: &'static str,
                       label: Signal<String>,
                       chosen: String,
                       options: Vec<(String, String)>| {
        let options = options
            .into_iter()
            .map(|(value, text)| {
                let selected = value == chosen;
                view! { <option value=value selected=selected>{text}</option> }
            })
            .collect_view();
        view! {
            <label><span>{label}</span>
                <select name=name>
                    <option value="">{t!(i18n, audit.any)}</option>
                    {options}
                </select>
            </label>
        }
    };
    let locale = i18n.get_locale_untracked();
    let actions = AuditAction::ALL
        .iter()
        .map(|a| (a.code().to_owned(), labels::action(locale, a.code())))
        .collect();
    let modules = AuditModule::ALL
        .iter()
        .map(|m| (m.code().to_owned(), m.code().to_owned()))
        .collect();
    let severities = Severity::ALL
        .iter()
        .map(|s| (s.code().to_owned(), s.code().to_owned()))
        .collect();
    let outcomes = Outcome::ALL
        .iter()
        .map(|o| (o.code().to_owned(), o.code().to_owned()))
        .collect();
    let text = |name: &'static str, label: Signal<String>, value: String| {
        view! { <label><span>{label}</span><input name=name value=value /></label> }
    };
    let csv = format!("/auditoria/export.csv?{}", query_of(&f, None));
    view! {
        <leptos_router::components::Form method="GET" action="/auditoria" attr:class="filters card">
            {text("user", Signal::derive(move || t_string!(i18n, audit.user).to_owned()), f.user.clone())}
            {select("action", Signal::derive(move || t_string!(i18n, audit.action_label).to_owned()), f.action.clone(), actions)}
            {select("module", Signal::derive(move || t_string!(i18n, audit.module).to_owned()), f.module.clone(), modules)}
            {select("severity", Signal::derive(move || t_string!(i18n, audit.severity).to_owned()), f.severity.clone(), severities)}
            {select("outcome", Signal::derive(move || t_string!(i18n, audit.outcome).to_owned()), f.outcome.clone(), outcomes)}
            {text("target_type", Signal::derive(move || t_string!(i18n, audit.target_type).to_owned()), f.target_type.clone())}
            {text("target_id", Signal::derive(move || t_string!(i18n, audit.target_id).to_owned()), f.target_id.clone())}
            {text("ip", Signal::derive(move || t_string!(i18n, audit.ip).to_owned()), f.ip.clone())}
            <label><span>{t!(i18n, audit.from)}</span><input type="date" name="from" value=f.from.clone() /></label>
            <label><span>{t!(i18n, audit.to)}</span><input type="date" name="to" value=f.to.clone() /></label>
            <div class="filter-actions">
                <button type="submit" class="button">{t!(i18n, audit.filter)}</button>
                <a class="button button-secondary" href="/auditoria">{t!(i18n, audit.clear)}</a>
                <a class="button button-secondary" href=csv download="" rel="external">{t!(i18n, audit.csv)}</a>
            </div>
        </leptos_router::components::Form>
    }
}

#[component]
fn Events(page: AuditPage) -> impl IntoView {
    let i18n = use_i18n();
    let f = filter_from(&use_query_map().get_untracked());
    if page.events.is_empty() {
        return view! { <p class="card muted">{t!(i18n, audit.empty)}</p> }.into_any();
    }
    let rows = page
        .events
        .into_iter()
        .map(|e| {
            let action = e.action.clone();
            let by_user = e.actor_username.clone().map(|u| {
                let link = format!("/auditoria?user={}", query_of(&AuditFilter { user: u.clone(), ..Default::default() }, None).trim_start_matches("user="));
                view! { <a href=link>{u}</a> }
            });
            let target = match (e.target_type.clone(), e.target_id.clone()) {
                (Some(t), Some(id)) => {
                    let link = format!("/auditoria?{}", query_of(&AuditFilter { target_type: t.clone(), target_id: id.clone(), ..Default::default() }, None));
                    Some(view! { <a href=link>{format!("{t} {}", id.chars().take(12).collect::<String>())}</a> })
                }
                _ => None,
            };
            view! {
                <tr class=format!("severity-{}", e.severity)>
                    <td class="num"><a href=format!("/auditoria/{}", e.seq)>{e.seq}</a></td>
                    <td>{format_lima(e.created_at)}</td>
                    <td>{by_user}</td>
                    <td>{move || labels::action(i18n.get_locale(), &action)}</td>
                    <td>{e.module.clone()}</td>
                    <td>{target}</td>
                    <td><span class=format!("badge badge-outcome-{}", e.outcome)>{e.outcome.clone()}</span></td>
                    <td><span class=format!("badge badge-severity-{}", e.severity)>{e.severity.clone()}</span></td>
                    <td>{e.ip.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    let older = page
        .next_before
        .map(|b| format!("/auditoria?{}", query_of(&f, Some(b))));
    let newest = f
        .before
        .is_some()
        .then(|| format!("/auditoria?{}", query_of(&f, None)));
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="audit-table">
                <thead><tr>
                    <th>"#"</th><th>{t!(i18n, audit.when)}</th><th>{t!(i18n, audit.user)}</th>
                    <th>{t!(i18n, audit.action_label)}</th><th>{t!(i18n, audit.module)}</th>
                    <th>{t!(i18n, audit.target)}</th><th>{t!(i18n, audit.outcome)}</th>
                    <th>{t!(i18n, audit.severity)}</th><th>{t!(i18n, audit.ip)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <nav class="pager" aria-label="pages">
            {newest.map(|href| view! { <a href=href>{t!(i18n, audit.newest)}</a> })}
            {older.map(|href| view! { <a href=href data-testid="audit-older">{t!(i18n, audit.older)}</a> })}
        </nav>
    }
    .into_any()
}

/// Polls a running verification until it ends.
fn poll(id: u64, status: RwSignal<Option<RunStatus>>) {
    leptos::task::spawn_local(async move {
        if let Ok(now) = verify_status(id).await {
            let done = now.report.is_some() || now.failed;
            status.set(Some(now));
            if !done {
                set_timeout(
                    move || poll(id, status),
                    std::time::Duration::from_millis(400),
                );
            }
        }
    });
}

#[component]
fn Integrity(info: IntegrityInfo) -> impl IntoView {
    let i18n = use_i18n();
    let live = use_live();
    let status = RwSignal::new(None::<RunStatus>);
    let start = Action::new(|_: &()| verify_audit());
    Effect::new(move |_| {
        if let Some(Ok(id)) = start.value().get() {
            poll(id, status);
        }
    });
    let checkpoint = info.latest_checkpoint.clone();
    let result = move || {
        let locale = i18n.get_locale();
        status.get().map(|s| match (&s.report, s.failed) {
            (_, true) => view! { <p class="notice notice-error" role="alert">{td_string!(locale, audit.run_failed)}</p> }.into_any(),
            (None, false) => view! {
                <p role="status">
                    <progress max=s.total.max(1).to_string() value=s.checked.to_string()></progress>
                    " "{td_string!(locale, audit.verifying, checked = s.checked, total = s.total).to_string()}
                </p>
            }.into_any(),
            (Some(report), false) => match &report.damage {
                None => view! {
                    <p class="notice notice-ok" role="status" data-testid="verify-result">
                        {td_string!(locale, audit.intact, events = report.events, checkpoints = report.checkpoints).to_string()}
                    </p>
                }.into_any(),
                Some(d) => view! {
                    <div class="notice notice-error" role="alert" data-testid="verify-result">
                        <strong>{td_string!(locale, audit.damaged, kind = labels::damage(locale, d.kind), seq = d.seq).to_string()}</strong>
                        <p class="small">{d.detail.clone()}</p>
                    </div>
                }.into_any(),
            },
        })
    };
    view! {
        <section class="card integrity">
            <h2>{t!(i18n, audit.integrity)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, audit.public_key)}</dt><dd><code class="hash" data-testid="public-key">{info.public_key.clone()}</code></dd>
            </dl>
            <p class="muted small">
                {move || td_string!(i18n.get_locale(), audit.events_in_db, count = info.events).to_string()}
                " · "
                {move || td_string!(i18n.get_locale(), audit.archived, count = info.archived_segments).to_string()}
                " · "
                {move || match &checkpoint {
                    Some((seq, at, _)) => td_string!(i18n.get_locale(), audit.last_checkpoint, seq = seq, at = format_lima(*at)).to_string(),
                    None => td_string!(i18n.get_locale(), audit.no_checkpoint).to_owned(),
                }}
            </p>
            <button type="button" class="button" disabled=move || !live.get() || start.pending().get()
                on:click=move |_| { start.dispatch(()); }>
                {t!(i18n, audit.verify)}
            </button>
            {result}
        </section>
    }
}
