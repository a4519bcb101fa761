//! Who is signed in, as the UI needs to know it.

use super::{Department, Role, UserStatus};
use serde::{Deserialize, Serialize};

/// The signed-in user and their current session, as shown in the shell and "Mi uso".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub department: Department,
    pub role: Role,
    pub supervisor: Option<String>,
    /// Whether anyone reports to this user (they approve their team's requests).
    pub has_reports: bool,
    /// When this session started (unix milliseconds, UTC).
    pub session_started_at: i64,
    /// The address this session signed in from.
    pub session_ip: String,
    /// The language the user chose (`es-PE` or `en`): mail and notices use it.
    pub locale: String,
}

impl SessionUser {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// One user in the administrators' list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub department: Department,
    pub role: Role,
    pub supervisor: Option<String>,
    pub status: UserStatus,
}

coded_enum! {
    /// What an administrator does to an account from the alert page (`POST
    /// /api/user_action`), each with a reason and an audit event: block it (which ends
    /// all its sessions), unblock it, end a temporary sign-in lock, end all its sessions
    /// (it may sign in again), lift the export suspension an automatic response put on it.
    AccountAction {
        Block => "block",
        Unblock => "unblock",
        Unlock => "unlock",
        EndSessions => "end_sessions",
        LiftSuspension => "lift_suspension",
    }
}

/// The directory's filters (`None` or empty: any).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserFilter {
    /// Part of the username or the name (case and accents ignored).
    pub q: Option<String>,
    pub department: Option<String>,
    pub role: Option<String>,
    pub status: Option<String>,
}

/// One change made to an account (from its audit events), newest first on the user's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserChange {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
    pub reason: Option<String>,
}

/// Everything the administrators' page about one user shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserDetail {
    /// Status, suspension and open sessions (the alert page's account panel too).
    pub account: crate::types::triage::SubjectView,
    pub email: String,
    pub supervisor: Option<String>,
    /// How many people report to them.
    pub reports: i64,
    pub quota: crate::types::MyQuota,
    /// Until when their training certificate holds, if it does.
    pub certified_until: Option<i64>,
    pub sign_ins: Vec<crate::types::export::SignInEntry>,
    pub exports: Vec<crate::types::export::ExportReceipt>,
    pub changes: Vec<UserChange>,
}

/// A one-time link to set a password, for the administrator to hand over (shown once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordLink {
    pub username: String,
    /// The path of the page (`/clave/...`), to put after the site's address.
    pub link: String,
}
