//! The requests and answers of the HTTP API, as types the server reads and writes and the Rust
//! client writes and reads (`docs/openapi.json` gives the same shapes; tests hold a real server's
//! answers to them).

use convene_record::convention::{
    AmendmentState, ApportionmentState, Charter, ConstitutionJson, ConventionState, Floor, LocalitiesVersion,
    MemberState, MotionState, RatifyState, VoteState,
};
use convene_record::format::{
    Actor, CheckpointJson, ComplaintJson, CredentialKdf, Manifest, Question, Ratification, ShareJson, SignatureJson,
    TrusteeCount, WitnessJson,
};
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
    /// A milestone's referendum, once the ratification's timeline dates it (docs/timeline.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled: Option<Scheduled>,
}

/// When a milestone's referendum is due: its date in the ratification's signed timeline.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Scheduled {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The ratification referendum whose `timeline.json` gives it.
    pub timeline: String,
}

/// Where the server keeps a scheduled referendum's date (not a record file: the record's is the
/// ratification's `timeline.json`).
pub const SCHEDULED: &str = "scheduled.json";

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
    /// A conference of states (convention version 5): the states that each seat one delegation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conference: Option<convene_record::convention::Conference>,
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

// Setting a referendum up and counting it: what the supervisor, the authority, the trustees,
// the registrar and the code issuer send, and what the server answers.

/// `POST /api/elections`: a manifest without its version and log key, which the server adds.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct NewElection {
    pub election_id: String,
    pub title: String,
    pub questions: Vec<Question>,
    pub regions: Vec<String>,
    pub trustees: TrusteeCount,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratification: Option<Ratification>,
    #[serde(default)]
    pub min_region_ballots: u64,
    /// Version 2 (given with `registrar` and `trustees.members`): the election authority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<Actor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registrar: Option<Actor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_issuer: Option<Actor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_weight: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_ballots_per_credential: Option<u32>,
    /// Credentials typed from a sheet (protocol note §14): the Argon2id parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_kdf: Option<CredentialKdf>,
    /// The election's texts in other languages (`docs/record-format.md`).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub translations: convene_record::format::Translations,
    /// Version 4: the witnesses who cosign the log's checkpoints, and how many must.
    #[serde(default)]
    pub witnesses: Vec<WitnessJson>,
    #[serde(default)]
    pub witness_quorum: u32,
    /// Version 4: the origins of static copies of the booth the server answers (CORS).
    #[serde(default)]
    pub booth_origins: Vec<String>,
    /// The record version a convention's hand-off derives: never read from a request nor sent.
    #[serde(skip)]
    pub version: Option<u32>,
}

/// The answer to `POST /api/elections`: the manifest as the server completed it.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct ElectionCreated {
    pub id: String,
    pub phase: String,
    pub manifest: Manifest,
}

/// `POST /api/elections/ID/authority`: the authority's signature of the manifest.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct AuthoritySignature {
    pub signature: SignatureJson<'static>,
}

/// The answer to `POST /api/elections/ID/authority`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    pub signed: bool,
}

/// `POST /api/elections/ID/ceremony/shares`: a dealer's encrypted shares.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct DealtShares {
    pub dealer: u32,
    pub shares: Vec<ShareJson>,
    /// Version 2: the dealer's signature of its shares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureJson<'static>>,
}

/// `POST /api/elections/ID/ceremony/complaints`: a trustee's complaints (none, too).
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Complaints {
    pub accuser: u32,
    pub complaints: Vec<ComplaintJson>,
    /// Version 2: the accuser's signature of its complaints (an empty list too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureJson<'static>>,
}

/// The answer to `POST /api/elections/ID/ceremony/finish`: the qualified trustees, the election
/// key and what the public checks found (in words).
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct CeremonyFinished {
    pub qualified: Vec<u32>,
    pub election_key: String,
    pub findings: Vec<String>,
}

/// The hash of a voter's one-time code, and the credential it signs in.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct CodeHash {
    pub code_hash: String,
    pub credential: String,
}

/// `POST /api/elections/ID/credentials`: the registrar's public credential list and the hashes
/// of the voters' one-time codes (never the codes themselves).
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    pub credentials: Vec<CredentialEntry>,
    pub codes: Vec<CodeHash>,
    /// Version 2: the registrar's signature of its statement on this list (protocol note §9);
    /// the server computes the statement's figures and checks the signature against them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registrar_signature: Option<SignatureJson<'static>>,
}

/// One credential of the upload; the same fields as a line of `credentials.jsonl`.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct CredentialEntry {
    pub credential: String,
    pub region: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
}

/// The answer to `POST /api/elections/ID/credentials`.
#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct CredentialsAccepted {
    pub credentials: u64,
    /// The base hash every ballot's proofs are bound to, now that the list is fixed.
    pub base_hash: String,
}

/// `POST /api/elections/ID/codes`: the code issuer's code hashes, signed (version 2).
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct IssuedCodes {
    pub codes: Vec<CodeHash>,
    pub signature: SignatureJson<'static>,
}

/// The answer to `POST /api/elections/ID/codes`: how many codes it took.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct CodesAccepted {
    pub codes: u64,
}

/// `POST /api/elections/ID/acknowledgements`: a qualified trustee's acknowledgement.
pub use convene_record::actors::AcknowledgementJson as Acknowledgement;

/// The answer to `POST /api/elections/ID/acknowledgements`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Acknowledged {
    pub trustee: u32,
    pub acknowledged: bool,
}

/// The answer to `POST /api/elections/ID/open`: the phase it is in now.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    pub phase: String,
}

/// `POST /api/elections/ID/signin`: a voter's one-time code.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    pub code: String,
    /// The credential the voter's key gives (hex): when given, a code issued for another
    /// credential is refused (`wrong_key`) and stays unspent, so a mistyped key costs no code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

/// A demonstration referendum's published voter (`/api/elections/ID/demo`).
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct DemoVoter {
    pub code: String,
    pub key: String,
}

/// The answer to `POST /api/elections/ID/close`: the tally's figures.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Closed {
    pub phase: String,
    /// Ballots counted nationally.
    pub counted: Option<u64>,
    /// Ballots a later one under the same credential replaced.
    pub superseded: u64,
}

/// The answer to `POST /api/elections/ID/decryptions`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct DecryptionAccepted {
    pub trustee: u32,
    pub accepted: bool,
}
