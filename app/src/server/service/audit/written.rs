//! The heads this process appended. The head signer signs the chain's head only when this
//! process wrote it: a row that someone appended to the database directly (with the
//! documented encoding and `audit_head` moved along) is never blessed by a signature, and
//! verification reports it as unsigned once it is older than the grace period.
//!
//! Only recent heads matter (the signer looks at the current one), so at most
//! [`REMEMBERED`] are kept. A head remembered before its transaction rolled back is never
//! the committed head (a later row at that seq hashes differently), so it is harmless.

use std::collections::BTreeMap;
use std::sync::{LazyLock, Mutex};

/// How many recent heads are kept.
const REMEMBERED: usize = 4096;

static WRITTEN: LazyLock<Mutex<BTreeMap<i64, Vec<String>>>> =
    LazyLock::new(|| Mutex::new(BTreeMap::new()));

/// Notes that this process built event `seq` with `hash` (called for every append).
pub fn remember(seq: i64, hash: &str) {
    if let Ok(mut written) = WRITTEN.lock() {
        written.entry(seq).or_default().push(hash.to_owned());
        while written.len() > REMEMBERED {
            written.pop_first();
        }
    }
}

/// Whether this process built event `seq` with `hash`.
pub fn by_us(seq: i64, hash: &str) -> bool {
    WRITTEN.lock().is_ok_and(|written| {
        written
            .get(&seq)
            .is_some_and(|h| h.iter().any(|x| x == hash))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_heads_built_here_are_ours() {
        remember(9_000_001, "aa");
        assert!(by_us(9_000_001, "aa"));
        assert!(!by_us(9_000_001, "bb"));
        assert!(!by_us(9_000_002, "aa"));
    }
}
