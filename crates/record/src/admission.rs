//! The one list of checks a log entry must pass. The server runs it at the door before it
//! appends a ballot, and the verifier runs it on every line of a published log, so what the door
//! accepted is exactly what the verifier counts (`docs/record-format.md`, "What a log entry must
//! satisfy").
//!
//! Two parts:
//! - [`check_alone`]: what an entry must satisfy by itself — a listed credential in its region,
//!   no ciphertext with `α` the identity, every proof and the signature (pushed into a batch),
//!   and for a spoiled ballot a reveal that opens every ciphertext. These run in parallel.
//! - [`LogOrder`]: what depends on the entries before it, in log order — no entry repeats the
//!   ciphertexts of an earlier entry (a replayed ballot, byte for byte or re-proven), and no entry
//!   reuses a ciphertext that an earlier challenged ballot revealed.
//!
//! It never panics on untrusted input and does no I/O.

use crate::failure::Code;
use crate::format::LogEntry;
use crate::tally::{CountError, Electorate, Voter};
use convene_crypto::ballot::{Ballot, BallotError, ElectionContext};
use convene_crypto::batch::BatchVerifier;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Why a log entry is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The line is not an entry.
    #[error("cannot be read: {0}")]
    Unreadable(String),
    /// The credential may not vote (not listed, or the wrong region).
    #[error("{0}")]
    Ineligible(CountError),
    /// A ciphertext whose `α` is the identity (its randomness is 0: it publishes the vote).
    #[error("question {question} slot {slot}: the ciphertext's α is the identity (randomness 0 publishes the vote)")]
    IdentityCiphertext {
        /// The question's index.
        question: usize,
        /// The slot's index.
        slot: usize,
    },
    /// A proof or the signature does not verify.
    #[error("{}", describe(.0))]
    Proof(BallotError),
    /// A challenged ballot's reveal does not open it.
    #[error("spoiled ballot: {0}")]
    Reveal(BallotError),
    /// The ballot repeats an earlier entry's ciphertexts.
    #[error("repeats the ciphertexts of log entry {earlier}; a ballot is counted once, and a replay of an earlier ballot must not override a later one")]
    Repeated {
        /// The earlier entry's index.
        earlier: u64,
    },
    /// The ballot repeats the ciphertexts of one being appended now.
    #[error("repeats the ciphertexts of a ballot that is being appended")]
    RepeatedPending,
    /// The ballot reuses a ciphertext a challenged ballot revealed.
    #[error("reuses a ciphertext that the challenged ballot at log entry {earlier} revealed")]
    ReusesReveal {
        /// The challenged ballot's index.
        earlier: u64,
    },
    /// The credential has as many entries as the manifest allows.
    #[error("the credential already has {cap} entries in the log, the most the manifest allows")]
    TooManyBallots {
        /// The manifest's `max_ballots_per_credential`.
        cap: u32,
    },
    /// A version-3 one-time key that is missing, misplaced or reused.
    #[error("{0}")]
    OneTimeKey(&'static str),
}

fn describe(e: &BallotError) -> String {
    match e {
        BallotError::RangeProof { question, slot } => {
            format!("question {question} slot {slot}: range proof does not verify")
        }
        BallotError::SumProof { question } => format!("question {question}: sum proof does not verify"),
        BallotError::Signature => "credential signature does not verify".into(),
        other => other.to_string(),
    }
}

impl Refusal {
    /// The verifier's failure code for this refusal.
    pub fn code(&self) -> Code {
        match self {
            Refusal::Unreadable(_) => Code::EntryInvalid,
            Refusal::Ineligible(CountError::UnknownCredential) => Code::BallotIneligible,
            Refusal::Ineligible(CountError::RegionMismatch { .. }) => Code::BallotRegion,
            Refusal::IdentityCiphertext { .. } => Code::BallotIdentity,
            Refusal::Proof(BallotError::Signature) => Code::BallotSignature,
            Refusal::Proof(_) => Code::BallotProof,
            Refusal::Reveal(_) => Code::RevealInvalid,
            Refusal::Repeated { .. } | Refusal::RepeatedPending => Code::BallotRepeated,
            Refusal::ReusesReveal { .. } => Code::BallotReusesReveal,
            Refusal::TooManyBallots { .. } => Code::BallotCap,
            Refusal::OneTimeKey(_) => Code::BallotOneTimeKey,
        }
    }
}

pub use crate::format::one_time_keys;

/// The order-free checks of one entry of a record of format `version`. The proofs and the
/// signature are pushed into `batch` (whose verification is the caller's); a proof that cannot
/// even be pushed (wrong shape) is refused here. Returns the listed voter, if the credential is
/// listed (a version-3 challenged ballot has none), and every refusal.
pub fn check_alone(
    context: &ElectionContext,
    electorate: &Electorate,
    version: u32,
    entry: &LogEntry,
    batch: &mut BatchVerifier,
) -> (Option<Voter>, Vec<Refusal>) {
    let ballot = entry.ballot();
    let mut refusals = Vec::new();
    match (one_time_keys(version), ballot.one_time.is_some()) {
        (true, false) => refusals.push(Refusal::OneTimeKey("a version-3 ballot is bound to a one-time key")),
        (false, true) => refusals.push(Refusal::OneTimeKey("a ballot of this record version has no one-time key")),
        _ => {}
    }
    let anonymous = one_time_keys(version) && matches!(entry, LogEntry::Spoiled(..));
    let voter = if anonymous {
        // A challenged ballot under its one-time key belongs to no credential; that key must
        // not be one (it would link the two again), and its region must be the manifest's.
        if electorate.voter(ballot.credential.bytes()).is_some() {
            refusals.push(Refusal::OneTimeKey("a challenged ballot's one-time key is a listed credential"));
        }
        if !electorate.regions().contains(&ballot.region) {
            refusals.push(Refusal::OneTimeKey("a challenged ballot names a region that is not the manifest's"));
        }
        None
    } else {
        match electorate.check(ballot) {
            Ok(v) => Some(v),
            Err(e) => {
                refusals.push(Refusal::Ineligible(e));
                None
            }
        }
    };
    for (question, answer) in ballot.answers.iter().enumerate() {
        for (slot, s) in answer.slots.iter().enumerate() {
            if s.ct.alpha.is_identity() {
                refusals.push(Refusal::IdentityCiphertext { question, slot });
            }
        }
    }
    if let Err(e) = context.push_ballot(batch, ballot) {
        refusals.push(Refusal::Proof(e));
    }
    if let LogEntry::Spoiled(ballot, reveal) = entry {
        if let Err(e) = context.check_reveal(ballot, reveal) {
            refusals.push(Refusal::Reveal(e));
        }
    }
    (voter, refusals)
}

/// After a batch failed: which of this ballot's proofs fail, one at a time, as refusals not
/// already in `refusals`.
pub fn name_failed_proofs(context: &ElectionContext, ballot: &Ballot, refusals: &mut Vec<Refusal>) {
    let mut source = BatchVerifier::new(*context.key.point().point());
    for e in context.verify_ballot(&mut source, ballot) {
        let refusal = Refusal::Proof(e);
        if !refusals.contains(&refusal) {
            refusals.push(refusal);
        }
    }
}

/// Every order-free check of one entry, its proofs verified (a batch of one): what the door
/// runs. The voter is `None` for a version-3 challenged ballot, which belongs to no credential.
pub fn check_entry(
    context: &ElectionContext,
    electorate: &Electorate,
    version: u32,
    entry: &LogEntry,
) -> Result<Option<Voter>, Vec<Refusal>> {
    let mut batch = BatchVerifier::new(*context.key.point().point());
    let (voter, mut refusals) = check_alone(context, electorate, version, entry, &mut batch);
    if !batch.verify_vartime() {
        name_failed_proofs(context, entry.ballot(), &mut refusals);
        if !refusals.iter().any(|r| matches!(r, Refusal::Proof(_))) {
            // The batch failed although no single proof does: report it rather than accept.
            refusals.push(Refusal::Proof(BallotError::Signature));
        }
    }
    match voter {
        _ if !refusals.is_empty() => Err(refusals),
        Some(v) => Ok(Some(v)),
        None if one_time_keys(version) && matches!(entry, LogEntry::Spoiled(..)) => Ok(None),
        None => Err(refusals),
    }
}

/// A 128-bit fingerprint of every ciphertext of a ballot, in order: two entries with equal
/// ciphertexts have equal fingerprints (a collision between different ones is a 2^-64 birthday
/// event at the least, and only ever refuses).
type Fingerprint = [u8; 16];

fn fingerprint(ballot: &Ballot) -> Fingerprint {
    let mut h = Sha256::new();
    for answer in &ballot.answers {
        h.update((answer.slots.len() as u32).to_le_bytes());
        for s in &answer.slots {
            h.update(s.ct.alpha.bytes());
            h.update(s.ct.beta.bytes());
        }
    }
    let digest = h.finalize();
    digest[..16].try_into().expect("16 of 32 bytes")
}

/// Where a fingerprint was first seen: a log index, or a ballot still being appended.
const PENDING: u64 = u64::MAX;

/// The order-dependent checks, in log order. Memory: 16 bytes and an index per entry, the `α`
/// of every challenged ballot's ciphertexts, and with a cap, a count per voter who has voted.
#[derive(Default)]
pub struct LogOrder {
    seen: HashMap<Fingerprint, u64>,
    revealed: HashMap<[u8; 32], u64>,
    /// The manifest's `max_ballots_per_credential` (version 2), and each voter's entries so far.
    cap: Option<u32>,
    entries: HashMap<u32, u32>,
}

impl LogOrder {
    /// The checks for a log whose credentials may each have at most `cap` entries.
    pub fn new(cap: Option<u32>) -> LogOrder {
        LogOrder { cap, ..LogOrder::default() }
    }

    /// Checks the entry at log index `index` against those before it and, if it passes,
    /// remembers it. `None` as the index reserves it for a ballot still being appended (the
    /// door); [`LogOrder::placed`] then gives its index, or [`LogOrder::withdraw`] forgets it.
    pub fn admit(&mut self, index: Option<u64>, voter: Option<Voter>, entry: &LogEntry) -> Result<(), Refusal> {
        let ballot = entry.ballot();
        if let (Some(cap), Some(voter)) = (self.cap, voter) {
            if self.entries.get(&voter.number).copied().unwrap_or(0) >= cap {
                return Err(Refusal::TooManyBallots { cap });
            }
        }
        let print = fingerprint(ballot);
        for answer in &ballot.answers {
            for s in &answer.slots {
                if let Some(&earlier) = self.revealed.get(s.ct.alpha.bytes()) {
                    return Err(Refusal::ReusesReveal { earlier });
                }
            }
        }
        if let Some(&earlier) = self.seen.get(&print) {
            return Err(if earlier == PENDING { Refusal::RepeatedPending } else { Refusal::Repeated { earlier } });
        }
        let at = index.unwrap_or(PENDING);
        self.seen.insert(print, at);
        if let (Some(_), Some(voter)) = (self.cap, voter) {
            *self.entries.entry(voter.number).or_default() += 1;
        }
        if let LogEntry::Spoiled(..) = entry {
            for answer in &ballot.answers {
                for s in &answer.slots {
                    self.revealed.insert(*s.ct.alpha.bytes(), at);
                }
            }
        }
        Ok(())
    }

    /// A reserved entry was appended at `index`.
    pub fn placed(&mut self, entry: &LogEntry, index: u64) {
        let ballot = entry.ballot();
        self.seen.insert(fingerprint(ballot), index);
        self.placed_reveal(entry, index);
    }

    /// An entry read back from the log (checked when it was appended) at `index`, by `voter`
    /// (none for a version-3 challenged ballot).
    pub fn replay(&mut self, voter: Option<Voter>, entry: &LogEntry, index: u64) {
        self.seen.insert(fingerprint(entry.ballot()), index);
        if let (Some(_), Some(voter)) = (self.cap, voter) {
            *self.entries.entry(voter.number).or_default() += 1;
        }
        self.placed_reveal(entry, index);
    }

    fn placed_reveal(&mut self, entry: &LogEntry, index: u64) {
        let ballot = entry.ballot();
        if let LogEntry::Spoiled(..) = entry {
            for answer in &ballot.answers {
                for s in &answer.slots {
                    self.revealed.insert(*s.ct.alpha.bytes(), index);
                }
            }
        }
    }

    /// A reserved entry of `voter` was not appended after all.
    pub fn withdraw(&mut self, voter: Option<Voter>, entry: &LogEntry) {
        let ballot = entry.ballot();
        if self.seen.get(&fingerprint(ballot)) == Some(&PENDING) {
            self.seen.remove(&fingerprint(ballot));
            if let Some(count) = voter.and_then(|v| self.entries.get_mut(&v.number)) {
                *count = count.saturating_sub(1);
            }
            if let LogEntry::Spoiled(..) = entry {
                for answer in &ballot.answers {
                    for s in &answer.slots {
                        self.revealed.remove(s.ct.alpha.bytes());
                    }
                }
            }
        }
    }
}
