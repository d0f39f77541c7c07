//! The credential list (`credentials.jsonl`).

use super::*;

/// One line of `credentials.jsonl`: a voter's public credential key, region, and public weight
/// (1 unless given: shares in a cooperative, say).
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct CredentialJson<'a> {
    /// The credential `P` (hex).
    #[serde(borrow)]
    pub credential: Hex<'a>,
    /// The voter's region, one of the manifest's.
    #[serde(borrow)]
    pub region: Cow<'a, str>,
    /// The credential's public weight, 1 to [`MAX_WEIGHT`] (absent: 1).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: u32,
}

pub(super) fn one() -> u32 {
    1
}

pub(super) fn is_one(w: &u32) -> bool {
    *w == 1
}

/// The largest weight a credential may carry.
pub const MAX_WEIGHT: u32 = 1_000_000;

/// A credential of the published list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listed {
    /// The credential `P`.
    pub credential: Point,
    /// The index of its region in the manifest.
    pub region: usize,
    /// Its public weight.
    pub weight: u32,
}

/// Parses one line of `credentials.jsonl` against the manifest: the credential (non-identity)
/// and its region's index.
pub fn parse_credential_line(line: &[u8], manifest: &Manifest) -> Result<Listed, String> {
    let c: CredentialJson = serde_json::from_slice(line).map_err(|e| format!("not a credential line: {e}"))?;
    let credential = point_non_identity("credential", &c.credential).map_err(|e| e.to_string())?;
    let region =
        manifest.region_index(&c.region).ok_or_else(|| format!("region {:?} is not in the manifest", c.region))?;
    if c.weight == 0 || c.weight > MAX_WEIGHT {
        return Err(format!("weight {} is outside 1..={MAX_WEIGHT}", c.weight));
    }
    Ok(Listed { credential, region, weight: c.weight })
}

/// The canonical line of `credentials.jsonl` for a credential (with its newline).
pub fn credential_line(credential: &Point, region: &str, weight: u32) -> String {
    let line = CredentialJson { credential: to_hex(credential.bytes()).into(), region: region.into(), weight };
    serde_json::to_string(&line).expect("credential lines always serialize") + "\n"
}
