//! Application state shared by every request and job.

use super::crypto::FieldCipher;
use super::group_commit::GroupCommit;
use super::service::access::password::Passwords;
use super::service::audit::checkpoint::Signer;
use super::service::audit::integrity::Runs;
use super::{Clock, Db, Failpoints};
use leptos::config::LeptosOptions;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use super::service::access::sessions::SessionPolicy;

/// Everything a request or background job needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Durable write jobs grouped into shared transactions (SQLite).
    pub writes: GroupCommit,
    pub clock: Clock,
    pub passwords: Arc<Passwords>,
    pub cipher: Arc<FieldCipher>,
    pub sessions: SessionPolicy,
    /// Injected failures for tests; never armed in production.
    pub failpoints: Failpoints,
    /// Signs audit checkpoints with the key kept outside the database.
    pub signer: Arc<Signer>,
    /// Where archived audit segments are written.
    pub archive_dir: PathBuf,
    /// The heartbeat: a checkpoint is signed at least this often, even when nothing
    /// happened; events may wait two of these for a signature before verification calls
    /// them unsigned.
    pub checkpoint_interval: Duration,
    /// Mail over SMTP, when configured (otherwise mail stays in the outbox).
    pub mail: Option<Arc<super::mail::Mailer>>,
    /// Verifications started from the UI.
    pub verifications: Arc<Runs>,
    /// Compliance reports computed for the page.
    pub compliance: Arc<super::service::reports::compliance::Runs>,
    /// What detection remembers between evaluations (each actor's latest events).
    pub detection: Arc<super::service::alerts::detect::Carried>,
    /// The live-update streams and the change sequence they follow.
    pub live: Arc<super::live::LiveHub>,
    pub training: TrainingPolicy,
    pub approvals: ApprovalPolicy,
    pub leptos_options: LeptosOptions,
}

/// How long a training certificate holds, and the company it names.
#[derive(Clone, Debug)]
pub struct TrainingPolicy {
    pub validity_days: i64,
    pub company: String,
}

/// How long export requests wait for a decision, and how long an approved export can be
/// downloaded.
#[derive(Clone, Copy, Debug)]
pub struct ApprovalPolicy {
    pub request_ttl_ms: i64,
    pub grant_ttl_ms: i64,
}

impl Default for ApprovalPolicy {
    fn default() -> Self {
        Self {
            request_ttl_ms: 72 * 3_600_000,
            grant_ttl_ms: 24 * 3_600_000,
        }
    }
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
