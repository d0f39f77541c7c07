//! `election.json` and `checkpoints.json`.

use super::*;

/// `election.json`: the hashes every proof is bound to (protocol note §2).
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ElectionJson {
    pub version: u32,
    pub manifest_hash: String,
    pub credentials_hash: String,
    pub base_hash: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CheckpointJson {
    pub size: u64,
    pub root: String,
    /// Versions 1 to 3: the log key's Schnorr signature (protocol note §7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureJson<'static>>,
    /// Version 4: the C2SP checkpoint note, signed by the log key and cosigned by witnesses
    /// (protocol note §13.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyJson {
    pub from: u64,
    pub to: u64,
    pub proof: Vec<String>,
}

/// `checkpoints.json`: the signed checkpoints of the log, and consistency proofs between
/// consecutive ones.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct CheckpointsJson {
    pub version: u32,
    pub checkpoints: Vec<CheckpointJson>,
    pub consistency: Vec<ConsistencyJson>,
}
