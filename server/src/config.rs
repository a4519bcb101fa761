//! Configuration from flags and environment; every field has a default that makes a bare
//! `centinela serve` work. Secrets never come from flags (see `keys`).

use ipnet::IpNet;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(
        long,
        env = "CENTINELA_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub addr: SocketAddr,

    /// Database: `sqlite://PATH` (embedded, the default; file and folder are created) or
    /// `postgres://USER:PASSWORD@HOST:PORT/DB`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/centinela.db",
        global = true
    )]
    pub database_url: String,

    /// Seed the demo organisation (users and contacts) at start if it is missing. Takes
    /// the usual spellings of a boolean (`true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`).
    #[arg(
        long,
        env = "CENTINELA_DEMO",
        global = true,
        action = clap::ArgAction::Set,
        num_args = 0..=1,
        default_value = "false",
        default_missing_value = "true",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub demo: bool,

    /// Password given to every demo user.
    #[arg(
        long,
        env = "CENTINELA_DEMO_PASSWORD",
        default_value = "centinela-demo-2026",
        global = true
    )]
    pub demo_password: String,

    /// Reverse proxies whose `X-Forwarded-For`/`Forwarded` headers are believed, as a
    /// comma-separated list of CIDRs (e.g. `10.0.0.0/8,127.0.0.1/32`). Default: none, so the
    /// client address is always the connection's peer.
    #[arg(
        long,
        env = "CENTINELA_TRUSTED_PROXIES",
        value_delimiter = ',',
        global = true
    )]
    pub trusted_proxies: Vec<IpNet>,

    /// Folder for generated secrets (data-encryption key, session secret).
    #[arg(
        long,
        env = "CENTINELA_DATA_DIR",
        default_value = "data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// Ed25519 key that signs audit checkpoints (32 bytes of hex; generated with 0600
    /// permissions when missing). Default: `<data-dir>/audit-signing.key`.
    #[arg(long, env = "CENTINELA_AUDIT_KEY_FILE", global = true)]
    pub audit_key_file: Option<PathBuf>,

    /// File outside the database that every checkpoint is appended to.
    /// Default: `<data-dir>/audit-checkpoints.jsonl`.
    #[arg(long, env = "CENTINELA_CHECKPOINT_FILE", global = true)]
    pub checkpoint_file: Option<PathBuf>,

    /// Live-update streams (`GET /api/live`) one user may hold open at once, and in all.
    #[arg(
        long,
        env = "CENTINELA_LIVE_PER_USER",
        default_value_t = 4,
        global = true
    )]
    pub live_per_user: usize,
    #[arg(long, env = "CENTINELA_LIVE_MAX", default_value_t = 200, global = true)]
    pub live_max: usize,

    /// Days a training certificate stays valid.
    #[arg(
        long,
        env = "CENTINELA_CERTIFICATE_DAYS",
        default_value_t = 365,
        value_parser = clap::value_parser!(i64).range(1..=3650),
        global = true
    )]
    pub certificate_days: i64,

    /// Hours an export request waits for its approvers before it expires.
    #[arg(
        long,
        env = "CENTINELA_APPROVAL_HOURS",
        default_value_t = 72,
        value_parser = clap::value_parser!(i64).range(1..=720),
        global = true
    )]
    pub approval_hours: i64,

    /// Hours an approved export can be downloaded (once) after its final approval.
    #[arg(
        long,
        env = "CENTINELA_GRANT_HOURS",
        default_value_t = 24,
        value_parser = clap::value_parser!(i64).range(1..=168),
        global = true
    )]
    pub grant_hours: i64,

    /// The company's name, as certificates print it.
    #[arg(
        long,
        env = "CENTINELA_COMPANY",
        default_value = "Spirit Tours",
        global = true
    )]
    pub company: String,

    /// Seconds between signed checkpoints (heartbeats when nothing happened).
    #[arg(
        long,
        env = "CENTINELA_CHECKPOINT_INTERVAL",
        default_value_t = 300,
        global = true
    )]
    pub checkpoint_interval: u64,

    /// Folder for archived audit segments. Default: `<data-dir>/audit-archive`.
    #[arg(long, env = "CENTINELA_ARCHIVE_DIR", global = true)]
    pub archive_dir: Option<PathBuf>,

    /// Public URL of the site. When it starts with `https://`, cookies are `Secure` with the
    /// `__Host-` prefix and HSTS is sent; plain `http://` (development) drops both.
    #[arg(long, env = "CENTINELA_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Folder with the built front end (`pkg/` with the JS, WASM and CSS).
    #[arg(
        long,
        env = "CENTINELA_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: PathBuf,

    /// Log filter, e.g. `info` or `info,sqlx=warn`.
    /// Where mail goes out: `smtp://host:port` (plain, for a local relay),
    /// `smtp://user:pass@host?tls=required` (STARTTLS) or `smtps://user:pass@host` (TLS).
    /// Without it mail stays in the outbox. Give it in the environment, not as a flag: it
    /// may hold a password.
    #[arg(
        long,
        env = "CENTINELA_SMTP_URL",
        hide_env_values = true,
        global = true,
        value_parser = secret
    )]
    pub smtp_url: Option<secrecy::SecretString>,

    /// The sender of Centinela's mail, for example `Centinela <centinela@example.pe>`.
    #[arg(long, env = "CENTINELA_MAIL_FROM", global = true)]
    pub mail_from: Option<String>,

    #[arg(
        long,
        env = "CENTINELA_LOG",
        default_value = "info,sqlx=warn",
        global = true
    )]
    pub log: String,
}

/// A value that must never be printed (it may hold a password).
fn secret(text: &str) -> Result<secrecy::SecretString, std::convert::Infallible> {
    Ok(secrecy::SecretString::from(text.to_owned()))
}

impl Config {
    pub fn audit_key_file(&self) -> PathBuf {
        self.audit_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("audit-signing.key"))
    }

    pub fn checkpoint_file(&self) -> PathBuf {
        self.checkpoint_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("audit-checkpoints.jsonl"))
    }

    pub fn archive_dir(&self) -> PathBuf {
        self.archive_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("audit-archive"))
    }

    /// Whether the site is served over HTTPS (decides cookie flags).
    pub fn https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }

    /// A configuration for tests: everything default except what the caller sets.
    pub fn for_tests(database_url: String, data_dir: PathBuf) -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url,
            demo: false,
            demo_password: "centinela-demo-2026".into(),
            trusted_proxies: Vec::new(),
            audit_key_file: None,
            checkpoint_file: None,
            checkpoint_interval: 300,
            live_per_user: 4,
            live_max: 200,
            certificate_days: 365,
            approval_hours: 72,
            grant_hours: 24,
            company: "Spirit Tours".into(),
            archive_dir: None,
            data_dir,
            public_url: None,
            site_root: PathBuf::from("target/site"),
            smtp_url: None,
            mail_from: None,
            log: "warn".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Args {
        #[command(flatten)]
        config: Config,
    }

    #[test]
    fn booleans_take_their_usual_spellings() {
        for (given, expected) in [
            ("1", true),
            ("true", true),
            ("yes", true),
            ("on", true),
            ("0", false),
            ("false", false),
            ("no", false),
            ("off", false),
        ] {
            let args = Args::try_parse_from(["centinela", &format!("--demo={given}")])
                .unwrap_or_else(|e| panic!("--demo={given}: {e}"));
            assert_eq!(args.config.demo, expected, "--demo={given}");
        }
        let bare = Args::try_parse_from(["centinela", "--demo"]).map(|a| a.config.demo);
        assert!(matches!(bare, Ok(true)));
        assert!(Args::try_parse_from(["centinela", "--demo=maybe"]).is_err());
    }
}
