//! The convention record (`docs/convention.md`): the charter, the signed events of the log, and
//! the one state machine that both the server (at the door) and the verifier (replaying the log)
//! run, so that what the server accepted and what the verifier recomputes cannot drift apart.
//!
//! Applying an event either changes the state completely or not at all, by construction: the
//! checks read the state and say what the event changes (`change.rs`), and only then is it
//! written. Nothing here does I/O.

use crate::format::{
    parse_credential_line, point_non_identity, Manifest, Question, RecordError, ResultsJson, SignatureJson, NATIONAL,
};
use crate::log::{leaf_hash, Hash};
use crate::writer::manifest_hash;
use convene_core::amendment::{self, Amendment, Change};
use convene_core::apportion::{self, Method, Problem};
use convene_core::constitution::{Article, ArticleBody, Constitution, Holder, SharedRule};
use convene_core::majority::{self, Base, Choice, Majority, Member, VoteRule, Weighting};
use convene_core::ranked::{self, RankedBallot};
use convene_core::{revenue, Ratio};
use convene_crypto::encoding::{to_hex, Point};
use convene_crypto::proofs::schnorr::{self, Signature};
use convene_crypto::BatchVerifier;
use convene_crypto::Scalar;
use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::collections::BTreeMap;

/// The domain tag of every event signature in a version-1 log.
pub const TAG_EVENT: &str = "convene/convention-event v1";

/// The domain tag of every event signature in a version-2 log (the message commits to `seen`).
pub const TAG_EVENT_V2: &str = "convene/convention-event v2";

/// The convention record's format version (its charter, log and constitution documents): 2 since
/// events commit to the log their signer saw and refer to objects by hash (`docs/convention.md`
/// §2.1).
pub const CONVENTION_VERSION: u32 = 2;

/// What the verifier's report says of a version-1 convention record.
pub const V1_CONVENTION_NOTE: &str = "convention record version 1: its events name motions and votes by number and \
commit to no checkpoint, so this record cannot prove the order of different signers' events, nor that no accepted \
event was withheld (docs/convention.md §2.1)";

/// The oldest convention record version still verified.
pub const OLDEST_CONVENTION_VERSION: u32 = 1;

/// Version 3 is version 2 with a witnessed log: the charter's `log_key` is an Ed25519 verifier
/// key, it names witnesses and their quorum, and every checkpoint is a cosigned note
/// (`docs/convention.md` §2.2, `docs/protocol.md` §13). The server writes it when the
/// convention names witnesses.
pub const WITNESSED_CONVENTION_VERSION: u32 = 3;

/// Version 4 is version 3 whose referendums are witnessed too: each referendum the convention
/// calls for names the charter's witnesses and quorum and is record format version 4
/// (`docs/convention.md` §2.3). The server writes it when the convention names witnesses.
pub const WITNESSED_REFERENDUMS_VERSION: u32 = 4;

/// Version 5 is version 4 with conferences of states and the unanimity and consensus rules
/// (`docs/convention.md` §2.4). The server writes it for a conference.
pub const CONFERENCE_VERSION: u32 = 5;

/// The newest convention record version.
pub const NEWEST_CONVENTION_VERSION: u32 = CONFERENCE_VERSION;

/// The files of a convention record.
pub mod files {
    /// The charter.
    pub const CHARTER: &str = "charter.json";
    /// The signed events, one per line.
    pub const LOG: &str = crate::files::LOG;
    /// The signed checkpoints and consistency proofs.
    pub const CHECKPOINTS: &str = crate::files::CHECKPOINTS;
    /// The constitution adopted.
    pub const CONSTITUTION: &str = "constitution.json";
}

mod analysis;
mod change;
mod charter;
mod constitution;
mod events;
mod localities;
mod refusal;
mod replay;
mod secret;
mod signing;
mod state;
mod votes;
mod wire;
pub use analysis::*;
use change::{At, Cast, Checked, Effect, StateChange};
pub use charter::*;
pub use constitution::*;
use convene_words::Arg;
pub use localities::*;
pub use refusal::{catalog, Args, IntoArg, Refusal, Said};
use refusal::{refuse, said};
pub use secret::*;
pub use signing::*;
pub use state::*;
pub use wire::*;

/// What kind of object an entry created, for resolving references.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Created {
    Motion,
    Amendment,
    Vote,
}

impl Created {
    fn name(self) -> &'static str {
        match self {
            Created::Motion => "motion",
            Created::Amendment => "amendment",
            Created::Vote => "vote",
        }
    }
}

/// The convention as its log has made it so far. Its fields are read through getters of the
/// same names: only applying an entry changes them, which keeps the indexes beside them true.
#[derive(Serialize, Clone, Debug)]
pub struct ConventionState {
    /// The charter the log is under.
    pub(crate) charter: Charter,
    /// The charter's hash, bound into every event signature.
    #[serde(skip)]
    pub(crate) charter_hash: Hash,
    /// Entries applied (the next entry's index).
    pub(crate) entries: u64,
    /// Each signer's last sequence number.
    pub(crate) sequence: BTreeMap<String, u64>,
    /// Every version of the localities, oldest first.
    pub(crate) localities: Vec<LocalitiesVersion>,
    /// The apportionment, once there is one.
    pub(crate) apportionment: Option<ApportionmentState>,
    /// The credentialed members, in order.
    pub(crate) members: Vec<MemberState>,
    /// Each member's key → their index in `members`.
    #[serde(skip)]
    member_index: std::collections::HashMap<String, usize>,
    /// The agenda's items.
    pub(crate) agenda: Vec<String>,
    /// The index of the current item.
    pub(crate) current_item: usize,
    /// The keys of the delegates waiting for the floor, in order.
    pub(crate) speakers: Vec<String>,
    /// The floors given on the current item.
    pub(crate) floors: Vec<Floor>,
    /// The motions, by number (motion `k + 1` is `motions[k]`).
    pub(crate) motions: Vec<MotionState>,
    /// The amendments, by number.
    pub(crate) amendments: Vec<AmendmentState>,
    /// The votes, by number.
    pub(crate) votes: Vec<VoteState>,
    /// Adopted motions, in order of adoption (article `k + 1` is `articles[k]`).
    pub(crate) articles: Vec<u32>,
    /// The hand-off to ratification, once made.
    pub(crate) ratified: Option<RatifyState>,
    /// The log's root after each prefix (`roots[k]` is the root of the first `k` entries), for
    /// checking what a version-2 signer saw.
    #[serde(skip)]
    roots: Vec<Hash>,
    #[serde(skip)]
    tree: crate::log::RootAccumulator,
    /// Each signer's last `seen.size` (version 2).
    #[serde(skip)]
    seen: std::collections::HashMap<String, u64>,
    /// Each created object's reference → what it is and its number (version 2).
    #[serde(skip)]
    references: std::collections::HashMap<String, (Created, u32)>,
}

impl ConventionState {
    /// The charter the log is under.
    pub fn charter(&self) -> &Charter {
        &self.charter
    }
    /// The charter's hash, bound into every event signature.
    pub fn charter_hash(&self) -> &Hash {
        &self.charter_hash
    }
    /// Entries applied (the next entry's index).
    pub fn entries(&self) -> u64 {
        self.entries
    }
    /// Each signer's last sequence number, by key.
    pub fn sequence(&self) -> &BTreeMap<String, u64> {
        &self.sequence
    }
    /// Every version of the localities, oldest first.
    pub fn localities(&self) -> &[LocalitiesVersion] {
        &self.localities
    }
    /// The apportionment, once there is one.
    pub fn apportionment(&self) -> Option<&ApportionmentState> {
        self.apportionment.as_ref()
    }
    /// The credentialed members, in order.
    pub fn members(&self) -> &[MemberState] {
        &self.members
    }
    /// The agenda's items.
    pub fn agenda(&self) -> &[String] {
        &self.agenda
    }
    /// The index of the current agenda item.
    pub fn current_item(&self) -> usize {
        self.current_item
    }
    /// The keys of the delegates waiting for the floor, in order.
    pub fn speakers(&self) -> &[String] {
        &self.speakers
    }
    /// The floors given on the current item.
    pub fn floors(&self) -> &[Floor] {
        &self.floors
    }
    /// The motions, by number (motion `k + 1` is `motions()[k]`).
    pub fn motions(&self) -> &[MotionState] {
        &self.motions
    }
    /// The amendments, by number.
    pub fn amendments(&self) -> &[AmendmentState] {
        &self.amendments
    }
    /// The votes, by number.
    pub fn votes(&self) -> &[VoteState] {
        &self.votes
    }
    /// Adopted motions, in order of adoption (article `k + 1` is `articles()[k]`).
    pub fn articles(&self) -> &[u32] {
        &self.articles
    }
    /// The hand-off to ratification, once made.
    pub fn ratified(&self) -> Option<&RatifyState> {
        self.ratified.as_ref()
    }
}

enum Signer {
    Chair,
    Secretary,
    Member(usize),
}

#[cfg(test)]
mod tests;
