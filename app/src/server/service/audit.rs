//! Appending to the tamper-evident audit log.
//!
//! Every security-relevant action calls [`append`] inside its own transaction, so the event
//! and the action commit or roll back together. Each event is linked to the previous one:
//! `hash = SHA-256(canonical_bytes(event))`, where the canonical bytes include `seq` and
//! `prev_hash`, so changing, removing, inserting or reordering any row breaks the chain.
//!
//! ## Canonical encoding, version 1
//!
//! The ASCII bytes `centinela-audit-v1`, then these 21 fields in this order, each as a
//! 4-byte big-endian length followed by that many bytes of UTF-8 (a NULL field is the
//! length `0xFFFFFFFF` and no bytes; integers are written in decimal ASCII):
//!
//! `seq, prev_hash, created_at, actor_id, actor_username, action, module, target_type,
//! target_id, outcome, severity, ip, user_agent, ua_browser, ua_os, ua_device, session_id,
//! before_json, after_json, details_json`
//!
//! The hash is written as 64 lowercase hex digits. The first event's `prev_hash` is 64
//! zeros. `created_at` is unix milliseconds, UTC.

use super::user_agent;
use crate::server::batch::Batch;
use crate::server::context::RequestMeta;
use crate::server::repo::audit::{self as repo, AuditRow};
use crate::types::audit::{AuditAction, Outcome, Severity};
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

pub const ENCODING_TAG: &[u8] = b"centinela-audit-v1";
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An event about to be appended. Build it with the chained setters.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub action: AuditAction,
    pub outcome: Outcome,
    pub severity: Severity,
    pub actor_id: Option<i64>,
    pub actor_username: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub meta: RequestMeta,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub details: Option<serde_json::Value>,
}

impl NewEvent {
    pub fn new(action: AuditAction, outcome: Outcome) -> Self {
        let severity = match outcome {
            Outcome::Success => Severity::Info,
            Outcome::Failure | Outcome::Denied => Severity::Low,
        };
        Self {
            action,
            outcome,
            severity,
            actor_id: None,
            actor_username: None,
            target_type: None,
            target_id: None,
            meta: RequestMeta::default(),
            before: None,
            after: None,
            details: None,
        }
    }

    pub fn actor(mut self, id: Option<i64>, username: impl Into<String>) -> Self {
        self.actor_id = id;
        self.actor_username = Some(username.into().chars().take(128).collect());
        self
    }

    pub fn target(mut self, kind: &str, id: impl ToString) -> Self {
        self.target_type = Some(kind.to_owned());
        self.target_id = Some(id.to_string());
        self
    }

    pub fn meta(mut self, meta: &RequestMeta) -> Self {
        self.meta = meta.clone();
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    /// Records a change: the state before and after, field by field.
    pub fn change(mut self, before: serde_json::Value, after: serde_json::Value) -> Self {
        self.before = Some(before);
        self.after = Some(after);
        self
    }
}

fn push_field(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        Some(v) => {
            let len = u32::try_from(v.len()).unwrap_or(u32::MAX - 1);
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(&v.as_bytes()[..len as usize]);
        }
        None => out.extend_from_slice(&u32::MAX.to_be_bytes()),
    }
}

/// The bytes that are hashed (see the module docs).
pub fn canonical_bytes(row: &AuditRow) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(ENCODING_TAG);
    let seq = row.seq.to_string();
    let created_at = row.created_at.to_string();
    let actor_id = row.actor_id.map(|id| id.to_string());
    let fields: [Option<&str>; 20] = [
        Some(&seq),
        Some(&row.prev_hash),
        Some(&created_at),
        actor_id.as_deref(),
        row.actor_username.as_deref(),
        Some(&row.action),
        Some(&row.module),
        row.target_type.as_deref(),
        row.target_id.as_deref(),
        Some(&row.outcome),
        Some(&row.severity),
        row.ip.as_deref(),
        row.user_agent.as_deref(),
        row.ua_browser.as_deref(),
        row.ua_os.as_deref(),
        row.ua_device.as_deref(),
        row.session_id.as_deref(),
        row.before_json.as_deref(),
        row.after_json.as_deref(),
        row.details_json.as_deref(),
    ];
    for field in fields {
        push_field(&mut out, field);
    }
    out
}

/// The hash of a row as the chain requires it.
pub fn event_hash(row: &AuditRow) -> String {
    hex::encode(Sha256::digest(canonical_bytes(row)))
}

/// The row that follows the head `(head_seq, head_hash)` with `event` in it, hashed.
pub fn row_after(head_seq: i64, head_hash: String, now_ms: i64, event: NewEvent) -> AuditRow {
    let parsed =
        (!event.meta.user_agent.is_empty()).then(|| user_agent::parse(&event.meta.user_agent));
    let json = |v: Option<serde_json::Value>| v.map(|v| v.to_string());
    let mut row = AuditRow {
        seq: head_seq + 1,
        created_at: now_ms,
        actor_id: event.actor_id,
        actor_username: event.actor_username,
        action: event.action.code().to_owned(),
        module: event.action.module().code().to_owned(),
        target_type: event.target_type,
        target_id: event.target_id,
        outcome: event.outcome.code().to_owned(),
        severity: event.severity.code().to_owned(),
        ip: (!event.meta.ip.is_empty()).then_some(event.meta.ip),
        user_agent: (!event.meta.user_agent.is_empty()).then_some(event.meta.user_agent),
        ua_browser: parsed.as_ref().map(|p| p.browser.clone()),
        ua_os: parsed.as_ref().map(|p| p.os.clone()),
        ua_device: parsed.map(|p| p.device),
        session_id: event.meta.session_id,
        before_json: json(event.before),
        after_json: json(event.after),
        details_json: json(event.details),
        prev_hash: head_hash,
        hash: String::new(),
    };
    row.hash = event_hash(&row);
    row
}

/// Adds `row` (from [`row_after`]) and the head move to a batch of writes.
pub fn push_row(batch: &mut Batch, row: &AuditRow) {
    batch.push(repo::insert_event_statement(row));
    batch.push(repo::set_head_statement(row.seq, &row.hash, row.created_at));
}

/// Appends `event` to the chain inside the caller's transaction and returns its `seq`.
pub async fn append(
    conn: &mut AnyConnection,
    now_ms: i64,
    event: NewEvent,
) -> Result<i64, sqlx::Error> {
    let (head_seq, head_hash) = repo::lock_head(conn).await?;
    let row = row_after(head_seq, head_hash, now_ms, event);
    let mut batch = Batch::default();
    push_row(&mut batch, &row);
    batch.run(conn).await?;
    Ok(row.seq)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A sign-in event at the chain's start (its hash left empty).
    pub(in crate::server::service) fn row() -> AuditRow {
        AuditRow {
            seq: 1,
            created_at: 1_700_000_000_000,
            actor_id: Some(3),
            actor_username: Some("ventas.ejecutivo".into()),
            action: "sign_in".into(),
            module: "auth".into(),
            target_type: None,
            target_id: None,
            outcome: "success".into(),
            severity: "info".into(),
            ip: Some("127.0.0.1".into()),
            user_agent: None,
            ua_browser: None,
            ua_os: None,
            ua_device: None,
            session_id: None,
            before_json: None,
            after_json: None,
            details_json: None,
            prev_hash: GENESIS_HASH.into(),
            hash: String::new(),
        }
    }

    #[test]
    fn every_field_changes_the_hash() {
        let base = event_hash(&row());
        let mut r = row();
        r.seq = 2;
        assert_ne!(event_hash(&r), base);
        let mut r = row();
        r.prev_hash = "1".repeat(64);
        assert_ne!(event_hash(&r), base);
        let mut r = row();
        r.ip = Some("127.0.0.2".into());
        assert_ne!(event_hash(&r), base);
        let mut r = row();
        r.user_agent = Some(String::new());
        assert_ne!(event_hash(&r), base, "empty and NULL must differ");
    }

    #[test]
    fn field_boundaries_cannot_be_shifted() {
        let mut a = row();
        a.actor_username = Some("ab".into());
        a.target_type = Some("c".into());
        let mut b = row();
        b.actor_username = Some("a".into());
        b.target_type = Some("bc".into());
        assert_ne!(event_hash(&a), event_hash(&b));
    }

    #[test]
    fn encoding_is_stable() {
        // Pinned so that a change to the encoding is a conscious, versioned decision.
        let bytes = canonical_bytes(&row());
        assert!(bytes.starts_with(ENCODING_TAG));
        assert_eq!(
            &bytes[ENCODING_TAG.len()..ENCODING_TAG.len() + 5],
            &[0, 0, 0, 1, b'1']
        );
        assert_eq!(event_hash(&row()).len(), 64);
    }
}
