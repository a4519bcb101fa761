//! The hash chain's canonical encoding, version 1 — the one place it is written.
//!
//! The ASCII bytes `centinela-audit-v1`, then the 20 fields of [`HASHED_FIELDS`] in order,
//! each as a 4-byte big-endian length followed by that many bytes of UTF-8 (a NULL field is
//! the length `0xFFFFFFFF` and no bytes; integers are written in decimal ASCII):
//!
//! `seq, prev_hash, created_at, actor_id, actor_username, action, module, target_type,
//! target_id, outcome, severity, ip, user_agent, ua_browser, ua_os, ua_device, session_id,
//! before_json, after_json, details_json`
//!
//! `hash` is the SHA-256 of those bytes as 64 lowercase hex digits. The first event's
//! `prev_hash` is 64 zeros. `created_at` is unix milliseconds, UTC.
//!
//! The verifier reads the chain in chunks packed by the database from the same list
//! ([`HASHED_FIELDS`] is handed to `repo::audit::chunks`); [`parse_chunk`] turns a chunk
//! back into exactly these bytes, and a test checks both backends against
//! [`canonical_bytes`].

use crate::server::repo::audit::AuditRow;
use sha2::{Digest, Sha256};
use std::borrow::Cow;

pub const ENCODING_TAG: &[u8] = b"centinela-audit-v1";
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A stored value as the encoding writes it: integers in decimal ASCII, text as it is.
trait Encoded {
    const INTEGER: bool;
    fn encoded(&self) -> Option<Cow<'_, str>>;
}

impl Encoded for i64 {
    const INTEGER: bool = true;
    fn encoded(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(self.to_string()))
    }
}

impl Encoded for Option<i64> {
    const INTEGER: bool = true;
    fn encoded(&self) -> Option<Cow<'_, str>> {
        self.map(|v| Cow::Owned(v.to_string()))
    }
}

impl Encoded for String {
    const INTEGER: bool = false;
    fn encoded(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(self))
    }
}

impl Encoded for Option<String> {
    const INTEGER: bool = false;
    fn encoded(&self) -> Option<Cow<'_, str>> {
        self.as_deref().map(Cow::Borrowed)
    }
}

/// Declares the hashed fields once: their column names (with whether each is an integer,
/// for the database's packing) and their values in order.
macro_rules! hashed_fields {
    ($($field:ident: $ty:ty),+ $(,)?) => {
        /// The hashed columns in canonical order, each with "is an integer".
        pub const HASHED_FIELDS: &[(&str, bool)] =
            &[$((stringify!($field), <$ty as Encoded>::INTEGER)),+];

        fn values(row: &AuditRow) -> Vec<Option<Cow<'_, str>>> {
            vec![$(<$ty as Encoded>::encoded(&row.$field)),+]
        }
    };
}

hashed_fields! {
    seq: i64,
    prev_hash: String,
    created_at: i64,
    actor_id: Option<i64>,
    actor_username: Option<String>,
    action: String,
    module: String,
    target_type: Option<String>,
    target_id: Option<String>,
    outcome: String,
    severity: String,
    ip: Option<String>,
    user_agent: Option<String>,
    ua_browser: Option<String>,
    ua_os: Option<String>,
    ua_device: Option<String>,
    session_id: Option<String>,
    before_json: Option<String>,
    after_json: Option<String>,
    details_json: Option<String>,
}

fn push_field(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        Some(v) => {
            let len = u32::try_from(v.len()).unwrap_or(u32::MAX - 1);
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(&v.as_bytes()[..len as usize]);
        }
        None => out.extend_from_slice(&u32::MAX.to_be_bytes()),
    }
}

/// The bytes that are hashed (see the module docs).
pub fn canonical_bytes(row: &AuditRow) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(ENCODING_TAG);
    for value in values(row) {
        push_field(&mut out, value.as_deref());
    }
    out
}

/// The hash of a row as the chain requires it.
pub fn event_hash(row: &AuditRow) -> String {
    hex::encode(Sha256::digest(canonical_bytes(row)))
}

/// What verification needs of one stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canonical {
    pub seq: i64,
    pub created_at: i64,
    pub prev_hash: String,
    pub hash: String,
    pub canonical: Vec<u8>,
}

/// Splits a chunk packed by `repo::audit::chunks` (per event: the field lengths, the
/// non-NULL fields' bytes, then the stored hash as 64 ASCII hex digits) back into events
/// with their canonical bytes. `None` if the chunk does not parse (which only a broken
/// database could produce).
pub fn parse_chunk(chunk: &[u8]) -> Option<Vec<Canonical>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < chunk.len() {
        let lengths = chunk.get(at..at + 4 * HASHED_FIELDS.len())?;
        at += lengths.len();
        let mut canonical = Vec::with_capacity(512);
        canonical.extend_from_slice(ENCODING_TAG);
        let mut fields: Vec<&[u8]> = Vec::with_capacity(HASHED_FIELDS.len());
        for raw in lengths.chunks_exact(4) {
            let len = u32::from_be_bytes(raw.try_into().ok()?);
            canonical.extend_from_slice(raw);
            if len == u32::MAX {
                fields.push(&[]);
                continue;
            }
            let data = chunk.get(at..at + len as usize)?;
            at += data.len();
            canonical.extend_from_slice(data);
            fields.push(data);
        }
        let hash = chunk.get(at..at + 64)?;
        at += 64;
        out.push(Canonical {
            seq: std::str::from_utf8(fields[0]).ok()?.parse().ok()?,
            created_at: std::str::from_utf8(fields[2]).ok()?.parse().ok()?,
            prev_hash: String::from_utf8(fields[1].to_vec()).ok()?,
            hash: String::from_utf8(hash.to_vec()).ok()?,
            canonical,
        });
    }
    Some(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A sign-in event at the chain's start (its hash left empty).
    pub(crate) fn row() -> AuditRow {
        AuditRow {
            seq: 1,
            created_at: 1_700_000_000_000,
            actor_id: Some(3),
            actor_username: Some("ventas.ejecutivo".into()),
            action: "sign_in".into(),
            module: "auth".into(),
            target_type: None,
            target_id: None,
            outcome: "success".into(),
            severity: "info".into(),
            ip: Some("127.0.0.1".into()),
            user_agent: None,
            ua_browser: None,
            ua_os: None,
            ua_device: None,
            session_id: None,
            before_json: None,
            after_json: None,
            details_json: None,
            prev_hash: GENESIS_HASH.into(),
            hash: String::new(),
        }
    }

    #[test]
    fn every_field_changes_the_hash() {
        let base = event_hash(&row());
        let mut r = row();
        r.seq = 2;
        assert_ne!(event_hash(&r), base);
        let mut r = row();
        r.prev_hash = "1".repeat(64);
        assert_ne!(event_hash(&r), base);
        let mut r = row();
        r.ip = Some("127.0.0.2".into());
        assert_ne!(event_hash(&r), base);
        let mut r = row();
        r.user_agent = Some(String::new());
        assert_ne!(event_hash(&r), base, "empty and NULL must differ");
    }

    #[test]
    fn field_boundaries_cannot_be_shifted() {
        let mut a = row();
        a.actor_username = Some("ab".into());
        a.target_type = Some("c".into());
        let mut b = row();
        b.actor_username = Some("a".into());
        b.target_type = Some("bc".into());
        assert_ne!(event_hash(&a), event_hash(&b));
    }

    #[test]
    fn encoding_is_stable() {
        // Pinned so that a change to the encoding is a conscious, versioned decision.
        let bytes = canonical_bytes(&row());
        assert!(bytes.starts_with(ENCODING_TAG));
        assert_eq!(
            &bytes[ENCODING_TAG.len()..ENCODING_TAG.len() + 5],
            &[0, 0, 0, 1, b'1']
        );
        // Computed independently from the README's description of the encoding.
        assert_eq!(
            event_hash(&row()),
            "7f2e09703821008de65b36283b2de000c64c8a146256cb99125b4d5aefa4d611"
        );
    }

    #[test]
    fn the_encoding_has_twenty_fields_in_the_documented_order() {
        let names: Vec<&str> = HASHED_FIELDS.iter().map(|(name, _)| *name).collect();
        assert_eq!(names.len(), 20);
        assert_eq!(names[..3], ["seq", "prev_hash", "created_at"]);
        assert_eq!(names[19], "details_json");
    }
}
