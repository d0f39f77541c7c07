//! `election.json` and `checkpoints.json`.

use super::*;
use convene_note::{Verifier, TYPE_COSIGNATURE, TYPE_ED25519};

/// `election.json`: the hashes every proof is bound to (protocol note §2).
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ElectionJson {
    /// The record format version.
    pub version: u32,
    /// The manifest's hash (hex).
    pub manifest_hash: String,
    /// The credential list's hash (hex).
    pub credentials_hash: String,
    /// The base hash (hex), every proof's binding (protocol note §2).
    pub base_hash: String,
}

/// A signed checkpoint of the log.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CheckpointJson {
    /// The log's size.
    pub size: u64,
    /// Its RFC 6962 root (hex).
    pub root: String,
    /// Versions 1 to 3: the log key's Schnorr signature (protocol note §7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureJson<'static>>,
    /// Version 4: the C2SP checkpoint note, signed by the log key and cosigned by witnesses
    /// (protocol note §13.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An RFC 9162 consistency proof between two checkpoints.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyJson {
    /// The earlier size.
    pub from: u64,
    /// The later size.
    pub to: u64,
    /// The proof's hashes (hex).
    pub proof: Vec<String>,
}

/// `checkpoints.json`: the signed checkpoints of the log, and consistency proofs between
/// consecutive ones.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct CheckpointsJson {
    /// The record format version.
    pub version: u32,
    /// Every checkpoint, in increasing size.
    pub checkpoints: Vec<CheckpointJson>,
    /// Between each checkpoint and the next.
    pub consistency: Vec<ConsistencyJson>,
}

/// The first record version whose checkpoints are witnessed signed notes.
pub const WITNESSED_VERSION: u32 = 4;
/// The most witnesses a manifest may list.
pub const MAX_WITNESSES: usize = 32;

/// The origin a server gives an election's log when not configured otherwise.
pub fn default_origin(election_id: &str) -> String {
    format!("convene/{election_id}")
}

/// The log key and witnesses of a version-4 manifest, checked (§13.1).
#[derive(Clone, Debug)]
pub struct Witnessed {
    /// The log's verifier key (Ed25519), whose name is the origin.
    pub log: Verifier,
    /// The witnesses' cosignature verifier keys.
    pub witnesses: Vec<Verifier>,
    /// How many must cosign each checkpoint.
    pub quorum: usize,
}

impl Witnessed {
    /// Parses and checks a manifest's log key and witnesses: an Ed25519 log key whose origin
    /// ends in `/ELECTION_ID`; at most [`MAX_WITNESSES`] witnesses, each a cosignature key at an
    /// http(s) address, no two with the same name or key; a quorum of 0 without witnesses, else
    /// between 1 and their number.
    pub fn of(election_id: &str, log_key: &str, witnesses: &[WitnessJson], quorum: u32) -> Result<Witnessed, String> {
        let log = Verifier::parse(log_key).map_err(|e| format!("log_key: {e}"))?;
        if log.kind != TYPE_ED25519 {
            return Err("log_key: a version-4 log key is an Ed25519 verifier key (type 0x01)".into());
        }
        if !log.name.ends_with(&format!("/{election_id}")) {
            return Err(format!("log_key: the origin {:?} must end in \"/{election_id}\"", log.name));
        }
        if witnesses.len() > MAX_WITNESSES {
            return Err(format!("at most {MAX_WITNESSES} witnesses"));
        }
        let mut parsed: Vec<Verifier> = Vec::new();
        for (k, w) in witnesses.iter().enumerate() {
            let v = Verifier::parse(&w.key).map_err(|e| format!("witness {k}: {e}"))?;
            if v.kind != TYPE_COSIGNATURE {
                return Err(format!("witness {k}: a witness key is a cosignature key (type 0x04)"));
            }
            if !(w.url.starts_with("http://") || w.url.starts_with("https://")) || w.url.ends_with('/') {
                return Err(format!("witness {k}: the url is an http(s) address without a trailing slash"));
            }
            if parsed.iter().any(|p| p.name == v.name || p.key == v.key) {
                return Err(format!("witness {k}: two witnesses have the same name or key"));
            }
            parsed.push(v);
        }
        let quorum = quorum as usize;
        let valid = if parsed.is_empty() { quorum == 0 } else { (1..=parsed.len()).contains(&quorum) };
        if !valid {
            return Err(format!(
                "witness_quorum {quorum} must be 0 without witnesses, else between 1 and {}",
                parsed.len()
            ));
        }
        Ok(Witnessed { log, witnesses: parsed, quorum })
    }
}
