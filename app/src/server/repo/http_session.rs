//! The tower-sessions store, in our own database (SQLite or PostgreSQL alike). It holds
//! only the cookie's id and a tiny payload (our session id); who is signed in, and whether
//! that is still valid, lives in `user_session`.

use crate::server::Db;
use async_trait::async_trait;
use tower_sessions::SessionStore;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result};

#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Removes records whose cookie has expired.
    pub async fn delete_expired(&self) -> std::result::Result<u64, sqlx::Error> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let done = sqlx::query("delete from http_session where expiry_date < $1")
            .bind(now)
            .execute(self.db.pool())
            .await?;
        Ok(done.rows_affected())
    }
}

impl DbSessionStore {
    /// One write statement as its own write transaction: on SQLite behind the write gate,
    /// so the session saves of concurrent requests queue with every other write instead of
    /// spinning in SQLite's busy handler against the write connection (under load one could
    /// wait out the whole busy timeout, holding its request for seconds).
    async fn write<'q>(
        &self,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> std::result::Result<u64, sqlx::Error> {
        let mut tx = self.db.begin_write().await?;
        let done = query.execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }
}

fn backend(error: impl std::fmt::Display) -> Error {
    tracing::error!(%error, "session store");
    Error::Backend("session store unavailable".into())
}

fn encode(record: &Record) -> Result<Vec<u8>> {
    serde_json::to_vec(record).map_err(|e| Error::Encode(e.to_string()))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        loop {
            let inserted = self
                .write(
                    sqlx::query(
                        "insert into http_session (id, data, expiry_date, created_at) \
                         values ($1, $2, $3, $4) on conflict (id) do nothing",
                    )
                    .bind(record.id.to_string())
                    .bind(encode(record)?)
                    .bind(record.expiry_date.unix_timestamp())
                    .bind(time::OffsetDateTime::now_utc().unix_timestamp()),
                )
                .await
                .map_err(backend)?;
            if inserted == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        self.write(
            sqlx::query(
                "insert into http_session (id, data, expiry_date, created_at) values ($1, $2, $3, $4) \
                 on conflict (id) do update set data = excluded.data, expiry_date = excluded.expiry_date",
            )
            .bind(record.id.to_string())
            .bind(encode(record)?)
            .bind(record.expiry_date.unix_timestamp())
            .bind(time::OffsetDateTime::now_utc().unix_timestamp()),
        )
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let data: Option<Vec<u8>> =
            sqlx::query_scalar("select data from http_session where id = $1 and expiry_date > $2")
                .bind(id.to_string())
                .bind(time::OffsetDateTime::now_utc().unix_timestamp())
                .fetch_optional(self.db.pool())
                .await
                .map_err(backend)?;
        data.map(|bytes| serde_json::from_slice(&bytes).map_err(|e| Error::Decode(e.to_string())))
            .transpose()
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.write(sqlx::query("delete from http_session where id = $1").bind(id.to_string()))
            .await
            .map_err(backend)?;
        Ok(())
    }
}
