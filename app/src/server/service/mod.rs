//! Business rules, one folder per domain. No HTTP and no Leptos types here: services take
//! the state (or a connection inside the caller's transaction) and plain values, and return
//! domain results and typed messages (`crate::notice::Notice`), which the edge renders in
//! the reader's language.
//!
//! - `access`: sign-in, passwords, sessions, users, "Mi uso";
//! - `audit`: the hash chain, checkpoints, verification, archives, the explorer;
//! - `contacts`: who sees which contact and field, and the audited reveal;
//! - `export`: quotas, justification, export files, the decision, the download;
//! - `policy`: the effective policy of a user (role and department rules as data);
//! - `approvals`: who approves an export request, decisions, grants, campaigns;
//! - `demo`: the demo organisation.

pub mod access;
pub mod alerts;
pub mod approvals;
pub mod audit;
pub mod contacts;
pub mod dashboard;
pub mod demo;
pub mod export;
pub mod policy;
pub mod reports;
pub mod training;
