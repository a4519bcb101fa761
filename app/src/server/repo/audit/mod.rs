//! The audit log's tables, one file per table family: events, the chain head, signed
//! checkpoints, archived segments, security signals, the explorer's searches and the
//! verifier's chunked reads.

pub mod archives;
pub mod checkpoints;
pub mod chunks;
pub mod events;
pub mod head;
pub mod search;
pub mod signals;

pub use archives::{ArchiveRow, archives, insert_archive};
pub use checkpoints::{Checkpoint, all_checkpoints, insert_checkpoint, latest_checkpoint};
pub use events::*;
pub use head::{current_head, lock_head, set_head_statement};
pub use signals::insert_signal;
