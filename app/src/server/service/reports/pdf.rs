//! The reports as PDF (`server/pdf.rs` lays them out): the same sections, figures and
//! charts as the page, in the reader's language, each page footed with the report, its
//! period and the audit-log sequence number it was computed at; the first page states the
//! generation time and the log head's hash.

use crate::error::AppError;
use crate::i18n::{Locale, td_string};
use crate::server::pdf::{Column, Report};
use crate::types::alert::{AlertKind, AlertState};
use crate::types::report::MonthlyReport;
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

    doc.heading(td_string!(l, reports.alerts_title));
    doc.table(
        &[Column::text(4.0), Column::text(2.0), Column::number(1.0)],
        &[
            td_string!(l, reports.kind).to_owned(),
            td_string!(l, reports.state).to_owned(),
            td_string!(l, reports.count).to_owned(),
        ],
        &r.alerts
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
        none,
    );

    doc.keep(280.0);
    doc.heading(td_string!(l, reports.charts_title));
    for chart in &r.charts {
        doc.chart(&chart.title, &chart.svg, &chart.summary);
    }
    doc.finish().map_err(fail)
}
