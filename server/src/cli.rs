//! The command line: `centinela [serve|migrate|seed-demo|create-admin]`.

use crate::audit_cli;
use crate::config::Config;
use crate::keys::Secrets;
use crate::startup::{self, Application};
use crate::telemetry;
use anyhow::Context;
use app::server::Clock;
use app::server::service::access::users;
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
    /// Verify the audit log: every hash, link, seq step and checkpoint signature, across
    /// archived segments and the database, and which events a signed checkpoint covers; or,
    /// with --file, an exported file with only the public key. Exit code 0 when intact, 1
    /// when damaged (kind and first bad seq are printed, whatever else fails), 2 when it
    /// could not run.
    VerifyAudit {
        /// An exported file (from export-audit) to verify without any database.
        #[arg(long)]
        file: Option<std::path::PathBuf>,
        /// The public key (64 hex digits, or a file holding them) for --file.
        #[arg(long, requires = "file")]
        public_key: Option<String>,
        /// A witness for --file: a copy of the server's checkpoint file. Every checkpoint
        /// in it must match the file's chain; those the file omits are listed.
        #[arg(long, requires = "file")]
        witness: Option<std::path::PathBuf>,
        /// A witness for --file: a head you wrote down, as SEQ:HASH (repeatable).
        #[arg(long, requires = "file", value_name = "SEQ:HASH")]
        trusted_head: Vec<String>,
    },
    /// Write the whole audit log (archived and current events, with every checkpoint) as
    /// JSON lines.
    ExportAudit {
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Move events older than DAYS into a compressed segment file (with a signed
    /// checkpoint) in the archive folder, and out of the database.
    ArchiveAudit {
        #[arg(long, value_name = "DAYS")]
        older_than: i64,
    },
    /// Print the public key that verifies audit checkpoints.
    AuditKey,
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
        Ok(code) => code,
        Err(error) => {
            eprintln!("centinela: {error:#}");
            ExitCode::from(2)
        }
    }
}

async fn state(config: &Config) -> anyhow::Result<app::server::AppState> {
    let secrets = Secrets::load_or_create(&config.data_dir, &config.audit_key_file())?;
    startup::open_state(config, &secrets, Clock::default()).await
}

async fn execute(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = cli.config;
    let done = |r: anyhow::Result<()>| r.map(|()| ExitCode::SUCCESS);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => done(serve(config).await),
        Command::VerifyAudit {
            file: Some(file),
            public_key,
            witness,
            trusted_head,
        } => {
            let interval = std::time::Duration::from_secs(config.checkpoint_interval.max(1));
            audit_cli::verify_file(
                &file,
                public_key.as_deref(),
                witness.as_deref(),
                &trusted_head,
                interval,
            )
            .await
        }
        Command::VerifyAudit { file: None, .. } => {
            audit_cli::verify_database(&state(&config).await?).await
        }
        Command::ExportAudit { out } => done(audit_cli::export(&state(&config).await?, &out).await),
        Command::ArchiveAudit { older_than } => {
            done(audit_cli::archive(&state(&config).await?, older_than).await)
        }
        Command::AuditKey => {
            println!("{}", state(&config).await?.signer.public_key_hex());
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            let db = app::server::Db::connect(&config.database_url).await?;
            db.migrate().await?;
            println!("migrations applied ({})", db.backend().name());
            Ok(ExitCode::SUCCESS)
        }
        Command::SeedDemo => done(
            async {
                let state = state(&config).await?;
                startup::seed_demo(&state, &config.demo_password).await?;
                audit_cli::sign_head(&state).await;
                Ok(())
            }
            .await,
        ),
        Command::CreateAdmin {
            username,
            full_name,
            email,
        } => {
            let password = admin_password()?;
            let state = state(&config).await?;
            let id = users::create_admin(
                &state,
                &username,
                &full_name,
                &email,
                password.expose_secret(),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.message_in(app::i18n::Locale::en)))?;
            audit_cli::sign_head(&state).await;
            println!("administrator {username} created (id {id})");
            Ok(ExitCode::SUCCESS)
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
