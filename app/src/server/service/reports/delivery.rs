//! The monthly report, mailed: from the first day of a month (Lima) the previous month's
//! report is generated as a PDF, in each recipient's language, and queued in the outbox
//! for every security administrator with an e-mail address, with the PDF attached. Once:
//! the month's `report_delivery` row is inserted in the same transaction as the mails and
//! the audit event, so a second run, or another instance, finds it and does nothing. A
//! month that ended before the audit log began (a new installation) is not reported.

use super::{monthly, pdf};
use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::mail::MailFile;
use crate::server::repo::mail::{self as outbox, NewMail};
use crate::server::repo::reports as repo;
use crate::server::service::audit::{self, NewEvent};
use crate::types::alert::AlertNote;
use crate::types::audit::{AuditAction, Outcome};
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

const LIMA_OFFSET_MS: i64 = -5 * 3_600_000;

/// The month whose report is due at `now`: the one before the current Lima month.
pub fn due_month(now: i64) -> String {
    let today = chrono::DateTime::from_timestamp_millis(now + LIMA_OFFSET_MS)
        .map(|t| t.date_naive())
        .unwrap_or_default();
    let previous = today
        .with_day(1)
        .and_then(|first| first.pred_opt())
        .unwrap_or(NaiveDate::MIN);
    format!("{:04}-{:02}", previous.year(), previous.month())
}

/// Delivers the due month's report unless it was delivered already; the month delivered.
pub async fn deliver_due(state: &AppState) -> Result<Option<String>, AppError> {
    let now = state.clock.now_ms();
    let month = due_month(now);
    let (_, to) = monthly::bounds(&month)?;
    {
        let mut conn = state.db.conn().await?;
        if repo::delivered(&mut conn, &month).await? {
            return Ok(None);
        }
        match repo::log_began(&mut conn).await? {
            Some(began) if began < to => {}
            _ => return Ok(None),
        }
    }
    let recipients = repo::report_recipients(&mut *state.db.conn().await?).await?;
    let report = monthly::compute(state, &month).await?;

    // One PDF per language the recipients read.
    let mut files: BTreeMap<String, MailFile> = BTreeMap::new();
    for (_, _, code) in &recipients {
        let code = code.clone().unwrap_or_default();
        if files.contains_key(&code) {
            continue;
        }
        let locale = code.parse().unwrap_or_default();
        let drawn = monthly::draw(report.clone(), locale);
        let body = tokio::task::spawn_blocking(move || pdf::monthly(&drawn, locale))
            .await
            .map_err(|_| AppError::Internal)??;
        files.insert(
            code,
            MailFile {
                file_name: format!("centinela-reporte-{month}.pdf"),
                content_type: "application/pdf".to_owned(),
                body,
            },
        );
    }

    let mut tx = state.db.begin_write().await?;
    let count = i64::try_from(recipients.len()).unwrap_or(i64::MAX);
    if !repo::claim_delivery(&mut tx, &month, report.head_seq, count, now).await? {
        // Another run got there first.
        return Ok(None);
    }
    let mut attached: BTreeMap<String, i64> = BTreeMap::new();
    for (code, file) in &files {
        attached.insert(code.clone(), outbox::attach(&mut tx, file, now).await?);
    }
    let note = serde_json::to_string(&AlertNote {
        notice: Some(Notice::MonthlyReportReady {
            month: month.clone(),
        }),
        ..AlertNote::default()
    })
    .map_err(|_| AppError::Internal)?;
    for (user, email, code) in &recipients {
        let queued = NewMail {
            user_id: Some(*user),
            to_address: email,
            params: &note,
            alert_id: None,
            attachment_id: attached.get(&code.clone().unwrap_or_default()).copied(),
        };
        outbox::enqueue(&mut tx, &queued, now).await?;
    }
    let event = NewEvent::new(AuditAction::ReportGenerated, Outcome::Success)
        .actor(None, "system")
        .target("report", format!("monthly:{month}"))
        .details(serde_json::json!({
            "format": "pdf",
            "scheduled": true,
            "recipients": count,
            "head_seq": report.head_seq,
            "head_hash": report.head_hash,
        }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    tracing::info!(%month, recipients = count, "monthly report mailed");
    Ok(Some(month))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_lima_month_is_due() {
        let (dec_first, _) = monthly::bounds("2026-12").expect("month");
        assert_eq!(due_month(dec_first), "2026-11");
        assert_eq!(due_month(dec_first - 1), "2026-10");
        let (jan_first, _) = monthly::bounds("2027-01").expect("month");
        assert_eq!(due_month(jan_first), "2026-12");
        assert_eq!(due_month(jan_first + 40 * 86_400_000), "2027-01");
    }
}
