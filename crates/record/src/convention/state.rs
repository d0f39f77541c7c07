//! What the replayed log has made: the localities versions, the apportionment, members,
//! motions, amendments, votes and the hand-off, as the state shows them.

use super::*;

/// One version of the localities, as a `localities` event imported it.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct LocalitiesVersion {
    /// Its number, from 1.
    pub version: u32,
    /// Where the figures come from.
    pub source: String,
    /// The localities.
    pub localities: Vec<LocalityJson>,
    /// The index of the entry that imported it.
    pub entry: u64,
}

/// The apportionment, as an `apportionment` event gave it.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct ApportionmentState {
    /// The localities version apportioned.
    pub localities_version: u32,
    /// The method's name.
    pub method: String,
    /// The house size.
    pub seats: u64,
    /// The fewest seats a locality gets.
    pub min_seats: u64,
    /// The most seats a locality may get.
    pub max_seats: Option<u64>,
    /// Seats per locality, in the localities' order.
    pub result: Vec<u64>,
    /// The index of the entry that apportioned.
    pub entry: u64,
}

/// A credentialed delegate or observer.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct MemberState {
    /// Their signing key (hex).
    pub key: String,
    /// Their name.
    pub name: String,
    /// Their locality.
    pub locality: String,
    /// Their locality's region.
    pub region: String,
    /// Delegate, observer or (in a conference) head of delegation.
    pub role: Role,
    /// The locality's population divided by its seats, rounded down (for weighted votes).
    pub population: u64,
    /// The index of the entry that credentialed them.
    pub entry: u64,
}

/// Where a motion or an amendment stands.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Moved, not yet decided.
    Open,
    /// Adopted by a vote.
    Adopted,
    /// Rejected by a vote.
    Rejected,
    /// Set aside: another option won the ranked vote it was in.
    Withdrawn,
}

/// A motion: an article moved by a delegate.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct MotionState {
    /// Its number, from 1.
    pub id: u32,
    /// Its title.
    pub title: String,
    /// The proposer's key.
    pub proposer: String,
    /// The body as moved.
    pub moved: BodyJson,
    /// The body with the adopted amendments applied.
    pub current: BodyJson,
    /// Where it stands.
    pub status: Status,
    /// What happened to it, in English words, oldest first (derived, for people; the lines of
    /// its article's history in `constitution.json`).
    pub history: Vec<String>,
    /// The same, as data: each line's message and arguments (the pages say them in their
    /// language).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Said>,
    /// The index of the entry that moved it.
    pub entry: u64,
    /// The reference of the entry that moved it (version 2 events name it so).
    pub hash: String,
    /// Its text version: 1 as moved, one more per adopted amendment.
    pub version: u32,
    /// Its translations by language tag, each of the version it was made for.
    pub translations: BTreeMap<String, TranslationState>,
}

impl MotionState {
    /// Adds a line to its history: the words in English, and the data they come from.
    pub(super) fn record(&mut self, step: Said) {
        self.history.push(step.to_string());
        self.steps.push(step);
    }
}

/// A motion's title and text in another language.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct TranslationState {
    /// The title.
    pub title: String,
    /// The text, Markdown.
    pub text: String,
    /// The motion's text version it translates; older than the motion's, it is out of date.
    pub version: u32,
    /// The translator's key (hex): a delegate's or the secretary's.
    pub by: String,
    /// The index of the entry that gave it.
    pub entry: u64,
}

/// An amendment to a motion.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct AmendmentState {
    /// Its number, from 1.
    pub id: u32,
    /// The motion it amends.
    pub motion: u32,
    /// The proposer's key.
    pub proposer: String,
    /// The line-based changes.
    pub changes: Vec<ChangeJson>,
    /// Why, in words (may be empty).
    pub rationale: String,
    /// The diff against the motion's text when the amendment was moved.
    pub diff: String,
    /// Where it stands.
    pub status: Status,
    /// The index of the entry that moved it.
    pub entry: u64,
    /// The reference of the entry that moved it.
    pub hash: String,
}

/// A vote.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct VoteState {
    /// Its number, from 1.
    pub id: u32,
    /// What it decides, by number.
    pub subject: Subject,
    /// The rule fixed when it opened.
    pub rule: RuleJson,
    /// Whether it is still open.
    pub open: bool,
    /// Keys of the delegates in office when the vote opened.
    pub in_office: Vec<String>,
    /// Each delegate's choice (a yes/no vote), by key.
    pub choices: BTreeMap<String, ChoiceJson>,
    /// Each delegate's ranking (a ranked vote), by key.
    pub rankings: BTreeMap<String, Vec<Vec<u32>>>,
    /// A consensus vote's objections, in the order they were made, withdrawn or not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objections: Vec<Objection>,
    /// The result as closed (while the vote is open, [`ConventionState::count`] gives the result
    /// so far; the server's state shows that).
    pub result: VoteResult,
    /// A secret vote's referendum, and once closed its published counts per region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<SecretVote>,
    /// The index of the entry that opened it.
    pub entry: u64,
    /// The reference of the entry that opened it.
    pub hash: String,
}

/// An objection in a consensus vote: who made it, when, and when it was withdrawn.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Objection {
    /// The member's key (hex).
    pub by: String,
    /// The log entry that made it.
    pub entry: u64,
    /// The log entry that withdrew it, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<u64>,
}

/// What a secret vote adds to a vote: its referendum and, once closed, its counts.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct SecretVote {
    /// The referendum's id.
    pub referendum: String,
    /// The referendum's trustees.
    pub trustees: crate::format::TrusteeCount,
    /// Per region `[yes, no, abstain]`, as the referendum published them.
    pub tally: BTreeMap<String, [u64; 3]>,
}

/// A floor the chair gave on the current agenda item.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Floor {
    /// The delegate's key.
    pub delegate: String,
    /// Their region (whose delegation's budget it spends).
    pub region: String,
    /// For how long.
    pub seconds: u64,
    /// The index of the entry that gave it.
    pub entry: u64,
}

/// The hand-off to ratification, as the `ratify` event made it.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct RatifyState {
    /// The referendum's id.
    pub referendum: String,
    /// Its question.
    pub question: String,
    /// Its ratification rule, TOML.
    pub rule: String,
    /// Below how many ballots its regions are merged.
    pub min_region_ballots: u64,
    /// Its trustees.
    pub trustees: crate::format::TrusteeCount,
    /// Its registrar, with named trustees.
    pub registrar: Option<crate::actors::Actor>,
    /// Its code issuer, with named trustees.
    pub code_issuer: Option<crate::actors::Actor>,
    /// The Argon2id cost of its typed credentials, if it has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_kdf: Option<crate::format::CredentialKdf>,
    /// Its title and question in other languages.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub translations: crate::format::Translations,
    /// The constitution's Markdown in some of those languages.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub constitutions: std::collections::BTreeMap<String, String>,
    /// The index of the `ratify` entry.
    pub entry: u64,
}

/// Why an entry was not accepted: it is not a valid signed entry at all, or it is one the
/// convention's state refuses (wrong signer, wrong moment, a result that does not add up).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EventError {
    /// Not a valid signed entry: bad JSON, a bad signature, a field out of shape.
    #[error("{0}")]
    Malformed(String),
    /// A valid entry the state refuses: the wrong signer, the wrong moment, a result that does not
    /// add up. Its code and arguments are data; the words come from the Fluent files.
    #[error("{0}")]
    Refused(Refusal),
}

/// What an accepted event did, for live updates.
#[derive(Serialize, Clone, Debug)]
pub struct Applied {
    /// The entry's index in the log.
    pub index: u64,
    /// The event's type.
    pub kind: &'static str,
    /// The signer's key.
    pub signer: String,
    /// What it did, in English words (for people; never compared).
    pub summary: String,
    /// The same, as data: its message and arguments, which the pages say in their language.
    pub said: Said,
    /// The number of the motion, amendment or vote the event created, if it created one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<u32>,
    /// The entry's reference (the hex of its leaf hash): how version-2 events name what it created.
    pub hash: String,
}
