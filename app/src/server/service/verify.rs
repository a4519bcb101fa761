//! Verifying the audit chain: every event's hash, every `seq` step, every link to the
//! previous event, every checkpoint signature, and that the chain still reaches every
//! signed checkpoint. The first damage found is reported with its position and kind.
//!
//! How damage is told apart, at the first event `R` that does not fit after the last good
//! event `P` (expected position `k = P.seq + 1`; `N` is the event after `R`):
//! - `R.seq > k`: events are missing → **deleted** at `k`.
//! - `R.seq < k`: an event appears twice or out of order → **reordered** at `R.seq`.
//! - `R.prev_hash` is `N`'s hash: two neighbours traded places → **reordered** at `k`.
//! - `N` links to `P` and hashes correctly as event `k`: `R` is an intruder → **inserted**.
//! - `R` links to `P` but its hash is wrong: its content changed → **modified**.
//! - `R` links to what `P` links to and hashes correctly as event `k - 1`: `P` (well
//!   forged, with a valid hash and link) is the intruder → **inserted** at `k - 1`.
//! - `R` links to an event stored elsewhere: it was moved → **reordered**.
//! - `R` hashes correctly as event `k + d`: `d` events were removed and the rest
//!   renumbered → **deleted** at `k`.
//! - anything else → **modified**.
//!
//! After the events: a checkpoint whose signature fails → **bad signature**; a checkpoint
//! beyond the last event → **truncated**; a checkpoint whose hash no longer matches (the
//! chain was rewritten and re-hashed) → **modified**, located after the last checkpoint
//! that still matched.

use super::audit::{GENESIS_HASH, event_hash};
use super::checkpoint::{Checkpoint, signature_is_valid};
use crate::server::repo::audit::AuditRow;
use ed25519_dalek::VerifyingKey;

/// How far renumbering after a deletion is recognised.
const MAX_SHIFT: i64 = 64;

pub use crate::types::audit::{Damage, DamageKind, VerifyReport as Report};

/// The first event that did not fit, with what is needed to say why.
#[derive(Debug, Clone)]
pub struct Suspect {
    pub expected: i64,
    pub prev_hash: String,
    /// What the last good event itself linked to.
    pub prev_link: String,
    pub row: AuditRow,
    pub next: Option<AuditRow>,
}

/// Finds where an event with a given hash is stored (for telling moves from edits).
pub trait Lookup {
    fn seq_of(&mut self, hash: &str) -> impl std::future::Future<Output = Option<i64>> + Send;
}

/// The streaming part of the verification.
pub struct Chain {
    key: VerifyingKey,
    checkpoints: Vec<Checkpoint>,
    next_checkpoint: usize,
    last_matching: i64,
    seq: i64,
    hash: String,
    link: String,
    events: u64,
    first_seq: Option<i64>,
    damage: Option<Damage>,
}

fn hash_as(row: &AuditRow, seq: i64) -> String {
    let mut moved = row.clone();
    moved.seq = seq;
    event_hash(&moved)
}

impl Chain {
    /// Starts at the genesis; checkpoints may come in any order and from several sources.
    pub fn new(key: VerifyingKey, mut checkpoints: Vec<Checkpoint>) -> Self {
        checkpoints.sort_by_key(|c| (c.seq, c.created_at));
        checkpoints.dedup();
        let mut chain = Self {
            key,
            checkpoints: Vec::with_capacity(checkpoints.len()),
            next_checkpoint: 0,
            last_matching: 0,
            seq: 0,
            hash: GENESIS_HASH.to_owned(),
            link: String::new(),
            events: 0,
            first_seq: None,
            damage: None,
        };
        for cp in checkpoints {
            if signature_is_valid(&chain.key, &cp) {
                chain.checkpoints.push(cp);
            } else {
                chain.record(Damage {
                    kind: DamageKind::BadSignature,
                    seq: cp.seq,
                    detail: format!(
                        "checkpoint at seq {} signed at {} does not verify",
                        cp.seq, cp.created_at
                    ),
                });
            }
        }
        chain
    }

    fn record(&mut self, damage: Damage) {
        if self.damage.as_ref().is_none_or(|d| damage.seq < d.seq) {
            self.damage = Some(damage);
        }
    }

    /// Whether damage before `seq` is already known (streaming may stop).
    pub fn damaged_before(&self, seq: i64) -> bool {
        self.damage.as_ref().is_some_and(|d| d.seq <= seq)
    }

    /// Checks one event, given the event after it. `Err` carries the first break.
    pub fn check(&mut self, row: &AuditRow, next: Option<&AuditRow>) -> Result<(), Box<Suspect>> {
        let expected = self.seq + 1;
        if row.seq != expected || row.prev_hash != self.hash || event_hash(row) != row.hash {
            return Err(Box::new(Suspect {
                expected,
                prev_hash: self.hash.clone(),
                prev_link: self.link.clone(),
                row: row.clone(),
                next: next.cloned(),
            }));
        }
        self.first_seq.get_or_insert(row.seq);
        self.seq = row.seq;
        self.hash.clone_from(&row.hash);
        self.link.clone_from(&row.prev_hash);
        self.events += 1;
        while let Some(cp) = self
            .checkpoints
            .get(self.next_checkpoint)
            .filter(|cp| cp.seq <= row.seq)
        {
            if cp.seq == row.seq && cp.head_hash != row.hash {
                let damage = Damage {
                    kind: DamageKind::Modified,
                    seq: self.last_matching + 1,
                    detail: format!(
                        "the chain was rewritten between seq {} and seq {}: it no longer matches the checkpoint signed at {}",
                        self.last_matching + 1,
                        cp.seq,
                        cp.created_at
                    ),
                };
                self.record(damage);
                return Ok(());
            }
            if cp.seq == row.seq {
                self.last_matching = cp.seq;
            }
            self.next_checkpoint += 1;
        }
        Ok(())
    }

    /// Records the classified break.
    pub fn broken(&mut self, damage: Damage) {
        self.record(damage);
    }

    /// Ends the verification: checkpoints beyond the last event mean the tail is gone.
    pub fn finish(mut self) -> Report {
        if let Some(cp) = self
            .checkpoints
            .iter()
            .filter(|cp| cp.seq > self.seq)
            .max_by_key(|cp| cp.seq)
        {
            let damage = Damage {
                kind: DamageKind::Truncated,
                seq: self.seq + 1,
                detail: format!(
                    "the chain ends at seq {} but a checkpoint signed at {} covers seq {}",
                    self.seq, cp.created_at, cp.seq
                ),
            };
            if !self.damaged_before(self.seq) {
                self.record(damage);
            }
        }
        Report {
            events: self.events,
            checkpoints: self.checkpoints.len() as u64,
            first_seq: self.first_seq,
            last_seq: (self.seq > 0).then_some(self.seq),
            damage: self.damage,
        }
    }
}

/// Says what kind of damage the first break is (see the module docs).
pub async fn classify(s: &Suspect, lookup: &mut impl Lookup) -> Damage {
    let k = s.expected;
    let at = |kind: DamageKind, seq: i64, detail: String| Damage { kind, seq, detail };
    let row = &s.row;
    if row.seq > k {
        return at(
            DamageKind::Deleted,
            k,
            format!("events {k} to {} are missing", row.seq - 1),
        );
    }
    if row.seq < k {
        return at(
            DamageKind::Reordered,
            row.seq,
            format!("event {} appears again after event {}", row.seq, k - 1),
        );
    }
    if let Some(next) = &s.next {
        if row.prev_hash == next.hash {
            return at(
                DamageKind::Reordered,
                k,
                format!("events {k} and {} traded places", next.seq),
            );
        }
        if next.prev_hash == s.prev_hash && hash_as(next, k) == next.hash {
            return at(
                DamageKind::Inserted,
                k,
                format!("event {k} was not in the chain: the original event {k} follows it"),
            );
        }
    }
    if row.prev_hash == s.prev_hash {
        return at(
            DamageKind::Modified,
            k,
            format!("the content of event {k} changed"),
        );
    }
    if !s.prev_link.is_empty() && row.prev_hash == s.prev_link && hash_as(row, k - 1) == row.hash {
        return at(
            DamageKind::Inserted,
            k - 1,
            format!(
                "event {} was not in the chain: the original event {} follows it",
                k - 1,
                k - 1
            ),
        );
    }
    if let Some(origin) = lookup
        .seq_of(&row.prev_hash)
        .await
        .filter(|seq| *seq != k - 1)
    {
        return at(
            DamageKind::Reordered,
            k,
            format!("event {k} belongs after event {origin}"),
        );
    }
    for d in 1..=MAX_SHIFT {
        if hash_as(row, k + d) == row.hash {
            return at(
                DamageKind::Deleted,
                k,
                format!("{d} event(s) at {k} were removed and the rest renumbered"),
            );
        }
    }
    at(
        DamageKind::Modified,
        k,
        format!("event {k} does not link to event {}", k - 1),
    )
}

/// A lookup that knows nothing (a file verified without a second pass).
pub struct NoLookup;

impl Lookup for NoLookup {
    async fn seq_of(&mut self, _hash: &str) -> Option<i64> {
        None
    }
}
