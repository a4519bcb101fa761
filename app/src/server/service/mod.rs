//! Business rules. No HTTP and no Leptos types here: services take the state (or a
//! connection inside the caller's transaction) and plain values, and return domain results.

pub mod audit;
pub mod auth;
pub mod contacts;
pub mod crypto;
pub mod demo;
pub mod export;
pub mod export_file;
pub mod justification;
pub mod password;
pub mod policy;
pub mod quota;
pub mod text;
pub mod usage;
pub mod user_agent;
pub mod users;
