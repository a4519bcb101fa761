//! Centinela's application crate: the shared types, the UI (pages and components), the
//! server functions, and — behind the `ssr` feature — everything that must never reach a
//! browser (database, services, background jobs).
#![recursion_limit = "256"]

/// The translations, generated from `locales/*.json` by `build.rs` (its code is not ours:
/// it may `expect` on locale names it generated itself).
#[allow(clippy::expect_used)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}
pub use generated::i18n;

pub mod api;
pub mod app;
pub mod components;
pub mod error;
pub mod locale;
pub mod notice;
pub mod pages;
pub mod routes;
pub mod types;

#[cfg(feature = "ssr")]
pub mod server;

pub use app::{App, shell};
pub use error::AppError;
pub use notice::Notice;
pub use routes::RouteTable;
