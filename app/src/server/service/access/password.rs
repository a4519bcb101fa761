//! Password hashing with argon2id (m = 19456 KiB, t = 2, p = 1), run off the async runtime
//! with a cap on how many hashes run at once, so a burst of sign-ins cannot starve the
//! server. Verifying an unknown user costs the same as a wrong password (dummy hash).

use crate::error::AppError;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// How long a sign-in may wait for a hashing slot before it is told to retry.
const QUEUE_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Passwords {
    slots: Arc<Semaphore>,
    dummy_hash: String,
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes synchronously (for start-up and the CLI).
pub fn hash_blocking(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|error| {
            tracing::error!(%error, "password hashing failed");
            AppError::Internal
        })
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

impl Passwords {
    /// `max_concurrent` hashes may run at once (one per core is right).
    pub fn new(max_concurrent: usize) -> Result<Self, AppError> {
        let dummy = format!("{:032x}", rand::random::<u128>());
        Ok(Self {
            slots: Arc::new(Semaphore::new(max_concurrent.max(1))),
            dummy_hash: hash_blocking(&dummy)?,
        })
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = tokio::time::timeout(QUEUE_TIMEOUT, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| AppError::TooManyRequests)?
            .map_err(|_| AppError::Internal)?;
        let result = tokio::task::spawn_blocking(move || {
            let out = work();
            drop(permit);
            out
        })
        .await;
        result.map_err(|error| {
            tracing::error!(%error, "hashing task failed");
            AppError::Internal
        })
    }

    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.run(move || hash_blocking(&password)).await?
    }

    /// Checks `password` against `hash`; with no hash (unknown user) it checks against a
    /// dummy so that the answer takes as long, and returns false.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, AppError> {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| self.dummy_hash.clone());
        let ok = self.run(move || verify_blocking(&password, &hash)).await?;
        Ok(ok && known)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn verifies_the_right_password_only() {
        let passwords = Passwords::new(2).expect("dummy hash");
        let hash = passwords.hash("correct horse".into()).await.expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            passwords
                .verify("correct horse".into(), Some(hash.clone()))
                .await
                .expect("ok")
        );
        assert!(
            !passwords
                .verify("wrong".into(), Some(hash))
                .await
                .expect("ok")
        );
        assert!(!passwords.verify("anything".into(), None).await.expect("ok"));
    }
}
