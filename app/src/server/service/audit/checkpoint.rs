//! Signed checkpoints of the audit chain.
//!
//! A checkpoint is the statement "at `created_at`, event `seq` had hash `head_hash`",
//! signed with an Ed25519 key that lives outside the database. The server writes one every
//! few minutes (a heartbeat when nothing happened), at shutdown, and when it archives. Each
//! is stored in the database and appended to a JSON-lines file outside it. A rewritten or
//! truncated chain no longer matches the checkpoints, and nobody without the key can
//! forge new ones.
//!
//! Signed message, version 1 (UTF-8, each line ending in `\n`):
//! `centinela-checkpoint-v1`, the decimal `seq`, the 64-hex-digit `head_hash`, the decimal
//! `created_at` (unix milliseconds). The signature is written as 128 lowercase hex digits.

use crate::error::AppError;
use crate::server::AppState;
use crate::server::repo::audit as repo;
pub use crate::server::repo::audit::Checkpoint;
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

/// Why a checkpoint was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// New events since the last checkpoint.
    Periodic,
    /// Nothing happened: proves the log was alive and not truncated since.
    Heartbeat,
    Shutdown,
    Archive,
    Manual,
}

impl Reason {
    pub fn code(self) -> &'static str {
        match self {
            Self::Periodic => "periodic",
            Self::Heartbeat => "heartbeat",
            Self::Shutdown => "shutdown",
            Self::Archive => "archive",
            Self::Manual => "manual",
        }
    }
}

pub fn message(seq: i64, head_hash: &str, created_at: i64) -> Vec<u8> {
    format!("centinela-checkpoint-v1\n{seq}\n{head_hash}\n{created_at}\n").into_bytes()
}

/// Parses a public key written as 64 hex digits.
pub fn parse_public_key(hex_text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = hex::decode(hex_text.trim()).ok()?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// Whether `checkpoint` was signed by `key` (whatever public key the row claims).
pub fn signature_is_valid(key: &VerifyingKey, checkpoint: &Checkpoint) -> bool {
    let Some(bytes) = hex::decode(&checkpoint.signature)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
    else {
        return false;
    };
    key.verify(
        &message(checkpoint.seq, &checkpoint.head_hash, checkpoint.created_at),
        &Signature::from_bytes(&bytes),
    )
    .is_ok()
}

/// The signing key and where checkpoints are copied outside the database.
pub struct Signer {
    key: SigningKey,
    file: Option<PathBuf>,
    file_lock: Mutex<()>,
}

impl Signer {
    pub fn new(seed: [u8; 32], file: Option<PathBuf>) -> Self {
        Self {
            key: SigningKey::from_bytes(&seed),
            file,
            file_lock: Mutex::new(()),
        }
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    pub fn public_key_hex(&self) -> String {
        hex::encode(self.key.verifying_key().as_bytes())
    }

    pub fn checkpoint_file(&self) -> Option<&PathBuf> {
        self.file.as_ref()
    }

    pub fn sign(&self, seq: i64, head_hash: &str, created_at: i64, reason: Reason) -> Checkpoint {
        let signature = self.key.sign(&message(seq, head_hash, created_at));
        Checkpoint {
            seq,
            head_hash: head_hash.to_owned(),
            signature: hex::encode(signature.to_bytes()),
            public_key: self.public_key_hex(),
            reason: reason.code().to_owned(),
            created_at,
        }
    }

    /// Appends the checkpoint to the file outside the database (flushed to disk).
    fn append_to_file(&self, checkpoint: &Checkpoint) -> std::io::Result<()> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        let _guard = self
            .file_lock
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        let line = serde_json::to_string(checkpoint).map_err(std::io::Error::other)?;
        writeln!(file, "{line}")?;
        file.sync_data()
    }
}

/// Signs the current head of the chain and stores the checkpoint (database, then file).
pub async fn write(state: &AppState, reason: Reason) -> Result<Checkpoint, AppError> {
    let mut tx = state.db.begin_write().await?;
    let (seq, hash) = repo::lock_head(&mut tx).await?;
    let reason = match (reason, repo::latest_checkpoint(&mut tx).await?) {
        (Reason::Periodic, Some(last)) if last.seq == seq => Reason::Heartbeat,
        (r, _) => r,
    };
    let checkpoint = state.signer.sign(seq, &hash, state.clock.now_ms(), reason);
    repo::insert_checkpoint(&mut tx, &checkpoint).await?;
    tx.commit().await?;
    if let Err(error) = state.signer.append_to_file(&checkpoint) {
        tracing::error!(%error, "could not append the checkpoint to its file");
    }
    Ok(checkpoint)
}

/// Signs a checkpoint for event `seq` (archiving: the last archived event).
pub async fn write_at(
    state: &AppState,
    seq: i64,
    hash: &str,
    reason: Reason,
) -> Result<Checkpoint, AppError> {
    let checkpoint = state.signer.sign(seq, hash, state.clock.now_ms(), reason);
    let mut conn = state.db.conn().await?;
    repo::insert_checkpoint(&mut conn, &checkpoint).await?;
    if let Err(error) = state.signer.append_to_file(&checkpoint) {
        tracing::error!(%error, "could not append the checkpoint to its file");
    }
    Ok(checkpoint)
}

/// Reads the checkpoint file (skipping lines that do not parse; the verifier then simply
/// has fewer checkpoints to check against).
pub fn read_file(path: &std::path::Path) -> Vec<Checkpoint> {
    std::fs::read_to_string(path)
        .map(|text| {
            text.lines()
                .filter_map(|line| serde_json::from_str(line).ok())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_bind_every_part_of_the_checkpoint() {
        let signer = Signer::new([9; 32], None);
        let key = signer.verifying_key();
        let cp = signer.sign(42, &"ab".repeat(32), 1_700_000_000_000, Reason::Periodic);
        assert!(signature_is_valid(&key, &cp));
        assert_eq!(parse_public_key(&signer.public_key_hex()), Some(key));
        for tampered in [
            Checkpoint {
                seq: 41,
                ..cp.clone()
            },
            Checkpoint {
                head_hash: "cd".repeat(32),
                ..cp.clone()
            },
            Checkpoint {
                created_at: cp.created_at + 1,
                ..cp.clone()
            },
            Checkpoint {
                signature: "00".repeat(64),
                ..cp.clone()
            },
        ] {
            assert!(!signature_is_valid(&key, &tampered));
        }
        let other = Signer::new([8; 32], None).verifying_key();
        assert!(
            !signature_is_valid(&other, &cp),
            "another key's checkpoints are not ours"
        );
    }
}
