//! The reports as PDF (`server/pdf.rs` lays them out): the same sections, figures and
//! charts as their page, in the reader's language, each page footed with the report, its
//! period and the audit-log sequence number it was computed at; the first page states the
//! generation time and the log head's hash.

use crate::error::AppError;
use crate::i18n::{Locale, td_string};
use crate::server::pdf::{Column, Report};
use crate::types::alert::{AlertKind, AlertState};
use crate::types::compliance::{CategoryFigures, ComplianceReport};
use crate::types::report::{AlertTally, MonthlyReport};
use crate::types::time::format_lima;

fn fail(error: String) -> AppError {
    tracing::error!(%error, "report pdf");
    AppError::Internal
}

fn language(l: Locale) -> &'static str {
    match l {
        Locale::en => "en",
        _ => "es-PE",
    }
}

/// The monthly audit report as a PDF, for a reader of `l`; `report` has its charts drawn
/// (`monthly::draw`).
pub fn monthly(r: &MonthlyReport, l: Locale) -> Result<Vec<u8>, AppError> {
    let title = td_string!(l, reports.monthly_title);
    let footer = td_string!(
        l,
        reports.footer,
        title = title,
        period = &r.month,
        seq = r.head_seq
    )
    .to_string();
    let mut doc = Report::new(&format!("{title} — {}", r.month), &footer, language(l));
    doc.facts(&[
        (
            td_string!(l, reports.period).to_owned(),
            format!("{} — {}", format_lima(r.from), format_lima(r.to)),
        ),
        (
            td_string!(l, reports.generated).to_owned(),
            format_lima(r.generated_at),
        ),
        (
            td_string!(l, reports.head).to_owned(),
            format!("#{} · {}", r.head_seq, r.head_hash),
        ),
    ]);
    let none = td_string!(l, reports.none);

    doc.heading(td_string!(l, reports.recommendations_title));
    for rec in &r.recommendations {
        doc.paragraph(&format!("• {}", rec.render(l)));
    }

    doc.heading(td_string!(l, reports.users_title));
    doc.table(
        &[
            Column::text(2.2),
            Column::text(2.4),
            Column::text(1.7),
            Column::text(1.4),
            Column::number(1.3),
            Column::number(1.1),
            Column::number(1.1),
            Column::number(1.0),
        ],
        &[
            td_string!(l, reports.user).to_owned(),
            td_string!(l, reports.name).to_owned(),
            td_string!(l, reports.department).to_owned(),
            td_string!(l, reports.role).to_owned(),
            td_string!(l, reports.exports).to_owned(),
            td_string!(l, reports.contacts).to_owned(),
            td_string!(l, reports.average).to_owned(),
            td_string!(l, reports.largest).to_owned(),
        ],
        &r.users
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
            .collect::<Vec<_>>(),
        none,
    );

    doc.heading(td_string!(l, reports.anomalies_title));
    doc.table(
        &[
            Column::text(4.6),
            Column::text(2.0),
            Column::text(1.5),
            Column::number(0.9),
            Column::text(1.9),
        ],
        &[
            td_string!(l, reports.anomaly).to_owned(),
            td_string!(l, reports.user).to_owned(),
            td_string!(l, reports.day).to_owned(),
            td_string!(l, reports.value).to_owned(),
            td_string!(l, reports.receipt).to_owned(),
        ],
        &r.anomalies
            .iter()
            .map(|a| {
                vec![
                    a.kind.name(l).to_owned(),
                    a.username.clone(),
                    a.day.clone(),
                    a.value.to_string(),
                    a.receipt.clone().unwrap_or_default(),
                ]
            })
            .collect::<Vec<_>>(),
        none,
    );

    doc.heading(td_string!(l, reports.accounting_title));
    doc.table(
        &[
            Column::text(2.2),
            Column::text(1.8),
            Column::text(1.8),
            Column::number(1.0),
            Column::text(3.4),
            Column::number(0.9),
        ],
        &[
            td_string!(l, reports.receipt).to_owned(),
            td_string!(l, reports.user).to_owned(),
            td_string!(l, reports.at).to_owned(),
            td_string!(l, reports.contacts).to_owned(),
            td_string!(l, reports.fields).to_owned(),
            td_string!(l, reports.request).to_owned(),
        ],
        &r.accounting
            .iter()
            .map(|e| {
                vec![
                    e.receipt.clone(),
                    e.username.clone(),
                    format_lima(e.at),
                    e.count.to_string(),
                    e.fields
                        .iter()
                        .map(|f| f.code())
                        .collect::<Vec<_>>()
                        .join(", "),
                    e.request_id.map(|id| format!("#{id}")).unwrap_or_default(),
                ]
            })
            .collect::<Vec<_>>(),
        none,
    );

    doc.heading(td_string!(l, reports.approvals_title));
    let a = &r.approvals;
    doc.facts(&[
        (
            td_string!(l, reports.approved).to_owned(),
            a.approved.to_string(),
        ),
        (
            td_string!(l, reports.rejected).to_owned(),
            a.rejected.to_string(),
        ),
        (
            td_string!(l, reports.pending).to_owned(),
            a.pending.to_string(),
        ),
        (
            td_string!(l, reports.expired).to_owned(),
            a.expired.to_string(),
        ),
        (
            td_string!(l, reports.cancelled).to_owned(),
            a.cancelled.to_string(),
        ),
    ]);

    alerts_table(&mut doc, &r.alerts, l);

    charts(&mut doc, &r.charts, l);
    doc.finish().map_err(fail)
}

/// The period's alerts by kind and state.
fn alerts_table(doc: &mut Report, alerts: &[AlertTally], l: Locale) {
    doc.heading(td_string!(l, reports.alerts_title));
    doc.table(
        &[Column::text(4.0), Column::text(2.0), Column::number(1.0)],
        &[
            td_string!(l, reports.kind).to_owned(),
            td_string!(l, reports.state).to_owned(),
            td_string!(l, reports.count).to_owned(),
        ],
        &alerts
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
            .collect::<Vec<_>>(),
        td_string!(l, reports.none),
    );
}

/// The compliance report as a PDF, for a reader of `l`.
pub fn compliance(r: &ComplianceReport, l: Locale) -> Result<Vec<u8>, AppError> {
    let title = td_string!(l, reports.compliance_title);
    let period = format!("{} — {}", r.from_day, r.to_day);
    let footer = td_string!(
        l,
        reports.footer,
        title = title,
        period = &period,
        seq = r.head_seq
    )
    .to_string();
    let mut doc = Report::new(&format!("{title} — {period}"), &footer, language(l));
    doc.facts(&[
        (
            td_string!(l, reports.period).to_owned(),
            format!("{} — {}", format_lima(r.from), format_lima(r.to)),
        ),
        (
            td_string!(l, reports.generated).to_owned(),
            format_lima(r.generated_at),
        ),
        (
            td_string!(l, reports.head).to_owned(),
            format!("#{} · {}", r.head_seq, r.head_hash),
        ),
    ]);
    doc.heading(td_string!(l, reports.recommendations_title));
    for rec in &r.recommendations {
        doc.paragraph(&format!("• {}", rec.render(l)));
    }
    doc.heading(td_string!(l, compliance.categories_title));
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
    rows.push(line(&r.total, td_string!(l, compliance.total).to_owned()));
    doc.table(
        &[
            Column::text(3.2),
            Column::number(1.3),
            Column::number(1.2),
            Column::number(1.1),
            Column::number(1.2),
            Column::number(1.1),
            Column::number(1.0),
            Column::number(1.0),
            Column::number(1.1),
        ],
        &[
            td_string!(l, compliance.category).to_owned(),
            td_string!(l, compliance.operations).to_owned(),
            td_string!(l, compliance.succeeded).to_owned(),
            td_string!(l, compliance.failed_ops).to_owned(),
            td_string!(l, compliance.success_rate).to_owned(),
            td_string!(l, compliance.critical_failures).to_owned(),
            td_string!(l, compliance.alerts).to_owned(),
            td_string!(l, compliance.alerts_open).to_owned(),
            td_string!(l, compliance.alerts_resolved).to_owned(),
        ],
        &rows,
        td_string!(l, reports.none),
    );
    let i = &r.integrity;
    doc.heading(td_string!(l, compliance.integrity_title));
    let last = match (i.last_check_at, i.last_check_passed) {
        (Some(at), Some(true)) => {
            format!("{} · {}", format_lima(at), td_string!(l, compliance.passed))
        }
        (Some(at), _) => format!(
            "{} · {}",
            format_lima(at),
            td_string!(l, compliance.damaged)
        ),
        (None, _) => td_string!(l, compliance.never).to_owned(),
    };
    doc.facts(&[
        (td_string!(l, compliance.last_check).to_owned(), last),
        (
            td_string!(l, compliance.checks).to_owned(),
            i.checks.to_string(),
        ),
        (
            td_string!(l, compliance.checks_failed).to_owned(),
            i.checks_failed.to_string(),
        ),
        (
            td_string!(l, compliance.checkpoints).to_owned(),
            i.checkpoints.to_string(),
        ),
        (
            td_string!(l, compliance.tamper_signals).to_owned(),
            i.tamper_signals.to_string(),
        ),
    ]);
    alerts_table(&mut doc, &r.alerts, l);
    charts(&mut doc, &r.charts, l);
    doc.finish().map_err(fail)
}

/// The report's charts, under one heading kept with the first.
fn charts(doc: &mut Report, charts: &[crate::types::dashboard::Chart], l: Locale) {
    doc.keep(280.0);
    doc.heading(td_string!(l, reports.charts_title));
    for chart in charts {
        doc.chart(&chart.title, &chart.svg, &chart.summary);
    }
}
