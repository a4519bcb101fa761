//! Who may come in and what they may see of themselves: sign-in and sessions, passwords,
//! the user directory, and the caller's own usage ("Mi uso").

pub mod accounts;
pub mod assignment;
pub mod directory;
pub mod language;
pub mod links;
pub mod password;
pub mod protection;
pub mod sessions;
pub mod sign_in;
pub mod usage;
pub mod user_agent;
pub mod users;
