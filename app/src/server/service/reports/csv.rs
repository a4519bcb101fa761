//! The reports as CSV. The monthly report is one file with sections (`# exports_per_user`, `# anomalies`,
//! `# contabilidad_exports`, `# export_requests`, `# alerts`, `# recommendations`), each a
//! header row and its rows, a blank line between sections; the first lines say the month,
//! when it was computed and the audit log's head it was computed at. Cells that could be
//! read as formulas are neutralised, as in exports. The compliance report is laid out the
//! same way (`# categories`, `# integrity`, `# alerts`, `# recommendations`).

use crate::error::AppError;
use crate::server::service::export::file::neutralise;
use crate::types::compliance::{CategoryFigures, ComplianceRecommendation, ComplianceReport};
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
    finish(out)
}

fn finish(out: csv::Writer<Vec<u8>>) -> Result<Vec<u8>, AppError> {
    out.into_inner().map_err(|e| {
        tracing::error!(error = %e, "report csv");
        AppError::Internal
    })
}

pub fn compliance(r: &ComplianceReport) -> Result<Vec<u8>, AppError> {
    let mut out = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    let n = |v: i64| v.to_string();
    out.write_record(["from", &r.from_day]).map_err(fail)?;
    out.write_record(["to", &r.to_day]).map_err(fail)?;
    out.write_record(["generated_at", &format_lima(r.generated_at)])
        .map_err(fail)?;
    out.write_record(["audit_head", &format!("{}:{}", r.head_seq, r.head_hash)])
        .map_err(fail)?;
    section(
        &mut out,
        "categories",
        &[
            "category",
            "operations",
            "succeeded",
            "failed",
            "success_percent",
            "severe_failures",
            "alerts",
            "alerts_open",
            "alerts_resolved",
            "alerts_false_positive",
        ],
    )?;
    let line = |f: &CategoryFigures, name: &str| {
        vec![
            name.to_owned(),
            n(f.operations),
            n(f.succeeded),
            n(f.failed),
            f.success_permille()
                .map(|p| format!("{:.1}", p as f64 / 10.0))
                .unwrap_or_default(),
            n(f.critical_failures),
            n(f.alerts),
            n(f.alerts_open),
            n(f.alerts_resolved),
            n(f.alerts_false_positive),
        ]
    };
    for f in &r.categories {
        let name = f.category.map(|c| c.code()).unwrap_or_default();
        row(&mut out, &line(f, name))?;
    }
    row(&mut out, &line(&r.total, "total"))?;
    let i = &r.integrity;
    section(
        &mut out,
        "integrity",
        &[
            "checks",
            "checks_failed",
            "last_check_at",
            "last_check_passed",
            "checkpoints",
            "tamper_signals",
        ],
    )?;
    row(
        &mut out,
        &[
            n(i.checks),
            n(i.checks_failed),
            i.last_check_at.map(format_lima).unwrap_or_default(),
            i.last_check_passed
                .map(|p| p.to_string())
                .unwrap_or_default(),
            n(i.checkpoints),
            n(i.tamper_signals),
        ],
    )?;
    section(&mut out, "alerts", &["kind", "state", "count"])?;
    for t in &r.alerts {
        row(&mut out, &[t.kind.clone(), t.state.clone(), n(t.count)])?;
    }
    section(&mut out, "recommendations", &["recommendation", "detail"])?;
    for rec in &r.recommendations {
        let (code, detail) = match rec {
            ComplianceRecommendation::LowSuccessRate { category, permille } => (
                "low_success_rate",
                format!("{} {:.1}", category.code(), *permille as f64 / 10.0),
            ),
            ComplianceRecommendation::CriticalFailures { count } => {
                ("critical_failures", n(*count))
            }
            ComplianceRecommendation::TriageAlerts { open } => ("triage_alerts", n(*open)),
            ComplianceRecommendation::VerifyLog => ("verify_log", String::new()),
            ComplianceRecommendation::InvestigateIntegrity { failed, signals } => {
                ("investigate_integrity", format!("{failed}/{signals}"))
            }
            ComplianceRecommendation::NothingToReview => ("nothing_to_review", String::new()),
        };
        row(&mut out, &[code.to_owned(), detail])?;
    }
    finish(out)
}
