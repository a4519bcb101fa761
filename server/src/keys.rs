//! Secrets that live outside the database: the data-encryption key (contact fields), the
//! session secret (cookie signatures) and the audit signing key (checkpoints). Each comes
//! from an environment variable (hex) or from a file, which is generated on first start
//! with 0600 permissions.

use anyhow::{Context, bail};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;

pub struct Secrets {
    pub data_key: [u8; 32],
    pub session_key: [u8; 64],
    pub audit_seed: [u8; 32],
}

impl Secrets {
    /// `CENTINELA_DATA_KEY` / `CENTINELA_SESSION_SECRET` / `CENTINELA_AUDIT_SIGNING_KEY`,
    /// else `data.key` / `session.key` in `data_dir` and `audit_key_file`, created when
    /// missing.
    pub fn load_or_create(data_dir: &Path, audit_key_file: &Path) -> anyhow::Result<Self> {
        let data = secret("CENTINELA_DATA_KEY", &data_dir.join("data.key"), 32)?;
        let session = secret(
            "CENTINELA_SESSION_SECRET",
            &data_dir.join("session.key"),
            64,
        )?;
        let audit = secret("CENTINELA_AUDIT_SIGNING_KEY", audit_key_file, 32)?;
        Ok(Self {
            audit_seed: audit
                .try_into()
                .map_err(|_| anyhow::anyhow!("audit signing key length"))?,
            data_key: data
                .try_into()
                .map_err(|_| anyhow::anyhow!("data key length"))?,
            session_key: session
                .try_into()
                .map_err(|_| anyhow::anyhow!("session secret length"))?,
        })
    }
}

/// Reads `len` bytes of hex from `env`, or from `path`, or generates them into `path`.
pub fn secret(env: &str, path: &Path, len: usize) -> anyhow::Result<Vec<u8>> {
    if let Ok(value) = std::env::var(env) {
        return decode(value.trim(), len)
            .with_context(|| format!("{env} must be {len} bytes of hex"));
    }
    if path.exists() {
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            tracing::warn!(path = %path.display(), "secret file is readable by others; chmod 600 it");
        }
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        return decode(text.trim(), len)
            .with_context(|| format!("{} is not {len} bytes of hex", path.display()));
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let bytes: Vec<u8> = (0..len).map(|_| rand::random::<u8>()).collect();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    writeln!(file, "{}", hex::encode(&bytes))?;
    tracing::info!(path = %path.display(), "generated a new secret");
    Ok(bytes)
}

fn decode(hex_text: &str, len: usize) -> anyhow::Result<Vec<u8>> {
    let bytes = hex::decode(hex_text)?;
    if bytes.len() != len {
        bail!("expected {len} bytes, found {}", bytes.len());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_once_with_private_permissions_then_reuses() {
        let dir = std::env::temp_dir().join(format!("centinela-keys-{}", rand::random::<u64>()));
        let path = dir.join("k.key");
        let first = secret("CENTINELA_TEST_UNSET_KEY", &path, 32).expect("created");
        let mode = std::fs::metadata(&path)
            .expect("exists")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let second = secret("CENTINELA_TEST_UNSET_KEY", &path, 32).expect("read");
        assert_eq!(first, second);
        std::fs::remove_dir_all(dir).ok();
    }
}
