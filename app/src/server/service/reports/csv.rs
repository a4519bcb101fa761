//! The monthly report as one CSV file with sections (`# exports_per_user`, `# anomalies`,
//! `# contabilidad_exports`, `# export_requests`, `# alerts`, `# recommendations`), each a
//! header row and its rows, a blank line between sections; the first lines say the month,
//! when it was computed and the audit log's head it was computed at. Cells that could be
//! read as formulas are neutralised, as in exports.

use crate::error::AppError;
use crate::server::service::export::file::neutralise;
use crate::types::report::{MonthlyReport, Recommendation};
use crate::types::time::format_lima;

fn fail(e: csv::Error) -> AppError {
    tracing::error!(error = %e, "report csv");
    AppError::Internal
}

fn row(out: &mut csv::Writer<Vec<u8>>, cells: &[String]) -> Result<(), AppError> {
    let cells: Vec<String> = cells.iter().map(|c| neutralise(c).into_owned()).collect();
    out.write_record(&cells).map_err(fail)
}

fn section(out: &mut csv::Writer<Vec<u8>>, name: &str, header: &[&str]) -> Result<(), AppError> {
    out.write_record([""; 0]).map_err(fail)?;
    out.write_record(["# ".to_owned() + name]).map_err(fail)?;
    out.write_record(header).map_err(fail)
}

pub fn monthly(r: &MonthlyReport) -> Result<Vec<u8>, AppError> {
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    out.write_record(["month", &r.month]).map_err(fail)?;
    out.write_record(["generated_at", &format_lima(r.generated_at)])
        .map_err(fail)?;
    out.write_record(["audit_head", &format!("{}:{}", r.head_seq, r.head_hash)])
        .map_err(fail)?;
    let n = |v: i64| v.to_string();
    section(
        &mut out,
        "exports_per_user",
        &[
            "username",
            "full_name",
            "department",
            "role",
            "exports",
            "contacts",
            "average",
            "largest",
        ],
    )?;
    for u in &r.users {
        row(
            &mut out,
            &[
                u.username.clone(),
                u.full_name.clone(),
                u.department.clone(),
                u.role.clone(),
                n(u.exports),
                n(u.contacts),
                n(u.average),
                n(u.largest),
            ],
        )?;
    }
    section(
        &mut out,
        "anomalies",
        &["kind", "username", "day", "value", "receipt"],
    )?;
    for a in &r.anomalies {
        row(
            &mut out,
            &[
                a.kind.code().to_owned(),
                a.username.clone(),
                a.day.clone(),
                n(a.value),
                a.receipt.clone().unwrap_or_default(),
            ],
        )?;
    }
    section(
        &mut out,
        "contabilidad_exports",
        &["receipt", "username", "at", "count", "fields", "request_id"],
    )?;
    for e in &r.accounting {
        let fields: Vec<&str> = e.fields.iter().map(|f| f.code()).collect();
        row(
            &mut out,
            &[
                e.receipt.clone(),
                e.username.clone(),
                format_lima(e.at),
                n(e.count),
                fields.join(" "),
                e.request_id.map(n).unwrap_or_default(),
            ],
        )?;
    }
    let a = &r.approvals;
    section(
        &mut out,
        "export_requests",
        &["pending", "approved", "rejected", "expired", "cancelled"],
    )?;
    row(
        &mut out,
        &[
            n(a.pending),
            n(a.approved),
            n(a.rejected),
            n(a.expired),
            n(a.cancelled),
        ],
    )?;
    section(&mut out, "alerts", &["kind", "state", "count"])?;
    for t in &r.alerts {
        row(&mut out, &[t.kind.clone(), t.state.clone(), n(t.count)])?;
    }
    section(&mut out, "recommendations", &["recommendation", "detail"])?;
    for rec in &r.recommendations {
        let (code, detail) = match rec {
            Recommendation::ReviewJuniors { users } => ("review_juniors", users.join(" ")),
            Recommendation::ReviewMassiveExports { count } => ("review_massive_exports", n(*count)),
            Recommendation::ReviewBusyDays { count } => ("review_busy_days", n(*count)),
            Recommendation::ReviewAfterHours { count } => ("review_after_hours", n(*count)),
            Recommendation::ReviewAccounting { count } => ("review_accounting", n(*count)),
            Recommendation::ReviewRejections { rejected, approved } => {
                ("review_rejections", format!("{rejected}/{approved}"))
            }
            Recommendation::TriageAlerts { open } => ("triage_alerts", n(*open)),
            Recommendation::NothingToReview => ("nothing_to_review", String::new()),
        };
        row(&mut out, &[code.to_owned(), detail])?;
    }
    out.into_inner().map_err(|e| {
        tracing::error!(error = %e, "report csv");
        AppError::Internal
    })
}
