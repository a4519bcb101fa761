//! Group commit for SQLite: concurrent write jobs share one transaction, so the pages they
//! all touch (the newest leaves of the audit and export indexes) are written to the WAL
//! once per group instead of once per job, and one commit makes them all durable.
//!
//! Each job still succeeds or fails alone: if any job of a group fails, the group rolls
//! back and every job runs again on its own, in its own transaction. A caller hears about
//! success only after the commit that made its job durable. Jobs therefore may run more
//! than once, must do nothing but database work on the connection they are given, and must
//! never open a write transaction of their own (the committer holds the write gate).

use super::{Backend, Db};
use crate::error::AppError;
use futures::future::BoxFuture;
use sqlx::AnyConnection;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The most jobs one transaction carries.
const MAX_GROUP: usize = 16;

/// A job that can run inside any transaction (again, after a rollback).
pub type Job<T> =
    Arc<dyn for<'c> Fn(&'c mut AnyConnection) -> BoxFuture<'c, Result<T, AppError>> + Send + Sync>;

/// A job with its result type erased: runs, then reports once the group's fate is known.
trait Pending: Send {
    fn run<'c>(&'c mut self, conn: &'c mut AnyConnection) -> BoxFuture<'c, bool>;
    fn finish(self: Box<Self>, committed: Result<(), AppError>);
    fn retry_alone(self: Box<Self>, db: Db) -> BoxFuture<'static, ()>;
}

struct Entry<T> {
    job: Job<T>,
    result: Option<Result<T, AppError>>,
    reply: oneshot::Sender<Result<T, AppError>>,
}

impl<T: Send + 'static> Pending for Entry<T> {
    fn run<'c>(&'c mut self, conn: &'c mut AnyConnection) -> BoxFuture<'c, bool> {
        Box::pin(async move {
            let result = (self.job)(conn).await;
            let ok = result.is_ok();
            self.result = Some(result);
            ok
        })
    }

    fn finish(self: Box<Self>, committed: Result<(), AppError>) {
        let outcome = match committed {
            Ok(()) => self.result.unwrap_or(Err(AppError::Internal)),
            Err(error) => Err(error),
        };
        let _ = self.reply.send(outcome);
    }

    fn retry_alone(self: Box<Self>, db: Db) -> BoxFuture<'static, ()> {
        Box::pin(async move {
            let outcome = run_alone(&db, &self.job).await;
            let _ = self.reply.send(outcome);
        })
    }
}

/// Runs `job` in a transaction of its own.
async fn run_alone<T>(db: &Db, job: &Job<T>) -> Result<T, AppError> {
    let mut tx = db.begin_write().await?;
    let value = job(&mut tx).await?;
    tx.commit().await?;
    Ok(value)
}

/// The queue in front of the committer task.
#[derive(Clone)]
pub struct GroupCommit {
    queue: mpsc::Sender<Box<dyn Pending>>,
}

impl GroupCommit {
    /// Starts the committer for `db` (SQLite only; PostgreSQL runs jobs directly).
    pub fn start(db: Db) -> Self {
        let (queue, mut jobs) = mpsc::channel::<Box<dyn Pending>>(256);
        tokio::spawn(async move {
            while let Some(first) = jobs.recv().await {
                let mut group = vec![first];
                while group.len() < MAX_GROUP {
                    match jobs.try_recv() {
                        Ok(job) => group.push(job),
                        Err(_) => break,
                    }
                }
                commit_group(&db, group).await;
            }
        });
        Self { queue }
    }

    /// Runs `job` durably: grouped with others on SQLite, alone on PostgreSQL.
    pub async fn run<T: Send + 'static>(&self, db: &Db, job: Job<T>) -> Result<T, AppError> {
        if db.backend() == Backend::Postgres {
            return run_alone(db, &job).await;
        }
        let (reply, answer) = oneshot::channel();
        let entry: Box<dyn Pending> = Box::new(Entry {
            job,
            result: None,
            reply,
        });
        self.queue
            .send(entry)
            .await
            .map_err(|_| AppError::Unavailable)?;
        answer.await.map_err(|_| AppError::Internal)?
    }
}

async fn commit_group(db: &Db, mut group: Vec<Box<dyn Pending>>) {
    if group.len() == 1 {
        if let Some(job) = group.pop() {
            job.retry_alone(db.clone()).await;
        }
        return;
    }
    let mut tx = match db.begin_write().await {
        Ok(tx) => tx,
        Err(error) => {
            let error = AppError::from(error);
            for job in group {
                job.finish(Err(error.clone()));
            }
            return;
        }
    };
    let mut all_ok = true;
    for job in &mut group {
        if !job.run(&mut tx).await {
            all_ok = false;
            break;
        }
    }
    if all_ok {
        let committed = tx.commit().await.map_err(AppError::from);
        for job in group {
            job.finish(committed.clone());
        }
        return;
    }
    // One job failed: nothing of the group stays; each job gets its own chance.
    drop(tx);
    for job in group {
        job.retry_alone(db.clone()).await;
    }
}
