//! "Alertas" (administrators): every alert, most severe then newest first, filtered by
//! state, severity, kind, user, assignee and days (all kept in the URL, so a filtered view
//! can be shared), keyset pages that stay stable while new alerts arrive, the count of each
//! state, and bulk actions on the selected rows (each alert changed at the version shown,
//! the skipped ones reported).

use crate::api::alerts::{alert_bulk, alerts};
use crate::components::alert_labels::{SeverityBadge, StateBadge, alerts_href, filter_from};
use crate::components::async_view::AsyncView;
use crate::components::data_table::DataTable;
use crate::components::dialog::{CloseForm, Dialog};
use crate::components::error::ErrorNotice;
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::pages::not_found::Forbidden;
use crate::types::SessionUser;
use crate::types::alert::{
    AlertFilter, AlertItem, AlertKind, AlertPage, AlertSeverity, AlertState, BulkOp, BulkReport,
    BulkTarget,
};
use crate::types::time::format_lima;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AlertsPage() -> impl IntoView {
    let user = expect_context::<SessionUser>();
    if !user.is_admin() {
        return view! { <Forbidden /> }.into_any();
    }
    let i18n = use_i18n();
    let query = use_query_map();
    // Bumped after a bulk action, so the list shows what changed.
    let refresh = RwSignal::new(0_u32);
    // Also reloads when an alert is raised or changes (the live stream).
    let changes = crate::components::live::use_alert_changes();
    let page = Resource::new(
        move || (filter_from(&query.get()), refresh.get(), changes.get()),
        |(f, _, _)| {
            alerts(
                f.state, f.severity, f.kind, f.username, f.assignee, f.from, f.to, f.cursor, None,
            )
        },
    );
    // The selection outlives a reload (each row keeps the version it was selected at, so
    // a bulk action skips what changed since); another filter or page starts afresh.
    let selected = RwSignal::new(Vec::<BulkTarget>::new());
    Effect::new(move |_| {
        query.track();
        selected.set(Vec::new());
    });
    // The bulk action and its report live here too: the list reloads under them.
    let bulk = Bulk {
        run: Action::new(|input: &BulkInput| {
            let input = input.clone();
            async move {
                alert_bulk(
                    input.op.code().to_owned(),
                    input.items,
                    input.note,
                    input.action_taken,
                )
                .await
            }
        }),
        closing: RwSignal::new(None::<BulkOp>),
        selected,
    };
    Effect::new(move |_| {
        if let Some(Ok(_)) = bulk.run.value().get() {
            bulk.closing.set(None);
            bulk.selected.set(Vec::new());
            refresh.update(|n| *n += 1);
        }
    });
    view! {
        <PageTitle text=|l| td_string!(l, triage.title).to_owned() />
        <h1>{t!(i18n, triage.title)}</h1>
        <p class="muted">{t!(i18n, triage.intro)}</p>
        <Filters />
        <AsyncView resource=page transition=true let:page>
            <Alerts page bulk />
        </AsyncView>
    }
    .into_any()
}

#[component]
fn Filters() -> impl IntoView {
    let i18n = use_i18n();
    let f = filter_from(&use_query_map().get_untracked());
    let locale = i18n.get_locale_untracked();
    let select = move |name: &'static str,
                       label: &'static str,
                       chosen: Option<String>,
                       options: Vec<(&'static str, &'static str)>| {
        let chosen = chosen.unwrap_or_default();
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
                    <option value="">{td_string!(locale, triage.any)}</option>
                    {options}
                </select>
            </label>
        }
    };
    let states = AlertState::ALL
        .iter()
        .map(|s| (s.code(), s.name(locale)))
        .collect();
    let severities = AlertSeverity::ALL
        .iter()
        .rev()
        .map(|s| (s.code(), s.name(locale)))
        .collect();
    let kinds = AlertKind::ALL
        .iter()
        .map(|k| (k.code(), k.name(locale)))
        .collect();
    let input = move |name: &'static str,
                      kind: &'static str,
                      label: &'static str,
                      value: Option<String>| {
        view! { <label><span>{label}</span><input type=kind name=name value=value.unwrap_or_default() /></label> }
    };
    view! {
        <leptos_router::components::Form method="GET" action="/alertas" attr:class="filters card" attr:data-testid="alert-filters">
            {select("state", td_string!(locale, triage.state), f.state.clone(), states)}
            {select("severity", td_string!(locale, triage.severity), f.severity.clone(), severities)}
            {select("kind", td_string!(locale, triage.kind), f.kind.clone(), kinds)}
            {input("username", "text", td_string!(locale, triage.user), f.username.clone())}
            {input("assignee", "text", td_string!(locale, triage.assignee), f.assignee.clone())}
            {input("from", "date", td_string!(locale, triage.from), f.from.clone())}
            {input("to", "date", td_string!(locale, triage.to), f.to.clone())}
            <div class="filter-actions">
                <button type="submit" class="button">{t!(i18n, triage.filter)}</button>
                <a class="button button-secondary" href="/alertas">{t!(i18n, triage.clear)}</a>
            </div>
        </leptos_router::components::Form>
    }
}

/// The count of each state, each a link to the list filtered by it.
#[component]
fn StateCountsBar(page: AlertPage) -> impl IntoView {
    let i18n = use_i18n();
    let f = filter_from(&use_query_map().get_untracked());
    let links = AlertState::ALL
        .iter()
        .map(|state| {
            let state = *state;
            let href = alerts_href(&AlertFilter {
                state: Some(state.code().to_owned()),
                cursor: None,
                ..f.clone()
            });
            let current = f.state.as_deref() == Some(state.code());
            let count = page.counts.of(state);
            view! {
                <li>
                    <a href=href class="state-count" aria-current=current.then_some("true")
                        data-state=state.code()>
                        <span class="state-count-n">{count}</span>
                        <span>{move || state.name(i18n.get_locale())}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="state-counts" data-testid="state-counts" aria-label=move || t_string!(i18n, triage.counts)>
            {links}
        </ul>
    }
}

/// The bulk action, the dialog it may need open, and the selected rows.
#[derive(Clone, Copy)]
struct Bulk {
    run: Action<BulkInput, Result<BulkReport, crate::error::AppError>>,
    closing: RwSignal<Option<BulkOp>>,
    selected: RwSignal<Vec<BulkTarget>>,
}

/// What a bulk action needs from the dialog (closing) or nothing (the others).
#[derive(Clone)]
struct BulkInput {
    op: BulkOp,
    items: Vec<BulkTarget>,
    note: Option<String>,
    action_taken: Option<String>,
}

#[component]
fn Alerts(page: AlertPage, bulk: Bulk) -> impl IntoView {
    let i18n = use_i18n();
    let f = filter_from(&use_query_map().get_untracked());
    let Bulk {
        run,
        closing,
        selected,
    } = bulk;
    let counts = view! { <StateCountsBar page=page.clone() /> };
    if page.items.is_empty() {
        return view! { {counts} <p class="card muted" data-testid="alerts-empty">{t!(i18n, triage.empty)}</p> }
            .into_any();
    }
    let all: Vec<BulkTarget> = page
        .items
        .iter()
        .map(|a| BulkTarget {
            id: a.id,
            version: a.version,
        })
        .collect();
    let rows = page
        .items
        .into_iter()
        .map(|alert| view! { <AlertRow alert selected /> })
        .collect_view();
    let next = page.next_cursor.clone().map(|cursor| {
        alerts_href(&AlertFilter {
            cursor: Some(cursor),
            ..f.clone()
        })
    });
    let first = f.cursor.is_some().then(|| {
        alerts_href(&AlertFilter {
            cursor: None,
            ..f.clone()
        })
    });
    let columns = |l: Locale| {
        vec![
            td_string!(l, triage.kind),
            td_string!(l, triage.severity),
            td_string!(l, triage.state),
            td_string!(l, triage.user),
            td_string!(l, triage.ip),
            td_string!(l, triage.occurrences),
            td_string!(l, triage.first_seen),
            td_string!(l, triage.last_seen),
            td_string!(l, triage.assignee),
            td_string!(l, triage.comments),
        ]
    };
    let dispatch = move |op: BulkOp, note: Option<String>, action_taken: Option<String>| {
        run.dispatch(BulkInput {
            op,
            items: selected.get_untracked(),
            note,
            action_taken,
        });
    };
    let none_selected = move || selected.with(Vec::is_empty) || run.pending().get();
    let all_ids = all.clone();
    let toggle_all = move |ev: leptos::ev::Event| {
        selected.set(if event_target_checked(&ev) {
            all_ids.clone()
        } else {
            Vec::new()
        });
    };
    let every = all.len();
    view! {
        {counts}
        <div class="bulk-bar card" role="toolbar" aria-label=move || t_string!(i18n, triage.bulk) data-testid="bulk-bar">
            <label class="check">
                <input type="checkbox" data-testid="select-all"
                    prop:checked=move || selected.with(|s| s.len() == every)
                    on:change=toggle_all />
                {t!(i18n, triage.select_all)}
            </label>
            <span class="muted small" aria-live="polite">
                {move || {
                    let count = selected.with(Vec::len);
                    crate::plural!(i18n.get_locale(), count, triage.selected_1 | triage.selected_n, count = count)
                }}
            </span>
            <button type="button" class="button button-secondary" disabled=none_selected
                on:click=move |_| dispatch(BulkOp::AssignToMe, None, None)>{t!(i18n, triage.assign_me)}</button>
            <button type="button" class="button button-secondary" disabled=none_selected
                on:click=move |_| dispatch(BulkOp::Review, None, None)>{t!(i18n, triage.to_review)}</button>
            <button type="button" class="button button-secondary" disabled=none_selected
                on:click=move |_| closing.set(Some(BulkOp::Resolve))>{t!(i18n, triage.resolve)}</button>
            <button type="button" class="button button-secondary" disabled=none_selected
                on:click=move |_| closing.set(Some(BulkOp::FalsePositive))>{t!(i18n, triage.false_positive)}</button>
        </div>
        {move || run.value().get().map(|done| match done {
            Ok(report) => view! { <Report report /> }.into_any(),
            Err(error) => view! { <ErrorNotice error /> }.into_any(),
        })}
        {move || closing.get().map(|op| {
            let to = op.target().unwrap_or(AlertState::Resuelta);
            let count = selected.with_untracked(Vec::len);
            let error = Signal::derive(move || run.value().get().and_then(Result::err));
            view! {
                <Dialog title=Signal::derive(move || crate::plural!(i18n.get_locale(), count, triage.close_many_1 | triage.close_many_n, count = count, state = to.name(i18n.get_locale())))
                    on_close=move || closing.set(None)>
                    <CloseForm to error pending=run.pending()
                        on_submit=move |note, action| dispatch(op, Some(note), Some(action)) />
                </Dialog>
            }
        })}
        <DataTable testid="alerts-table" columns select_column=true>{rows}</DataTable>
        <nav class="pager" aria-label="pages">
            {first.map(|href| view! { <a href=href>{t!(i18n, triage.first_page)}</a> })}
            {next.map(|href| view! { <a href=href data-testid="alerts-next">{t!(i18n, triage.next_page)}</a> })}
        </nav>
    }
    .into_any()
}

/// What a bulk action did: how many changed, and each skipped alert with why.
#[component]
fn Report(report: BulkReport) -> impl IntoView {
    let i18n = use_i18n();
    let applied = report.applied.len();
    let skipped = report
        .skipped
        .into_iter()
        .map(|skip| {
            let notice = skip.notice.clone();
            view! {
                <li><a href=format!("/alertas/{}", skip.id)>"#"{skip.id}</a>": "{move || notice.render(i18n.get_locale())}</li>
            }
        })
        .collect_view();
    view! {
        <div class="notice notice-ok" role="status" data-testid="bulk-report">
            <p>{move || td_string!(i18n.get_locale(), triage.applied, count = applied).to_string()}</p>
            <ul class="skipped">{skipped}</ul>
        </div>
    }
}

#[component]
fn AlertRow(alert: AlertItem, selected: RwSignal<Vec<BulkTarget>>) -> impl IntoView {
    let i18n = use_i18n();
    let a = alert;
    let target = BulkTarget {
        id: a.id,
        version: a.version,
    };
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        selected.update(|s| {
            s.retain(|t| t.id != target.id);
            if on {
                s.push(target);
            }
        });
    };
    let is_selected = move || selected.with(|s| s.iter().any(|t| t.id == target.id));
    let href = format!("/alertas/{}", a.id);
    let severity = a.severity;
    let state = a.state;
    let kind = a.kind;
    view! {
        <tr data-testid="alert-row" data-kind=kind.code() data-state=state.code()>
            <td class="narrow">
                <input type="checkbox" prop:checked=is_selected on:change=toggle
                    aria-label=move || td_string!(i18n.get_locale(), triage.select_one, id = target.id).to_string() />
            </td>
            <td><a href=href>{move || kind.name(i18n.get_locale())}</a><br /><span class="muted small">"#"{a.id}</span></td>
            <td><SeverityBadge severity /></td>
            <td><StateBadge state /></td>
            <td>{a.username.clone().unwrap_or_else(|| "—".into())}</td>
            <td>{a.ip.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="num">{a.occurrences}</td>
            <td>{format_lima(a.first_seen)}</td>
            <td>{format_lima(a.last_seen)}</td>
            <td>{a.assignee.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="num">{a.comments}</td>
        </tr>
    }
}
