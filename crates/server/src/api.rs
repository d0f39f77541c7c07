//! The answers of the public and voting endpoints, as types the server writes and the Rust
//! client reads (`docs/openapi.json`, `components.schemas`, gives the same shapes; a test holds
//! a real server's answers to them). Fields are in the order the JSON shows them.

use convene_record::convention::{
    AmendmentState, ApportionmentState, Charter, ConstitutionJson, ConventionState, Floor, LocalitiesVersion,
    MemberState, MotionState, RatifyState, VoteState,
};
use convene_record::format::{CheckpointJson, Manifest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An election (or a convention) in a list: `GET /api/elections`, `GET /api/conventions`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub id: String,
    /// Its phase (`convene_store::Phase` for a referendum; `sitting` or `ratified` for a convention).
    pub phase: String,
    pub title: String,
}

/// `GET /api/elections`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ElectionList {
    pub elections: Vec<Listed>,
}

/// `GET /api/conventions`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct ConventionList {
    pub conventions: Vec<Listed>,
}

/// `GET /api/elections/ID`.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct ElectionShown {
    /// The election's base hash, once its key ceremony is finished.
    pub base_hash: Option<String>,
    pub id: String,
    pub log_size: u64,
    pub manifest: Manifest,
    pub phase: String,
}

/// `POST /api/elections/ID/signin`: a voter's session.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// The credential the code was issued for (hex).
    pub credential: String,
    /// When the session ends (POSIX seconds).
    pub expires: u64,
    /// The voter's region, so that the booth need not read the whole credential list.
    pub region: Option<String>,
    /// The bearer token for `POST /ballots`.
    pub session: String,
}

/// `GET /api/elections/ID/consistency?from=M&to=N`: an RFC 9162 consistency proof (hex).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Consistency {
    pub from: u64,
    pub proof: Vec<String>,
    pub to: u64,
}

/// One entry of a page of the log: `E` is the entry's JSON (the server passes the stored line
/// through as it is).
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct LogItem<E> {
    pub entry: E,
    pub index: u64,
    /// The entry's leaf hash (hex).
    pub tracking_code: String,
}

/// `GET /api/elections/ID/log?from=K&limit=L` (and a convention's): `next` is the index to ask
/// for next, or `null` when the page was empty.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct LogPage<E> {
    pub entries: Vec<LogItem<E>>,
    pub next: Option<u64>,
    pub size: u64,
}

/// `POST /api/conventions`: a charter without its version and log key, which the server adds.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct NewConvention {
    pub convention_id: String,
    pub title: String,
    /// The chair's and the secretary's signing keys (hex).
    pub chair: String,
    pub secretary: String,
    #[serde(default = "default_speaking_seconds")]
    pub speaking_seconds: u64,
    /// Who may be a trustee of the convention's referendums (optional).
    #[serde(default)]
    pub trustees: Vec<convene_record::actors::Actor>,
    /// Below how many ballots a secret vote's regions are merged (default 5; 0 publishes every
    /// region's counts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_region_ballots: Option<u64>,
    /// Convention version 3 and later: the witnesses who cosign its log's checkpoints, and how many must.
    #[serde(default)]
    pub witnesses: Vec<convene_record::format::WitnessJson>,
    #[serde(default)]
    pub witness_quorum: u32,
}

fn default_speaking_seconds() -> u64 {
    600
}

/// The answer to `POST /api/conventions`: the charter as the server completed it.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct ConventionCreated {
    pub id: String,
    pub phase: String,
    pub charter: Charter,
}

/// `GET /api/conventions/ID`: the convention's state as its log has made it, an open vote's
/// result counted so far, the latest checkpoint, its regions and its constitution so far.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct ConventionShown {
    pub id: String,
    pub charter: Charter,
    /// Entries applied (the next entry's index).
    pub entries: u64,
    /// Each signer's last sequence number.
    pub sequence: BTreeMap<String, u64>,
    pub localities: Vec<LocalitiesVersion>,
    pub apportionment: Option<ApportionmentState>,
    pub members: Vec<MemberState>,
    pub agenda: Vec<String>,
    pub current_item: usize,
    pub speakers: Vec<String>,
    pub floors: Vec<Floor>,
    pub motions: Vec<MotionState>,
    pub amendments: Vec<AmendmentState>,
    pub votes: Vec<VoteState>,
    /// Adopted motions, in order of adoption (article `k + 1` is `articles[k]`).
    pub articles: Vec<u32>,
    pub ratified: Option<RatifyState>,
    /// The latest signed checkpoint, `null` before the first event.
    pub checkpoint: Option<CheckpointJson>,
    pub regions: Vec<String>,
    pub constitution: ConstitutionJson,
}

impl ConventionShown {
    /// What `state` shows (its open votes' results as closed so far: the handler counts them).
    pub fn of(id: &str, state: &ConventionState, checkpoint: Option<CheckpointJson>) -> ConventionShown {
        ConventionShown {
            id: id.to_string(),
            charter: state.charter().clone(),
            entries: state.entries(),
            sequence: state.sequence().clone(),
            localities: state.localities().to_vec(),
            apportionment: state.apportionment().cloned(),
            members: state.members().to_vec(),
            agenda: state.agenda().to_vec(),
            current_item: state.current_item(),
            speakers: state.speakers().to_vec(),
            floors: state.floors().to_vec(),
            motions: state.motions().to_vec(),
            amendments: state.amendments().to_vec(),
            votes: state.votes().to_vec(),
            articles: state.articles().to_vec(),
            ratified: state.ratified().cloned(),
            checkpoint,
            regions: state.regions(),
            constitution: state.constitution_json(),
        }
    }

    /// The member whose key is `key`.
    pub fn member(&self, key: &str) -> Option<&MemberState> {
        self.members.iter().find(|m| m.key == key)
    }
}

/// `GET /api/conventions/ID/analysis`.
pub use convene_record::convention::Analysis;
