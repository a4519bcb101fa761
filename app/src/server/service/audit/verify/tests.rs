//! Unit tests of the verifier on in-memory chains (the tamper suite runs on real databases).

use super::{DamageKind, Item, Judgement, Lookup, Report, TrustedHead, Verifier};
use crate::server::repo::audit::AuditRow;
use crate::server::service::audit::canonical::tests::row as sample_row;
use crate::server::service::audit::checkpoint::{Reason, Signer};
use crate::server::service::audit::{GENESIS_HASH, event_hash};
use std::collections::HashMap;

struct MapLookup(HashMap<String, i64>);

impl Lookup for MapLookup {
    async fn seq_of(&mut self, hash: &str) -> Option<i64> {
        self.0.get(hash).copied()
    }

    async fn row_at(&mut self, _seq: i64) -> Option<AuditRow> {
        None
    }
}

fn chain(n: i64) -> Vec<AuditRow> {
    let mut prev = GENESIS_HASH.to_owned();
    (1..=n)
        .map(|seq| {
            let mut row = AuditRow {
                seq,
                created_at: T0 + seq,
                actor_id: Some(seq % 3),
                actor_username: Some(format!("user{seq}")),
                details_json: Some(format!("{{\"n\":{seq}}}")),
                prev_hash: prev.clone(),
                ..sample_row()
            };
            row.hash = event_hash(&row);
            prev.clone_from(&row.hash);
            row
        })
        .collect()
}

/// The sample chain's events are written at `T0 + seq` ms.
const T0: i64 = 1_700_000_000_000;
/// Two intervals of five minutes.
const GRACE: i64 = 600_000;

async fn verify(
    rows: &[AuditRow],
    signer: &Signer,
    checkpoints: Vec<crate::server::service::audit::checkpoint::Checkpoint>,
) -> Report {
    verify_as_of(rows, signer, checkpoints, Vec::new(), T0 + 1_000).await
}

async fn verify_as_of(
    rows: &[AuditRow],
    signer: &Signer,
    checkpoints: Vec<crate::server::service::audit::checkpoint::Checkpoint>,
    trusted: Vec<TrustedHead>,
    as_of: i64,
) -> Report {
    let mut lookup = MapLookup(rows.iter().map(|r| (r.hash.clone(), r.seq)).collect());
    let judgement = Judgement {
        as_of,
        grace_ms: GRACE,
    };
    let mut verifier = Verifier::new(signer.verifying_key(), checkpoints, trusted, judgement);
    for row in rows {
        verifier.push(Item::Row(Box::new(row.clone())));
        if verifier.done() {
            break;
        }
    }
    verifier.finish(&mut lookup).await
}

fn signer() -> Signer {
    Signer::new([3; 32], None)
}

fn kind_and_seq(report: &Report) -> Option<(DamageKind, i64)> {
    report.damage.as_ref().map(|d| (d.kind, d.seq))
}

#[tokio::test]
async fn an_intact_chain_verifies() {
    let rows = chain(50);
    let s = signer();
    let cp = s.sign(50, &rows[49].hash, 1, Reason::Periodic);
    let report = verify(&rows, &s, vec![cp]).await;
    assert_eq!(report.damage, None);
    assert_eq!(
        (report.events, report.checkpoints, report.last_seq),
        (50, 1, Some(50))
    );
}

#[tokio::test]
async fn each_kind_of_damage_is_named_at_its_position() {
    let s = signer();
    let base = chain(30);
    let cp = |rows: &[AuditRow]| vec![s.sign(30, &rows[29].hash, 1, Reason::Periodic)];

    let mut modified = base.clone();
    modified[11].ip = Some("10.6.6.6".into());
    assert_eq!(
        kind_and_seq(&verify(&modified, &s, cp(&base)).await),
        Some((DamageKind::Modified, 12))
    );

    let mut deleted = base.clone();
    deleted.remove(7);
    assert_eq!(
        kind_and_seq(&verify(&deleted, &s, cp(&base)).await),
        Some((DamageKind::Deleted, 8))
    );

    let mut renumbered = base.clone();
    renumbered.remove(7);
    for r in renumbered.iter_mut().skip(7) {
        r.seq -= 1;
    }
    assert_eq!(
        kind_and_seq(&verify(&renumbered, &s, cp(&base)).await),
        Some((DamageKind::Deleted, 8))
    );

    let mut inserted = base.clone();
    let mut forged = base[4].clone();
    forged.actor_username = Some("intruso".into());
    forged.hash = event_hash(&forged);
    inserted.insert(4, forged);
    for r in inserted.iter_mut().skip(5) {
        r.seq += 1;
    }
    assert_eq!(
        kind_and_seq(&verify(&inserted, &s, cp(&base)).await),
        Some((DamageKind::Inserted, 5))
    );
    // A clumsier forgery that does not even link.
    inserted[4].prev_hash = "11".repeat(32);
    inserted[4].hash = event_hash(&inserted[4]);
    assert_eq!(
        kind_and_seq(&verify(&inserted, &s, cp(&base)).await),
        Some((DamageKind::Inserted, 5))
    );

    for (i, j) in [(3, 17), (9, 10)] {
        let mut swapped = base.clone();
        let (a, b) = (swapped[i].clone(), swapped[j].clone());
        swapped[i] = AuditRow { seq: a.seq, ..b };
        swapped[j] = AuditRow {
            seq: swapped[j].seq,
            ..a
        };
        assert_eq!(
            kind_and_seq(&verify(&swapped, &s, cp(&base)).await),
            Some((DamageKind::Reordered, i as i64 + 1)),
            "swap {i} {j}"
        );
    }

    let truncated = base[..25].to_vec();
    assert_eq!(
        kind_and_seq(&verify(&truncated, &s, cp(&base)).await),
        Some((DamageKind::Truncated, 26))
    );

    let mut forged_cp = cp(&base);
    forged_cp[0].head_hash = "ff".repeat(32);
    assert_eq!(
        kind_and_seq(&verify(&base, &s, forged_cp).await),
        Some((DamageKind::BadSignature, 30))
    );
}

#[tokio::test]
async fn a_rewritten_and_rehashed_chain_is_caught_by_the_checkpoints() {
    let s = signer();
    let base = chain(40);
    let checkpoints = vec![
        s.sign(10, &base[9].hash, 1, Reason::Periodic),
        s.sign(20, &base[19].hash, 2, Reason::Periodic),
        s.sign(40, &base[39].hash, 3, Reason::Periodic),
    ];
    let mut rewritten = base.clone();
    rewritten[24].actor_username = Some("otra.persona".into());
    for i in 24..rewritten.len() {
        if i > 0 {
            rewritten[i].prev_hash = rewritten[i - 1].hash.clone();
        }
        rewritten[i].hash = event_hash(&rewritten[i]);
    }
    let report = verify(&rewritten, &s, checkpoints).await;
    let damage = report.damage.expect("caught");
    assert_eq!(damage.kind, DamageKind::Modified);
    assert_eq!(
        damage.seq, 21,
        "after the last checkpoint that still matches"
    );
    assert!(damage.detail.contains("40"));
}

#[tokio::test]
async fn events_that_no_checkpoint_covers_are_never_intact_once_old_and_never_without_any() {
    let s = signer();
    let rows = chain(30);
    // No checkpoint at all: never intact, however young.
    let report = verify(&rows, &s, Vec::new()).await;
    assert_eq!(kind_and_seq(&report), Some((DamageKind::Unsigned, 1)));
    assert_eq!(report.signed_through, None);

    // Signed up to 20, events 21..30 younger than the grace period: intact, and said so.
    let at_20 = vec![s.sign(20, &rows[19].hash, 1, Reason::Periodic)];
    let report = verify(&rows, &s, at_20.clone()).await;
    assert_eq!(report.damage, None);
    assert_eq!(
        (report.signed_through, report.unsigned_from),
        (Some(20), Some(21))
    );

    // The same tail judged later than the grace period: damage at its first event.
    let report = verify_as_of(&rows, &s, at_20, Vec::new(), T0 + 21 + GRACE + 1).await;
    assert_eq!(kind_and_seq(&report), Some((DamageKind::Unsigned, 21)));
}

#[tokio::test]
async fn an_event_dated_after_the_export_is_damage() {
    let s = signer();
    let rows = chain(10);
    let all = vec![s.sign(10, &rows[9].hash, 1, Reason::Periodic)];
    // The file claims it was exported before its own events were written.
    let report = verify_as_of(&rows, &s, all, Vec::new(), T0 - 120_000).await;
    assert_eq!(kind_and_seq(&report), Some((DamageKind::Modified, 1)));
}

#[tokio::test]
async fn a_trusted_head_proves_like_a_checkpoint_and_catches_rewrites_and_cuts() {
    let s = signer();
    let rows = chain(30);
    let head = |seq: usize, hash: &str| TrustedHead {
        seq: seq as i64,
        hash: hash.to_owned(),
    };
    let report = verify(&rows, &s, Vec::new()).await;
    assert_eq!(kind_and_seq(&report), Some((DamageKind::Unsigned, 1)));
    let trusted = vec![head(30, &rows[29].hash)];
    let report = verify_as_of(&rows, &s, Vec::new(), trusted.clone(), T0 + 100).await;
    assert_eq!(report.damage, None);
    assert_eq!(report.signed_through, Some(30));

    let mut rewritten = rows.clone();
    rewritten[4].ip = Some("10.9.9.9".into());
    for i in 4..rewritten.len() {
        if i > 0 {
            rewritten[i].prev_hash = rewritten[i - 1].hash.clone();
        }
        rewritten[i].hash = event_hash(&rewritten[i]);
    }
    let report = verify_as_of(&rewritten, &s, Vec::new(), trusted.clone(), T0 + 100).await;
    assert_eq!(kind_and_seq(&report), Some((DamageKind::Modified, 1)));

    let report = verify_as_of(&rows[..20], &s, Vec::new(), trusted, T0 + 100).await;
    assert_eq!(kind_and_seq(&report), Some((DamageKind::Truncated, 21)));

    assert_eq!(
        TrustedHead::parse(&format!("30:{}", rows[29].hash.to_uppercase())),
        Some(head(30, &rows[29].hash))
    );
    assert_eq!(TrustedHead::parse("30:abc"), None);
    assert_eq!(TrustedHead::parse("-1:".to_owned().as_str()), None);
}

#[tokio::test]
async fn an_event_repeated_in_a_row_is_a_duplicate() {
    let s = signer();
    let mut rows = chain(20);
    let all = vec![s.sign(20, &rows[19].hash, 1, Reason::Periodic)];
    let again = rows[9].clone();
    rows.insert(10, again);
    let report = verify(&rows, &s, all).await;
    assert_eq!(kind_and_seq(&report), Some((DamageKind::Duplicate, 10)));
}
