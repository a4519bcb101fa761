//! Alerts and notifications (SPEC "Fixed HTTP surface"): the administrators' list, each
//! user's own alerts, and each user's notifications.

// `alerts` takes the fixed surface's filters as one argument each, and the `#[server]`
// macro does not pass an item-level `allow` on to the browser's half.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use crate::types::alert::{AlertItem, AlertPage, NotificationItem};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// `POST /api/alerts` (administrators): alerts, most severe and newest first, filtered by
/// `state`, `severity`, `kind`, `username`, `assignee` and the days `from` / `to` (Lima),
/// keyset-paged with `cursor` and `limit`, with the count of each state.
#[server(prefix = "/api", endpoint = "alerts", input = Json)]
pub async fn alerts(
    state: Option<String>,
    severity: Option<String>,
    kind: Option<String>,
    username: Option<String>,
    assignee: Option<String>,
    from: Option<String>,
    to: Option<String>,
    cursor: Option<String>,
    limit: Option<i64>,
) -> Result<AlertPage, AppError> {
    use crate::server::{context, service::alerts::listing};
    use crate::types::{Role, alert::AlertFilter};
    context::require_role(Role::Admin)?;
    let filter = AlertFilter {
        state,
        severity,
        kind,
        username,
        assignee,
        from,
        to,
        cursor,
        limit,
    };
    let locale = crate::locale::current_request_locale();
    let mut page = listing::page(&context::state()?, &filter).await?;
    page.items = page.items.into_iter().map(|a| a.rendered(locale)).collect();
    Ok(page)
}

/// `POST /api/my_alerts`: the caller's own alerts, newest first.
#[server(prefix = "/api", endpoint = "my_alerts", input = Json)]
pub async fn my_alerts() -> Result<Vec<AlertItem>, AppError> {
    use crate::server::{context, service::alerts::listing};
    let caller = context::require_user()?;
    let locale = crate::locale::current_request_locale();
    let alerts = listing::of_user(&context::state()?, caller.user_id).await?;
    Ok(alerts.into_iter().map(|a| a.rendered(locale)).collect())
}

/// `POST /api/notifications`: the caller's in-app notifications, unread first.
#[server(prefix = "/api", endpoint = "notifications", input = Json)]
pub async fn notifications() -> Result<Vec<NotificationItem>, AppError> {
    use crate::server::{context, service::alerts::listing};
    let caller = context::require_user()?;
    let locale = crate::locale::current_request_locale();
    let notes = listing::notifications(&context::state()?, caller.user_id).await?;
    Ok(notes.into_iter().map(|n| n.rendered(locale)).collect())
}

/// Marks one of the caller's notifications as read.
#[server(prefix = "/api", endpoint = "mark_notification_read")]
pub async fn mark_notification_read(id: i64) -> Result<(), AppError> {
    use crate::server::{context, service::alerts::listing};
    let caller = context::require_user()?;
    listing::mark_read(&context::state()?, caller.user_id, id).await
}

/// The detection rules (administrators).
#[server(prefix = "/api", endpoint = "detection_rules")]
pub async fn detection_rules() -> Result<Vec<crate::types::alert::RuleView>, AppError> {
    use crate::server::{context, service::alerts::rules};
    use crate::types::Role;
    context::require_role(Role::Admin)?;
    rules::list(&context::state()?).await
}

/// Changes one detection rule (administrators): threshold, window, severity, enabled and
/// its automatic responses (`actions[]`, one form field per response; the page always sends
/// an empty one too, so that unticking every box means none; without the field they stay).
#[server(prefix = "/api", endpoint = "update_detection_rule")]
pub async fn update_detection_rule(
    kind: String,
    threshold: i64,
    window_secs: i64,
    severity: String,
    enabled: Option<String>,
    actions: Option<Vec<String>>,
) -> Result<(), AppError> {
    use crate::server::{context, service::alerts::rules};
    use crate::types::Role;
    let admin = context::require_role(Role::Admin)?;
    let change = rules::Change {
        kind,
        threshold,
        window_secs,
        severity,
        enabled: enabled.is_some_and(|v| matches!(v.as_str(), "on" | "true" | "1")),
        actions,
    };
    rules::update(
        &context::state()?,
        &admin,
        &context::request_meta()?,
        change,
    )
    .await
}

/// The mail outbox (administrators): whether mail can go out, and the latest messages
/// with their state (a queued or failed message has not reached anyone).
#[server(prefix = "/api", endpoint = "mail_outbox")]
pub async fn mail_outbox() -> Result<crate::types::alert::Outbox, AppError> {
    use crate::server::{context, service::alerts::outbox};
    use crate::types::Role;
    context::require_role(Role::Admin)?;
    outbox::recent(&context::state()?).await
}

/// `POST /api/alert` (administrators): one alert with its `history` (who, when, from, to,
/// note, action taken) and `events` (what triggered it and the subject's activity around).
#[server(prefix = "/api", endpoint = "alert", input = Json)]
pub async fn alert(id: i64) -> Result<crate::types::alert::AlertDetail, AppError> {
    use crate::server::{context, service::alerts::triage};
    use crate::types::Role;
    context::require_role(Role::Admin)?;
    let locale = crate::locale::current_request_locale();
    let mut detail = triage::detail(&context::state()?, id).await?;
    detail.alert = detail.alert.rendered(locale);
    Ok(detail)
}

/// `POST /api/alert_transition` (administrators): moves an alert through triage; 400 for
/// invalid input, 409 for a stale version or a transition the state machine refuses.
#[server(prefix = "/api", endpoint = "alert_transition", input = Json)]
pub async fn alert_transition(
    id: i64,
    to: String,
    note: Option<String>,
    action_taken: Option<String>,
    version: i64,
) -> Result<crate::types::alert::AlertDetail, AppError> {
    use crate::server::{context, service::alerts::triage};
    use crate::types::Role;
    let admin = context::require_role(Role::Admin)?;
    let t = triage::Transition {
        id,
        to,
        note,
        action_taken,
        version,
    };
    let locale = crate::locale::current_request_locale();
    let state = context::state()?;
    let mut detail = triage::transition(&state, &admin, &context::request_meta()?, t).await?;
    detail.alert = detail.alert.rendered(locale);
    Ok(detail)
}

/// `POST /api/alert_assign` (administrators): assigns an alert to `assignee` (an active
/// security administrator; none: the caller) at its `version`.
#[server(prefix = "/api", endpoint = "alert_assign", input = Json)]
pub async fn alert_assign(
    id: i64,
    assignee: Option<String>,
    version: i64,
) -> Result<crate::types::alert::AlertDetail, AppError> {
    use crate::server::{context, service::alerts::triage};
    use crate::types::Role;
    let admin = context::require_role(Role::Admin)?;
    let locale = crate::locale::current_request_locale();
    let state = context::state()?;
    let meta = context::request_meta()?;
    let mut detail =
        triage::assign(&state, &admin, &meta, id, assignee.as_deref(), version).await?;
    detail.alert = detail.alert.rendered(locale);
    Ok(detail)
}

/// `POST /api/alert_comment` (administrators): a comment on an alert, in any state.
#[server(prefix = "/api", endpoint = "alert_comment", input = Json)]
pub async fn alert_comment(
    id: i64,
    note: String,
) -> Result<crate::types::alert::AlertDetail, AppError> {
    use crate::server::{context, service::alerts::triage};
    use crate::types::Role;
    let admin = context::require_role(Role::Admin)?;
    let locale = crate::locale::current_request_locale();
    let state = context::state()?;
    let meta = context::request_meta()?;
    let mut detail = triage::comment(&state, &admin, &meta, id, &note).await?;
    detail.alert = detail.alert.rendered(locale);
    Ok(detail)
}

/// `POST /api/alert_bulk` (administrators): one operation on many alerts (`items`, each
/// with the version the caller saw): `assign_me`, `review`, or `resolve` /
/// `false_positive` with one `note` and `action_taken` for all. Alerts that changed
/// meanwhile, or that cannot make that move, are skipped and reported.
#[server(prefix = "/api", endpoint = "alert_bulk", input = Json)]
pub async fn alert_bulk(
    op: String,
    items: Vec<crate::types::alert::BulkTarget>,
    note: Option<String>,
    action_taken: Option<String>,
) -> Result<crate::types::alert::BulkReport, AppError> {
    use crate::server::{context, service::alerts::triage};
    use crate::types::Role;
    let admin = context::require_role(Role::Admin)?;
    let state = context::state()?;
    let meta = context::request_meta()?;
    triage::bulk(&state, &admin, &meta, &op, &items, note, action_taken).await
}

/// `POST /api/alert_answer`: the caller answers "was this you?" (`yes` / `no`) about one
/// of their own alerts; any other alert is not found.
#[server(prefix = "/api", endpoint = "alert_answer", input = Json)]
pub async fn alert_answer(id: i64, answer: String) -> Result<AlertItem, AppError> {
    use crate::server::{context, service::alerts::answer};
    let caller = context::require_user()?;
    let locale = crate::locale::current_request_locale();
    let state = context::state()?;
    let meta = context::request_meta()?;
    let item = answer::answer(&state, &caller, &meta, id, &answer).await?;
    Ok(item.rendered(locale))
}
