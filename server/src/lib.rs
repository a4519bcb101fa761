//! Centinela's server binary, as a library so integration tests can start the real thing:
//! configuration, secrets, middleware, router, background jobs and CLI subcommands.
#![recursion_limit = "256"]

pub mod assets;
pub mod audit_cli;
pub mod cli;
pub mod config;
pub mod downloads;
pub mod keys;
pub mod live;
pub mod middleware;
pub mod server_fns;
pub mod startup;
pub mod telemetry;

pub use config::Config;
pub use startup::Application;
