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
//! - `R` repeats the last good event → **duplicate**.
//!
//! After the events: a checkpoint whose signature fails → **bad signature**; a checkpoint
//! beyond the last event → **truncated**; a checkpoint whose hash no longer matches (the
//! chain was rewritten and re-hashed) → **modified**, located after the last checkpoint
//! that still matched. Trusted heads (`SEQ:HASH` given by the operator) count like valid
//! checkpoints.
//!
//! Coverage is part of the verdict: a checkpoint at `seq` signs the hash that every earlier
//! event is chained into, so events up to the newest matching checkpoint are proved. Events
//! after it are **unsigned** damage when the log has events and no matching checkpoint at
//! all, or when the oldest of them was written more than the grace period (two checkpoint
//! intervals) before the time the verdict is judged at (`as_of`: now for the database, the
//! export time for a file). An event dated after `as_of` (a file whose export time was
//! moved back to make an edit look recent) is **modified** damage.

use crate::server::repo::audit::AuditRow;
use crate::server::service::audit::GENESIS_HASH;
use crate::server::service::audit::checkpoint::{Checkpoint, signature_is_valid};
use ed25519_dalek::VerifyingKey;

mod classify;
mod item;
mod judgement;
mod run;
#[cfg(test)]
mod tests;

pub use classify::{Lookup, NoLookup, Suspect, classify};
pub use item::Item;
use judgement::SKEW_MS;
pub use judgement::{Judgement, TrustedHead};
pub use run::{Locations, Witness, verify_database, verify_file};

pub use crate::types::audit::{Damage, DamageKind, VerifyReport as Report};

/// Where the chain broke, before the full rows are looked at.
#[derive(Debug, Clone)]
pub(super) struct Break {
    expected: i64,
    prev_hash: String,
    prev_link: String,
}

/// The streaming part: hashes, steps and links, and checkpoints as their events pass.
pub struct Chain {
    checkpoints: Vec<Checkpoint>,
    next_checkpoint: usize,
    trusted: Vec<TrustedHead>,
    last_matching: i64,
    /// The first event after the newest matching checkpoint: (seq, created_at).
    first_unsigned: Option<(i64, i64)>,
    /// The first event dated after `as_of`: (seq, created_at).
    from_the_future: Option<(i64, i64)>,
    judgement: Judgement,
    seq: i64,
    hash: String,
    link: String,
    events: u64,
    first_seq: Option<i64>,
    damage: Option<Damage>,
}

impl Chain {
    /// Starts at the genesis; checkpoints may come in any order and from several sources.
    /// Those that `key` did not sign are damage right away.
    pub fn new(
        key: VerifyingKey,
        mut checkpoints: Vec<Checkpoint>,
        mut trusted: Vec<TrustedHead>,
        judgement: Judgement,
    ) -> Self {
        checkpoints.sort_by_key(|c| (c.seq, c.created_at));
        checkpoints.dedup();
        trusted.sort_by_key(|t| t.seq);
        let mut chain = Self {
            checkpoints: Vec::with_capacity(checkpoints.len()),
            next_checkpoint: 0,
            trusted,
            last_matching: 0,
            first_unsigned: None,
            from_the_future: None,
            judgement,
            seq: 0,
            hash: GENESIS_HASH.to_owned(),
            link: String::new(),
            events: 0,
            first_seq: None,
            damage: None,
        };
        for cp in checkpoints {
            if signature_is_valid(&key, &cp) {
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

    /// Whether damage at or before `seq` is already known.
    pub fn damaged_before(&self, seq: i64) -> bool {
        self.damage.as_ref().is_some_and(|d| d.seq <= seq)
    }

    fn check(&mut self, item: &Item) -> Result<(), Break> {
        let expected = self.seq + 1;
        if item.seq() != expected || item.prev_hash() != self.hash || !item.hash_is_right() {
            return Err(Break {
                expected,
                prev_hash: self.hash.clone(),
                prev_link: self.link.clone(),
            });
        }
        self.first_seq.get_or_insert(expected);
        self.seq = expected;
        self.link.clone_from(&self.hash);
        self.hash = item.hash().to_owned();
        self.events += 1;
        let created_at = item.created_at();
        self.first_unsigned.get_or_insert((expected, created_at));
        if created_at > self.judgement.as_of + SKEW_MS && self.from_the_future.is_none() {
            self.from_the_future = Some((expected, created_at));
        }
        if let Some(trusted) = self.trusted.iter().find(|t| t.seq == expected) {
            if trusted.hash == self.hash {
                self.covered_through(expected);
            } else {
                let damage = Damage {
                    kind: DamageKind::Modified,
                    seq: self.last_matching + 1,
                    detail: format!(
                        "the chain no longer matches the trusted head at seq {expected}: it was \
                         rewritten between seq {} and seq {expected}",
                        self.last_matching + 1
                    ),
                };
                self.record(damage);
                return Ok(());
            }
        }
        while let Some(cp) = self
            .checkpoints
            .get(self.next_checkpoint)
            .filter(|cp| cp.seq <= expected)
        {
            if cp.seq == expected && cp.head_hash != self.hash {
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
            if cp.seq == expected {
                self.covered_through(expected);
            }
            self.next_checkpoint += 1;
        }
        Ok(())
    }

    /// Every event up to `seq` is proved by a matching checkpoint or trusted head.
    fn covered_through(&mut self, seq: i64) {
        self.last_matching = seq;
        self.first_unsigned = None;
    }

    /// Records damage found outside the stream (a missing file, an unreadable line).
    pub fn broken(&mut self, damage: Damage) {
        self.record(damage);
    }

    /// Ends the verification: checkpoints beyond the last event mean the tail is gone, and
    /// events no signature covers are judged by their age.
    fn finish(mut self) -> Report {
        if let Some(cp) = self
            .checkpoints
            .iter()
            .filter(|cp| cp.seq > self.seq)
            .max_by_key(|cp| cp.seq)
            && !self.damaged_before(self.seq)
        {
            let damage = Damage {
                kind: DamageKind::Truncated,
                seq: self.seq + 1,
                detail: format!(
                    "the chain ends at seq {} but a checkpoint signed at {} covers seq {}",
                    self.seq, cp.created_at, cp.seq
                ),
            };
            self.record(damage);
        }
        if let Some(trusted) = self.trusted.iter().rfind(|t| t.seq > self.seq)
            && !self.damaged_before(self.seq)
        {
            let damage = Damage {
                kind: DamageKind::Truncated,
                seq: self.seq + 1,
                detail: format!(
                    "the chain ends at seq {} but the trusted head is at seq {}",
                    self.seq, trusted.seq
                ),
            };
            self.record(damage);
        }
        // Time is judged only on an otherwise sound chain: the first break says more.
        let sound = self.damage.is_none();
        if let Some((seq, at)) = self.from_the_future.filter(|_| sound) {
            self.record(Damage {
                kind: DamageKind::Modified,
                seq,
                detail: format!(
                    "event {seq} is dated {at}, after the time the log was exported ({})",
                    self.judgement.as_of
                ),
            });
        }
        if let Some((seq, at)) = self.first_unsigned.filter(|_| sound) {
            let Judgement { as_of, grace_ms } = self.judgement;
            if self.last_matching == 0 {
                self.record(Damage {
                    kind: DamageKind::Unsigned,
                    seq,
                    detail: format!(
                        "no signed checkpoint covers any of the {} events: nothing proves they \
                         were not rewritten",
                        self.events
                    ),
                });
            } else if as_of - at > grace_ms {
                self.record(Damage {
                    kind: DamageKind::Unsigned,
                    seq,
                    detail: format!(
                        "events {seq} to {} are covered by no signed checkpoint, and event {seq} \
                         was written {} s before {as_of}: more than the {} s they may wait",
                        self.seq,
                        (as_of - at) / 1000,
                        grace_ms / 1000
                    ),
                });
            }
        }
        Report {
            events: self.events,
            checkpoints: self.checkpoints.len() as u64,
            first_seq: self.first_seq,
            last_seq: (self.seq > 0).then_some(self.seq),
            damage: self.damage,
            signed_through: (self.last_matching > 0).then_some(self.last_matching),
            unsigned_from: self.first_unsigned.map(|(seq, _)| seq),
            unsigned_since: self.first_unsigned.map(|(_, at)| at),
            as_of: self.judgement.as_of,
            witness_omitted: Vec::new(),
            witness_checkpoints: self.trusted.len() as u64,
        }
    }
}

/// Feeds events in order; after the first break it keeps one more event (to tell an
/// intruder from a swap) and then stops.
pub struct Verifier {
    chain: Chain,
    broken: Option<(Break, Item)>,
    after: Option<Item>,
    seen: u64,
}

impl Verifier {
    pub fn new(
        key: VerifyingKey,
        checkpoints: Vec<Checkpoint>,
        trusted: Vec<TrustedHead>,
        judgement: Judgement,
    ) -> Self {
        Self {
            chain: Chain::new(key, checkpoints, trusted, judgement),
            broken: None,
            after: None,
            seen: 0,
        }
    }

    pub fn push(&mut self, item: Item) {
        if self.broken.is_some() {
            if self.after.is_none() {
                self.after = Some(item);
            }
            return;
        }
        self.seen += 1;
        if let Err(b) = self.chain.check(&item) {
            self.broken = Some((b, item));
        }
    }

    /// Whether more events can change the verdict.
    pub fn done(&self) -> bool {
        self.after.is_some() || (self.broken.is_none() && self.chain.damaged_before(self.chain.seq))
    }

    pub fn seen(&self) -> u64 {
        self.seen
    }

    pub fn record(&mut self, damage: Damage) {
        self.chain.broken(damage);
    }

    /// Classifies the break, if any, and reports.
    pub async fn finish(mut self, lookup: &mut impl Lookup) -> Report {
        if let Some((b, item)) = self.broken.take() {
            let row = full(item, lookup).await;
            let next = match self.after.take() {
                Some(after) => full(after, lookup).await,
                None => None,
            };
            if let Some(row) = row {
                let suspect = Suspect {
                    expected: b.expected,
                    prev_hash: b.prev_hash,
                    prev_link: b.prev_link,
                    row,
                    next,
                };
                let damage = classify(&suspect, lookup).await;
                self.chain.broken(damage);
            } else {
                self.chain.broken(Damage {
                    kind: DamageKind::Modified,
                    seq: b.expected,
                    detail: format!("event {} does not fit the chain", b.expected),
                });
            }
        }
        self.chain.finish()
    }
}

async fn full(item: Item, lookup: &mut impl Lookup) -> Option<AuditRow> {
    match item {
        Item::Row(row) => Some(*row),
        Item::Stored(c) => lookup.row_at(c.seq).await,
    }
}
