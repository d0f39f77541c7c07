//! An actor's long-term identity — an election authority's, a registrar's, a code issuer's or a
//! trustee's — kept in a file on its owner's machine (mode 0600). Its public key is what the
//! manifest names (record format version 2); the secret never leaves the file.

use crate::trustee::write_secret;
use anyhow::{bail, Context, Result};
use convene_crypto::encoding::{scalar_from_hex, to_hex};
use convene_record::actors::{Actor, ActorKey};
use serde::{Deserialize, Serialize};
use std::path::Path;
use zeroize::Zeroizing;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IdentityFile {
    version: u32,
    name: String,
    secret: String,
    public: String,
}

/// An actor's name and key pair.
pub struct Identity {
    pub name: String,
    pub key: ActorKey,
}

impl Identity {
    /// The actor as a manifest names it.
    pub fn actor(&self) -> Actor {
        Actor { name: self.name.clone(), key: self.key.public().to_hex() }
    }
}

/// Makes a new identity for `name` in `path` (which must not exist).
pub fn generate(name: &str, path: &Path) -> Result<Identity> {
    if name.trim().is_empty() || name.len() > 200 {
        bail!("--name needs 1 to 200 characters: the name the manifest will show");
    }
    let key = ActorKey::generate(&mut rand_core::OsRng);
    save(name, &key, path)?;
    Ok(Identity { name: name.to_string(), key })
}

/// Writes the identity `name` with `key` to `path` (readable by the owner only), as [`load`]
/// reads it.
pub fn save(name: &str, key: &ActorKey, path: &Path) -> Result<()> {
    let file = IdentityFile {
        version: 1,
        name: name.to_string(),
        secret: to_hex(&key.secret_bytes()),
        public: key.public().to_hex(),
    };
    write_secret(path, &Zeroizing::new(serde_json::to_vec_pretty(&file)?))
}

/// Reads an identity written by [`generate`].
pub fn load(path: &Path) -> Result<Identity> {
    let text = Zeroizing::new(std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?);
    let file: IdentityFile = serde_json::from_slice(&text)
        .with_context(|| format!("{} is not an identity file (convene keygen)", path.display()))?;
    let key = ActorKey::from_secret(scalar_from_hex(&file.secret)?)?;
    if key.public().to_hex() != file.public {
        bail!("{} is damaged: its public key does not match its secret", path.display());
    }
    Ok(Identity { name: file.name, key })
}
