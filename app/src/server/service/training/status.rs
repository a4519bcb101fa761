//! Where people stand: the caller's own training (`POST /api/my_training`), "Guardián de
//! Datos", and the administrators' list (who is certified, until when, who is overdue,
//! who failed recently), with its CSV.

use super::certificates::{self, agreement_needed, status_of};
use super::quiz::next_attempt_at;
use crate::error::AppError;
use crate::server::AppState;
use crate::server::context::AuthSession;
use crate::server::repo::training::{self as repo, AttemptRow, CertificateRow};
use crate::server::repo::users;
use crate::types::training::*;
use sqlx::AnyConnection;

const DAY_MS: i64 = 86_400_000;
/// "Guardián de Datos": certified without a gap, and no alert about them resolved, for this long.
pub const GUARDIAN_DAYS: i64 = 180;
/// A certificate ending within this many days is "expiring".
const EXPIRING_DAYS: i64 = certificates::EXPIRY_NOTICE_DAYS;
/// An attempt this recent counts as "failed recently".
const RECENT_DAYS: i64 = 30;

/// Whether unrevoked certificates cover every moment from `from` to `now`.
pub fn covered_since(certs: &[CertificateRow], from: i64, now: i64) -> bool {
    let mut cursor = now;
    while cursor > from {
        let earliest = certs
            .iter()
            // Covering the moment just before `cursor`: back-to-back certificates chain.
            .filter(|c| c.revoked_at.is_none() && c.issued_at < cursor && c.valid_until >= cursor)
            .map(|c| c.issued_at)
            .min();
        match earliest {
            Some(start) => cursor = start,
            None => return false,
        }
    }
    true
}

async fn guardian(
    conn: &mut AnyConnection,
    user_id: i64,
    certs: &[CertificateRow],
    now: i64,
) -> Result<bool, AppError> {
    let since = now - GUARDIAN_DAYS * DAY_MS;
    if !covered_since(certs, since, now) {
        return Ok(false);
    }
    Ok(repo::resolved_alerts_about(conn, user_id, since).await? == 0)
}

fn summary(a: &AttemptRow) -> AttemptSummary {
    AttemptSummary {
        started_at: a.started_at,
        score: a.score,
        total: a.total,
        outcome: a.outcome.clone(),
    }
}

/// `POST /api/my_training`.
pub async fn mine(state: &AppState, caller: &AuthSession) -> Result<MyTraining, AppError> {
    let now = state.clock.now_ms();
    let mut conn = state.db.conn().await?;
    let certs = repo::certificates_of(&mut conn, caller.user_id).await?;
    let current = certificates::current(&mut conn, caller.user_id, now).await?;
    let recent = repo::attempts_since(&mut conn, caller.user_id, now - 365 * DAY_MS).await?;
    let next = next_attempt_at(&recent, now);
    let in_day = recent
        .iter()
        .filter(|a| a.started_at > now - DAY_MS)
        .count() as i64;
    let flags = repo::flags(&mut conn, caller.user_id)
        .await?
        .unwrap_or_default();
    let full_name = repo::names(&mut conn, caller.user_id)
        .await?
        .map(|n| n.1)
        .unwrap_or_default();
    Ok(MyTraining {
        certified: current.is_some(),
        certificate: current.map(|c| CertificateRef {
            code: c.code,
            issued_at: c.issued_at,
            valid_until: c.valid_until,
        }),
        agreement_needed: agreement_needed(&mut conn, caller.user_id).await?,
        attempts_left: (ATTEMPTS_PER_DAY - in_day).max(0),
        next_attempt_at: next,
        attempts: recent.iter().take(10).map(summary).collect(),
        guardian: guardian(&mut conn, caller.user_id, &certs, now).await?,
        limits_halved: flags.1.is_some(),
        full_name,
    })
}

/// The administrators' list, filtered.
pub async fn list(state: &AppState, filter: &TrainingFilter) -> Result<Vec<TrainingRow>, AppError> {
    let now = state.clock.now_ms();
    let mut conn = state.db.conn().await?;
    let people = users::list_users(&mut conn).await?;
    let certs = repo::all_certificates(&mut conn).await?;
    let attempts = repo::all_attempts_since(&mut conn, now - RECENT_DAYS * DAY_MS).await?;
    let halved = repo::training_required_users(&mut conn).await?;
    let mut rows = Vec::with_capacity(people.len());
    for u in &people {
        let theirs: Vec<CertificateRow> = certs
            .iter()
            .filter(|c| c.user_id == u.id)
            .cloned()
            .collect();
        let valid = theirs
            .iter()
            .filter(|c| status_of(c, now) == CertificateStatus::Valid)
            .map(|c| c.valid_until)
            .max();
        let standing = match valid {
            Some(until) if until - now <= EXPIRING_DAYS * DAY_MS => TrainingStanding::Expiring,
            Some(_) => TrainingStanding::Certified,
            None if theirs.is_empty() => TrainingStanding::Never,
            None => TrainingStanding::Overdue,
        };
        let mine: Vec<&AttemptRow> = attempts.iter().filter(|a| a.user_id == u.id).collect();
        let last = mine.iter().find(|a| a.outcome.is_some());
        let failed_recently = last.is_some_and(|a| a.outcome.as_deref() != Some("passed"));
        rows.push(TrainingRow {
            username: u.username.clone(),
            full_name: u.full_name.clone(),
            department: u.department.clone(),
            role: u.role.clone(),
            standing,
            valid_until: valid.or_else(|| theirs.iter().map(|c| c.valid_until).max()),
            attempts_30d: mine.len() as i64,
            last_attempt_at: last.map(|a| a.started_at),
            last_score: last.and_then(|a| a.score),
            last_total: last.map(|a| a.total),
            failed_recently,
            guardian: valid.is_some() && guardian(&mut conn, u.id, &theirs, now).await?,
            limits_halved: halved.contains(&u.id),
        });
    }
    rows.retain(|r| {
        filter
            .standing
            .as_deref()
            .is_none_or(|s| s.is_empty() || r.standing.code() == s)
            && filter
                .department
                .as_deref()
                .is_none_or(|d| d.is_empty() || r.department == d)
            && filter.failed.is_none_or(|f| r.failed_recently == f)
    });
    Ok(rows)
}

/// The list as CSV (what the download button gives); cells a spreadsheet would run as a
/// formula are neutralised, as in exports.
pub fn csv(rows: &[TrainingRow]) -> Result<Vec<u8>, AppError> {
    use crate::server::service::export::file::neutralise;
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "username",
        "full_name",
        "department",
        "role",
        "standing",
        "valid_until",
        "attempts_30d",
        "last_attempt_at",
        "last_score",
        "last_total",
        "failed_recently",
        "guardian",
        "limits_halved",
    ];
    let fail = |e: csv::Error| {
        tracing::error!(error = %e, "training csv");
        AppError::Internal
    };
    out.write_record(header).map_err(fail)?;
    let date = |t: Option<i64>| t.map(crate::types::time::format_lima).unwrap_or_default();
    let num = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    for r in rows {
        out.write_record([
            neutralise(&r.username).into_owned(),
            neutralise(&r.full_name).into_owned(),
            r.department.clone(),
            r.role.clone(),
            r.standing.code().to_owned(),
            date(r.valid_until),
            r.attempts_30d.to_string(),
            date(r.last_attempt_at),
            num(r.last_score),
            num(r.last_total),
            r.failed_recently.to_string(),
            r.guardian.to_string(),
            r.limits_halved.to_string(),
        ])
        .map_err(fail)?;
    }
    out.into_inner().map_err(|_| AppError::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(issued_at: i64, valid_until: i64, revoked: bool) -> CertificateRow {
        CertificateRow {
            code: String::new(),
            user_id: 1,
            issued_at,
            valid_until,
            revoked_at: revoked.then_some(issued_at),
        }
    }

    #[test]
    fn guardians_are_covered_without_a_gap() {
        let now = 1_000 * DAY_MS;
        let from = now - 180 * DAY_MS;
        assert!(covered_since(
            &[cert(now - 200 * DAY_MS, now + 165 * DAY_MS, false)],
            from,
            now
        ));
        assert!(!covered_since(
            &[cert(now - 100 * DAY_MS, now + 265 * DAY_MS, false)],
            from,
            now
        ));
        // Two back to back cover; a gap of a day does not; a revoked one does not count.
        let chain = [
            cert(now - 300 * DAY_MS, now - 90 * DAY_MS, false),
            cert(now - 90 * DAY_MS, now + 275 * DAY_MS, false),
        ];
        assert!(covered_since(&chain, from, now));
        let gap = [
            cert(now - 300 * DAY_MS, now - 91 * DAY_MS, false),
            cert(now - 90 * DAY_MS, now + 275 * DAY_MS, false),
        ];
        assert!(!covered_since(&gap, from, now));
        assert!(!covered_since(
            &[cert(now - 200 * DAY_MS, now + 165 * DAY_MS, true)],
            from,
            now
        ));
    }
}
