//! Business rules. No HTTP and no Leptos types here: services take the state (or a
//! connection inside the caller's transaction) and plain values, and return domain results.

pub mod archive;
pub mod audit;
pub mod audit_files;
pub mod auth;
pub mod checkpoint;
pub mod contacts;
pub mod crypto;
pub mod demo;
pub mod explorer;
pub mod export;
pub mod export_file;
pub mod integrity;
pub mod justification;
pub mod password;
pub mod policy;
pub mod quota;
pub mod text;
pub mod usage;
pub mod user_agent;
pub mod users;
pub mod verify;
#[cfg(test)]
mod verify_tests;
