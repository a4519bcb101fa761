//! Reports (administrators): the monthly audit report for the page, and the compliance
//! report computed in the background with its progress. The files are plain downloads
//! (`/reports/monthly/{YYYY-MM}.csv|pdf`, `/reports/compliance/report.csv|pdf`).

use crate::error::AppError;
use crate::types::compliance::ComplianceRun;
use crate::types::report::MonthlyReport as Monthly;
use leptos::prelude::*;

/// The monthly audit report of `month` (`YYYY-MM`; empty: last month), with its charts
/// drawn in the caller's language; generating it is an audit event.
#[server(prefix = "/api", endpoint = "monthly_report")]
pub async fn monthly_report(month: String) -> Result<Monthly, AppError> {
    use crate::server::{context, service::reports::delivery, service::reports::monthly};
    use crate::types::Role;
    let admin = context::require_role(Role::Admin)?;
    let state = context::state()?;
    let meta = context::request_meta()?;
    let month = match month.trim() {
        "" => delivery::due_month(state.clock.now_ms()),
        chosen => chosen.to_owned(),
    };
    let report = monthly::compute(&state, &month).await?;
    monthly::record_generated(&state, &admin, &meta, &report, "page").await?;
    Ok(monthly::draw(
        report,
        crate::locale::current_request_locale(),
    ))
}

/// Starts computing the compliance report of `from`..=`to` (Lima dates); the run's id.
#[server(prefix = "/api", endpoint = "start_compliance")]
pub async fn start_compliance(from: String, to: String) -> Result<u64, AppError> {
    use crate::server::{context, service::reports::compliance};
    use crate::types::Role;
    let admin = context::require_role(Role::Admin)?;
    let state = context::state()?;
    let meta = context::request_meta()?;
    compliance::start(&state, &admin, &meta, &from, &to).await
}

/// How far run `id` got, and its report once done (only for the administrator who
/// started it).
#[server(prefix = "/api", endpoint = "compliance_status")]
pub async fn compliance_status(id: u64) -> Result<ComplianceRun, AppError> {
    use crate::server::context;
    use crate::types::Role;
    let admin = context::require_role(Role::Admin)?;
    context::state()?
        .compliance
        .get(id, admin.user_id)
        .ok_or(AppError::NotFound)
}
