//! The log's checkpoints in each record version: how the host signs them and how anyone checks
//! them. Versions 1 to 3 sign `(size, root)` with a ristretto255 Schnorr log key (protocol note
//! §7); version 4 signs a C2SP checkpoint note with an Ed25519 log key and counts the manifest's
//! witnesses' cosignatures against its quorum (§13). The server, the offline writer, the
//! verifier and the voter's receipt check all come here.

use crate::failure::Code;
use crate::format::{hash, point_non_identity, CheckpointJson, Manifest, RecordError};
use crate::log::{checkpoint_message, Hash, MerkleTree};
use convene_crypto::batch::BatchVerifier;
use convene_crypto::encoding::{to_hex, Point};
use convene_crypto::proofs::schnorr::{self, push_signature, TAG_CHECKPOINT};
use convene_crypto::{RistrettoPoint, Scalar};
use convene_note::{Checkpoint, Note, NoteError, NoteSigner, Verifier, TYPE_ED25519};
use rand_core::CryptoRngCore;

pub use crate::format::{default_origin, Witnessed, MAX_WITNESSES, WITNESSED_VERSION};

impl Witnessed {
    /// A version-4 manifest's log key, witnesses and quorum (`None` before version 4).
    pub fn of_manifest(manifest: &Manifest) -> Option<Witnessed> {
        (manifest.version >= WITNESSED_VERSION)
            .then(|| {
                Witnessed::of(&manifest.election_id, &manifest.log_key, &manifest.witnesses, manifest.witness_quorum)
            })
            .and_then(Result::ok)
    }

    /// Checks a checkpoint note (§13.2, steps 1 to 4); returns its checkpoint and the witnesses
    /// whose cosignatures hold.
    pub fn check_note(&self, note_text: &str) -> Result<(Checkpoint, Vec<usize>), (Code, String)> {
        let signature = |m: String| (Code::CheckpointSignature, m);
        let note = Note::parse(note_text.as_bytes()).map_err(|e| signature(e.to_string()))?;
        let checkpoint = Checkpoint::parse(&note.text).map_err(|e| signature(e.to_string()))?;
        if checkpoint.origin != self.log.name {
            return Err(signature(format!("the origin is {:?}, not the log's {:?}", checkpoint.origin, self.log.name)));
        }
        note.verify(std::slice::from_ref(&self.log))
            .map_err(|_| signature("the log key's signature is missing or does not verify".into()))?;
        let mut cosigned = Vec::new();
        for (k, witness) in self.witnesses.iter().enumerate() {
            match note.verify(std::slice::from_ref(witness)) {
                Ok(_) => cosigned.push(k),
                Err(NoteError::Unverified) => {}
                Err(e) => return Err((Code::CheckpointCosignature, format!("witness {}: {e}", witness.name))),
            }
        }
        if cosigned.len() < self.quorum {
            return Err((
                Code::CheckpointQuorum,
                format!(
                    "{} of the {} witnesses cosigned; the quorum is {}",
                    cosigned.len(),
                    self.witnesses.len(),
                    self.quorum
                ),
            ));
        }
        Ok((checkpoint, cosigned))
    }
}

/// How a record's checkpoints are checked.
#[derive(Clone)]
pub enum LogVerifier {
    /// Versions 1 to 3: a Schnorr signature under the manifest's (or charter's) hash.
    Schnorr {
        /// The manifest's (or charter's) hash, bound into the signature.
        manifest_hash: Hash,
        /// The ristretto255 log key.
        key: Point,
    },
    /// Version 4: a signed note and its witnesses.
    Note(Witnessed),
}

impl LogVerifier {
    /// The log verifier a (parsed) manifest names.
    pub fn of(manifest: &Manifest, manifest_hash: &Hash) -> Result<LogVerifier, RecordError> {
        if manifest.version >= WITNESSED_VERSION {
            Witnessed::of(&manifest.election_id, &manifest.log_key, &manifest.witnesses, manifest.witness_quorum)
                .map(LogVerifier::Note)
                .map_err(RecordError::Invalid)
        } else {
            Ok(LogVerifier::Schnorr {
                manifest_hash: *manifest_hash,
                key: point_non_identity("log_key", &manifest.log_key)?,
            })
        }
    }

    /// Checks one checkpoint; returns its root or the failure (code and words).
    pub fn check(&self, c: &CheckpointJson) -> Result<Hash, (Code, String)> {
        let root = hash("root", &c.root).map_err(|e| (Code::CheckpointInvalid, e.to_string()))?;
        match self {
            LogVerifier::Schnorr { manifest_hash, key } => {
                let bad = || (Code::CheckpointSignature, "the log key's signature does not verify".to_string());
                if c.note.is_some() {
                    return Err((Code::CheckpointSignature, "a checkpoint before version 4 has no note".into()));
                }
                let sig = c.signature.as_ref().ok_or_else(bad)?.decode().map_err(|_| bad())?;
                let mut batch = BatchVerifier::new(*key.point());
                let message = checkpoint_message(c.size, &root);
                let signed = push_signature(&mut batch, TAG_CHECKPOINT, manifest_hash, key, &message, &sig).is_ok()
                    && batch.verify_vartime();
                signed.then_some(root).ok_or_else(bad)
            }
            LogVerifier::Note(witnessed) => {
                if c.signature.is_some() {
                    return Err((Code::CheckpointSignature, "a version-4 checkpoint is signed in its note".into()));
                }
                let text = c.note.as_deref().ok_or((Code::CheckpointSignature, "the checkpoint has no note".into()))?;
                let (checkpoint, _) = witnessed.check_note(text)?;
                if checkpoint.size != c.size || checkpoint.root != root {
                    return Err((Code::CheckpointSignature, "the note's size or root is not the checkpoint's".into()));
                }
                Ok(root)
            }
        }
    }
}

/// The host's log key.
pub enum LogSigner {
    /// Versions 1 to 3: a Schnorr signature of `(size, root)` (protocol note §7).
    Schnorr {
        /// The manifest's (or charter's) hash, bound into the signature.
        manifest_hash: Hash,
        /// The log's secret key.
        secret: Scalar,
        /// Its public key.
        public: Point,
    },
    /// Version 4: a C2SP checkpoint note signed with Ed25519 (§13.2).
    Note(NoteSigner),
}

impl LogSigner {
    /// From the 32 secret bytes the host keeps: a scalar (versions 1 to 3) or an Ed25519 seed
    /// (version 4), checked against the manifest's `log_key`.
    pub fn new(manifest: &Manifest, manifest_hash: &Hash, secret: &[u8; 32]) -> Result<LogSigner, String> {
        if manifest.version >= WITNESSED_VERSION {
            return LogSigner::note(&manifest.log_key, secret);
        }
        let signer = LogSigner::schnorr(manifest_hash, secret)?;
        if signer.public_key() != manifest.log_key {
            return Err("the manifest's log_key is not the public key of the log secret".into());
        }
        Ok(signer)
    }

    /// An Ed25519 note signer from its 32 secret bytes, which must be the key `vkey` names.
    pub fn note(vkey: &str, secret: &[u8; 32]) -> Result<LogSigner, String> {
        let origin = Verifier::parse(vkey).map_err(|e| e.to_string())?.name;
        let signer = LogSigner::Note(NoteSigner::from_seed(&origin, TYPE_ED25519, secret).map_err(|e| e.to_string())?);
        if signer.public_key() != vkey {
            return Err("the log_key is not the public key of the log secret".into());
        }
        Ok(signer)
    }

    /// A Schnorr log key (versions 1 to 3, and conventions) bound to `manifest_hash`.
    pub fn schnorr(manifest_hash: &Hash, secret: &[u8; 32]) -> Result<LogSigner, String> {
        let secret = convene_crypto::encoding::decode_scalar(secret).map_err(|e| e.to_string())?;
        let public = Point::from(RistrettoPoint::mul_base(&secret));
        Ok(LogSigner::Schnorr { manifest_hash: *manifest_hash, secret, public })
    }

    /// A fresh version-4 log key for `origin`, and its 32 secret bytes for the host to keep.
    pub fn generate_note(origin: &str, rng: &mut impl CryptoRngCore) -> Result<(LogSigner, [u8; 32]), String> {
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        let signer = NoteSigner::from_seed(origin, TYPE_ED25519, &seed).map_err(|e| e.to_string())?;
        Ok((LogSigner::Note(signer), seed))
    }

    /// The key as the manifest writes it.
    pub fn public_key(&self) -> String {
        match self {
            LogSigner::Schnorr { public, .. } => public.to_hex(),
            LogSigner::Note(signer) => signer.verifier().to_vkey(),
        }
    }

    /// Signs a checkpoint of `tree` as it stands (no cosignatures yet).
    pub fn sign(&self, tree: &MerkleTree, rng: &mut impl CryptoRngCore) -> CheckpointJson {
        let size = tree.len();
        let root = tree.root(size).expect("the whole tree exists");
        match self {
            LogSigner::Schnorr { manifest_hash, secret, public } => {
                let msg = checkpoint_message(size, &root);
                let signature = schnorr::sign(TAG_CHECKPOINT, manifest_hash, secret, public, &msg, rng);
                CheckpointJson {
                    size,
                    root: to_hex(&root),
                    signature: Some(crate::format::SignatureJson::from_signature(&signature)),
                    note: None,
                }
            }
            LogSigner::Note(signer) => {
                let origin = signer.name.clone();
                let note = Checkpoint { origin, size, root }.sign(signer).expect("a checkpoint's text is a valid note");
                CheckpointJson { size, root: to_hex(&root), signature: None, note: Some(note.render()) }
            }
        }
    }
}

/// Adds a witness's cosignature line (as a witness answers, `— NAME BASE64\n`) to a checkpoint's
/// note, once it verifies; refuses a line that does not.
pub fn add_cosignature(c: &mut CheckpointJson, witness: &Verifier, line: &str) -> Result<(), String> {
    let text = c.note.as_deref().ok_or("the checkpoint has no note")?;
    let with = format!("{text}{}\n", line.trim_end_matches('\n'));
    let note = Note::parse(with.as_bytes()).map_err(|e| e.to_string())?;
    note.verify(std::slice::from_ref(witness)).map_err(|e| e.to_string())?;
    c.note = Some(with);
    Ok(())
}

/// Cosigns a checkpoint as `witness` at `timestamp` (the offline writer plays its witnesses so).
pub fn cosign(c: &mut CheckpointJson, witness: &NoteSigner, timestamp: u64) -> Result<(), String> {
    let mut note =
        Note::parse(c.note.as_deref().ok_or("the checkpoint has no note")?.as_bytes()).map_err(|e| e.to_string())?;
    note.cosign(witness, timestamp).map_err(|e| e.to_string())?;
    c.note = Some(note.render());
    Ok(())
}
