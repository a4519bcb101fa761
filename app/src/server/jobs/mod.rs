//! Background work started with the server: periodic jobs that must happen even when
//! nobody makes a request. One file per job; [`runner`] starts them all the same way.

pub mod approvals;
pub mod certificates;
pub mod checkpoints;
pub mod detection;
pub mod export_files;
pub mod mail;
pub mod reports;
pub mod runner;
pub mod sessions;

pub use runner::{Job, Runner};

use super::AppState;

/// Every job the server runs.
pub fn all() -> Vec<std::sync::Arc<dyn Job>> {
    vec![
        std::sync::Arc::new(sessions::SessionSweep),
        std::sync::Arc::new(export_files::ExpiredFiles),
        std::sync::Arc::new(checkpoints::HeadSigner),
        std::sync::Arc::new(detection::Detection),
        std::sync::Arc::new(mail::MailSender),
        std::sync::Arc::new(certificates::ExpiringCertificates),
        std::sync::Arc::new(approvals::ExpiredRequests),
        std::sync::Arc::new(reports::MonthlyReportMail),
    ]
}

/// Starts every job on `state` until `stop` is cancelled.
pub fn start(state: &AppState, stop: tokio_util::sync::CancellationToken) {
    // The live-update poll runs on every instance: each serves its own streams.
    tokio::spawn(super::live::run(state.clone(), stop.clone()));
    Runner::new(state.clone()).start(all(), stop);
}
