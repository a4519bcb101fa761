//! The compliance report on "Reportes": a range of days, computed in the background with
//! its progress shown, then its figures, charts, and its CSV and PDF.

use super::{alerts_rows, provenance, table};
use crate::api::reports::{compliance_status, start_compliance};
use crate::components::chart::{ChartData, ChartFigure, chart_table};
use crate::error::AppError;
use crate::i18n::*;
use crate::types::compliance::{CategoryFigures, ComplianceReport, ComplianceRun};
use crate::types::time::format_lima;
use leptos::prelude::*;

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
pub(super) fn Compliance() -> impl IntoView {
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
