//! The audit log outside the database: JSON-lines exports (`export-audit`), compressed
//! archive segments (`archive-audit`), and verification over database, segments and files.
//!
//! Both file kinds hold a header line, then checkpoint lines, then event lines in `seq`
//! order: `{"kind":"header",...}`, `{"kind":"checkpoint",...}`, `{"kind":"event",...}`.
//! JSON escapes every control character, so a field can never start a line of its own.

use super::checkpoint::{self, Checkpoint};
use super::verify::{Chain, Damage, DamageKind, Lookup, NoLookup, Report, classify};
use crate::error::AppError;
use crate::server::Db;
use crate::server::repo::audit::{self as repo, AuditRow};
use ed25519_dalek::VerifyingKey;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

pub const FORMAT: &str = "centinela-audit";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Line {
    Header {
        format: String,
        version: u32,
        public_key: String,
        created_at: i64,
    },
    Checkpoint(Checkpoint),
    Event(Box<AuditRow>),
}

fn io(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "audit file");
    AppError::Internal
}

/// Writes `lines` as JSON lines.
fn write_line(out: &mut impl Write, line: &Line) -> Result<(), AppError> {
    serde_json::to_writer(&mut *out, line).map_err(io)?;
    out.write_all(b"\n").map_err(io)
}

/// Archive segment files in `dir`, in chain order.
pub fn segment_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("segment-") && n.ends_with(".jsonl.gz"))
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn open_lines(path: &Path) -> Result<Box<dyn BufRead>, AppError> {
    let file = std::fs::File::open(path).map_err(io)?;
    Ok(if path.extension().is_some_and(|e| e == "gz") {
        Box::new(BufReader::new(GzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    })
}

/// The checkpoints a file carries (they come before its events).
pub fn file_checkpoints(path: &Path) -> Result<Vec<Checkpoint>, AppError> {
    let mut out = Vec::new();
    for line in open_lines(path)?.lines() {
        match serde_json::from_str::<Line>(&line.map_err(io)?) {
            Ok(Line::Checkpoint(cp)) => out.push(cp),
            Ok(Line::Header { .. }) => {}
            _ => break,
        }
    }
    Ok(out)
}

/// Feeds events to the chain with one event of lookahead; stops at the first break.
struct Feeder<'a> {
    chain: &'a mut Chain,
    pending: Option<AuditRow>,
    broken: Option<Box<super::verify::Suspect>>,
    progress: &'a mut (dyn FnMut(u64) + Send),
    seen: u64,
}

impl Feeder<'_> {
    fn push(&mut self, row: AuditRow) {
        if self.broken.is_some() {
            return;
        }
        if let Some(current) = self.pending.take()
            && let Err(suspect) = self.chain.check(&current, Some(&row))
        {
            self.broken = Some(suspect);
            return;
        }
        self.pending = Some(row);
        self.seen += 1;
        if self.seen.is_multiple_of(50_000) {
            (self.progress)(self.seen);
        }
    }

    /// Nothing later can come before damage already found.
    fn done(&self) -> bool {
        self.broken.is_some()
            || self
                .pending
                .as_ref()
                .is_some_and(|row| self.chain.damaged_before(row.seq))
    }

    async fn finish(mut self, lookup: &mut impl Lookup) {
        if self.broken.is_none()
            && let Some(last) = self.pending.take()
            && let Err(suspect) = self.chain.check(&last, None)
        {
            self.broken = Some(suspect);
        }
        if let Some(suspect) = self.broken.take() {
            let damage = classify(&suspect, lookup).await;
            self.chain.broken(damage);
        }
        (self.progress)(self.seen);
    }
}

/// An event line that does not parse is damage at the position it should hold.
fn unreadable(after: Option<i64>, line_no: usize) -> Damage {
    Damage {
        kind: DamageKind::Modified,
        seq: after.map_or(1, |s| s + 1),
        detail: format!("line {line_no} is not a valid event"),
    }
}

/// Streams the events of a file into the feeder; returns the first unreadable line.
fn feed_file(path: &Path, feeder: &mut Feeder<'_>) -> Result<Option<Damage>, AppError> {
    let mut last_seq = None;
    for (i, line) in open_lines(path)?.lines().enumerate() {
        let line = line.map_err(io)?;
        match serde_json::from_str::<Line>(&line) {
            Ok(Line::Event(row)) => {
                last_seq = Some(row.seq);
                feeder.push(*row);
                if feeder.done() {
                    break;
                }
            }
            Ok(_) => {}
            Err(_) => return Ok(Some(unreadable(last_seq, i + 1))),
        }
    }
    Ok(None)
}

/// Finds stored events by hash in the database.
struct DbLookup<'a>(&'a Db);

impl Lookup for DbLookup<'_> {
    async fn seq_of(&mut self, hash: &str) -> Option<i64> {
        let mut conn = self.0.conn().await.ok()?;
        repo::seq_of_hash(&mut conn, hash).await.ok().flatten()
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
}

/// Where the log lives besides the database.
#[derive(Debug, Clone, Default)]
pub struct Locations {
    pub checkpoint_file: Option<PathBuf>,
    pub archive_dir: Option<PathBuf>,
}

/// Verifies archive segments and the database as one chain. `progress` hears the number of
/// events checked so far.
pub async fn verify_database(
    db: &Db,
    key: VerifyingKey,
    places: &Locations,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<Report, AppError> {
    let mut conn = db.conn().await?;
    let mut checkpoints = repo::all_checkpoints(&mut conn).await?;
    if let Some(file) = &places.checkpoint_file {
        checkpoints.extend(checkpoint::read_file(file));
    }
    let segments = places
        .archive_dir
        .as_deref()
        .map(segment_files)
        .unwrap_or_default();
    for segment in &segments {
        checkpoints.extend(file_checkpoints(segment)?);
    }
    let recorded = repo::archives(&mut conn).await?;
    let mut chain = Chain::new(key, checkpoints);
    let present: Vec<String> = segments
        .iter()
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_owned))
        .collect();
    if let Some(missing) = recorded.iter().find(|a| !present.contains(&a.file_name)) {
        chain.broken(Damage {
            kind: DamageKind::Deleted,
            seq: missing.first_seq,
            detail: format!(
                "archive segment {} (events {} to {}) is missing",
                missing.file_name, missing.first_seq, missing.last_seq
            ),
        });
    }
    let mut feeder = Feeder {
        chain: &mut chain,
        pending: None,
        broken: None,
        progress,
        seen: 0,
    };
    for segment in &segments {
        if let Some(damage) = feed_file(segment, &mut feeder)? {
            feeder.chain.broken(damage);
        }
        if feeder.done() {
            break;
        }
    }
    if !feeder.done() {
        let mut rows = sqlx::query_as::<_, AuditRow>("select * from audit_event order by seq")
            .fetch(&mut *conn);
        while let Some(row) = rows.try_next().await? {
            feeder.push(row);
            if feeder.done() {
                break;
            }
        }
    }
    feeder.finish(&mut DbLookup(db)).await;
    Ok(chain.finish())
}

/// Verifies an exported file with nothing but the public key.
pub async fn verify_file(
    path: &Path,
    key: VerifyingKey,
    progress: &mut (dyn FnMut(u64) + Send),
) -> Result<Report, AppError> {
    let mut chain = Chain::new(key, file_checkpoints(path)?);
    let mut feeder = Feeder {
        chain: &mut chain,
        pending: None,
        broken: None,
        progress,
        seen: 0,
    };
    let unreadable = feed_file(path, &mut feeder)?;
    if let Some(damage) = unreadable {
        feeder.finish(&mut NoLookup).await;
        chain.broken(damage);
    } else {
        feeder
            .finish(&mut FileLookup {
                path: path.to_owned(),
                index: None,
            })
            .await;
    }
    Ok(chain.finish())
}

/// Writes the whole log (archived segments, then the database) with every checkpoint to
/// `out` as JSON lines. Returns how many events were written.
pub async fn export(
    db: &Db,
    public_key: &str,
    places: &Locations,
    now: i64,
    out: &Path,
) -> Result<u64, AppError> {
    let mut conn = db.conn().await?;
    let mut checkpoints = repo::all_checkpoints(&mut conn).await?;
    if let Some(file) = &places.checkpoint_file {
        checkpoints.extend(checkpoint::read_file(file));
    }
    let segments = places
        .archive_dir
        .as_deref()
        .map(segment_files)
        .unwrap_or_default();
    for segment in &segments {
        checkpoints.extend(file_checkpoints(segment)?);
    }
    checkpoints.sort_by_key(|c| (c.seq, c.created_at));
    checkpoints.dedup();
    let mut w = BufWriter::new(std::fs::File::create(out).map_err(io)?);
    let header = Line::Header {
        format: FORMAT.into(),
        version: 1,
        public_key: public_key.into(),
        created_at: now,
    };
    write_line(&mut w, &header)?;
    for cp in checkpoints {
        write_line(&mut w, &Line::Checkpoint(cp))?;
    }
    let mut written = 0;
    for segment in &segments {
        for line in open_lines(segment)?.lines() {
            let line = line.map_err(io)?;
            if line.contains("\"kind\":\"event\"") {
                w.write_all(line.as_bytes()).map_err(io)?;
                w.write_all(b"\n").map_err(io)?;
                written += 1;
            }
        }
    }
    let mut rows =
        sqlx::query_as::<_, AuditRow>("select * from audit_event order by seq").fetch(&mut *conn);
    while let Some(row) = rows.try_next().await? {
        write_line(&mut w, &Line::Event(Box::new(row)))?;
        written += 1;
    }
    w.into_inner()
        .map_err(|e| io(e.error()))?
        .sync_all()
        .map_err(io)?;
    Ok(written)
}

/// Writes one compressed archive segment; returns its SHA-256.
pub fn write_segment(
    path: &Path,
    public_key: &str,
    now: i64,
    checkpoint: &Checkpoint,
    rows: &[AuditRow],
) -> Result<String, AppError> {
    let tmp = path.with_extension("tmp");
    {
        let file = std::fs::File::create(&tmp).map_err(io)?;
        let mut gz = GzEncoder::new(BufWriter::new(file), Compression::default());
        let header = Line::Header {
            format: FORMAT.into(),
            version: 1,
            public_key: public_key.into(),
            created_at: now,
        };
        write_line(&mut gz, &header)?;
        write_line(&mut gz, &Line::Checkpoint(checkpoint.clone()))?;
        for row in rows {
            write_line(&mut gz, &Line::Event(Box::new(row.clone())))?;
        }
        let file = gz
            .finish()
            .map_err(io)?
            .into_inner()
            .map_err(|e| io(e.error()))?;
        file.sync_all().map_err(io)?;
    }
    std::fs::rename(&tmp, path).map_err(io)?;
    let bytes = std::fs::read(path).map_err(io)?;
    Ok(hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)))
}
