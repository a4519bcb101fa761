//! What both benchmarks start from: a fresh SQLite database in a temporary folder, with
//! the application's state (migrations run, secrets generated).

use app::server::{AppState, Clock};
use server::Config;
use server::keys::Secrets;

pub async fn fresh_state(file: &str) -> anyhow::Result<(tempfile::TempDir, AppState)> {
    let dir = tempfile::tempdir()?;
    let config = Config::for_tests(
        format!("sqlite://{}/{file}", dir.path().display()),
        dir.path().join("data"),
    );
    let secrets = Secrets::load_or_create(&config.data_dir, &config.audit_key_file())?;
    let state = server::startup::open_state(&config, &secrets, Clock::default()).await?;
    Ok((dir, state))
}
