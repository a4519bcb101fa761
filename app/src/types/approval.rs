//! Export approvals: who must approve a request, the approvers' inbox, the requester's view
//! of their requests, and Marketing's campaigns (SPEC "Export flow" step 4).

use super::field::Field;
use super::org::{Department, Role};
use serde::{Deserialize, Serialize};

coded_enum!(
    /// Where a request stands. Only `pending` may change; every other state is final.
    RequestState {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
        Expired => "expired",
        Cancelled => "cancelled",
    }
);

coded_enum!(
    /// What an approver decided.
    Verdict {
        Approve => "approve",
        Reject => "reject",
    }
);

/// Who must approve a request, as the requester sees it before submitting and afterwards.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRoute {
    /// The first approver (the supervisor, or the next one up); `None`: any security
    /// administrator.
    pub first: Option<String>,
    /// The second approval the department's rule asks for above a number of contacts.
    pub second: Option<SecondApproval>,
}

/// A department's second approval (Contabilidad's CFO, Dirección's second authorization).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondApproval {
    /// Requests of more contacts than this need it (shown before a request is made).
    pub above: Option<i64>,
    /// The role whose approval it takes (within the requester's department).
    pub role: Role,
    /// A second, different person (who may also be a security administrator); otherwise
    /// the first approver's decision counts when they hold the role.
    pub distinct: bool,
    /// Who may give it now (usernames), never the requester.
    pub candidates: Vec<String>,
}

/// One decision on a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub approver: String,
    pub decision: Verdict,
    pub comment: Option<String>,
    pub at: i64,
}

/// A request as an approver reads it (`POST /api/approvals`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalItem {
    pub request_id: i64,
    pub requester: String,
    pub requester_name: String,
    pub department: Department,
    pub role: Role,
    pub count: i64,
    pub fields: Vec<Field>,
    /// The requested fields of a sensitive class (shown marked).
    pub sensitive_fields: Vec<Field>,
    pub format: String,
    pub justification: String,
    pub campaign: Option<String>,
    pub state: RequestState,
    pub approvals_needed: i64,
    pub approvals_given: i64,
    /// Which window or threshold the request exceeds, and by how much, in the reader's words.
    pub reason: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// Contacts the requester exported in the last 30 days.
    pub used_this_month: i64,
    /// The requester's other requests: how many, and how many were approved.
    pub previous_requests: i64,
    pub previous_approved: i64,
    pub route: ApprovalRoute,
    pub decisions: Vec<DecisionView>,
    /// Whether the caller may decide it now.
    pub may_decide: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalList {
    pub items: Vec<ApprovalItem>,
}

/// The answer of `POST /api/decide_approval`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decided {
    pub request_id: i64,
    pub state: RequestState,
    pub approvals_needed: i64,
    pub approvals_given: i64,
}

/// One of the caller's requests (`POST /api/my_requests`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRequest {
    pub request_id: i64,
    pub created_at: i64,
    pub state: RequestState,
    pub count: i64,
    pub fields: Vec<Field>,
    pub format: String,
    pub justification: String,
    pub campaign: Option<String>,
    pub reason: String,
    pub approvals_needed: i64,
    pub approvals_given: i64,
    pub route: ApprovalRoute,
    pub decisions: Vec<DecisionView>,
    /// Until when a pending request waits for a decision.
    pub expires_at: i64,
    /// Set while the approved export can be downloaded (once).
    pub download_url: Option<String>,
    pub grant_expires_at: Option<i64>,
    /// The receipt of the export the grant produced, once downloaded.
    pub receipt: Option<String>,
    /// How many approved contacts that export left out (no longer visible to the requester).
    pub left_out: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyRequests {
    pub items: Vec<MyRequest>,
}

coded_enum!(
    /// Where a Marketing campaign stands.
    CampaignStatus {
        Proposed => "proposed",
        Approved => "approved",
        Rejected => "rejected",
    }
);

/// A Marketing campaign: exports for it are allowed only while it is approved and running.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignView {
    pub id: i64,
    pub name: String,
    pub purpose: String,
    /// Lima dates, `YYYY-MM-DD`, both included.
    pub starts_on: String,
    pub ends_on: String,
    pub status: CampaignStatus,
    pub proposed_by: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub comment: Option<String>,
    /// Approved and running today.
    pub active: bool,
    /// Whether the caller may approve or reject it now.
    pub may_decide: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaigns {
    pub items: Vec<CampaignView>,
    /// Marketing staff and administrators may propose.
    pub may_propose: bool,
}
