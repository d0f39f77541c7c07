//! The host's secrets at rest: an election's (or convention's) log key and session key are kept
//! in the database sealed under the server's key, which lives in a file of its own
//! (`DATA/server-key`, mode 0600), so that a backup of the database holds no secret in the
//! clear (`docs/operations.md`). XChaCha20-Poly1305 (RustCrypto's `chacha20poly1305`):
//!
//! `sealed = "convene-sealed v1\n" ‖ nonce (24 random bytes) ‖ AEAD(key, nonce, plaintext,
//! associated data = frame(id) ‖ frame(name))`, with `frame(s)` = `u32` big-endian length ‖ `s`,
//! so that a sealed row moved to another election or name does not open. A stored value without
//! the prefix was written in the clear by an earlier version and is read as it is.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand_core::{OsRng, RngCore};

const MAGIC: &[u8] = b"convene-sealed v1\n";

/// The server's sealing key. Never printed; zeroized on drop.
#[derive(zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
pub struct SealingKey([u8; 32]);

impl std::fmt::Debug for SealingKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SealingKey([redacted])")
    }
}

fn associated(id: &str, name: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + id.len() + name.len());
    for part in [id, name] {
        out.extend_from_slice(&(part.len() as u32).to_be_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    out
}

impl SealingKey {
    /// The key of these 32 bytes.
    pub fn new(bytes: [u8; 32]) -> SealingKey {
        SealingKey(bytes)
    }

    /// A fresh random key.
    pub fn random() -> SealingKey {
        let mut bytes = [0u8; 32];
        OsRng.fill_bytes(&mut bytes);
        SealingKey(bytes)
    }

    /// `plaintext`, sealed as document `name` of `id`.
    pub fn seal(&self, id: &str, name: &str, plaintext: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; 24];
        OsRng.fill_bytes(&mut nonce);
        let aad = associated(id, name);
        let sealed = XChaCha20Poly1305::new(&self.0.into())
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: &aad })
            .expect("encrypting a short secret cannot fail");
        [MAGIC, &nonce, &sealed].concat()
    }

    /// The plaintext of document `name` of `id` as stored: opened if sealed (refused if it is not
    /// this key's, or was moved), as it is if an earlier version stored it in the clear.
    pub fn open(&self, id: &str, name: &str, stored: &[u8]) -> Result<Vec<u8>, String> {
        let Some(rest) = stored.strip_prefix(MAGIC) else { return Ok(stored.to_vec()) };
        if rest.len() < 24 + 16 {
            return Err(format!("the sealed {name} of {id} is truncated"));
        }
        let (nonce, sealed) = rest.split_at(24);
        XChaCha20Poly1305::new(&self.0.into())
            .decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad: &associated(id, name) })
            .map_err(|_| format!("the {name} of {id} is not sealed under this server's key (DATA/server-key)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_in_its_place() {
        let key = SealingKey::random();
        let sealed = key.seal("e1", "secret/log-key", &[7u8; 32]);
        assert!(sealed.starts_with(MAGIC) && !sealed.windows(32).any(|w| w == [7u8; 32]));
        assert_eq!(key.open("e1", "secret/log-key", &sealed).unwrap(), [7u8; 32]);
        assert!(key.open("e2", "secret/log-key", &sealed).is_err(), "moved to another election");
        assert!(key.open("e1", "secret/session-key", &sealed).is_err(), "moved to another name");
        assert!(SealingKey::random().open("e1", "secret/log-key", &sealed).is_err(), "another key");
        assert!(key.open("e1", "secret/log-key", &sealed[..30]).is_err());
        assert_eq!(
            key.open("e1", "secret/log-key", &[9u8; 32]).unwrap(),
            [9u8; 32],
            "an earlier version's clear value"
        );
    }
}
