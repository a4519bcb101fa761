//! How a verdict is judged: in time (the grace for events still waiting for their
//! signature) and against heads an operator vouches for.

/// A head the operator vouches for (`--trusted-head SEQ:HASH`): it must match like a
/// signed checkpoint, without a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedHead {
    pub seq: i64,
    pub hash: String,
}

impl TrustedHead {
    /// Parses `SEQ:HASH` (a positive number and 64 hex digits).
    pub fn parse(text: &str) -> Option<Self> {
        let (seq, hash) = text.trim().split_once(':')?;
        let seq: i64 = seq.trim().parse().ok().filter(|s| *s > 0)?;
        let hash = hash.trim().to_ascii_lowercase();
        (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
            .then_some(Self { seq, hash })
    }
}

/// How the verdict is judged in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judgement {
    /// Now (database) or the export time (file), unix ms.
    pub as_of: i64,
    /// How long events may wait for a signature (two checkpoint intervals), ms.
    pub grace_ms: i64,
}

/// Events dated this much after a file's export time are not taken for clock skew.
pub(super) const SKEW_MS: i64 = 60_000;
