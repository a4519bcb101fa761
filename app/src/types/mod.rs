//! Data shapes shared by the server and the browser. Nothing here may hold a secret.

/// An enum of stable codes (stored, sent, and matched on), with `code`, `from_code`, `ALL`
/// and `Display`; serde uses the same codes (snake case unless `case = "..."` says
/// otherwise, for example `"SCREAMING_SNAKE_CASE"`).
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        coded_enum!(case = "snake_case", $(#[$meta])* $name { $($variant => $code),+ });
    };
    (case = $case:literal, $(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = $case)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$(Self::$variant),+];
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }
            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

pub mod alert;
pub mod alert_rules;
pub mod approval;
pub mod audit;
pub mod compliance;
pub mod contact;
pub mod dashboard;
pub mod export;
pub mod field;
pub mod org;
pub mod policy;
pub mod report;
pub mod session;
pub mod time;
pub mod training;
pub mod triage;

pub use contact::{ContactFilter, ContactPage, ContactRow, Selection, Visibility};
pub use export::{ExportOutcome, ExportRequest, MyQuota, QuotaWindow, WindowQuota};
pub use field::Field;
pub use org::{Department, Role, UserStatus};
pub use session::{SessionUser, UserRow};
