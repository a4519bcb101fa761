//! One event as the verifier sees it, from a file or from the database.

use crate::server::repo::audit::AuditRow;
use crate::server::service::audit::canonical::Canonical;
use crate::server::service::audit::event_hash;
use sha2::{Digest, Sha256};

/// One event as it reaches the verifier: a full row (files), or what the database sends
/// (its canonical bytes, built by the database).
#[derive(Debug, Clone)]
pub enum Item {
    Row(Box<AuditRow>),
    Stored(Canonical),
}

impl Item {
    pub fn seq(&self) -> i64 {
        match self {
            Self::Row(r) => r.seq,
            Self::Stored(c) => c.seq,
        }
    }

    pub(super) fn created_at(&self) -> i64 {
        match self {
            Self::Row(r) => r.created_at,
            Self::Stored(c) => c.created_at,
        }
    }

    pub(super) fn prev_hash(&self) -> &str {
        match self {
            Self::Row(r) => &r.prev_hash,
            Self::Stored(c) => &c.prev_hash,
        }
    }

    pub(super) fn hash(&self) -> &str {
        match self {
            Self::Row(r) => &r.hash,
            Self::Stored(c) => &c.hash,
        }
    }

    /// Whether the stored hash is the hash of the event's content.
    pub(super) fn hash_is_right(&self) -> bool {
        match self {
            Self::Row(r) => event_hash(r) == r.hash,
            Self::Stored(c) => {
                let mut hex = [0u8; 64];
                hex::encode_to_slice(Sha256::digest(&c.canonical), &mut hex).is_ok()
                    && hex.as_slice() == c.hash.as_bytes()
            }
        }
    }
}
