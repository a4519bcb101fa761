//! "Reportes" (administrators): the monthly audit report of a chosen month (`?mes=YYYY-MM`,
//! last month by default) with its charts, tables and recommendations, and its CSV and PDF;
//! and the compliance report of a chosen range of days, computed in the background with
//! its progress shown, then its figures and its CSV and PDF.

use crate::api::reports::monthly_report;
use crate::components::async_view::AsyncView;
use crate::components::chart::{ChartData, ChartFigure, chart_table};
use crate::components::title::PageTitle;
use crate::i18n::*;
use crate::pages::not_found::Forbidden;
use crate::types::SessionUser;
use crate::types::alert::{AlertKind, AlertState};
use crate::types::report::{AlertTally, MonthlyReport};
use crate::types::time::format_lima;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

mod compliance;
use compliance::Compliance;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let user = expect_context::<SessionUser>();
    if !user.is_admin() {
        return view! { <Forbidden /> }.into_any();
    }
    let i18n = use_i18n();
    let query = use_query_map();
    let month = move || query.read().get("mes").unwrap_or_default();
    let report = Resource::new(month, monthly_report);
    view! {
        <PageTitle text=|l| td_string!(l, reports.title).to_owned() />
        <h1>{t!(i18n, reports.title)}</h1>
        <p class="muted">{t!(i18n, reports.intro)}</p>
        <section aria-labelledby="monthly-heading">
            <h2 id="monthly-heading">{t!(i18n, reports.monthly_title)}</h2>
            <AsyncView resource=report transition=true let:r>
                <Monthly r />
            </AsyncView>
        </section>
        <Compliance />
    }
    .into_any()
}

/// A small table: its header and its rows, or a sentence when it has none.
pub(super) fn table(
    header: Vec<String>,
    numeric_from: usize,
    rows: Vec<Vec<String>>,
    testid: &'static str,
) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="muted" data-testid=testid>{move || td_string!(use_i18n().get_locale(), reports.none)}</p> }.into_any();
    }
    let head = header
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            let class = if i >= numeric_from { "num" } else { "" };
            view! { <th scope="col" class=class>{h}</th> }
        })
        .collect_view();
    let body = rows
        .into_iter()
        .map(|cells| {
            let cells = cells
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let class = if i >= numeric_from { "num" } else { "" };
                    view! { <td class=class>{c}</td> }
                })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="table small" data-testid=testid><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
        </div>
    }
    .into_any()
}

/// Period, generation time and the log head a report was computed at.
pub(super) fn provenance(
    period: String,
    generated_at: i64,
    head_seq: i64,
    head_hash: String,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <dl class="facts">
            <dt>{t!(i18n, reports.period)}</dt><dd data-testid="report-period">{period}</dd>
            <dt>{t!(i18n, reports.generated)}</dt><dd>{format_lima(generated_at)}</dd>
            <dt>{t!(i18n, reports.head)}</dt><dd><code class="hash" data-testid="report-head">{format!("#{head_seq} · {head_hash}")}</code></dd>
        </dl>
    }
}

pub(super) fn alerts_rows(alerts: &[AlertTally], l: Locale) -> Vec<Vec<String>> {
    alerts
        .iter()
        .map(|t| {
            vec![
                AlertKind::from_code(&t.kind)
                    .map_or_else(|| t.kind.clone(), |k| k.name(l).to_owned()),
                AlertState::from_code(&t.state)
                    .map_or_else(|| t.state.clone(), |s| s.name(l).to_owned()),
                t.count.to_string(),
            ]
        })
        .collect()
}

#[component]
fn Monthly(r: MonthlyReport) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let s = |text: &'static str| text.to_owned();
    let month = r.month.clone();
    let recommendations = r
        .recommendations
        .iter()
        .map(|rec| view! { <li>{rec.render(l)}</li> })
        .collect_view();
    let users = table(
        vec![
            s(td_string!(l, reports.user)),
            s(td_string!(l, reports.name)),
            s(td_string!(l, reports.department)),
            s(td_string!(l, reports.role)),
            s(td_string!(l, reports.exports)),
            s(td_string!(l, reports.contacts)),
            s(td_string!(l, reports.average)),
            s(td_string!(l, reports.largest)),
        ],
        4,
        r.users
            .iter()
            .map(|u| {
                vec![
                    u.username.clone(),
                    u.full_name.clone(),
                    u.department.clone(),
                    u.role.clone(),
                    u.exports.to_string(),
                    u.contacts.to_string(),
                    u.average.to_string(),
                    u.largest.to_string(),
                ]
            })
            .collect(),
        "report-users",
    );
    let anomalies = table(
        vec![
            s(td_string!(l, reports.anomaly)),
            s(td_string!(l, reports.user)),
            s(td_string!(l, reports.day)),
            s(td_string!(l, reports.receipt)),
            s(td_string!(l, reports.value)),
        ],
        4,
        r.anomalies
            .iter()
            .map(|a| {
                vec![
                    a.kind.name(l).to_owned(),
                    a.username.clone(),
                    a.day.clone(),
                    a.receipt.clone().unwrap_or_default(),
                    a.value.to_string(),
                ]
            })
            .collect(),
        "report-anomalies",
    );
    let accounting = table(
        vec![
            s(td_string!(l, reports.receipt)),
            s(td_string!(l, reports.user)),
            s(td_string!(l, reports.at)),
            s(td_string!(l, reports.fields)),
            s(td_string!(l, reports.request)),
            s(td_string!(l, reports.contacts)),
        ],
        5,
        r.accounting
            .iter()
            .map(|e| {
                vec![
                    e.receipt.clone(),
                    e.username.clone(),
                    format_lima(e.at),
                    e.fields
                        .iter()
                        .map(|f| f.code())
                        .collect::<Vec<_>>()
                        .join(", "),
                    e.request_id.map(|id| format!("#{id}")).unwrap_or_default(),
                    e.count.to_string(),
                ]
            })
            .collect(),
        "report-accounting",
    );
    let a = r.approvals.clone();
    let alerts = table(
        vec![
            s(td_string!(l, reports.kind)),
            s(td_string!(l, reports.state)),
            s(td_string!(l, reports.count)),
        ],
        2,
        alerts_rows(&r.alerts, l),
        "report-alerts",
    );
    let data = ChartData {
        trend: &r.alert_days,
        hours: &r.alert_hours,
        exports: &r.days,
    };
    let charts = r
        .charts
        .iter()
        .cloned()
        .map(|chart| {
            let table = chart_table(&chart.key, data, l);
            view! { <ChartFigure chart table /> }
        })
        .collect_view();
    view! {
        <leptos_router::components::Form method="GET" action="" attr:class="filters card">
            <label>
                <span>{t!(i18n, reports.month)}</span>
                <input type="month" name="mes" value=month.clone() required pattern="[0-9]{4}-[0-9]{2}" />
            </label>
            <button type="submit" class="button">{t!(i18n, reports.show)}</button>
            <a class="button button-secondary" href=format!("/reports/monthly/{month}.csv") download data-testid="monthly-csv">{t!(i18n, reports.csv)}</a>
            <a class="button button-secondary" href=format!("/reports/monthly/{month}.pdf") download data-testid="monthly-pdf">{t!(i18n, reports.pdf)}</a>
        </leptos_router::components::Form>
        {provenance(format!("{} — {}", format_lima(r.from), format_lima(r.to)), r.generated_at, r.head_seq, r.head_hash.clone())}
        <section class="card">
            <h3>{t!(i18n, reports.recommendations_title)}</h3>
            <ul data-testid="report-recommendations">{recommendations}</ul>
        </section>
        <h3>{t!(i18n, reports.users_title)}</h3>
        {users}
        <h3>{t!(i18n, reports.anomalies_title)}</h3>
        {anomalies}
        <h3>{t!(i18n, reports.accounting_title)}</h3>
        {accounting}
        <h3>{t!(i18n, reports.approvals_title)}</h3>
        <dl class="facts" data-testid="report-approvals">
            <dt>{t!(i18n, reports.approved)}</dt><dd>{a.approved}</dd>
            <dt>{t!(i18n, reports.rejected)}</dt><dd>{a.rejected}</dd>
            <dt>{t!(i18n, reports.pending)}</dt><dd>{a.pending}</dd>
            <dt>{t!(i18n, reports.expired)}</dt><dd>{a.expired}</dd>
            <dt>{t!(i18n, reports.cancelled)}</dt><dd>{a.cancelled}</dd>
        </dl>
        <h3>{t!(i18n, reports.alerts_title)}</h3>
        {alerts}
        <h3>{t!(i18n, reports.charts_title)}</h3>
        <div class="charts">{charts}</div>
    }
}
