//! Data shapes shared by the server and the browser. Nothing here may hold a secret.

pub mod audit;
pub mod org;
pub mod session;
pub mod time;

pub use org::{Department, Role, UserStatus};
pub use session::{SessionUser, UserRow};
