//! Named failure points that tests arm to prove that a failure at that step leaves no
//! trace (for example after the quota debit). Unarmed in production: the check is one
//! atomic load.

use crate::error::AppError;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug, Default)]
pub struct Failpoints {
    any: Arc<AtomicBool>,
    armed: Arc<Mutex<HashSet<&'static str>>>,
}

impl Failpoints {
    pub fn arm(&self, name: &'static str) {
        if let Ok(mut armed) = self.armed.lock() {
            armed.insert(name);
            self.any.store(true, Ordering::SeqCst);
        }
    }

    pub fn disarm(&self, name: &'static str) {
        if let Ok(mut armed) = self.armed.lock() {
            armed.remove(name);
            self.any.store(!armed.is_empty(), Ordering::SeqCst);
        }
    }

    /// Fails with an internal error if `name` is armed.
    pub fn check(&self, name: &'static str) -> Result<(), AppError> {
        if !self.any.load(Ordering::Relaxed) {
            return Ok(());
        }
        let armed = self.armed.lock().map(|a| a.contains(name)).unwrap_or(false);
        if armed {
            tracing::error!(failpoint = name, "injected failure");
            return Err(AppError::Internal);
        }
        Ok(())
    }
}
