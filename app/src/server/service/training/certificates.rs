//! Certificates (SPEC "Training"): issued on a pass, valid for a configurable period
//! (12 months by default), checked by anyone at `GET /certificates/{code}`; revoked when an
//! incident is closed with "training assigned", which also halves the employee's export
//! limits until they pass again. The confidentiality agreement comes once per period.

use crate::error::AppError;
use crate::notice::Notice;
use crate::server::AppState;
use crate::server::context::{AuthSession, RequestMeta};
use crate::server::repo::training::{self as repo, CertificateRow};
use crate::server::service::audit::{self, NewEvent};
use crate::types::audit::{AuditAction, Outcome, Severity};
use crate::types::training::{CertificateRef, CertificateStatus, PublicCertificate};
use serde_json::json;
use sqlx::AnyConnection;

const DAY_MS: i64 = 86_400_000;
/// Crockford's base 32: no I, L, O or U, so a code read aloud or typed is unambiguous.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// 20 characters of 5 bits: 100 random bits, shown in groups of four.
const CODE_CHARS: usize = 20;
/// Certificates expiring within this many days are announced to their owner.
pub const EXPIRY_NOTICE_DAYS: i64 = 30;

/// A fresh verification code, e.g. `7KQ2-M9XD-4T1B-ZR8W-C3HN`.
pub fn new_code() -> String {
    let bits = rand::random::<u128>();
    let chars: Vec<char> = (0..CODE_CHARS)
        .map(|i| ALPHABET[((bits >> (5 * i)) & 31) as usize] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as someone typed it: case, spaces and dashes do not matter, and the letters
/// Crockford reads as digits (O, I, L) are read so.
pub fn normalise(code: &str) -> Option<String> {
    let chars: Vec<char> = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    let valid = chars.len() == CODE_CHARS && chars.iter().all(|c| ALPHABET.contains(&(*c as u8)));
    valid.then(|| {
        chars
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-")
    })
}

pub fn status_of(c: &CertificateRow, now: i64) -> CertificateStatus {
    if c.revoked_at.is_some() {
        CertificateStatus::Revoked
    } else if c.valid_until <= now {
        CertificateStatus::Expired
    } else {
        CertificateStatus::Valid
    }
}

/// The user's current certificate (valid, not revoked), the one lasting longest.
pub async fn current(
    conn: &mut AnyConnection,
    user_id: i64,
    now: i64,
) -> Result<Option<CertificateRow>, AppError> {
    Ok(repo::certificates_of(conn, user_id)
        .await?
        .into_iter()
        .filter(|c| status_of(c, now) == CertificateStatus::Valid)
        .max_by_key(|c| c.valid_until))
}

/// Whether the agreement must be accepted (again) before the next attempt: never accepted,
/// or accepted before the latest certificate was issued (a new period).
pub async fn agreement_needed(conn: &mut AnyConnection, user_id: i64) -> Result<bool, AppError> {
    let accepted = repo::flags(conn, user_id).await?.and_then(|f| f.0);
    let latest = repo::certificates_of(conn, user_id)
        .await?
        .first()
        .map(|c| c.issued_at);
    Ok(match (accepted, latest) {
        (None, _) => true,
        (Some(a), Some(issued)) => a < issued,
        (Some(_), None) => false,
    })
}

/// Accepts the confidentiality agreement for the coming period (audited once per period).
pub async fn accept_agreement(
    state: &AppState,
    caller: &AuthSession,
    meta: &RequestMeta,
) -> Result<(), AppError> {
    let mut tx = state.db.begin_write().await?;
    if !agreement_needed(&mut tx, caller.user_id).await? {
        return Ok(());
    }
    let now = state.clock.now_ms();
    repo::set_agreement_accepted(&mut tx, caller.user_id, now).await?;
    let event = NewEvent::new(AuditAction::AgreementAccepted, Outcome::Success)
        .actor(Some(caller.user_id), &caller.username)
        .target("user", caller.user_id)
        .meta(meta);
    audit::append(&mut tx, now, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Issues a certificate for a passed attempt, inside the attempt's transaction; a user
/// whose limits were halved after an incident gets them back.
pub(super) async fn issue(
    state: &AppState,
    tx: &mut AnyConnection,
    caller: &AuthSession,
    meta: &RequestMeta,
    attempt_id: &str,
    now: i64,
) -> Result<CertificateRef, AppError> {
    let row = CertificateRow {
        code: new_code(),
        user_id: caller.user_id,
        issued_at: now,
        valid_until: now + state.training.validity_days * DAY_MS,
        revoked_at: None,
    };
    repo::insert_certificate(tx, &row, Some(attempt_id)).await?;
    let restored = repo::set_training_required(tx, caller.user_id, None).await?;
    let event = NewEvent::new(AuditAction::CertificateIssued, Outcome::Success)
        .actor(Some(caller.user_id), &caller.username)
        .target("certificate", &row.code)
        .meta(meta)
        .details(json!({ "valid_until": row.valid_until, "attempt": attempt_id, "limits_restored": restored }));
    audit::append(tx, now, event).await?;
    Ok(CertificateRef {
        code: row.code,
        issued_at: row.issued_at,
        valid_until: row.valid_until,
    })
}

/// `GET /certificates/{code}`: whose it is and whether it holds — nothing else.
pub async fn public(state: &AppState, code: &str) -> Result<PublicCertificate, AppError> {
    let code = normalise(code).ok_or(AppError::NotFound)?;
    let mut conn = state.db.conn().await?;
    let c = repo::certificate(&mut conn, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let (_, full_name) = repo::names(&mut conn, c.user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(PublicCertificate {
        full_name,
        issued_at: c.issued_at,
        valid_until: c.valid_until,
        status: status_of(&c, state.clock.now_ms()),
        company: state.training.company.clone(),
        code: c.code,
    })
}

/// "Training assigned" on a closed incident: inside the closing transaction, revokes the
/// subject's current certificates and halves their limits until they pass again, tells
/// them why, and records both.
pub async fn assign_training(
    tx: &mut AnyConnection,
    now: i64,
    admin: &AuthSession,
    user_id: i64,
    alert_id: i64,
) -> Result<(), AppError> {
    let Some((username, _)) = repo::names(tx, user_id).await? else {
        return Ok(());
    };
    let reason = format!("alert {alert_id}");
    for code in repo::revoke_current(tx, user_id, &reason, now).await? {
        let event = NewEvent::new(AuditAction::CertificateRevoked, Outcome::Success)
            .actor(Some(admin.user_id), &admin.username)
            .target("certificate", &code)
            .severity(Severity::Medium)
            .details(json!({ "user": username, "alert": alert_id }));
        audit::append(tx, now, event).await?;
    }
    if repo::set_training_required(tx, user_id, Some(now)).await? {
        let event = NewEvent::new(AuditAction::TrainingAssigned, Outcome::Success)
            .actor(Some(admin.user_id), &admin.username)
            .target("user", user_id)
            .severity(Severity::Medium)
            .change(
                json!({ "limits": "normal" }),
                json!({ "limits": "halved", "until": "quiz passed" }),
            )
            .details(json!({ "user": username, "alert": alert_id }));
        audit::append(tx, now, event).await?;
    }
    let params = json!({ "notice": Notice::TrainingAssigned }).to_string();
    crate::server::repo::alerts::insert_notice(tx, user_id, &params, now).await?;
    Ok(())
}

/// Tells each owner of a certificate expiring within 30 days, once (a periodic job).
pub async fn notify_expiring(state: &AppState) -> Result<usize, AppError> {
    let now = state.clock.now_ms();
    let mut tx = state.db.begin_write().await?;
    let due = repo::expiring_unnotified(&mut tx, now, now + EXPIRY_NOTICE_DAYS * DAY_MS).await?;
    let mut told = 0;
    for c in &due {
        if repo::mark_expiry_notified(&mut tx, &c.code, now).await? {
            let params =
                json!({ "notice": Notice::CertificateExpiring { valid_until: c.valid_until } })
                    .to_string();
            crate::server::repo::alerts::insert_notice(&mut tx, c.user_id, &params, now).await?;
            told += 1;
        }
    }
    tx.commit().await?;
    Ok(told)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_carry_100_random_bits_in_an_unambiguous_alphabet() {
        let a = new_code();
        let b = new_code();
        assert_ne!(a, b);
        assert_eq!(a.len(), 24, "{a}");
        assert!(a.chars().all(|c| c == '-' || ALPHABET.contains(&(c as u8))));
        assert!(!a.contains(['I', 'L', 'O', 'U']));
        assert_eq!(
            normalise(&a.to_lowercase().replace('-', " ")),
            Some(a.clone())
        );
        assert_eq!(normalise("not a code"), None);
        assert_eq!(normalise(&format!("{a}X")), None);
    }
}
