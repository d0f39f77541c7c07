//! The independent verifier. Given a record directory it checks, from the public data alone:
//! the manifest and parameters; the key ceremony and its complaints; the credential list; the
//! election hashes; every log entry (proofs, signature, credential, region, supersession, the
//! reveal of spoiled ballots); the log's tree against every signed checkpoint and the consistency
//! proofs between them; every tally sum; every partial decryption and its proof; and the results.
//!
//! It reports **every** failure with its location and never stops at the first. The log is
//! streamed in chunks through a bounded channel and verified in parallel batches (one multiscalar
//! multiplication per batch, falling back to one ballot at a time to name a bad one), and a long
//! credential list is sorted on disk (`crate::electorate`), so memory stays flat in the number of
//! registered voters; what grows is per entry and per voter who cast (the order checks' memory
//! of each entry, and each voter's last counted ballot in the tally).

use crate::actors::{
    acknowledgement_message, authenticated_messages, signed_by, AcknowledgementsJson, Actor, AuthorityJson,
    RegionCountJson, RegistrarJson, TAG_ACKNOWLEDGEMENT, TAG_AUTHORITY, TAG_REGISTRAR,
};
use crate::admission::{self, LogOrder, Refusal};
use crate::checkpoint::LogVerifier;
use crate::convention::{ConstitutionJson, ConventionState};
use crate::electorate::ElectorateBuilder;
use crate::files;
use crate::format::*;
use crate::log::{self, checkpoint_message, Hash, RootAccumulator};
use crate::results::{check_trustee_decryption, decrypt_scope, decryption_signed, empty_shares, ratify, table_for};
use crate::tally::{Electorate, ScopeSum, TallyAccumulator, Voter};
use crate::writer::{base_hash, credentials_hasher, manifest_hash};
use convene_crypto::ballot::ElectionContext;
use convene_crypto::batch::BatchVerifier;
use convene_crypto::ceremony::{verify_ceremony, CeremonyFinding, CeremonyOutcome, CeremonyParams};
use convene_crypto::elgamal::ElectionKey;
use convene_crypto::encoding::to_hex;
use convene_crypto::proofs::schnorr::{push_signature, TAG_CHECKPOINT};
use rayon::prelude::*;
use sha2::Digest;
use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::mpsc::sync_channel;

pub use crate::failure::{Code, Failure};

/// What the verifier found.
#[derive(Debug, Default)]
pub struct Report {
    /// Every check that failed, with its code and location (`docs/failure-codes.md`).
    pub failures: Vec<Failure>,
    /// Things the record itself declares and the verifier confirmed, e.g. an excluded trustee.
    pub notes: Vec<String>,
    /// Who acted, as the manifest names them: trustees, authority, registrar, code issuer, weights.
    pub who: Vec<String>,
    /// The manifest, once read.
    pub manifest: Option<Manifest>,
    /// How many credentials the list holds.
    pub registered: u64,
    /// How many log entries there are.
    pub entries: u64,
    /// How many are cast ballots.
    pub cast: u64,
    /// How many are challenged ballots.
    pub spoiled: u64,
    /// How many cast ballots a later one under the same credential superseded.
    pub superseded: u64,
    /// How many ballots count.
    pub counted: u64,
    /// The results, once read.
    pub results: Option<ResultsJson>,
    /// The record's format version (its manifest's or charter's), once read: every other
    /// document must carry it.
    record_version: Option<u32>,
}

impl Report {
    /// Whether every check held.
    pub fn ok(&self) -> bool {
        self.failures.is_empty()
    }

    pub(crate) fn fail(&mut self, code: Code, location: impl Into<String>, check: impl Into<String>) {
        self.failures.push(Failure::new(code, location, check));
    }
}

/// How the verifier tells a caller how far it has got (the CLI draws a progress bar).
pub trait Progress: Sync {
    /// A new stage begins, with `total` units of work (bytes of the log, or items).
    fn stage(&self, name: &str, total: u64);
    /// `done` more units of the stage's work are done.
    fn advance(&self, done: u64);
}

/// A progress sink that shows nothing.
pub struct Quiet;

impl Progress for Quiet {
    fn stage(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
}

/// Lines per chunk handed from the reader thread to the verifying threads.
const CHUNK_LINES: usize = 4096;
/// Ballots per multiscalar multiplication.
const BATCH_BALLOTS: usize = 128;

fn read(dir: &Path, name: &str, report: &mut Report) -> Option<Vec<u8>> {
    match fs::read(dir.join(name)) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            report.fail(Code::FileUnreadable, name, format!("cannot read: {e}"));
            None
        }
    }
}

fn parse<T: serde::de::DeserializeOwned>(dir: &Path, name: &str, report: &mut Report) -> Option<T> {
    let bytes = read(dir, name, report)?;
    match serde_json::from_slice(&bytes) {
        Ok(v) => Some(v),
        Err(e) => {
            report.fail(Code::DocumentInvalid, name, format!("not a valid document: {e}"));
            None
        }
    }
}

fn version_ok(name: &str, version: u32, report: &mut Report) -> bool {
    if let Err(e) = check_version(version) {
        report.fail(Code::VersionUnsupported, name, e.to_string());
        return false;
    }
    match report.record_version {
        Some(record) if record != version => {
            report.fail(
                Code::VersionUnsupported,
                name,
                format!("this document is format version {version}, but the record is version {record}"),
            );
            false
        }
        _ => true,
    }
}

/// What the verifier has recomputed once every check up to the tally holds or is reported:
/// what a trustee's tool needs before it decrypts anything.
pub struct Tallied {
    /// The manifest.
    pub manifest: Manifest,
    /// The election context (base hash, key, question shapes).
    pub context: ElectionContext,
    /// The ceremony's outcome, recomputed.
    pub outcome: CeremonyOutcome,
    /// The tally recomputed from the log, per scope.
    pub computed: Vec<(String, ScopeSum)>,
    /// The published tally, if it could be read (each difference from `computed` is a failure).
    pub published: Option<PublishedTally>,
    /// Registered weight per region, from the credential list.
    pub registered: Vec<u64>,
    /// Version 2: the log the tally counts (its final checkpoint), which decryptions bind.
    pub log: Option<LogHead>,
    /// The manifest's hash.
    pub manifest_hash: Hash,
}

/// Verifies the record in `dir`.
pub fn verify_record(dir: &Path, progress: &dyn Progress) -> Report {
    let (mut report, tallied) = verify_until_tally(dir, progress);
    if let Some(t) = tallied {
        if let Some(published) = &t.published {
            check_decryption_and_results(
                dir,
                &t.manifest,
                &t.context,
                &t.outcome,
                published,
                &t.registered,
                t.log.as_ref(),
                &t.manifest_hash,
                progress,
                &mut report,
            );
        }
    }
    report
}

/// `timeline.json` (docs/timeline.md), with the record of the convention that handed the
/// constitution off: signed by its chair, dating exactly its milestones, after a ratified
/// verdict, no earlier than the first witness's cosignature of the final log, every date
/// recomputed.
pub fn check_timeline(dir: &Path, convention: &crate::convention::ConventionState, report: &mut Report) {
    use crate::timeline::{first_cosigned_day, TimelineJson, TIMELINE};
    if !dir.join(TIMELINE).is_file() {
        return;
    }
    let Some(timeline) = parse::<TimelineJson>(dir, TIMELINE, report) else { return };
    let Some(manifest_bytes) = std::fs::read(dir.join(files::MANIFEST)).ok() else { return };
    let Ok(manifest) = Manifest::parse(&manifest_bytes) else { return };
    let results = parse::<ResultsJson>(dir, files::RESULTS, report);
    let checkpoints = std::fs::read(dir.join(files::CHECKPOINTS)).unwrap_or_default();
    let not_before = first_cosigned_day(&checkpoints, &manifest);
    match timeline.check(&manifest, &manifest_hash(&manifest_bytes), convention, results.as_ref(), not_before) {
        Ok(dates) => report.notes.push(format!(
            "timeline: ratified on {}; {} milestones dated ({})",
            timeline.ratified_on,
            dates.len(),
            timeline
                .milestones
                .iter()
                .map(|m| format!("article {} on {}", m.article, m.date))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Err(e) => report.fail(Code::TimelineInvalid, TIMELINE, e),
    }
}

/// Verifies the record in `dir` up to its tally: the manifest, the ceremony, the credentials,
/// the election hashes, every checkpoint, every log entry, and the published tally against the
/// one recomputed from the log. Decryption and results are not looked at.
pub fn verify_until_tally(dir: &Path, progress: &dyn Progress) -> (Report, Option<Tallied>) {
    let mut report = Report::default();
    let report = &mut report;
    let tallied = until_tally(dir, progress, report);
    (std::mem::take(report), tallied)
}

/// What the verifier has recomputed of an election before any ballot: its manifest, the election
/// key from the ceremony (never the one a server claims), the base hash, the electorate.
pub struct Opened {
    /// The manifest.
    pub manifest: Manifest,
    /// Its hash.
    pub manifest_hash: Hash,
    /// The election context, with the key the ceremony gives.
    pub context: ElectionContext,
    /// The ceremony's outcome, recomputed.
    pub outcome: CeremonyOutcome,
    /// The credential list.
    pub electorate: Electorate,
}

/// Verifies a record up to the opening of voting — the manifest and its signatures, the key
/// ceremony (recomputing the election key), the credential list and its statement, the election
/// hashes, the trustees' acknowledgements — and returns what a voter's tool must encrypt under:
/// it reads no log, so it runs on what a server publishes before anyone votes.
pub fn verify_until_open(dir: &Path, progress: &dyn Progress) -> (Report, Option<Opened>) {
    let mut report = Report::default();
    let opened = until_open(dir, progress, &mut report);
    (report, opened)
}

fn until_tally(dir: &Path, progress: &dyn Progress, report: &mut Report) -> Option<Tallied> {
    let Opened { manifest, manifest_hash, context, outcome, electorate } = until_open(dir, progress, report)?;
    let shapes = manifest.shapes();
    let mut tally = TallyAccumulator::new(shapes.clone(), &electorate);

    // Checkpoints are read before the log so that the log's roots can be checked as it streams.
    let log_verifier = LogVerifier::of(&manifest, &manifest_hash).expect("checked by Manifest::parse");
    if let LogVerifier::Note(w) = &log_verifier {
        if w.witnesses.is_empty() {
            report.notes.push(NO_WITNESSES_NOTE.to_string());
        }
    }
    let checkpoints = check_checkpoint_signatures(dir, &log_verifier, None, report);

    // The log.
    let rules = (manifest.version, manifest.max_ballots_per_credential);
    let roots = check_log(dir, &context, &electorate, &mut tally, &checkpoints, rules, progress, report);
    let mut log = None;
    if let Some((roots, whole)) = roots {
        check_checkpoint_roots(dir, &checkpoints, &roots, report.entries, report);
        log = Some(LogHead { size: report.entries, root: whole });
    }
    report.superseded = tally.superseded();

    // The tally, against the log.
    let computed = tally.scopes(manifest.min_region_ballots);
    report.counted = computed.last().map(|(_, s)| s.counted).unwrap_or(0);
    let published = check_tally(dir, &computed, manifest.version, log.as_ref(), report);
    let registered = electorate.registered_by_region();
    // Decryptions must be of this log: the whole log as read, whatever its checkpoints say.
    let log = (manifest.version >= 2).then_some(log).flatten();
    Some(Tallied { manifest, context, outcome, computed, published, registered, log, manifest_hash })
}

fn until_open(dir: &Path, progress: &dyn Progress, report: &mut Report) -> Option<Opened> {
    if !dir.is_dir() {
        report.fail(Code::NotARecord, dir.display().to_string(), "not a directory; give the record's directory");
        return None;
    }
    // The manifest: everything else is bound to it.
    let manifest_bytes = read(dir, files::MANIFEST, report)?;
    let manifest = match Manifest::parse(&manifest_bytes) {
        Ok(m) => m,
        Err(e) => {
            report.fail(Code::ManifestInvalid, files::MANIFEST, e.to_string());
            return None;
        }
    };
    report.manifest = Some(manifest.clone());
    report.record_version = Some(manifest.version);
    let manifest_hash = manifest_hash(&manifest_bytes);
    let shapes = manifest.shapes();
    check_authority(dir, &manifest, &manifest_hash, report);

    // The text a convention handed to this referendum: the voters ratified exactly these bytes.
    // Its official translations, each with the hash its translation in the manifest gives.
    for file in files::constitution_files(&manifest) {
        let expected = match file.as_str() {
            files::CONSTITUTION_MD => manifest.origin.as_ref().and_then(|o| o.constitution_sha256.clone()),
            _ => manifest
                .translations
                .iter()
                .find(|(tag, _)| crate::format::constitution_file(tag) == file)
                .and_then(|(_, t)| t.constitution_sha256.clone()),
        };
        if let (Some(expected), Some(text)) = (expected, read(dir, &file, report)) {
            let actual = to_hex(&sha2::Sha256::digest(&text));
            if actual != expected {
                report.fail(
                    Code::ConstitutionMismatch,
                    &file,
                    format!("its SHA-256 is {actual}, but the manifest says {expected}"),
                );
            }
        }
    }

    // The key ceremony.
    progress.stage("key ceremony", 1);
    let outcome = check_ceremony(dir, &manifest, &manifest_hash, report)?;
    progress.advance(1);

    // The credential list.
    let (credentials_hash, electorate) = check_credentials(dir, &manifest, progress, report)?;
    report.registered = electorate.len();
    if manifest.version >= 2 && manifest.registrar.is_some() {
        check_registrar(dir, &manifest, &manifest_hash, &credentials_hash, &electorate, report);
    }

    // The election hashes.
    let base = base_hash(&manifest_hash, &credentials_hash, &manifest, &outcome);
    if let Some(election) = parse::<ElectionJson>(dir, files::ELECTION, report) {
        if version_ok(files::ELECTION, election.version, report) {
            for (name, claimed, actual) in [
                ("manifest_hash", &election.manifest_hash, &manifest_hash),
                ("credentials_hash", &election.credentials_hash, &credentials_hash),
                ("base_hash", &election.base_hash, &base),
            ] {
                if *claimed != to_hex(actual) {
                    report.fail(
                        Code::ElectionHash,
                        format!("{} {name}", files::ELECTION),
                        format!("published {claimed}, computed {}", to_hex(actual)),
                    );
                }
            }
        }
    }
    let key = match ElectionKey::new(outcome.key) {
        Ok(k) => k,
        Err(e) => {
            report.fail(Code::CeremonyOutcome, files::CEREMONY, format!("election key: {e}"));
            return None;
        }
    };
    let context = ElectionContext { base, key, questions: shapes };
    if manifest.version >= 2 {
        check_acknowledgements(dir, &manifest, &manifest_hash, &base, &outcome, report);
    }
    Some(Opened { manifest, manifest_hash, context, outcome, electorate })
}

mod ballots;
mod checkpoints;
mod convention_record;
mod counting;
mod opening;
mod receipts;
pub use ballots::*;
pub use checkpoints::*;
pub use convention_record::*;
use counting::*;
use opening::*;
pub use receipts::*;
