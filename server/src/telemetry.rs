//! Logging to stderr with a filter (`RUST_LOG`-style, e.g. `info,sqlx=warn`).

use tracing_subscriber::EnvFilter;

pub fn init(filter: &str) {
    // The charts' empty bars (zero-height rectangles) are fine; usvg warns about each one
    // when a report's PDF draws them. Only its errors are worth a line, unless asked for.
    let filter = if filter.contains("usvg") {
        filter.to_owned()
    } else {
        format!("{filter},usvg=error")
    };
    let filter = EnvFilter::try_new(&filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// For tests: warnings and errors, captured per test by the test harness.
pub fn init_for_tests() {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new("warn,sqlx=error,usvg=error"))
        .with_test_writer()
        .try_init();
}
