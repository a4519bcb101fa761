//! Logging to stderr with a filter (`RUST_LOG`-style, e.g. `info,sqlx=warn`).

use tracing_subscriber::EnvFilter;

pub fn init(filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// For tests: warnings and errors, captured per test by the test harness.
pub fn init_for_tests() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new("warn,sqlx=error"))
        .with_test_writer()
        .try_init();
}
