//! The audit log outside the database: JSON-lines exports (`export-audit`), compressed
//! archive segments (`archive-audit`), and verification over database, segments and files.
//!
//! Both file kinds hold a header line, then checkpoint lines, then event lines in `seq`
//! order: `{"kind":"header",...}`, `{"kind":"checkpoint",...}`, `{"kind":"event",...}`.
//! JSON escapes every control character, so a field can never start a line of its own.

use super::checkpoint::{self, Checkpoint};
use crate::error::AppError;
use crate::server::Db;
use crate::server::repo::audit::{self as repo, AuditRow};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use futures::TryStreamExt;
use serde::{Deserialize, Serialize};
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

pub(crate) fn io(error: impl std::fmt::Display) -> AppError {
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

pub(crate) fn open_lines(path: &Path) -> Result<Box<dyn BufRead>, AppError> {
    let file = std::fs::File::open(path).map_err(io)?;
    Ok(if path.extension().is_some_and(|e| e == "gz") {
        Box::new(BufReader::new(GzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    })
}

/// When a file was exported (its header's `created_at`), if it has a header.
pub fn exported_at(path: &Path) -> Result<Option<i64>, AppError> {
    let mut first = String::new();
    open_lines(path)?.read_line(&mut first).map_err(io)?;
    Ok(match serde_json::from_str::<Line>(first.trim_end()) {
        Ok(Line::Header { created_at, .. }) => Some(created_at),
        _ => None,
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

/// Where the log lives besides the database.
#[derive(Debug, Clone, Default)]
pub struct Locations {
    pub checkpoint_file: Option<PathBuf>,
    pub archive_dir: Option<PathBuf>,
}

impl Locations {
    /// The archive segments, in chain order.
    pub fn segments(&self) -> Vec<PathBuf> {
        self.archive_dir
            .as_deref()
            .map(segment_files)
            .unwrap_or_default()
    }

    /// Every checkpoint: the database's, the outside file's, and the segments'.
    pub async fn checkpoints(
        &self,
        conn: &mut sqlx::AnyConnection,
        segments: &[PathBuf],
    ) -> Result<Vec<Checkpoint>, AppError> {
        let mut checkpoints = repo::all_checkpoints(conn).await?;
        if let Some(file) = &self.checkpoint_file {
            checkpoints.extend(checkpoint::read_file(file));
        }
        for segment in segments {
            checkpoints.extend(file_checkpoints(segment)?);
        }
        Ok(checkpoints)
    }
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
    let segments = places.segments();
    let mut checkpoints = places.checkpoints(&mut conn, &segments).await?;
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
