//! Export policies as administrators edit them ("Políticas"): each role's limits and each
//! department's rule (SPEC "Policies"), and the history of every change.

use super::field::Field;
use super::org::{Department, Role};
use serde::{Deserialize, Serialize};

/// A role's limits per window and approval threshold (`None`: no limit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleLimitView {
    pub role: Role,
    pub daily: Option<i64>,
    pub weekly: Option<i64>,
    pub monthly: Option<i64>,
    pub approval_threshold: Option<i64>,
}

/// A department's rule: limits, what it sees and exports, its purpose and second approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepartmentRuleView {
    pub department: Department,
    pub daily: Option<i64>,
    pub weekly: Option<i64>,
    pub monthly: Option<i64>,
    pub approval_threshold: Option<i64>,
    /// `all`, `marketing_consent`, `active_reservation` or `has_transactions`.
    pub visibility: String,
    pub viewable: Vec<Field>,
    pub exportable: Vec<Field>,
    /// Viewable only through an explicit, audited reveal.
    pub sensitive: Vec<Field>,
    /// `campaign`, `manifest` or none.
    pub required_purpose: Option<String>,
    pub second_approval_role: Option<Role>,
    pub second_approval_above: Option<i64>,
    /// `role` or `second_person`.
    pub second_approval_mode: String,
}

/// One change of a policy, from its audit event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyChange {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    /// `role_limit` or `department_rule`, and which one.
    pub target_type: String,
    pub target: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
    pub reason: Option<String>,
}

/// Everything the policies page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policies {
    pub roles: Vec<RoleLimitView>,
    pub departments: Vec<DepartmentRuleView>,
    /// The latest changes, newest first.
    pub history: Vec<PolicyChange>,
}

/// The visibility codes a department rule may have.
pub const VISIBILITIES: &[&str] = &[
    "all",
    "marketing_consent",
    "active_reservation",
    "has_transactions",
];
