//! Server functions: public HTTP endpoints. Each one authorizes on the server, calls one
//! service, and returns a DTO. Errors travel as `AppError`; the server's middleware gives
//! each its status code.

pub mod audit;
pub mod auth;
pub mod contacts;
pub mod export;
pub mod usage;
pub mod users;
