//! Encryption at rest for the most sensitive contact fields (passport numbers), with
//! XChaCha20-Poly1305 under the data-encryption key, which lives outside the database.
//! Stored form: 24-byte random nonce followed by the ciphertext and tag.

use crate::error::AppError;
use chacha20poly1305::aead::{Aead, KeyInit, OsRng};
use chacha20poly1305::{AeadCore, Key, XChaCha20Poly1305, XNonce};

pub const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;

pub struct FieldCipher {
    cipher: XChaCha20Poly1305,
}

impl FieldCipher {
    pub fn new(key: &[u8; KEY_LEN]) -> Self {
        Self {
            cipher: XChaCha20Poly1305::new(Key::from_slice(key)),
        }
    }

    pub fn encrypt(&self, plaintext: &str) -> Result<Vec<u8>, AppError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let mut out = nonce.to_vec();
        let sealed = self
            .cipher
            .encrypt(&nonce, plaintext.as_bytes())
            .map_err(|_| AppError::Internal)?;
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Fails (and logs) when the value was not sealed under this key or was altered.
    pub fn decrypt(&self, sealed: &[u8]) -> Result<String, AppError> {
        if sealed.len() < NONCE_LEN {
            tracing::error!("encrypted field too short");
            return Err(AppError::Internal);
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), body)
            .map_err(|_| {
                tracing::error!("encrypted field does not open with the data key");
                AppError::Internal
            })?;
        String::from_utf8(plain).map_err(|_| AppError::Internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_detects_tampering() {
        let cipher = FieldCipher::new(&[7; KEY_LEN]);
        let mut sealed = cipher.encrypt("PE1234567").expect("seal");
        assert_ne!(&sealed[NONCE_LEN..], b"PE1234567");
        assert_eq!(cipher.decrypt(&sealed).expect("open"), "PE1234567");
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        assert!(cipher.decrypt(&sealed).is_err());
        assert!(
            FieldCipher::new(&[8; KEY_LEN])
                .decrypt(&cipher.encrypt("x").expect("seal"))
                .is_err()
        );
    }
}
