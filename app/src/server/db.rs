//! The database handle: SQLite (embedded, the default) or PostgreSQL, chosen at run time by
//! the URL, through sqlx's `Any` driver so that every query is written once.
//!
//! Portability rules for SQL in `repo/`: `$1` placeholders; integers are BIGINT (times are
//! unix milliseconds, flags are 0/1); text is TEXT; no BOOLEAN or timestamp columns (the
//! `Any` driver cannot carry them); `cast(... as bigint)` around aggregates.
//!
//! Writes go through [`Db::begin_write`]. On SQLite that takes an in-process write gate and
//! then `BEGIN IMMEDIATE`, so writers queue in order instead of spinning in SQLite's busy
//! handler, and a transaction that reads before it writes can never hit `SQLITE_BUSY`.
//! SQLite write transactions all run on one dedicated connection: its page cache stays
//! valid from one write to the next (a write by another connection would void it), so a
//! write finds the index pages it changes in memory instead of reading them again.

use crate::error::AppError;
use anyhow::Context as _;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Transaction};
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard};

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgresql",
        }
    }

    /// The backend behind a connection (repositories use it where the SQL must differ).
    pub fn of(conn: &AnyConnection) -> Self {
        if conn.backend_name().eq_ignore_ascii_case("sqlite") {
            Self::Sqlite
        } else {
            Self::Postgres
        }
    }
}

/// A pool plus what it takes to write safely on each backend. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    /// SQLite: the one connection that runs write transactions. PostgreSQL: the pool.
    writer: AnyPool,
    backend: Backend,
    write_gate: Arc<Mutex<()>>,
}

impl Db {
    /// Connects to `url` (`sqlite://path` or `postgres://...`), creating the SQLite file and
    /// its folder when missing, and applies the connection settings each backend needs.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if url.starts_with("sqlite:") {
            (Backend::Sqlite, prepare_sqlite_url(url)?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite:// or postgres://");
        };
        let options = AnyConnectOptions::from_str(&url).context("invalid DATABASE_URL")?;
        // Both pools: same per-connection settings and wait limit; an embedded SQLite file
        // has no dropped network connections to guard against with a pre-acquire ping (which
        // costs a round trip to its thread).
        let pool_options = |max: u32| {
            AnyPoolOptions::new()
                .max_connections(max)
                .acquire_timeout(Duration::from_secs(10))
                .test_before_acquire(backend == Backend::Postgres)
                .after_connect(move |conn, _meta| Box::pin(configure_connection(conn, backend)))
        };
        let pool = pool_options(match backend {
            // Each SQLite connection is a thread of its own: more than the cores can keep
            // busy only adds context switches.
            Backend::Sqlite => {
                let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
                u32::try_from(cores * 2).unwrap_or(16).clamp(4, 16)
            }
            Backend::Postgres => 16,
        })
        .connect_with(options.clone())
        .await
        .with_context(|| format!("cannot connect to the {} database", backend.name()))?;
        let writer = match backend {
            // Kept open for the life of the process, so its cache stays warm.
            Backend::Sqlite => pool_options(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(options)
                .await
                .context("cannot open the SQLite write connection")?,
            Backend::Postgres => pool.clone(),
        };
        Ok(Self {
            pool,
            writer,
            backend,
            write_gate: Arc::new(Mutex::new(())),
        })
    }

    /// Applies the embedded migrations for this backend; start-up fails if one fails.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATOR,
            Backend::Postgres => &POSTGRES_MIGRATOR,
        };
        migrator
            .run(&self.pool)
            .await
            .context("database migrations failed")
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A connection for reads (and single-statement writes that need no ordering).
    pub async fn conn(&self) -> Result<PoolConnection<Any>, sqlx::Error> {
        self.pool.acquire().await
    }

    /// Starts a write transaction (see the module docs).
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => {
                let gate = self.write_gate.clone().lock_owned().await;
                let tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
                Ok(WriteTx {
                    tx,
                    gate: Some(gate),
                })
            }
            Backend::Postgres => Ok(WriteTx {
                tx: self.pool.begin().await?,
                gate: None,
            }),
        }
    }

    /// Whether the database answers a trivial query within two seconds.
    pub async fn ping(&self) -> bool {
        let probe = sqlx::query_scalar::<_, i64>("select 1").fetch_one(&self.pool);
        matches!(
            tokio::time::timeout(Duration::from_secs(2), probe).await,
            Ok(Ok(1))
        )
    }

    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}

/// Per-connection settings: on SQLite, WAL with full durability, foreign keys, a busy
/// timeout for writers from other processes (the CLI), and an 8 MB page cache.
async fn configure_connection(
    conn: &mut AnyConnection,
    backend: Backend,
) -> Result<(), sqlx::Error> {
    if backend == Backend::Sqlite {
        use sqlx::Executor;
        conn.execute(
            "pragma journal_mode = wal; pragma synchronous = full; \
             pragma foreign_keys = on; pragma busy_timeout = 15000; \
             pragma cache_size = -8000;",
        )
        .await?;
    }
    Ok(())
}

/// A write transaction. Dropping it without `commit` rolls back: the fields drop in
/// order, so the rollback is queued on the connection before the write gate opens for the
/// next writer (who waits for that same connection, behind the rollback).
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    gate: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        let WriteTx { tx, gate } = self;
        let result = tx.commit().await;
        drop(gate);
        result
    }
}

impl Deref for WriteTx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

/// `($1, $2), ($3, $4)` for a multi-row insert of `rows` rows of `columns` values. (sqlx's
/// `QueryBuilder` writes `?` for the `Any` driver, which PostgreSQL rejects.)
pub fn values_placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|r| {
            let row: Vec<String> = (1..=columns)
                .map(|c| format!("${}", r * columns + c))
                .collect();
            format!("({})", row.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Makes sure the SQLite file can be created: its folder exists and `mode=rwc` is set.
fn prepare_sqlite_url(url: &str) -> anyhow::Result<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path.starts_with(":memory:") {
        anyhow::bail!("an in-memory SQLite database cannot be shared; give a file path");
    }
    if let Some(parent) = Path::new(path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder {}", parent.display()))?;
    }
    Ok(if query.contains("mode=") {
        url.to_owned()
    } else if query.is_empty() {
        format!("sqlite://{path}?mode=rwc")
    } else {
        format!("sqlite://{path}?{query}&mode=rwc")
    })
}

impl From<sqlx::Error> for AppError {
    /// The cause goes to the server log; the user gets a plain message.
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                tracing::error!(%error, "database unavailable");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_across_rows() {
        assert_eq!(values_placeholders(2, 2), "($1, $2), ($3, $4)");
    }

    #[test]
    fn sqlite_urls_get_create_mode() {
        let dir = std::env::temp_dir().join("centinela-url-test");
        let url = format!("sqlite://{}/x.db", dir.display());
        assert!(
            prepare_sqlite_url(&url)
                .expect("ok")
                .ends_with("x.db?mode=rwc")
        );
        assert!(dir.exists());
        assert!(prepare_sqlite_url("sqlite::memory:").is_err());
    }
}
