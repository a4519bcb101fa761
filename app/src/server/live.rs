//! Live updates (`GET /api/live`): what changed about alerts, for the dashboard, the alerts
//! list and the bell. The change sequence is the newest audit event of the alerts module
//! (an index seek on `(module, seq)`): every raise, repeat, transition, assignment, comment
//! and answer is such an event, in the transaction that made the change. Each instance
//! polls it twice a second and hands it to its open streams, so on PostgreSQL a change
//! made through one instance reaches the streams of every other within about that long
//! (polling a change sequence, not LISTEN/NOTIFY: it needs nothing of the database but the
//! query, and a missed notification cannot exist). Streams are capped per user and in
//! all, so a misbehaving client cannot exhaust the server.

use super::AppState;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// How often each instance looks at the change sequence.
pub const POLL: Duration = Duration::from_millis(500);
/// How often a stream says it is alive when nothing changes: proxies keep it open, and a
/// client that vanished without closing its connection is noticed at the latest then (a
/// closed tab closes its connection and frees its place at once).
pub const HEARTBEAT: Duration = Duration::from_secs(5);
/// How often a stream checks that its session is still valid.
pub const SESSION_CHECK: Duration = Duration::from_secs(2);

/// The open streams and the latest change sequence.
pub struct LiveHub {
    sequence: watch::Sender<i64>,
    /// Set when the server stops: every stream ends (so shutdown does not wait on them).
    closed: watch::Sender<bool>,
    streams: Mutex<HashMap<i64, usize>>,
    pub max_per_user: usize,
    pub max_total: usize,
}

impl std::fmt::Debug for LiveHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveHub")
            .field("sequence", &*self.sequence.borrow())
            .finish_non_exhaustive()
    }
}

/// A stream's place under the caps; it is given back when the stream ends.
pub struct Ticket {
    hub: Arc<LiveHub>,
    user: i64,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if let Ok(mut streams) = self.hub.streams.lock()
            && let Some(n) = streams.get_mut(&self.user)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                streams.remove(&self.user);
            }
        }
    }
}

impl LiveHub {
    pub fn new(max_per_user: usize, max_total: usize) -> Arc<Self> {
        Arc::new(Self {
            sequence: watch::channel(0).0,
            closed: watch::channel(false).0,
            streams: Mutex::new(HashMap::new()),
            max_per_user,
            max_total,
        })
    }

    /// A place for one more stream of `user`, unless a cap is reached.
    pub fn admit(self: &Arc<Self>, user: i64) -> Option<Ticket> {
        let mut streams = self.streams.lock().ok()?;
        let total: usize = streams.values().sum();
        let mine = streams.get(&user).copied().unwrap_or(0);
        if total >= self.max_total || mine >= self.max_per_user {
            return None;
        }
        streams.insert(user, mine + 1);
        Some(Ticket {
            hub: Arc::clone(self),
            user,
        })
    }

    /// The change sequence, to wait on.
    pub fn subscribe(&self) -> watch::Receiver<i64> {
        self.sequence.subscribe()
    }

    /// Becomes `true` when the server stops.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closed.subscribe()
    }

    pub fn close(&self) {
        self.closed.send_replace(true);
    }

    pub fn current(&self) -> i64 {
        *self.sequence.borrow()
    }

    fn publish(&self, seq: i64) {
        self.sequence.send_if_modified(|current| {
            let changed = *current != seq;
            *current = seq;
            changed
        });
    }

    /// How many streams are open.
    pub fn open(&self) -> usize {
        self.streams.lock().map(|s| s.values().sum()).unwrap_or(0)
    }
}

/// Reads the change sequence now and hands it to the streams.
pub async fn poll_once(state: &AppState) -> Result<(), crate::error::AppError> {
    let mut conn = state.db.conn().await?;
    let seq = crate::server::repo::audit::latest_in_module(&mut conn, "alerts").await?;
    state.live.publish(seq.unwrap_or(0));
    Ok(())
}

/// Polls until `stop`, on every instance (no lease: each has its own streams).
pub async fn run(state: AppState, stop: tokio_util::sync::CancellationToken) {
    let mut tick = tokio::time::interval(POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = stop.cancelled() => {
                state.live.close();
                return;
            }
            _ = tick.tick() => {
                if let Err(error) = poll_once(&state).await {
                    tracing::warn!(%error, "live: change sequence not read");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_capped_per_user_and_in_all_and_given_back() {
        let hub = LiveHub::new(2, 3);
        let a1 = hub.admit(1).expect("first");
        let _a2 = hub.admit(1).expect("second");
        assert!(hub.admit(1).is_none(), "per user");
        let _b1 = hub.admit(2).expect("another user");
        assert!(hub.admit(3).is_none(), "in all");
        drop(a1);
        assert_eq!(hub.open(), 2);
        assert!(hub.admit(3).is_some(), "a place was given back");
    }
}
