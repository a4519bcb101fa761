//! Server functions: public HTTP endpoints. Each one authorizes on the server, calls one
//! service, and returns a DTO. Errors travel as `AppError`; the server's middleware gives
//! each its status code.

/// The server functions that take a JSON body (`input = Json`); every other one takes a
/// form. The server refuses any other encoding with 415 (`server/src/server_fns.rs`).
pub const JSON_ENDPOINTS: &[&str] = &[
    "/api/request_export",
    "/api/audit_search",
    "/api/search_contacts",
    "/api/alerts",
    "/api/my_alerts",
    "/api/notifications",
    "/api/alert",
    "/api/alert_transition",
    "/api/alert_assign",
    "/api/alert_comment",
    "/api/alert_bulk",
    "/api/alert_answer",
    "/api/user_action",
    "/api/dashboard",
    "/api/quiz_start",
    "/api/quiz_submit",
    "/api/training_status",
    "/api/approvals",
    "/api/decide_approval",
    "/api/my_requests",
    "/api/user_status",
];

pub mod alerts;
pub mod approvals;
pub mod audit;
pub mod auth;
pub mod contacts;
pub mod dashboard;
pub mod export;
pub mod policies;
pub mod reports;
pub mod training;
pub mod usage;
pub mod users;
