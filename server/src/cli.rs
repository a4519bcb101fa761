//! The command line: `centinela [serve|migrate|seed-demo|create-admin]`.

use crate::config::Config;
use crate::keys::Secrets;
use crate::startup::{self, Application};
use crate::telemetry;
use anyhow::Context;
use app::server::Clock;
use app::server::service::users;
use clap::{Parser, Subcommand};
use secrecy::{ExposeSecret, SecretString};
use std::io::BufRead;
use std::process::ExitCode;
use tokio_util::sync::CancellationToken;

const SECRETS_HELP: &str = "\
Secrets never come from flags:
  CENTINELA_DATA_KEY         64 hex digits; the key that encrypts passport numbers.
                             Default: <data-dir>/data.key, generated (0600) on first start.
  CENTINELA_SESSION_SECRET   128 hex digits; signs session cookies.
                             Default: <data-dir>/session.key, generated (0600) on first start.
  CENTINELA_ADMIN_PASSWORD   create-admin's password (otherwise read from standard input).";

/// Centinela: control and audit of customer-data exports.
#[derive(Debug, Parser)]
#[command(name = "centinela", version, after_help = SECRETS_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Apply the database migrations and exit.
    Migrate,
    /// Create the demo organisation: users `<departamento>.<rol>`, `admin`, and 6,000
    /// contacts. Running it again creates nothing twice.
    SeedDemo,
    /// Create a security administrator. The password comes from CENTINELA_ADMIN_PASSWORD or
    /// the first line of standard input, never from a flag.
    CreateAdmin {
        /// Login name (lowercase letters, digits, '.', '_' or '-').
        #[arg(long)]
        username: String,
        /// Full name as shown in the audit log.
        #[arg(long)]
        full_name: String,
        /// Contact email.
        #[arg(long)]
        email: String,
    },
}

pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(&cli.config.log);
    match execute(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("centinela: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn execute(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let db = app::server::Db::connect(&config.database_url).await?;
            db.migrate().await?;
            println!("migrations applied ({})", db.backend().name());
            Ok(())
        }
        Command::SeedDemo => {
            let state = startup::open_state(
                &config,
                &Secrets::load_or_create(&config.data_dir)?,
                Clock::default(),
            )
            .await?;
            startup::seed_demo(&state, &config.demo_password).await
        }
        Command::CreateAdmin {
            username,
            full_name,
            email,
        } => {
            let password = admin_password()?;
            let state = startup::open_state(
                &config,
                &Secrets::load_or_create(&config.data_dir)?,
                Clock::default(),
            )
            .await?;
            let id = users::create_admin(
                &state,
                &username,
                &full_name,
                &email,
                password.expose_secret(),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.message_in(Default::default())))?;
            println!("administrator {username} created (id {id})");
            Ok(())
        }
    }
}

fn admin_password() -> anyhow::Result<SecretString> {
    if let Ok(password) = std::env::var("CENTINELA_ADMIN_PASSWORD") {
        return Ok(SecretString::from(password));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(SecretString::from(
        line.trim_end_matches(['\n', '\r']).to_owned(),
    ))
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let application = Application::build(config, Clock::default()).await?;
    let stop = CancellationToken::new();
    let on_signal = stop.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down");
        on_signal.cancel();
    });
    let port = application.port();
    tracing::info!(
        port,
        backend = application.state().db.backend().name(),
        "Centinela is listening"
    );
    eprintln!("Centinela listening on http://127.0.0.1:{port}");
    application.run_until_stopped(stop).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
