//! Telling kinds of damage apart at the first break (see the parent module's docs).

use super::{Damage, DamageKind};
use crate::server::repo::audit::AuditRow;
use crate::server::service::audit::event_hash;

/// How far renumbering after a deletion is recognised.
const MAX_SHIFT: i64 = 64;

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

/// What classification may ask about the stored log.
pub trait Lookup {
    /// Where the event with this hash is stored.
    fn seq_of(&mut self, hash: &str) -> impl std::future::Future<Output = Option<i64>> + Send;
    /// The full event stored at `seq` (database), for rows that arrived as digests.
    fn row_at(&mut self, seq: i64) -> impl std::future::Future<Output = Option<AuditRow>> + Send;
}

/// A lookup that knows nothing (rows already complete, no index to ask).
pub struct NoLookup;

impl Lookup for NoLookup {
    async fn seq_of(&mut self, _hash: &str) -> Option<i64> {
        None
    }

    async fn row_at(&mut self, _seq: i64) -> Option<AuditRow> {
        None
    }
}

fn hash_as(row: &AuditRow, seq: i64) -> String {
    let mut moved = row.clone();
    moved.seq = seq;
    event_hash(&moved)
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
    if row.seq == k - 1 && row.hash == s.prev_hash {
        return at(
            DamageKind::Duplicate,
            row.seq,
            format!("event {} appears twice", row.seq),
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
