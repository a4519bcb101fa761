//! `centinela`: serve (the default), migrate, seed-demo, create-admin.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    server::cli::run().await
}
