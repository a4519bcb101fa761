//! Exports, quotas and the self-service view of them.

use super::contact::Selection;
use super::field::Field;
use serde::{Deserialize, Serialize};

/// The body of `POST /api/request_export`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRequest {
    pub selection: Selection,
    pub fields: Vec<String>,
    pub format: String,
    pub justification: String,
    #[serde(default)]
    pub campaign: Option<String>,
}

/// What became of an export request that was not refused outright.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ExportOutcome {
    /// The file exists; `download_url` works once, for 15 minutes, for its owner only.
    Allowed {
        export_id: String,
        receipt: String,
        sha256: String,
        count: i64,
        download_url: String,
        expires_at: i64,
    },
    /// Over a window or the approval threshold: recorded as a pending request.
    NeedsApproval {
        request_id: i64,
        /// `quota_exceeded` or `approval_threshold`.
        reason_code: String,
        reason: String,
        /// The first approver it waits for (`None`: a security administrator).
        approver: Option<String>,
        /// Everyone who must approve it.
        #[serde(default)]
        route: crate::types::approval::ApprovalRoute,
    },
}

/// The rolling windows quotas are counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuotaWindow {
    /// The last 24 hours.
    Day,
    /// The last 7 days.
    Week,
    /// The last 30 days.
    Month,
}

impl QuotaWindow {
    pub const ALL: [QuotaWindow; 3] = [Self::Day, Self::Week, Self::Month];

    pub fn duration_ms(self) -> i64 {
        const DAY: i64 = 24 * 3600 * 1000;
        match self {
            Self::Day => DAY,
            Self::Week => 7 * DAY,
            Self::Month => 30 * DAY,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
        }
    }
}

/// Usage of one window. `limit` and `remaining` are `None` when there is no limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowQuota {
    pub window: QuotaWindow,
    pub limit: Option<i64>,
    pub used: i64,
    pub remaining: Option<i64>,
    /// When the oldest export counted in this window leaves it (unix ms), if any.
    pub frees_at: Option<i64>,
}

/// The answer of `POST /api/my_quota`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyQuota {
    pub windows: Vec<WindowQuota>,
    /// Exports of more contacts than this need approval (`None`: never).
    pub approval_threshold: Option<i64>,
}

/// What the export form may offer the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportOptions {
    pub exportable: Vec<Field>,
    /// `campaign` (Marketing) or `manifest` (Operaciones), if the department requires one.
    pub required_purpose: Option<String>,
    pub quota: MyQuota,
    /// Whether the caller holds a current training certificate (exports need one).
    #[serde(default)]
    pub certified: bool,
    /// Who would approve a request over the caller's limits.
    #[serde(default)]
    pub approval_route: crate::types::approval::ApprovalRoute,
    /// Marketing: the approved campaigns running today, to choose from.
    #[serde(default)]
    pub campaigns: Vec<String>,
}

/// One of my exports, with its receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportReceipt {
    pub export_id: String,
    pub receipt: String,
    pub created_at: i64,
    pub count: i64,
    pub fields: Vec<Field>,
    pub format: String,
    pub sha256: String,
    /// Set while the one-time link is still valid.
    pub download_url: Option<String>,
    pub expires_at: i64,
    pub downloaded_at: Option<i64>,
}

/// One of my export requests waiting for (or past) a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestSummary {
    pub id: i64,
    pub created_at: i64,
    pub status: String,
    pub count: i64,
    /// Why it needs approval, rendered in the reader's language where it is shown.
    pub reason: crate::notice::Notice,
    pub approver: Option<String>,
}

/// A sign-in attempt on my account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInEntry {
    pub at: i64,
    pub success: bool,
    pub ip: Option<String>,
    pub browser: Option<String>,
    pub os: Option<String>,
    pub device: Option<String>,
}

/// One of my open sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveSession {
    pub id: String,
    pub started_at: i64,
    pub last_seen_at: i64,
    pub ip: String,
    pub browser: String,
    pub os: String,
    pub device: String,
    pub current: bool,
}

/// Everything on the "Mi uso" page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyUsage {
    pub quota: MyQuota,
    pub exports: Vec<ExportReceipt>,
    pub requests: Vec<RequestSummary>,
    pub sign_ins: Vec<SignInEntry>,
    pub sessions: Vec<ActiveSession>,
}
