//! The charter (`docs/convention.md` §1): who chairs, who keeps the roll, the log key and
//! (version 3 and later) the witnesses, and the version that says which rules apply.

use super::*;

/// `charter.json`: who chairs, who keeps the record, how long each delegation may speak.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Charter {
    /// The convention record's format version, 1 to 4 (docs/convention.md §2).
    pub version: u32,
    /// The convention's id (`[a-z0-9-]`, 1 to 64 characters).
    pub convention_id: String,
    /// Its title.
    pub title: String,
    /// The chair's public key (hex).
    pub chair: String,
    /// The secretary's public key (hex): imports localities, apportions, credentials delegates.
    pub secretary: String,
    /// Speaking time per regional delegation per agenda item, in seconds.
    pub speaking_seconds: u64,
    /// The server's checkpoint key: ristretto255 hex (versions 1 and 2) or a C2SP Ed25519
    /// verifier key whose name is the origin (versions 3 and 4).
    pub log_key: String,
    /// Who may be a trustee of the referendums the convention calls for (its secret votes', its
    /// ratification's), by name and long-term key: an event that names trustees names them from
    /// here, and those referendums are then record format version 2.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trustees: Vec<crate::actors::Actor>,
    /// A secret vote's referendum publishes a region's counts only if at least this many ballots
    /// were counted there; smaller regions are published together (`merged`). 0 when absent.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub min_region_ballots: u64,
    /// Version 3: the witnesses who cosign the log's checkpoints, and how many must (version 4:
    /// those of its referendums too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub witnesses: Vec<crate::format::WitnessJson>,
    /// How many of the witnesses must cosign each checkpoint.
    #[serde(default, skip_serializing_if = "is_zero32")]
    pub witness_quorum: u32,
    /// Version 5: a conference of states (docs/convention.md §2.4): one delegation per state, no
    /// apportionment, no referendum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conference: Option<Conference>,
}

/// A conference of states: who sits in it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Conference {
    /// The states, each seating one delegation: two or more distinct, non-empty names.
    pub states: Vec<String>,
}

pub(super) fn is_zero32(n: &u32) -> bool {
    *n == 0
}

pub(super) fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The `min_region_ballots` the server writes into a charter unless told otherwise: a secret
/// vote never publishes the counts of a region with fewer than five ballots.
pub const DEFAULT_MIN_REGION_BALLOTS: u64 = 5;

impl Charter {
    /// Reads and checks a charter's exact bytes (docs/convention.md §1).
    pub fn parse(bytes: &[u8]) -> Result<Charter, RecordError> {
        let charter: Charter = serde_json::from_slice(bytes)?;
        if !(OLDEST_CONVENTION_VERSION..=NEWEST_CONVENTION_VERSION).contains(&charter.version) {
            return Err(RecordError::Version { found: charter.version });
        }
        let chair = point_non_identity("chair", &charter.chair)?;
        let secretary = point_non_identity("secretary", &charter.secretary)?;
        if charter.version >= WITNESSED_CONVENTION_VERSION {
            crate::checkpoint::Witnessed::of(
                &charter.convention_id,
                &charter.log_key,
                &charter.witnesses,
                charter.witness_quorum,
            )
            .map_err(RecordError::Invalid)?;
        } else {
            point_non_identity("log_key", &charter.log_key)?;
            if !charter.witnesses.is_empty() || charter.witness_quorum != 0 {
                return Err(RecordError::Invalid("witnesses are named from convention version 3".into()));
            }
        }
        if chair == secretary {
            return Err(RecordError::Invalid("the chair and the secretary need different keys".into()));
        }
        let mut keys = std::collections::BTreeSet::new();
        for (k, trustee) in charter.trustees.iter().enumerate() {
            trustee.check(&format!("trustees[{k}]"))?;
            if !keys.insert(trustee.key.as_str()) {
                return Err(RecordError::Invalid(format!("trustees[{k}] has another trustee's key")));
            }
        }
        if let Some(conference) = &charter.conference {
            if charter.version < CONFERENCE_VERSION {
                return Err(RecordError::Invalid(format!(
                    "a conference is a convention of version {CONFERENCE_VERSION}"
                )));
            }
            let mut names = std::collections::BTreeSet::new();
            for (k, state) in conference.states.iter().enumerate() {
                if state.trim().is_empty() || state.trim() != state {
                    return Err(RecordError::Invalid(format!(
                        "conference.states[{k}] needs a name without outer spaces"
                    )));
                }
                if !names.insert(state.as_str()) {
                    return Err(RecordError::Invalid(format!("conference.states[{k}] names {state} again")));
                }
            }
            if names.len() < 2 {
                return Err(RecordError::Invalid("a conference seats two states or more".into()));
            }
            if !charter.trustees.is_empty() {
                return Err(RecordError::Invalid("a conference calls no referendum, so it names no trustees".into()));
            }
        }
        if !valid_id(&charter.convention_id) {
            return Err(RecordError::Invalid("convention_id must be 1 to 64 characters of a-z, 0-9 and -".into()));
        }
        Ok(charter)
    }
}

impl Charter {
    /// How this convention's checkpoints are checked: the charter's Schnorr log key under its
    /// hash (versions 1 and 2), or its signed notes and witnesses (version 3).
    pub fn log_verifier(&self, charter_hash: &crate::log::Hash) -> crate::checkpoint::LogVerifier {
        use crate::checkpoint::{LogVerifier, Witnessed};
        if self.version >= WITNESSED_CONVENTION_VERSION {
            let witnessed = Witnessed::of(&self.convention_id, &self.log_key, &self.witnesses, self.witness_quorum);
            LogVerifier::Note(witnessed.expect("checked by Charter::parse"))
        } else {
            let key = point_non_identity("log_key", &self.log_key).expect("checked by Charter::parse");
            LogVerifier::Schnorr { manifest_hash: *charter_hash, key }
        }
    }
}

/// Ids of conventions and referendums: 1 to 64 characters of `a-z`, `0-9` and `-`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
