//! The head signer: every second, if the chain's head moved since the last checkpoint and
//! this process wrote that head, it is signed — so events wait about a second for their
//! signature instead of a whole interval. When nothing happened for an interval, the same
//! head is signed again (a heartbeat), so truncation and gaps stay provable. Every instance
//! signs what it wrote (no lease): a signature only ever vouches for rows its signer wrote.

use super::Job;
use crate::server::AppState;
use crate::server::repo::audit as repo;
use crate::server::service::audit::checkpoint::{self, Reason};
use crate::server::service::audit::written;
use std::time::Duration;

/// How often the head is looked at while events are being written.
pub const SIGNING_PERIOD: Duration = Duration::from_secs(1);

pub struct HeadSigner;

#[async_trait::async_trait]
impl Job for HeadSigner {
    fn name(&self) -> &'static str {
        "audit_head_signer"
    }

    fn interval(&self) -> Duration {
        SIGNING_PERIOD
    }

    fn exclusive(&self) -> bool {
        false
    }

    async fn run(&self, state: &AppState) -> anyhow::Result<()> {
        let (head_seq, head_hash, latest) = {
            let mut conn = state.db.conn().await?;
            let (seq, hash) = repo::current_head(&mut conn).await?;
            (seq, hash, repo::latest_checkpoint(&mut conn).await?)
        };
        let interval = i64::try_from(state.checkpoint_interval.as_millis()).unwrap_or(i64::MAX);
        let now = state.clock.now_ms();
        let (moved, quiet_for) = match &latest {
            Some(cp) => (cp.seq != head_seq, now - cp.created_at),
            None => (head_seq > 0, i64::MAX),
        };
        if moved && !written::by_us(head_seq, &head_hash) {
            // Not ours: another instance's (it signs its own) or written around the server.
            if quiet_for >= interval {
                tracing::warn!(
                    seq = head_seq,
                    "the audit head was not written by this process and is unsigned"
                );
            }
            return Ok(());
        }
        if moved || quiet_for >= interval {
            checkpoint::write(state, Reason::Periodic).await?;
        }
        Ok(())
    }
}
