//! Alerts and notifications for lists: filtered, keyset-paged (stable while new alerts
//! arrive), as data — the server functions write them in the reader's language.

use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::repo::alerts::{self as repo, AlertQuery, AlertRow};
use crate::server::service::audit::explorer::lima_midnight;
use crate::types::alert::{
    AlertFacts, AlertFilter, AlertItem, AlertKind, AlertNote, AlertPage, AlertSeverity, AlertState,
    NotificationItem, OwnerAnswer, StateCounts,
};

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Alerts per page unless asked otherwise, and at most.
const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 200;

fn rank(severity: AlertSeverity) -> i64 {
    match severity {
        AlertSeverity::Low => 1,
        AlertSeverity::Medium => 2,
        AlertSeverity::High => 3,
        AlertSeverity::Critical => 4,
    }
}

pub(crate) fn item(row: AlertRow) -> Option<AlertItem> {
    let kind = AlertKind::from_code(&row.kind)?;
    let facts: AlertFacts = serde_json::from_str(&row.params).unwrap_or_default();
    Some(AlertItem {
        id: row.id,
        kind,
        severity: AlertSeverity::from_code(&row.severity)?,
        state: AlertState::from_code(&row.state)?,
        username: row.username,
        ip: row.subject_ip,
        occurrences: row.occurrences,
        first_seen: row.first_seen,
        last_seen: row.last_seen,
        version: row.version,
        assignee: row.assignee,
        comments: row.comments,
        answer: row.owner_answer.as_deref().and_then(OwnerAnswer::from_code),
        facts,
        description: String::new(),
    })
}

/// A known code of `T`, or a validation error naming the filter.
fn code<T>(
    field: &str,
    value: Option<&str>,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<String>, AppError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) if parse(v).is_some() => Ok(Some(v.to_owned())),
        Some(v) => Err(AppError::validation(
            field,
            Notice::Text {
                code: "unknown_value".into(),
                message: format!("{field}: {}", v.chars().take(40).collect::<String>()),
            },
        )),
    }
}

/// `POST /api/alerts`.
pub async fn page(state: &AppState, filter: &AlertFilter) -> Result<AlertPage, AppError> {
    let limit = filter.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(AppError::validation(
            "limit",
            Notice::TooLong {
                max: MAX_LIMIT as usize,
            },
        ));
    }
    let after = match filter.cursor.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(cursor) => {
            let parts: Vec<i64> = cursor.split('.').filter_map(|p| p.parse().ok()).collect();
            match parts.as_slice() {
                [rank, last_seen, id] => Some((*rank, *last_seen, *id)),
                _ => return Err(AppError::BadRequest),
            }
        }
    };
    let day = |field: &str, value: Option<&str>| match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(d) => lima_midnight(d)
            .map(Some)
            .map_err(|_| AppError::validation(field, Notice::DateFormat)),
    };
    let since = day("from", filter.from.as_deref())?;
    let until = day("to", filter.to.as_deref())?.map(|t| t + DAY_MS);
    let name = |value: Option<&str>| {
        value
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_lowercase)
    };
    let query = AlertQuery {
        state: code("state", filter.state.as_deref(), AlertState::from_code)?,
        severity: code(
            "severity",
            filter.severity.as_deref(),
            AlertSeverity::from_code,
        )?,
        kind: code("kind", filter.kind.as_deref(), AlertKind::from_code)?,
        username: name(filter.username.as_deref()),
        assignee: name(filter.assignee.as_deref()),
        subject_user_id: None,
        since,
        until,
        after,
        limit: limit + 1,
    };
    let mut conn = state.db.conn().await?;
    let mut rows = repo::list_alerts(&mut conn, &query).await?;
    let mut counts = StateCounts::default();
    for (code, n) in repo::count_by_state(&mut conn, &query).await? {
        if let Some(s) = AlertState::from_code(&code) {
            counts.add(s, n);
        }
    }
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let items: Vec<AlertItem> = rows.into_iter().filter_map(item).collect();
    let next_cursor = more
        .then(|| items.last())
        .flatten()
        .map(|last| format!("{}.{}.{}", rank(last.severity), last.last_seen, last.id));
    Ok(AlertPage {
        items,
        next_cursor,
        counts,
    })
}

/// `POST /api/my_alerts`: the alerts about the caller.
pub async fn of_user(state: &AppState, user_id: i64) -> Result<Vec<AlertItem>, AppError> {
    let query = AlertQuery {
        subject_user_id: Some(user_id),
        limit: DEFAULT_LIMIT,
        ..AlertQuery::default()
    };
    let rows = repo::list_alerts(&mut *state.db.conn().await?, &query).await?;
    Ok(rows.into_iter().filter_map(item).collect())
}

/// `POST /api/notifications`: the caller's, unread first.
pub async fn notifications(
    state: &AppState,
    user_id: i64,
) -> Result<Vec<NotificationItem>, AppError> {
    let rows = repo::notifications(&mut *state.db.conn().await?, user_id, DEFAULT_LIMIT).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let note: AlertNote = serde_json::from_str(&row.params).unwrap_or_default();
            let kind = note.kind.as_deref().and_then(AlertKind::from_code);
            NotificationItem {
                id: row.id,
                alert_id: row.alert_id,
                kind,
                severity: note.severity.as_deref().and_then(AlertSeverity::from_code),
                facts: note.facts,
                notice: note.notice,
                text: String::new(),
                read: row.read_at.is_some(),
                created_at: row.created_at,
            }
        })
        .collect())
}

/// Marks one of the user's notifications as read (someone else's is not found).
pub async fn mark_read(state: &AppState, user_id: i64, id: i64) -> Result<(), AppError> {
    let now = state.clock.now_ms();
    let mut conn = state.db.conn().await?;
    if repo::mark_notification_read(&mut conn, user_id, id, now).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
