//! All SQL lives here: small `verb_noun(conn, ...)` functions over one connection, so that
//! services can compose them inside one transaction. Portable SQL only (see `db`).

pub mod alerts;
pub mod approvals;
pub mod audit;
pub mod campaigns;
pub mod contacts;
pub mod dashboard;
pub mod exports;
pub mod http_session;
pub mod jobs;
pub mod mail;
pub mod password_links;
pub mod policies;
pub mod reports;
pub mod sessions;
pub mod training;
pub mod users;
