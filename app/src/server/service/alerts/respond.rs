//! Automatic response (seed 000 section 5), inside the alert's transaction, each action an
//! audit event: MEDIUM notifies the subject's supervisor; HIGH also notifies the security
//! administrators and suspends the subject's exports; CRITICAL also blocks the subject,
//! ends all their sessions and stores a forensic snapshot. Which actions a rule runs is
//! data (`detection_rule.actions`); CRITICAL adds its own on top. Administrators are never
//! blocked or suspended automatically (see the README): an alert about one notifies the
//! other administrators instead, so a rule can never lock every administrator out.

use super::Finding;
use super::rules::{Action, Rule};
use crate::error::AppError;
use crate::server::repo::alerts as repo;
use crate::server::repo::mail::{self, NewMail};
use crate::server::repo::sessions;
use crate::server::service::audit::{self, NewEvent};
use crate::types::alert::{AlertKind, AlertSeverity};
use crate::types::audit::{AuditAction, Outcome, Severity};
use serde_json::json;
use sqlx::AnyConnection;

/// How much of the subject's recent past a forensic snapshot keeps.
const SNAPSHOT_EVENTS: i64 = 50;
const SNAPSHOT_EXPORTS: i64 = 20;

/// The actions an alert of `rule` at `severity` runs.
pub fn actions(rule: &Rule, severity: AlertSeverity) -> Vec<Action> {
    let mut actions = rule.actions.clone();
    // An attacked account is protected, not punished (BRUTE_FORCE, CREDENTIAL_STUFFING).
    let attack = matches!(
        rule.kind,
        AlertKind::BruteForce | AlertKind::CredentialStuffing
    );
    if severity == AlertSeverity::Critical && !attack {
        for extra in [
            Action::NotifySupervisor,
            Action::NotifySecurity,
            Action::SuspendExports,
            Action::BlockUser,
            Action::Snapshot,
        ] {
            if !actions.contains(&extra) {
                actions.push(extra);
            }
        }
    }
    actions
}

/// Runs the responses of a new alert (or of one that just became more severe).
pub async fn run(
    tx: &mut AnyConnection,
    now: i64,
    rule: &Rule,
    finding: &Finding,
    severity: AlertSeverity,
    alert_id: i64,
) -> Result<(), AppError> {
    let about = About {
        alert_id,
        kind: finding.kind,
        severity,
        user_id: finding.user_id,
        facts: &finding.facts,
    };
    perform(tx, now, &actions(rule, severity), &about).await
}

/// The responses of a HIGH alert, whatever its rule says (seed 000 section 5): tell the
/// supervisor and security, suspend exports. Run when the subject answers "that was not
/// me" (they raise the alert to HIGH).
pub const HIGH_RESPONSE: [Action; 3] = [
    Action::NotifySupervisor,
    Action::NotifySecurity,
    Action::SuspendExports,
];

/// What a response is about.
pub struct About<'a> {
    pub alert_id: i64,
    pub kind: AlertKind,
    pub severity: AlertSeverity,
    pub user_id: Option<i64>,
    pub facts: &'a crate::types::alert::AlertFacts,
}

/// Runs `actions` about one alert, inside the caller's transaction.
pub async fn perform(
    tx: &mut AnyConnection,
    now: i64,
    actions: &[Action],
    about: &About<'_>,
) -> Result<(), AppError> {
    let alert_id = about.alert_id;
    let note = json!({
        "alert_id": alert_id,
        "kind": about.kind.code(),
        "severity": about.severity.code(),
        "facts": about.facts,
    })
    .to_string();
    let subject = match about.user_id {
        Some(user) => repo::role_and_supervisor(tx, user)
            .await?
            .map(|(role, supervisor)| (user, role == "admin", supervisor)),
        None => None,
    };
    let mut notified: Vec<i64> = Vec::new();
    for action in actions.iter().copied() {
        match (action, subject) {
            (Action::NotifySupervisor, Some((_, _, Some(supervisor)))) => {
                notify(tx, &mut notified, supervisor, alert_id, &note, now).await?;
            }
            (Action::NotifySecurity, _) => {
                for admin in repo::security_admins(tx).await? {
                    if Some(admin) != about.user_id {
                        notify(tx, &mut notified, admin, alert_id, &note, now).await?;
                    }
                }
            }
            (Action::NotifyOwner, Some((user, _, _))) => {
                notify(tx, &mut notified, user, alert_id, &note, now).await?;
            }
            (Action::SuspendExports, Some((user, false, _))) => {
                suspend(tx, now, user, alert_id, about.kind).await?;
            }
            (Action::BlockUser, Some((user, false, _))) => block(tx, now, user, alert_id).await?,
            (Action::Snapshot, Some((user, _, _))) => {
                let snapshot = snapshot(tx, user, now).await?;
                repo::set_snapshot(tx, alert_id, &snapshot.to_string()).await?;
            }
            // Sign-in protection (locking an attacked account, throttling an address) acts
            // at sign-in; nothing to do here.
            _ => {}
        }
    }
    Ok(())
}

/// Tells `user` about the alert: in the app, and by mail (written when it is sent, in the
/// language they read then).
async fn notify(
    tx: &mut AnyConnection,
    notified: &mut Vec<i64>,
    user: i64,
    alert_id: i64,
    note: &str,
    now: i64,
) -> Result<(), AppError> {
    if notified.contains(&user) {
        return Ok(());
    }
    repo::insert_notification(tx, user, alert_id, note, now).await?;
    notified.push(user);
    if let Some(email) = mail::address_of(tx, user).await?
        && email.contains('@')
    {
        let queued = NewMail {
            user_id: Some(user),
            to_address: &email,
            params: note,
            alert_id: Some(alert_id),
            attachment_id: None,
        };
        mail::enqueue(tx, &queued, now).await?;
    }
    Ok(())
}

/// Suspends the user's exports (refused with `exports_suspended` until an administrator
/// lifts it), audited.
async fn suspend(
    tx: &mut AnyConnection,
    now: i64,
    user: i64,
    alert_id: i64,
    kind: AlertKind,
) -> Result<(), AppError> {
    if repo::suspend_exports(tx, user, alert_id, now).await? {
        let event = NewEvent::new(AuditAction::ExportsSuspended, Outcome::Success)
            .actor(None, "centinela")
            .target("user", user)
            .severity(Severity::High)
            .details(json!({ "alert_id": alert_id, "kind": kind.code() }));
        audit::append(tx, now, event).await?;
    }
    Ok(())
}

/// Blocks the user and ends every open session of theirs (their next request is
/// unauthenticated), each an audit event.
async fn block(tx: &mut AnyConnection, now: i64, user: i64, alert_id: i64) -> Result<(), AppError> {
    if !repo::block_user(tx, user, &format!("alert {alert_id}"), now).await? {
        return Ok(());
    }
    let event = NewEvent::new(AuditAction::UserBlocked, Outcome::Success)
        .actor(None, "centinela")
        .target("user", user)
        .severity(Severity::Critical)
        .change(
            json!({ "status": "active" }),
            json!({ "status": "blocked" }),
        )
        .details(json!({ "alert_id": alert_id, "by": "automatic response" }));
    audit::append(tx, now, event).await?;
    for session in sessions::open_for_user(tx, user, 0).await? {
        if sessions::end(tx, &session.id, now, "blocked").await? {
            let event = NewEvent::new(AuditAction::SessionRevoked, Outcome::Success)
                .actor(None, "centinela")
                .target("session", &session.id)
                .details(
                    json!({ "by": "automatic response", "alert_id": alert_id, "user_id": user }),
                );
            audit::append(tx, now, event).await?;
        }
    }
    Ok(())
}

/// The subject's recent events, exports, sessions and addresses at this moment.
async fn snapshot(
    tx: &mut AnyConnection,
    user: i64,
    now: i64,
) -> Result<serde_json::Value, AppError> {
    let events = repo::recent_events_of(tx, user, SNAPSHOT_EVENTS).await?;
    let exports = repo::recent_exports_of(tx, user, SNAPSHOT_EXPORTS).await?;
    let sessions = sessions::open_for_user(tx, user, 0).await?;
    let mut ips: Vec<String> = events.iter().filter_map(|e| e.3.clone()).collect();
    ips.extend(sessions.iter().map(|s| s.ip.clone()));
    ips.sort();
    ips.dedup();
    Ok(json!({
        "taken_at": now,
        "events": events.iter().map(|(seq, at, action, ip, target)| json!({
            "seq": seq, "at": at, "action": action, "ip": ip, "target": target
        })).collect::<Vec<_>>(),
        "exports": exports.iter().map(|(receipt, at, count, ip)| json!({
            "receipt": receipt, "at": at, "count": count, "ip": ip
        })).collect::<Vec<_>>(),
        "sessions": sessions.iter().map(|s| json!({
            "id": s.id, "ip": s.ip, "started_at": s.created_at, "last_seen_at": s.last_seen_at
        })).collect::<Vec<_>>(),
        "ips": ips,
    }))
}
