//! What the replayed log has made: the localities versions, the apportionment, members,
//! motions, amendments, votes and the hand-off, as the state shows them.

use super::*;

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct LocalitiesVersion {
    pub version: u32,
    pub source: String,
    pub localities: Vec<LocalityJson>,
    pub entry: u64,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct ApportionmentState {
    pub localities_version: u32,
    pub method: String,
    pub seats: u64,
    pub min_seats: u64,
    pub max_seats: Option<u64>,
    /// Seats per locality, in the localities' order.
    pub result: Vec<u64>,
    pub entry: u64,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct MemberState {
    pub key: String,
    pub name: String,
    pub locality: String,
    pub region: String,
    pub role: Role,
    /// The locality's population divided by its seats, rounded down (for weighted votes).
    pub population: u64,
    pub entry: u64,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Adopted,
    Rejected,
    Withdrawn,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct MotionState {
    pub id: u32,
    pub title: String,
    pub proposer: String,
    /// The body as moved.
    pub moved: BodyJson,
    /// The body with the adopted amendments applied.
    pub current: BodyJson,
    pub status: Status,
    pub history: Vec<String>,
    pub entry: u64,
    /// The reference of the entry that moved it (version 2 events name it so).
    pub hash: String,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct AmendmentState {
    pub id: u32,
    pub motion: u32,
    pub proposer: String,
    pub changes: Vec<ChangeJson>,
    pub rationale: String,
    /// The diff against the motion's text when the amendment was moved.
    pub diff: String,
    pub status: Status,
    pub entry: u64,
    /// The reference of the entry that moved it.
    pub hash: String,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct VoteState {
    pub id: u32,
    pub subject: Subject,
    pub rule: RuleJson,
    pub open: bool,
    /// Keys of the delegates in office when the vote opened.
    pub in_office: Vec<String>,
    pub choices: BTreeMap<String, ChoiceJson>,
    pub rankings: BTreeMap<String, Vec<Vec<u32>>>,
    /// The result as closed (while the vote is open, [`ConventionState::count`] gives the result
    /// so far; the server's state shows that).
    pub result: VoteResult,
    /// A secret vote's referendum, and once closed its published counts per region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<SecretVote>,
    pub entry: u64,
    /// The reference of the entry that opened it.
    pub hash: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct SecretVote {
    pub referendum: String,
    pub trustees: crate::format::TrusteeCount,
    /// Per region `[yes, no, abstain]`, as the referendum published them.
    pub tally: BTreeMap<String, [u64; 3]>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Floor {
    pub delegate: String,
    pub region: String,
    pub seconds: u64,
    pub entry: u64,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct RatifyState {
    pub referendum: String,
    pub question: String,
    pub rule: String,
    pub min_region_ballots: u64,
    pub trustees: crate::format::TrusteeCount,
    pub registrar: Option<crate::actors::Actor>,
    pub code_issuer: Option<crate::actors::Actor>,
    pub entry: u64,
}

/// Why an entry was not accepted: it is not a valid signed entry at all, or it is one the
/// convention's state refuses (wrong signer, wrong moment, a result that does not add up).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    #[error("{0}")]
    Malformed(String),
    #[error("{0}")]
    Refused(String),
}

/// What an accepted event did, for live updates.
#[derive(Serialize, Clone, Debug)]
pub struct Applied {
    pub index: u64,
    pub kind: &'static str,
    pub signer: String,
    pub summary: String,
    /// The number of the motion, amendment or vote the event created, if it created one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<u32>,
    /// The entry's reference (the hex of its leaf hash): how version-2 events name what it created.
    pub hash: String,
}
