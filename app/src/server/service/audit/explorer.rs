//! The audit explorer for administrators: filtered, keyset-paged views of the log, one
//! event with its context, and CSV exports of a filtered view (audited).

use super::{self as audit, NewEvent};
use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::audit::search::{self as audit_search, Search};
use crate::server::repo::audit::{self as repo, AuditRow};
use crate::server::service::access::user_agent;
use crate::server::service::export::file::neutralise;
use crate::types::audit::{AuditEventView, AuditFilter, AuditPage, IntegrityInfo};
use chrono::{NaiveDate, NaiveTime};

pub const PAGE: i64 = 50;
/// The longest value one filter field takes.
const MAX_FILTER_CHARS: usize = 200;
/// The most rows one CSV export holds.
pub const CSV_MAX: i64 = 100_000;

/// Midnight in Lima (UTC-5) of `YYYY-MM-DD`, in unix milliseconds.
pub(crate) fn lima_midnight(day: &str) -> Result<i64, AppError> {
    let date = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::validation("date", Notice::DateFormat))?;
    Ok(date.and_time(NaiveTime::MIN).and_utc().timestamp_millis() + 5 * 3600 * 1000)
}

fn to_search(filter: &AuditFilter, limit: i64) -> Result<Search, AppError> {
    let mut equals = Vec::new();
    // Every filter but the date range is an equality on the column of the same name
    // (`user` is the actor's username).
    for (key, value) in filter.pairs() {
        let column = match key {
            "from" | "to" => continue,
            "user" => "actor_username",
            other => other,
        };
        let value = value.trim();
        if !value.is_empty() {
            if value.len() > MAX_FILTER_CHARS {
                return Err(AppError::validation(
                    column,
                    Notice::TooLong {
                        max: MAX_FILTER_CHARS,
                    },
                ));
            }
            equals.push((column, value.to_owned()));
        }
    }
    let day = 24 * 3600 * 1000;
    Ok(Search {
        equals,
        from_ms: (!filter.from.trim().is_empty())
            .then(|| lima_midnight(&filter.from))
            .transpose()?,
        to_ms: (!filter.to.trim().is_empty())
            .then(|| lima_midnight(&filter.to).map(|t| t + day))
            .transpose()?,
        before: filter.before,
        limit,
    })
}

pub fn view(row: AuditRow) -> AuditEventView {
    let parsed = row.user_agent.as_deref().map(user_agent::parse);
    AuditEventView {
        seq: row.seq,
        created_at: row.created_at,
        actor_id: row.actor_id,
        actor_username: row.actor_username,
        action: row.action,
        module: row.module,
        target_type: row.target_type,
        target_id: row.target_id,
        outcome: row.outcome,
        severity: row.severity,
        ip: row.ip,
        user_agent: row.user_agent,
        browser: row
            .ua_browser
            .or(parsed.as_ref().map(|p| p.browser.clone())),
        os: row.ua_os.or(parsed.as_ref().map(|p| p.os.clone())),
        device: row.ua_device.or(parsed.map(|p| p.device)),
        session_id: row.session_id,
        before_json: row.before_json,
        after_json: row.after_json,
        details_json: row.details_json,
        prev_hash: row.prev_hash,
        hash: row.hash,
    }
}

pub async fn page(state: &AppState, filter: &AuditFilter) -> Result<AuditPage, AppError> {
    let search = to_search(filter, PAGE + 1)?;
    let mut rows = audit_search::search(&mut *state.db.conn().await?, &search).await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    Ok(AuditPage {
        next_before: if more {
            rows.last().map(|r| r.seq)
        } else {
            None
        },
        events: rows.into_iter().map(view).collect(),
    })
}

pub async fn event(state: &AppState, seq: i64) -> Result<AuditEventView, AppError> {
    repo::event(&mut *state.db.conn().await?, seq)
        .await?
        .map(view)
        .ok_or(AppError::NotFound)
}

pub async fn integrity_info(state: &AppState) -> Result<IntegrityInfo, AppError> {
    let mut conn = state.db.conn().await?;
    let (first_seq, last_seq, events) = repo::span(&mut conn).await?;
    let latest = repo::latest_checkpoint(&mut conn).await?;
    Ok(IntegrityInfo {
        public_key: state.signer.public_key_hex(),
        latest_checkpoint: latest.map(|c| (c.seq, c.created_at, c.reason)),
        events,
        first_seq,
        last_seq,
        archived_segments: i64::try_from(repo::archives(&mut conn).await?.len()).unwrap_or(0),
    })
}

/// Text that cannot break a line or run as a formula in a spreadsheet.
pub fn inert(text: &str) -> String {
    let escaped: String = text
        .chars()
        .map(|c| {
            if c.is_control() {
                format!("\\u{{{:04x}}}", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect();
    neutralise(&escaped).into_owned()
}

/// The filtered view as CSV (one line per event, whatever the fields hold); audited.
pub async fn csv(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
    filter: &AuditFilter,
) -> Result<Vec<u8>, AppError> {
    let search = to_search(filter, CSV_MAX)?;
    let rows = audit_search::search(&mut *state.db.conn().await?, &search).await?;
    let internal = |e: csv::Error| {
        tracing::error!(error = %e, "audit csv");
        AppError::Internal
    };
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer
        .write_record([
            "seq",
            "created_at",
            "actor_id",
            "actor_username",
            "action",
            "module",
            "target_type",
            "target_id",
            "outcome",
            "severity",
            "ip",
            "browser",
            "os",
            "device",
            "session_id",
            "before",
            "after",
            "details",
            "hash",
        ])
        .map_err(internal)?;
    let count = rows.len();
    for r in rows {
        let o = |v: Option<String>| inert(&v.unwrap_or_default());
        writer
            .write_record([
                r.seq.to_string(),
                crate::types::time::format_lima(r.created_at),
                r.actor_id.map(|i| i.to_string()).unwrap_or_default(),
                o(r.actor_username),
                inert(&r.action),
                inert(&r.module),
                o(r.target_type),
                o(r.target_id),
                inert(&r.outcome),
                inert(&r.severity),
                o(r.ip),
                o(r.ua_browser),
                o(r.ua_os),
                o(r.ua_device),
                o(r.session_id),
                o(r.before_json),
                o(r.after_json),
                o(r.details_json),
                r.hash,
            ])
            .map_err(internal)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| internal(e.into_error().into()))?;
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let event = NewEvent::new(
        crate::types::audit::AuditAction::AuditExported,
        crate::types::audit::Outcome::Success,
    )
    .actor(Some(caller.user_id), &caller.username)
    .meta(meta)
    .details(serde_json::json!({ "rows": count, "filter": filter }));
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_cannot_forge_lines() {
        assert_eq!(inert("ana\nseq,1,forged"), "ana\\u{000a}seq,1,forged");
        assert_eq!(inert("=cmd\r"), "'=cmd\\u{000d}");
        assert!(!inert("a\u{1b}[31mred").contains('\u{1b}'));
    }

    #[test]
    fn dates_are_lima_days() {
        // 2026-11-22 00:00 in Lima is 05:00 UTC.
        assert_eq!(
            lima_midnight("2026-11-22").expect("date"),
            1_795_323_600_000
        );
        assert!(lima_midnight("22/11/2026").is_err());
    }
}
