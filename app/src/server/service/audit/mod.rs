//! Appending to the tamper-evident audit log.
//!
//! Every security-relevant action calls [`append`] inside its own transaction, so the event
//! and the action commit or roll back together. Each event is linked to the previous one:
//! `hash = SHA-256(canonical_bytes(event))`, where the canonical bytes include `seq` and
//! `prev_hash`, so changing, removing, inserting or reordering any row breaks the chain.
//!
//! The encoding that is hashed is in [`canonical`]; signed checkpoints in [`checkpoint`];
//! verification in [`verify`]; retention in [`archive`]; export and import of the log as
//! files in [`files`]; the administrators' explorer in [`explorer`] and its integrity
//! checks in [`integrity`].

pub mod archive;
pub mod canonical;
pub mod checkpoint;
pub mod explorer;
pub mod files;
pub mod integrity;
pub mod verify;
pub mod written;

pub use canonical::{GENESIS_HASH, canonical_bytes, event_hash};

use crate::error::AppError;
use crate::server::batch::Batch;
use crate::server::context::RequestMeta;
use crate::server::repo::audit::{self as repo, AuditRow};
use crate::server::service::access::user_agent;
use crate::types::audit::{AuditAction, Outcome, Severity};
use sqlx::AnyConnection;

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
    written::remember(row.seq, &row.hash);
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
) -> Result<i64, AppError> {
    let (head_seq, head_hash) = repo::lock_head(conn).await?;
    let row = row_after(head_seq, head_hash, now_ms, event);
    let mut batch = Batch::default();
    push_row(&mut batch, &row);
    batch.run(conn).await.map_err(chain_error)?;
    Ok(row.seq)
}

/// What a failed write that appended to the chain means: a row already stored where the
/// next event belongs (written around the chain) makes the audit log inconsistent — the
/// action fails closed with [`AppError::AuditLogNeedsAttention`] instead of a plain 500,
/// and the edge raises a TAMPERED_LOG signal. Anything else is an ordinary failure.
pub fn chain_error(error: sqlx::Error) -> AppError {
    let collided = matches!(&error, sqlx::Error::Database(db)
        if db.is_unique_violation() && db.message().contains("audit_event"));
    if collided {
        tracing::error!(%error, "an append found a row where the next audit event belongs");
        AppError::AuditLogNeedsAttention
    } else {
        error.into()
    }
}
