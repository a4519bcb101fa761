//! "Reportes" (administrators): the monthly audit report of a chosen month (`?mes=YYYY-MM`,
//! last month by default) with its charts, tables and recommendations, and its CSV and PDF;
//! and the compliance report of a chosen range of days, computed in the background with
//! its progress shown, then its figures and its CSV and PDF.

use crate::api::reports::{compliance_status, monthly_report, start_compliance};
use crate::components::async_view::AsyncView;
use crate::components::chart::{ChartData, ChartFigure, chart_table};
use crate::components::title::PageTitle;
use crate::error::AppError;
use crate::i18n::*;
use crate::pages::not_found::Forbidden;
use crate::types::SessionUser;
use crate::types::alert::{AlertKind, AlertState};
use crate::types::compliance::{CategoryFigures, ComplianceReport, ComplianceRun};
use crate::types::report::{AlertTally, MonthlyReport};
use crate::types::time::format_lima;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

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
fn table(
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
fn provenance(
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

fn alerts_rows(alerts: &[AlertTally], l: Locale) -> Vec<Vec<String>> {
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

/// Polls a compliance run until it ends.
fn poll(id: u64, status: RwSignal<Option<Result<ComplianceRun, AppError>>>) {
    leptos::task::spawn_local(async move {
        let now = compliance_status(id).await;
        let done = match &now {
            Ok(run) => run.report.is_some() || run.failed,
            Err(_) => true,
        };
        status.set(Some(now));
        if !done {
            set_timeout(
                move || poll(id, status),
                std::time::Duration::from_millis(400),
            );
        }
    });
}

#[component]
fn Compliance() -> impl IntoView {
    let i18n = use_i18n();
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let status = RwSignal::new(None::<Result<ComplianceRun, AppError>>);
    let start =
        Action::new(|(from, to): &(String, String)| start_compliance(from.clone(), to.clone()));
    Effect::new(move |_| match start.value().get() {
        Some(Ok(id)) => poll(id, status),
        Some(Err(error)) => status.set(Some(Err(error))),
        None => {}
    });
    let result = move || {
        let locale = i18n.get_locale();
        status.get().map(|s| match s {
            Err(error) => view! { <crate::components::error::ErrorNotice error /> }.into_any(),
            Ok(run) if run.failed => view! { <p class="notice notice-error" role="alert">{td_string!(locale, compliance.failed)}</p> }.into_any(),
            Ok(ComplianceRun { report: Some(report), .. }) => view! { <ComplianceView r=report /> }.into_any(),
            Ok(run) => view! {
                <p role="status" data-testid="compliance-progress">
                    <progress max=run.total.max(1).to_string() value=run.done.to_string()></progress>
                    " "{td_string!(locale, compliance.progress, done = run.done, total = run.total).to_string()}
                </p>
            }.into_any(),
        })
    };
    view! {
        <section aria-labelledby="compliance-heading">
            <h2 id="compliance-heading">{t!(i18n, reports.compliance_title)}</h2>
            <form class="filters card" on:submit=move |ev| {
                ev.prevent_default();
                status.set(None);
                start.dispatch((from.get_untracked(), to.get_untracked()));
            }>
                <label>
                    <span>{t!(i18n, compliance.from)}</span>
                    <input type="date" name="from" required bind:value=from />
                </label>
                <label>
                    <span>{t!(i18n, compliance.to)}</span>
                    <input type="date" name="to" required bind:value=to />
                </label>
                <button type="submit" class="button" disabled=move || start.pending().get()>{t!(i18n, compliance.compute)}</button>
            </form>
            {result}
        </section>
    }
}

#[component]
fn ComplianceView(r: ComplianceReport) -> impl IntoView {
    let i18n = use_i18n();
    let l = i18n.get_locale_untracked();
    let s = |text: &'static str| text.to_owned();
    let line = |f: &CategoryFigures, name: String| {
        vec![
            name,
            f.operations.to_string(),
            f.succeeded.to_string(),
            f.failed.to_string(),
            f.success_text(),
            f.critical_failures.to_string(),
            f.alerts.to_string(),
            f.alerts_open.to_string(),
            f.alerts_resolved.to_string(),
            f.alerts_false_positive.to_string(),
        ]
    };
    let mut rows: Vec<Vec<String>> = r
        .categories
        .iter()
        .map(|f| {
            line(
                f,
                f.category.map(|c| c.name(l)).unwrap_or_default().to_owned(),
            )
        })
        .collect();
    rows.push(line(&r.total, s(td_string!(l, compliance.total))));
    let categories = table(
        vec![
            s(td_string!(l, compliance.category)),
            s(td_string!(l, compliance.operations)),
            s(td_string!(l, compliance.succeeded)),
            s(td_string!(l, compliance.failed_ops)),
            s(td_string!(l, compliance.success_rate)),
            s(td_string!(l, compliance.critical_failures)),
            s(td_string!(l, compliance.alerts)),
            s(td_string!(l, compliance.alerts_open)),
            s(td_string!(l, compliance.alerts_resolved)),
            s(td_string!(l, compliance.alerts_false_positive)),
        ],
        1,
        rows,
        "compliance-categories",
    );
    let i = r.integrity.clone();
    let last = match (i.last_check_at, i.last_check_passed) {
        (Some(at), Some(true)) => {
            format!("{} · {}", format_lima(at), td_string!(l, compliance.passed))
        }
        (Some(at), _) => format!(
            "{} · {}",
            format_lima(at),
            td_string!(l, compliance.damaged)
        ),
        (None, _) => s(td_string!(l, compliance.never)),
    };
    let recommendations = r
        .recommendations
        .iter()
        .map(|rec| view! { <li>{rec.render(l)}</li> })
        .collect_view();
    let query = format!("from={}&to={}", r.from_day, r.to_day);
    let data = ChartData {
        trend: &r.alert_days,
        hours: &r.alert_hours,
        exports: &[],
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
    let alerts = table(
        vec![
            s(td_string!(l, reports.kind)),
            s(td_string!(l, reports.state)),
            s(td_string!(l, reports.count)),
        ],
        2,
        alerts_rows(&r.alerts, l),
        "compliance-alerts",
    );
    view! {
        <p>
            <a class="button button-secondary" href=format!("/reports/compliance/report.csv?{query}") download data-testid="compliance-csv">{t!(i18n, reports.csv)}</a>" "
            <a class="button button-secondary" href=format!("/reports/compliance/report.pdf?{query}") download data-testid="compliance-pdf">{t!(i18n, reports.pdf)}</a>
        </p>
        {provenance(format!("{} — {}", r.from_day, r.to_day), r.generated_at, r.head_seq, r.head_hash.clone())}
        <section class="card">
            <h3>{t!(i18n, reports.recommendations_title)}</h3>
            <ul data-testid="compliance-recommendations">{recommendations}</ul>
        </section>
        <h3>{t!(i18n, compliance.categories_title)}</h3>
        {categories}
        <h3>{t!(i18n, compliance.integrity_title)}</h3>
        <dl class="facts" data-testid="compliance-integrity">
            <dt>{t!(i18n, compliance.last_check)}</dt><dd>{last}</dd>
            <dt>{t!(i18n, compliance.checks)}</dt><dd>{i.checks}</dd>
            <dt>{t!(i18n, compliance.checks_failed)}</dt><dd>{i.checks_failed}</dd>
            <dt>{t!(i18n, compliance.checkpoints)}</dt><dd>{i.checkpoints}</dd>
            <dt>{t!(i18n, compliance.tamper_signals)}</dt><dd>{i.tamper_signals}</dd>
        </dl>
        <h3>{t!(i18n, reports.alerts_title)}</h3>
        {alerts}
        <h3>{t!(i18n, reports.charts_title)}</h3>
        <div class="charts">{charts}</div>
    }
}
