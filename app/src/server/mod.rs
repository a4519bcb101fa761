//! Everything that runs only on the server: state, request context, the database and its
//! repositories, business services and background jobs. Never compiled into the WASM bundle.

pub mod assets;
pub mod batch;
pub mod charts;
pub mod clock;
pub mod context;
pub mod crypto;
pub mod db;
pub mod failpoint;
pub mod group_commit;
pub mod jobs;
pub mod live;
pub mod mail;
pub mod pdf;
pub mod repo;
pub mod service;
pub mod state;
pub mod text;

pub use clock::Clock;
pub use db::{Backend, Db, WriteTx};
pub use failpoint::Failpoints;
pub use state::{AppState, ApprovalPolicy, SessionPolicy, TrainingPolicy};
