//! Business rules. No HTTP and no Leptos types here: services take the state (or a
//! connection inside the caller's transaction) and plain values, and return domain results.

pub mod audit;
pub mod auth;
pub mod crypto;
pub mod demo;
pub mod password;
pub mod user_agent;
pub mod users;
