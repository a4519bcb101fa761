//! Data shapes shared by the server and the browser. Nothing here may hold a secret.

pub mod audit;
pub mod contact;
pub mod export;
pub mod field;
pub mod org;
pub mod session;
pub mod time;

pub use contact::{ContactFilter, ContactPage, ContactRow, Selection, Visibility};
pub use export::{ExportOutcome, ExportRequest, MyQuota, QuotaWindow, WindowQuota};
pub use field::Field;
pub use org::{Department, Role, UserStatus};
pub use session::{SessionUser, UserRow};
