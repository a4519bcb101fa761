//! "Auditoría" (administrators): the integrity panel and the explorer — filters over the
//! log, newest first, keyset pages, per-user and per-object history, and CSV export.

use crate::api::audit::{audit_integrity, audit_search, verify_audit, verify_status};
use crate::components::async_view::AsyncView;
use crate::components::data_table::DataTable;
use crate::components::labels;
use crate::components::live::use_live;
use crate::components::query::QueryString;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::pages::not_found::Forbidden;
use crate::types::SessionUser;
use crate::types::audit::{
    AuditAction, AuditEventView, AuditFilter, AuditModule, AuditPage, IntegrityInfo, Outcome,
    RunStatus, Severity,
};
use crate::types::time::format_lima;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use leptos_router::params::ParamsMap;

fn filter_from(q: &ParamsMap) -> AuditFilter {
    AuditFilter::from_pairs(|key| q.get(key))
}

fn filter_query(f: &AuditFilter) -> QueryString {
    let query = QueryString::from_pairs(f.pairs());
    match f.before {
        Some(before) => query.with("before", &before.to_string()),
        None => query,
    }
}

/// The explorer showing `filter`, at its cursor if it has one.
pub fn explorer_href(filter: &AuditFilter) -> String {
    filter_query(filter).href("/auditoria")
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
        <PageTitle text=|l| td_string!(l, audit.title).to_owned() />
        <h1>{t!(i18n, audit.title)}</h1>
        <p class="muted">{t!(i18n, audit.intro)}</p>
        <AsyncView resource=info quiet=true let:info>
            <Integrity info />
        </AsyncView>
        <Filters />
        <AsyncView resource=page transition=true let:page>
            <Events page />
        </AsyncView>
    }
    .into_any()
}

#[component]
fn Filters() -> impl IntoView {
    let i18n = use_i18n();
    let f = filter_from(&use_query_map().get_untracked());
    let chosen = f.clone();
    let select =
        move |name: &'static str, label: Signal<String>, options: Vec<(String, String)>| {
            let chosen = chosen.get(name);
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
        .map(|m| (m.code().to_owned(), labels::module(locale, m.code())))
        .collect();
    let severities = Severity::ALL
        .iter()
        .map(|s| (s.code().to_owned(), labels::severity(locale, s.code())))
        .collect();
    let outcomes = Outcome::ALL
        .iter()
        .map(|o| (o.code().to_owned(), labels::outcome(locale, o.code())))
        .collect();
    let value = f.clone();
    let input = move |name: &'static str, kind: &'static str, label: Signal<String>| {
        let value = value.get(name).to_owned();
        view! { <label><span>{label}</span><input type=kind name=name value=value /></label> }
    };
    let label = move |text: fn(Locale) -> &'static str| {
        Signal::derive(move || text(i18n.get_locale()).to_owned())
    };
    let csv = filter_query(&AuditFilter { before: None, ..f }).href("/auditoria/export.csv");
    view! {
        <leptos_router::components::Form method="GET" action="/auditoria" attr:class="filters card">
            {input("user", "text", label(|l| td_string!(l, audit.user)))}
            {select("action", label(|l| td_string!(l, audit.action_label)), actions)}
            {select("module", label(|l| td_string!(l, audit.module)), modules)}
            {select("severity", label(|l| td_string!(l, audit.severity)), severities)}
            {select("outcome", label(|l| td_string!(l, audit.outcome)), outcomes)}
            {input("target_type", "text", label(|l| td_string!(l, audit.target_type)))}
            {input("target_id", "text", label(|l| td_string!(l, audit.target_id)))}
            {input("ip", "text", label(|l| td_string!(l, audit.ip)))}
            {input("from", "date", label(|l| td_string!(l, audit.from)))}
            {input("to", "date", label(|l| td_string!(l, audit.to)))}
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
        .map(|event| view! { <EventRow event /> })
        .collect_view();
    let older = page.next_before.map(|before| {
        explorer_href(&AuditFilter {
            before: Some(before),
            ..f.clone()
        })
    });
    let newest = f.before.is_some().then(|| {
        explorer_href(&AuditFilter {
            before: None,
            ..f.clone()
        })
    });
    let columns = |l: Locale| {
        vec![
            "#",
            td_string!(l, audit.when),
            td_string!(l, audit.user),
            td_string!(l, audit.action_label),
            td_string!(l, audit.module),
            td_string!(l, audit.target),
            td_string!(l, audit.outcome),
            td_string!(l, audit.severity),
            td_string!(l, audit.ip),
        ]
    };
    view! {
        <DataTable testid="audit-table" columns>{rows}</DataTable>
        <nav class="pager" aria-label="pages">
            {newest.map(|href| view! { <a href=href>{t!(i18n, audit.newest)}</a> })}
            {older.map(|href| view! { <a href=href data-testid="audit-older">{t!(i18n, audit.older)}</a> })}
        </nav>
    }
    .into_any()
}

/// One event of the explorer; its user and its object link to their own history.
#[component]
fn EventRow(event: AuditEventView) -> impl IntoView {
    let i18n = use_i18n();
    let e = event;
    let by_user = e.actor_username.clone().map(|user| {
        let link = explorer_href(&AuditFilter {
            user: user.clone(),
            ..AuditFilter::default()
        });
        view! { <a href=link>{user}</a> }
    });
    let target = match (e.target_type.clone(), e.target_id.clone()) {
        (Some(target_type), Some(target_id)) => {
            let text = format!(
                "{target_type} {}",
                target_id.chars().take(12).collect::<String>()
            );
            let link = explorer_href(&AuditFilter {
                target_type,
                target_id,
                ..AuditFilter::default()
            });
            Some(view! { <a href=link>{text}</a> })
        }
        _ => None,
    };
    let (action, module) = (e.action.clone(), e.module.clone());
    let (outcome, severity) = (e.outcome.clone(), e.severity.clone());
    view! {
        <tr class=format!("severity-{}", e.severity)>
            <td class="num"><a href=format!("/auditoria/{}", e.seq)>{e.seq}</a></td>
            <td>{format_lima(e.created_at)}</td>
            <td>{by_user}</td>
            <td>{move || labels::action(i18n.get_locale(), &action)}</td>
            <td>{move || labels::module(i18n.get_locale(), &module)}</td>
            <td>{target}</td>
            <td><span class=format!("badge badge-outcome-{}", e.outcome)>{move || labels::outcome(i18n.get_locale(), &outcome)}</span></td>
            <td><span class=format!("badge badge-severity-{}", e.severity)>{move || labels::severity(i18n.get_locale(), &severity)}</span></td>
            <td>{e.ip.clone().unwrap_or_default()}</td>
        </tr>
    }
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
