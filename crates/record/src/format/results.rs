//! The tally, the decryptions and the results; JSON objects whose keys must be unique.

use super::*;

/// One scope of `tally.json`: a region, `merged` or `national`, and its encrypted sums.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ScopeTallyJson {
    /// A region's name, or `national`.
    pub scope: String,
    /// How many ballots the sums hold.
    pub counted: u64,
    /// The total weight of the counted ballots, when it differs from their number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u64>,
    /// For the `merged` scope: the regions it merges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// Per question, per slot: the encrypted sum `(α, β)`.
    pub questions: Vec<Vec<CiphertextJson<'static>>>,
}

/// `tally.json`: the encrypted sums per region, then the national sum.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct TallyJson {
    /// The record format version.
    pub version: u32,
    /// The regions (manifest order, merged ones in one scope), then `national`.
    pub scopes: Vec<ScopeTallyJson>,
    /// Version 2: the log the tally was computed from (its final checkpoint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<LogHeadJson>,
}

/// One trustee's partial decryption of one tally slot, in hex.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct PartialJson {
    /// `D = x_j·α`.
    pub share: String,
    /// The proof that `D` is `x_j·α`.
    pub proof: DleqJson<'static>,
}

/// One trustee's partial decryptions.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct TrusteeDecryptionJson {
    /// The trustee `j`.
    pub trustee: u32,
    /// Per tally scope (same order as `tally.json`), per question, per slot; `null` for a slot
    /// whose tally has `α` the identity (no ballots): its count is read from `β` alone.
    pub scopes: Vec<Vec<Vec<Option<PartialJson>>>>,
    /// Version 2: the trustee's signature of these partial decryptions (protocol note §9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureJson<'static>>,
}

/// `decryption.json`: every participating trustee's partial decryptions of every tally slot.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct DecryptionJson {
    /// The record format version.
    pub version: u32,
    /// Each participating trustee, in increasing index.
    pub trustees: Vec<TrusteeDecryptionJson>,
}

impl PartialJson {
    /// The partial decryption as JSON.
    pub fn from_partial(p: &PartialDecryption) -> PartialJson {
        PartialJson { share: p.share.to_hex(), proof: DleqJson::from_proof(&p.proof) }
    }
    /// The partial decryption of trustee `trustee`, decoded.
    pub fn decode(&self, trustee: u32) -> Result<PartialDecryption, RecordError> {
        Ok(PartialDecryption { trustee, share: point("share", &self.share)?, proof: self.proof.decode()? })
    }
}

/// One scope of `results.json`: its decrypted counts.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ScopeResultJson {
    /// A region's name, `merged` or `national`.
    pub scope: String,
    /// How many ballots were counted.
    pub counted: u64,
    /// The total weight of the counted ballots, when it differs from their number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u64>,
    /// For the `merged` scope: the regions it merges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// Per question, per slot: the decrypted count.
    pub questions: Vec<Vec<u64>>,
}

/// `results.json`: the decrypted counts per region and national, and the ratification verdict
/// when the manifest has a rule.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ResultsJson {
    /// The record format version.
    pub version: u32,
    /// The scopes, in the tally's order.
    pub scopes: Vec<ScopeResultJson>,
    /// The ratification verdict, when the manifest has a rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratification: Option<RatificationJson>,
}

/// The verdict of the manifest's ratification rule on the results.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RatificationJson {
    /// `ratified`, `rejected`, or `per-region` (each region's outcome heads its lines in `report`).
    pub outcome: String,
    /// Version 1: the verdict as `convene ratify` prints it, line by line (English, compared as
    /// text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub report: Vec<String>,
    /// Version 2: each condition with its exact figures and no words; readers render it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ConditionJson>,
}

/// One condition of a verdict (version 2): its kind (`approval`, `quorum`, `regions`,
/// `blocking`), whether it holds, for a per-region rule the region, and its figures: counts as
/// integers, shares and weights as exact fractions (`"1/2"`, `"3"`), terms from a fixed
/// vocabulary, region lists.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ConditionJson {
    /// The region, for a per-region rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// `approval`, `quorum`, `regions` or `blocking`.
    pub kind: String,
    /// Whether the condition holds.
    pub holds: bool,
    /// The condition's figures, by name.
    #[serde(deserialize_with = "unique_keys")]
    pub figures: std::collections::BTreeMap<String, FigureJson>,
}

/// One figure of a [`ConditionJson`].
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(untagged)]
pub enum FigureJson {
    /// A yes or no.
    Flag(bool),
    /// A count.
    Count(u64),
    /// An exact fraction or a term.
    Text(String),
    /// A list of regions.
    Regions(Vec<String>),
}

impl FigureJson {
    /// The figure as JSON.
    pub fn from_figure(f: &convene_core::ratify::Figure) -> FigureJson {
        use convene_core::ratify::Figure;
        match f {
            Figure::Count(n) => FigureJson::Count(*n),
            Figure::Ratio(r) => FigureJson::Text(r.to_string()),
            Figure::Term(t) => FigureJson::Text((*t).to_string()),
            Figure::Regions(r) => FigureJson::Regions(r.clone()),
            Figure::Flag(b) => FigureJson::Flag(*b),
        }
    }
}

impl ConditionJson {
    /// The condition as JSON (`region` for a per-region rule).
    pub fn from_condition(region: Option<&str>, c: &convene_core::ratify::Condition) -> ConditionJson {
        ConditionJson {
            region: region.map(String::from),
            kind: c.name.to_string(),
            holds: c.holds,
            figures: c.figures.iter().map(|(k, f)| (k.to_string(), FigureJson::from_figure(f))).collect(),
        }
    }
}

/// The name of the national scope in tallies and results.
pub const NATIONAL: &str = "national";

/// The name of the scope that merges the regions with too few ballots.
pub const MERGED: &str = "merged";

/// The bytes that bind a partial decryption to its tally slot (protocol note §7):
/// `frame(scope) ‖ u32(question) ‖ u32(slot)`.
pub fn slot_location(scope: &str, question: usize, slot: usize, log: Option<&LogHead>) -> Vec<u8> {
    let mut out = Vec::with_capacity(scope.len() + 52);
    convene_crypto::encoding::push_frame(&mut out, scope.as_bytes());
    out.extend_from_slice(&(question as u32).to_le_bytes());
    out.extend_from_slice(&(slot as u32).to_le_bytes());
    // Version 2: the tally's log, so that a partial decryption cannot move to another log's.
    if let Some(log) = log {
        out.extend_from_slice(&log.size.to_le_bytes());
        out.extend_from_slice(&log.root);
    }
    out
}

/// The log a tally was computed from: its final checkpoint's size and root (version 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogHead {
    /// The log's size.
    pub size: u64,
    /// Its root.
    pub root: [u8; 32],
}

/// [`LogHead`] in `tally.json`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LogHeadJson {
    /// The log's size.
    pub size: u64,
    /// Its root, hex.
    pub root: String,
}

impl LogHead {
    /// The head as JSON.
    pub fn to_json(&self) -> LogHeadJson {
        LogHeadJson { size: self.size, root: to_hex(&self.root) }
    }
}

impl LogHeadJson {
    /// The head, decoded.
    pub fn decode(&self) -> Result<LogHead, RecordError> {
        Ok(LogHead { size: self.size, root: hash("log.root", &self.root)? })
    }
}

/// Reads a JSON object keyed by name, refusing a key given twice (`docs/equality.md`): serde
/// would keep the last, and another reader might keep the first.
pub fn unique_keys<'de, D, V>(deserializer: D) -> Result<std::collections::BTreeMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Keys<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Keys<V> {
        type Value = std::collections::BTreeMap<String, V>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = std::collections::BTreeMap::new();
            while let Some((key, value)) = map.next_entry::<String, V>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!("the key {key:?} is given twice")));
                }
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(Keys(std::marker::PhantomData))
}
