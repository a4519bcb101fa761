//! Sign-in protection (issue "Detection in seconds", SPEC "Detection rules"): an account
//! past the BRUTE_FORCE threshold is locked for a while — 5 minutes, doubling on each
//! repeat up to an hour, forgotten after a successful sign-in — and while it is locked even
//! the right password gets the same answer as a wrong one. An address past the
//! CREDENTIAL_STUFFING threshold gets 429 with `Retry-After` for its further attempts.
//! Failures are counted in the database (the audit log), so this holds with several
//! instances. The thresholds and windows are the rules' (`detection_rule`), and each
//! protection runs while its rule is enabled and lists it (`lock_account`, `throttle_ip`).

use crate::error::AppError;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::alerts as alert_repo;
use crate::server::repo::users;
use crate::server::service::alerts::rules;
use crate::server::service::audit::{self, NewEvent};
use crate::types::alert::AlertKind;
use crate::types::audit::{AuditAction, Outcome, Severity};
use serde_json::json;
use sqlx::AnyConnection;

/// The first lock, and the longest.
pub const FIRST_LOCK_MS: i64 = 5 * 60 * 1000;
pub const LONGEST_LOCK_MS: i64 = 60 * 60 * 1000;

/// How long the `level`-th lock in a row lasts (level 1 is the first).
pub fn lock_ms(level: i64) -> i64 {
    let doublings = u32::try_from((level - 1).clamp(0, 20)).unwrap_or(20);
    FIRST_LOCK_MS
        .saturating_mul(2_i64.saturating_pow(doublings))
        .min(LONGEST_LOCK_MS)
}

/// Seconds `ip` must wait before trying to sign in again, if it is past the
/// CREDENTIAL_STUFFING threshold.
pub async fn throttled(state: &AppState, ip: &str) -> Result<Option<i64>, AppError> {
    let mut conn = state.db.conn().await?;
    let all = rules::load(&mut conn).await?;
    let Some(rule) = rules::enabled(&all, AlertKind::CredentialStuffing)
        .filter(|r| r.does(rules::Action::ThrottleIp))
    else {
        return Ok(None);
    };
    let now = state.clock.now_ms();
    let throttle_ms = rule.params.throttle_secs.unwrap_or(rule.window_secs) * 1000;
    let from =
        alert_repo::first_seq_since(&mut conn, now - throttle_ms.max(rule.window_ms())).await?;
    let accounts =
        alert_repo::distinct_usernames_from_ip(&mut conn, "sign_in_failed", ip, from, i64::MAX)
            .await?;
    Ok((accounts >= rule.threshold).then_some(throttle_ms / 1000))
}

/// After a failed sign-in on an existing account (inside its transaction): locks the
/// account when the failures within the BRUTE_FORCE window reach the threshold.
pub async fn after_failure(
    tx: &mut AnyConnection,
    now: i64,
    account: &users::Credentials,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    if account.locked_at(now) {
        return Ok(());
    }
    let all = rules::load(tx).await?;
    let Some(rule) =
        rules::enabled(&all, AlertKind::BruteForce).filter(|r| r.does(rules::Action::LockAccount))
    else {
        return Ok(());
    };
    let from = alert_repo::first_seq_since(tx, now - rule.window_ms()).await?;
    let failures = alert_repo::count_action_for_username(
        tx,
        "sign_in_failed",
        &account.username,
        from,
        i64::MAX,
        rule.threshold,
    )
    .await?;
    if failures < rule.threshold {
        return Ok(());
    }
    let level = account.lock_level + 1;
    let until = now + lock_ms(level);
    if users::lock(tx, account.id, until, level, now).await? {
        let event = NewEvent::new(AuditAction::AccountLocked, Outcome::Success)
            .actor(Some(account.id), &account.username)
            .target("user", account.id)
            .meta(meta)
            .severity(Severity::High)
            .details(json!({
                "failures": failures,
                "window_secs": rule.window_secs,
                "until": until,
                "level": level,
                "ip": meta.ip,
            }));
        audit::append(tx, now, event).await?;
    }
    Ok(())
}

/// An administrator ends a lock (audited).
pub async fn unlock(
    state: &AppState,
    admin: &AuthSession,
    meta: &RequestMeta,
    username: &str,
) -> Result<(), AppError> {
    let username = username.trim().to_lowercase();
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let account = users::find_credentials(&mut tx, &username)
        .await?
        .ok_or(AppError::NotFound)?;
    if users::unlock(&mut tx, account.id, true, now).await? {
        let event = NewEvent::new(AuditAction::AccountUnlocked, Outcome::Success)
            .actor(Some(admin.user_id), &admin.username)
            .target("user", account.id)
            .meta(meta)
            .change(
                json!({ "status": "locked", "locked_until": account.locked_until }),
                json!({ "status": "active" }),
            );
        audit::append(&mut tx, now, event).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_double_up_to_an_hour() {
        let minutes = |level| lock_ms(level) / 60_000;
        assert_eq!(
            [1, 2, 3, 4, 5, 6, 40].map(minutes),
            [5, 10, 20, 40, 60, 60, 60]
        );
    }
}
