//! One routed page per file.

pub mod alert;
pub mod alerts;
pub mod approvals;
pub mod audit;
pub mod audit_event;
pub mod campaigns;
pub mod contacts;
pub mod dashboard;
pub mod export;
pub mod home;
pub mod login;
pub mod my_requests;
pub mod not_found;
pub mod notifications;
pub mod policies;
pub mod reports;
pub mod rules;
pub mod set_password;
pub mod training;
pub mod usage;
pub mod user;
pub mod users;
