//! What the verifier reports: a failed check with a stable **code**, a location and words. The
//! code is what a machine (a conformance test, an independent verifier, `convene verify --json`)
//! compares; the words are for people and may change. `docs/failure-codes.md` lists every code,
//! and a test holds that list to [`Code::ALL`].

use serde::Serialize;

macro_rules! codes {
    ($($variant:ident = $text:literal,)*) => {
        /// A stable failure code. Its spelling (`Code::as_str`) never changes once released.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $(#[doc = concat!("`", $text, "` (docs/failure-codes.md).")] $variant,)* }

        impl Code {
            /// Every code (each listed in `docs/failure-codes.md`).
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code's spelling, as reports and `docs/failure-codes.md` give it.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }
        }
    };
}

codes! {
    // The record as a whole and its documents.
    NotARecord = "record-not-a-directory",
    FileUnreadable = "file-unreadable",
    DocumentInvalid = "document-invalid",
    VersionUnsupported = "version-unsupported",
    ManifestInvalid = "manifest-invalid",
    ConstitutionMismatch = "constitution-mismatch",
    // The dated timeline (docs/timeline.md).
    TimelineInvalid = "timeline-invalid",
    // Version 2: who signed what.
    AuthoritySignature = "authority-signature",
    CeremonySignature = "ceremony-signature",
    RegistrarStatement = "registrar-statement",
    RegistrarSignature = "registrar-signature",
    CredentialWeight = "credential-weight",
    AcknowledgementMissing = "acknowledgement-missing",
    AcknowledgementSignature = "acknowledgement-signature",
    BallotCap = "ballot-cap",
    // Version 3: challenged ballots under one-time keys.
    BallotOneTimeKey = "ballot-one-time-key",
    TallyLog = "tally-log",
    DecryptionSignature = "decryption-signature",
    // The key ceremony.
    CeremonyInvalid = "ceremony-invalid",
    CeremonyIncomplete = "ceremony-incomplete",
    CeremonyOutcome = "ceremony-outcome",
    // The credential list and the election hashes.
    CredentialInvalid = "credential-invalid",
    CredentialDuplicate = "credential-duplicate",
    ElectionHash = "election-hash",
    // Checkpoints.
    CheckpointInvalid = "checkpoint-invalid",
    CheckpointOrder = "checkpoint-order",
    CheckpointSignature = "checkpoint-signature",
    CheckpointMissing = "checkpoint-missing",
    CheckpointBeyondLog = "checkpoint-beyond-log",
    CheckpointRoot = "checkpoint-root",
    CheckpointIncomplete = "checkpoint-incomplete",
    // Version 4: witnessed checkpoints.
    CheckpointCosignature = "checkpoint-cosignature",
    CheckpointQuorum = "checkpoint-quorum",
    ConsistencyProof = "consistency-proof",
    // Log entries (ballots).
    EntryInvalid = "entry-invalid",
    BallotIneligible = "ballot-ineligible",
    BallotRegion = "ballot-region",
    BallotProof = "ballot-proof",
    BallotSignature = "ballot-signature",
    BallotIdentity = "ballot-identity",
    BallotRepeated = "ballot-repeated",
    BallotReusesReveal = "ballot-reuses-reveal",
    RevealInvalid = "reveal-invalid",
    // The tally.
    TallyScopes = "tally-scopes",
    TallyShape = "tally-shape",
    TallyInvalid = "tally-invalid",
    TallyMismatch = "tally-mismatch",
    // Decryption and results.
    DecryptionTrustee = "decryption-trustee",
    DecryptionShape = "decryption-shape",
    DecryptionInvalid = "decryption-invalid",
    DecryptionProof = "decryption-proof",
    ResultsBound = "results-bound",
    ResultsUndecryptable = "results-undecryptable",
    ResultsMismatch = "results-mismatch",
    RatificationMismatch = "ratification-mismatch",
    RatificationInvalid = "ratification-invalid",
    // A convention's record, its secret votes and its hand-off.
    CharterInvalid = "charter-invalid",
    EventRefused = "event-refused",
    SecretVoteMissing = "secret-vote-missing",
    SecretVoteElectorate = "secret-vote-electorate",
    SecretVoteCounts = "secret-vote-counts",
    HandOff = "hand-off",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One failed check: its code, where, and what, in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The stable code.
    pub code: Code,
    /// Which item: `log entry 17`, `checkpoint 2 (size 1000)`, `decryption trustee 3 north question 0 slot 1` …
    pub location: String,
    /// Which check failed, in words.
    pub check: String,
}

impl Failure {
    /// A failure of `code` at `location`: `check` says which check, in words.
    pub fn new(code: Code, location: impl Into<String>, check: impl Into<String>) -> Failure {
        Failure { code, location: location.into(), check: check.into() }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} [{}]", self.location, self.check, self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spec lists every code the verifier can report, and names no code it cannot.
    #[test]
    fn every_failure_code_is_in_the_spec() {
        let spec = include_str!("../../../docs/failure-codes.md");
        for code in Code::ALL {
            assert!(spec.contains(&format!("| `{}` |", code.as_str())), "{code} is not in docs/failure-codes.md");
        }
        let listed = spec.lines().filter(|l| l.starts_with("| `")).count();
        assert_eq!(listed, Code::ALL.len(), "docs/failure-codes.md lists a code the verifier does not have");
        let mut spellings: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        spellings.sort();
        spellings.dedup();
        assert_eq!(spellings.len(), Code::ALL.len(), "two codes share a spelling");
    }
}
