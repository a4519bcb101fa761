//! Running the verification over the database (with archive segments) or over an
//! exported file.

use super::{Damage, DamageKind, Item, Judgement, Lookup, NoLookup, Report, TrustedHead, Verifier};
use crate::error::AppError;
use crate::server::Db;
use crate::server::repo::audit::chunks as packed;
use crate::server::repo::audit::{self as repo, AuditRow};
use crate::server::service::audit::canonical::{self, Canonical, HASHED_FIELDS};
use crate::server::service::audit::checkpoint::{Checkpoint, signature_is_valid};
use crate::server::service::audit::files::{Line, exported_at, file_checkpoints, io, open_lines};
use ed25519_dalek::VerifyingKey;
use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

pub use crate::server::service::audit::files::Locations;

/// Events read from the database per query.
const CHUNK: i64 = 2_000;

/// An event line that does not parse is damage at the position it should hold.
fn unreadable(after: Option<i64>, line_no: usize) -> Damage {
    Damage {
        kind: DamageKind::Modified,
        seq: after.map_or(1, |s| s + 1),
        detail: format!("line {line_no} is not a valid event"),
    }
}

/// Streams the events of a file into the verifier; returns the first unreadable line.
fn feed_file(
    path: &Path,
    verifier: &mut Verifier,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<Option<Damage>, AppError> {
    let mut last_seq = None;
    for (i, line) in open_lines(path)?.lines().enumerate() {
        let line = line.map_err(io)?;
        match serde_json::from_str::<Line>(&line) {
            Ok(Line::Event(row)) => {
                last_seq = Some(row.seq);
                verifier.push(Item::Row(row));
                tick(verifier, progress);
                if verifier.done() {
                    break;
                }
            }
            Ok(_) => {}
            Err(_) => return Ok(Some(unreadable(last_seq, i + 1))),
        }
    }
    Ok(None)
}

fn tick(verifier: &Verifier, progress: &mut (dyn FnMut(u64) + Send)) {
    if verifier.seen().is_multiple_of(50_000) {
        progress(verifier.seen());
    }
}

/// Finds stored events in the database (by hash, or whole by seq).
struct DbLookup<'a>(&'a Db);

impl Lookup for DbLookup<'_> {
    async fn seq_of(&mut self, hash: &str) -> Option<i64> {
        let mut conn = self.0.conn().await.ok()?;
        repo::seq_of_hash(&mut conn, hash).await.ok().flatten()
    }

    async fn row_at(&mut self, seq: i64) -> Option<AuditRow> {
        let mut conn = self.0.conn().await.ok()?;
        repo::event(&mut conn, seq).await.ok().flatten()
    }
}

/// Finds events by hash in a file (read once, on the first question).
struct FileLookup {
    path: PathBuf,
    index: Option<HashMap<String, i64>>,
}

impl Lookup for FileLookup {
    async fn seq_of(&mut self, hash: &str) -> Option<i64> {
        if self.index.is_none() {
            let mut index = HashMap::new();
            if let Ok(lines) = open_lines(&self.path) {
                for line in lines.lines().map_while(Result::ok) {
                    if let Ok(Line::Event(row)) = serde_json::from_str::<Line>(&line) {
                        index.insert(row.hash.clone(), row.seq);
                    }
                }
            }
            self.index = Some(index);
        }
        self.index.as_ref().and_then(|i| i.get(hash).copied())
    }

    async fn row_at(&mut self, _seq: i64) -> Option<AuditRow> {
        None
    }
}

/// Verifies archive segments and the database as one chain, judged at `judgement.as_of`
/// (now). `progress` hears the number of events checked so far.
pub async fn verify_database(
    db: &Db,
    key: VerifyingKey,
    places: &Locations,
    judgement: Judgement,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<Report, AppError> {
    let mut conn = db.conn().await?;
    let segments = places.segments();
    let checkpoints = places.checkpoints(&mut conn, &segments).await?;
    let recorded = repo::archives(&mut conn).await?;
    let (head_seq, _) = repo::current_head(&mut conn).await?;
    let mut verifier = Verifier::new(key, checkpoints, Vec::new(), judgement);
    let present: Vec<String> = segments
        .iter()
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_owned))
        .collect();
    if let Some(missing) = recorded.iter().find(|a| !present.contains(&a.file_name)) {
        verifier.record(Damage {
            kind: DamageKind::Deleted,
            seq: missing.first_seq,
            detail: format!(
                "archive segment {} (events {} to {}) is missing",
                missing.file_name, missing.first_seq, missing.last_seq
            ),
        });
    }
    for segment in &segments {
        if let Some(damage) = feed_file(segment, &mut verifier, progress)? {
            verifier.record(damage);
        }
        if verifier.done() {
            break;
        }
    }
    let (first, last, _) = repo::span(&mut conn).await?;
    if let Some(last) = last.filter(|last| *last > head_seq) {
        verifier.record(Damage {
            kind: DamageKind::PastHead,
            seq: head_seq + 1,
            detail: format!(
                "events {} to {last} are stored past the chain head (seq {head_seq}): they were \
                 written around the chain",
                head_seq + 1
            ),
        });
    }
    if !verifier.done()
        && let (Some(first), Some(last)) = (first, last)
    {
        verify_stored(db, &mut verifier, first - 1, last.min(head_seq), progress).await?;
    }
    if last.unwrap_or(0) < head_seq && !verifier.done() {
        verifier.record(Damage {
            kind: DamageKind::Truncated,
            seq: last.unwrap_or(0) + 1,
            detail: format!(
                "the chain head says seq {head_seq}, but the stored events end at seq {}",
                last.unwrap_or(0)
            ),
        });
    }
    progress(verifier.seen());
    Ok(verifier.finish(&mut DbLookup(db)).await)
}

/// The database's events `(lo, hi]` through the verifier, in order. Readers on their own
/// connections build alternate chunks in parallel (the database does most of the work of
/// packing them); this task puts them back in order and hashes.
async fn verify_stored(
    db: &Db,
    verifier: &mut Verifier,
    lo: i64,
    hi: i64,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<(), AppError> {
    const READERS: i64 = 2;
    let chunks = (hi - lo + CHUNK - 1) / CHUNK;
    let (tx, mut rx) = tokio::sync::mpsc::channel::<(i64, Result<Vec<Canonical>, AppError>)>(4);
    let mut readers = Vec::new();
    for reader in 0..READERS {
        let (db, tx) = (db.clone(), tx.clone());
        readers.push(tokio::spawn(async move {
            let mut conn = match db.conn().await {
                Ok(conn) => conn,
                Err(e) => return drop(tx.send((reader, Err(e.into()))).await),
            };
            for i in (reader..chunks).step_by(READERS as usize) {
                let (from, to) = (lo + i * CHUNK, (lo + (i + 1) * CHUNK).min(hi));
                let events = match packed::chunk(&mut conn, HASHED_FIELDS, from, to).await {
                    Ok(None) => Ok(Vec::new()),
                    Ok(Some(blob)) => canonical::parse_chunk(&blob).ok_or_else(|| {
                        tracing::error!(from, to, "an audit chunk did not parse");
                        AppError::Internal
                    }),
                    Err(e) => Err(e.into()),
                };
                if tx.send((i, events)).await.is_err() {
                    return;
                }
            }
        }));
    }
    drop(tx);
    let mut waiting = std::collections::BTreeMap::new();
    let mut next = 0;
    'chunks: while next < chunks {
        while !waiting.contains_key(&next) {
            let Some((i, events)) = rx.recv().await else {
                break 'chunks;
            };
            waiting.insert(i, events?);
        }
        for event in waiting.remove(&next).unwrap_or_default() {
            verifier.push(Item::Stored(event));
            tick(verifier, progress);
            if verifier.done() {
                break 'chunks;
            }
        }
        next += 1;
    }
    drop(rx);
    for reader in readers {
        reader.abort();
    }
    Ok(())
}

/// What an operator holds outside the file to check it against: the server's checkpoint
/// file (or any copy of it), and heads they wrote down (`SEQ:HASH`).
#[derive(Debug, Clone, Default)]
pub struct Witness {
    pub checkpoints: Vec<Checkpoint>,
    pub trusted: Vec<TrustedHead>,
}

/// Verifies an exported file with nothing but the public key (and a witness, if given),
/// judged at the file's export time (`now_ms` if it has no header). Events may wait
/// `grace_ms` for a signature.
pub async fn verify_file(
    path: &Path,
    key: VerifyingKey,
    witness: &Witness,
    grace_ms: i64,
    now_ms: i64,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<Report, AppError> {
    let carried = file_checkpoints(path)?;
    let omitted: Vec<i64> = witness
        .checkpoints
        .iter()
        .filter(|w| signature_is_valid(&key, w))
        .filter(|w| {
            !carried
                .iter()
                .any(|c| c.seq == w.seq && c.head_hash == w.head_hash)
        })
        .map(|w| w.seq)
        .collect();
    let mut checkpoints = carried;
    checkpoints.extend(witness.checkpoints.iter().cloned());
    let judgement = Judgement {
        as_of: exported_at(path)?.unwrap_or(now_ms),
        grace_ms,
    };
    let mut verifier = Verifier::new(key, checkpoints, witness.trusted.clone(), judgement);
    let unreadable = feed_file(path, &mut verifier, progress)?;
    progress(verifier.seen());
    let mut report = if let Some(damage) = unreadable {
        verifier.record(damage);
        verifier.finish(&mut NoLookup).await
    } else {
        verifier
            .finish(&mut FileLookup {
                path: path.to_owned(),
                index: None,
            })
            .await
    };
    report.witness_checkpoints = (witness.checkpoints.len() + witness.trusted.len()) as u64;
    report.witness_omitted = omitted;
    Ok(report)
}
