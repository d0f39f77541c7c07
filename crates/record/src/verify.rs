//! The independent verifier. Given a record directory it checks, from the public data alone:
//! the manifest and parameters; the key ceremony and its complaints; the credential list; the
//! election hashes; every log entry (proofs, signature, credential, region, supersession, the
//! reveal of spoiled ballots); the log's tree against every signed checkpoint and the consistency
//! proofs between them; every tally sum; every partial decryption and its proof; and the results.
//!
//! It reports **every** failure with its location and never stops at the first. The log is
//! streamed in chunks through a bounded channel and verified in parallel batches (one multiscalar
//! multiplication per batch, falling back to one ballot at a time to name a bad one), so memory
//! stays flat in the number of ballots: what grows is O(registered voters), in the tally.

use crate::actors::{
    acknowledgement_message, authenticated_messages, signed_by, AcknowledgementsJson, Actor, AuthorityJson,
    RegionCountJson, RegistrarJson, TAG_ACKNOWLEDGEMENT, TAG_AUTHORITY, TAG_REGISTRAR,
};
use crate::admission::{self, LogOrder, Refusal};
use crate::checkpoint::LogVerifier;
use crate::convention::{ConstitutionJson, ConventionState};
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
pub use crate::hand_off::check_hand_off;

/// What the verifier found.
#[derive(Debug, Default)]
pub struct Report {
    pub failures: Vec<Failure>,
    /// Things the record itself declares and the verifier confirmed, e.g. an excluded trustee.
    pub notes: Vec<String>,
    /// Who acted, as the manifest names them: trustees, authority, registrar, code issuer, weights.
    pub who: Vec<String>,
    pub manifest: Option<Manifest>,
    pub registered: u64,
    pub entries: u64,
    pub cast: u64,
    pub spoiled: u64,
    pub superseded: u64,
    pub counted: u64,
    pub results: Option<ResultsJson>,
    /// The record's format version (its manifest's or charter's), once read: every other
    /// document must carry it.
    record_version: Option<u32>,
}

impl Report {
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
    pub manifest: Manifest,
    pub context: ElectionContext,
    pub outcome: CeremonyOutcome,
    /// The tally recomputed from the log, per scope.
    pub computed: Vec<(String, ScopeSum)>,
    /// The published tally, if it could be read (each difference from `computed` is a failure).
    pub published: Option<PublishedTally>,
    /// Registered weight per region, from the credential list.
    pub registered: Vec<u64>,
    /// Version 2: the log the tally counts (its final checkpoint), which decryptions bind.
    pub log: Option<LogHead>,
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
    pub manifest: Manifest,
    pub manifest_hash: Hash,
    pub context: ElectionContext,
    pub outcome: CeremonyOutcome,
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
    let checkpoints = check_checkpoint_signatures(dir, &log_verifier, report);

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
    if let Some(expected) = manifest.origin.as_ref().and_then(|o| o.constitution_sha256.as_ref()) {
        if let Some(text) = read(dir, files::CONSTITUTION_MD, report) {
            let actual = to_hex(&sha2::Sha256::digest(&text));
            if &actual != expected {
                report.fail(
                    Code::ConstitutionMismatch,
                    files::CONSTITUTION_MD,
                    format!("its SHA-256 is {actual}, but the manifest's origin says {expected}"),
                );
            }
        }
    }

    // The key ceremony.
    progress.stage("key ceremony", 1);
    let outcome = check_ceremony(dir, &manifest, &manifest_hash, report)?;
    progress.advance(1);

    // The credential list.
    let mut electorate = Electorate::new(manifest.regions.clone());
    let credentials_hash = check_credentials(dir, &manifest, &mut electorate, progress, report)?;
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

/// Who the record says acted, for people to compare with what was announced; in version 2 the
/// authority's signature of the manifest.
fn check_authority(dir: &Path, manifest: &Manifest, manifest_hash: &Hash, report: &mut Report) {
    let t = &manifest.trustees;
    if manifest.version < 2 {
        report.who.push(format!("trustees: {} of {} needed to decrypt (named by number only)", t.t, t.n));
        report.notes.push(V1_NOTE.to_string());
        return;
    }
    let show = |a: &Actor| format!("{} (key {})", a.name, a.key);
    report.who.push(format!("trustees: {} of {} needed to decrypt:", t.t, t.n));
    for (k, m) in t.members.iter().enumerate() {
        report.who.push(format!("  {}. {}", k + 1, show(m)));
    }
    match (&manifest.authority, &manifest.origin) {
        (Some(a), _) => report.who.push(format!("election authority: {}", show(a))),
        (None, Some(o)) => report.who.push(format!(
            "election authority: convention {} (every manifest field is derived from its log and checked)",
            o.convention
        )),
        (None, None) => {}
    }
    match (&manifest.registrar, manifest.origin.as_ref().and_then(|o| o.vote)) {
        (Some(r), _) => report.who.push(format!("registrar: {}", show(r))),
        (None, Some(v)) => report.who.push(format!(
            "registrar: none — the electorate of secret vote {v} is the delegates in office, checked against the convention"
        )),
        (None, None) => {}
    }
    if manifest.version >= crate::checkpoint::WITNESSED_VERSION {
        let names: Vec<String> = manifest
            .witnesses
            .iter()
            .map(|w| {
                convene_note::Verifier::parse(&w.key)
                    .map_or_else(|_| w.key.clone(), |v| format!("{} ({})", v.name, w.url))
            })
            .collect();
        report.who.push(match names.is_empty() {
            true => "witnesses: none (nobody but the host vouches for the log)".to_string(),
            false => format!(
                "witnesses: {} of {} must cosign every checkpoint: {}",
                manifest.witness_quorum,
                names.len(),
                names.join(", ")
            ),
        });
    }
    report.who.push(match &manifest.code_issuer {
        Some(issuer) => format!("sign-in codes: issued by {}, apart from the registrar", show(issuer)),
        None => {
            "sign-in codes: on the registrar's sheet (one-sheet mode: the registrar alone could sign in as any voter)"
                .to_string()
        }
    });
    report.who.push(match manifest.max_weight {
        Some(1) | None => "weights: none (one credential, one vote)".to_string(),
        Some(w) => format!("weights: allowed, up to {w} per credential"),
    });
    if let Some(cap) = manifest.max_ballots_per_credential {
        report.who.push(format!("ballots: at most {cap} log entries per credential"));
    }
    if manifest.authority.is_none() {
        return;
    }
    let Some(doc) = parse::<AuthorityJson>(dir, files::AUTHORITY, report) else { return };
    let key = manifest.authority.as_ref().and_then(|a| a.public().ok());
    let signed = key.is_some_and(|k| signed_by(TAG_AUTHORITY, manifest_hash, &k, b"", &doc.signature));
    if !signed {
        report.fail(Code::AuthoritySignature, files::AUTHORITY, "not the authority's signature of this manifest");
    }
}

/// Version 2: the registrar's statement is exactly the published list (hash, per-region counts
/// and weights, totals), signed by the registrar's key; no weight exceeds the manifest's maximum.
fn check_registrar(
    dir: &Path,
    manifest: &Manifest,
    manifest_hash: &Hash,
    credentials_hash: &Hash,
    electorate: &Electorate,
    report: &mut Report,
) {
    let max = manifest.max_weight.unwrap_or(1);
    let heaviest = electorate.heaviest();
    if heaviest > max {
        report.fail(
            Code::CredentialWeight,
            files::CREDENTIALS,
            format!("a credential has weight {heaviest}; the manifest allows at most {max}"),
        );
    }
    let Some(doc) = parse::<RegistrarJson>(dir, files::REGISTRAR, report) else { return };
    let credentials = electorate.credentials_by_region();
    let weights = electorate.registered_by_region();
    let expected: Vec<RegionCountJson> = manifest
        .regions
        .iter()
        .enumerate()
        .map(|(r, region)| RegionCountJson { region: region.clone(), credentials: credentials[r], weight: weights[r] })
        .collect();
    let same = doc.credentials_hash == to_hex(credentials_hash)
        && doc.regions == expected
        && doc.credentials == credentials.iter().sum::<u64>()
        && doc.weight == weights.iter().sum::<u64>();
    if !same {
        report.fail(
            Code::RegistrarStatement,
            files::REGISTRAR,
            format!(
                "the registrar attests {} credentials of weight {}; the published list has {} of weight {} (or other regions or hash)",
                doc.credentials,
                doc.weight,
                credentials.iter().sum::<u64>(),
                weights.iter().sum::<u64>()
            ),
        );
    }
    let key = manifest.registrar.as_ref().and_then(|r| r.public().ok());
    let signed = match (key, doc.message()) {
        (Some(k), Ok(message)) => signed_by(TAG_REGISTRAR, manifest_hash, &k, &message, &doc.signature),
        _ => false,
    };
    if !signed {
        report.fail(Code::RegistrarSignature, files::REGISTRAR, "not the registrar's signature of its statement");
    }
}

/// Version 2: every qualified trustee acknowledged `K`, its `X_j` and the base hash.
fn check_acknowledgements(
    dir: &Path,
    manifest: &Manifest,
    manifest_hash: &Hash,
    base: &Hash,
    outcome: &CeremonyOutcome,
    report: &mut Report,
) {
    let Some(doc) = parse::<AcknowledgementsJson>(dir, files::ACKNOWLEDGEMENTS, report) else { return };
    for (j, verification_key) in &outcome.verification_keys {
        let location = format!("{} trustee {j}", files::ACKNOWLEDGEMENTS);
        let Some(ack) = doc.acknowledgements.iter().find(|a| a.trustee == *j) else {
            report.fail(
                Code::AcknowledgementMissing,
                location,
                "this qualified trustee did not acknowledge the election key",
            );
            continue;
        };
        let message = acknowledgement_message(*j, base, &outcome.key, verification_key);
        let signed = manifest
            .trustee_key(*j)
            .is_some_and(|k| signed_by(TAG_ACKNOWLEDGEMENT, manifest_hash, &k, &message, &ack.signature));
        if !signed {
            report.fail(
                Code::AcknowledgementSignature,
                location,
                "not this trustee's signature of K, its X_j and the base hash",
            );
        }
    }
}

fn check_ceremony(
    dir: &Path,
    manifest: &Manifest,
    manifest_hash: &Hash,
    report: &mut Report,
) -> Option<CeremonyOutcome> {
    let ceremony: CeremonyJson = parse(dir, files::CEREMONY, report)?;
    // When the ceremony does not verify, the checks that do not depend on it go on with the
    // outcome the record claims (the key, the verification keys), so that every other failure
    // is still named.
    let claimed = || ceremony.outcome().ok();
    let (round1, shares, complaints) = match authenticated_messages(manifest, manifest_hash, &ceremony) {
        Ok((messages, dropped)) => {
            for unsigned in dropped {
                report.fail(
                    Code::CeremonySignature,
                    files::CEREMONY,
                    format!(
                        "{} is not signed by that trustee's key in the manifest, so it does not count",
                        unsigned.what
                    ),
                );
            }
            messages
        }
        Err(e) => {
            report.fail(Code::CeremonyInvalid, files::CEREMONY, e.to_string());
            return claimed();
        }
    };
    let params = CeremonyParams { manifest_hash: *manifest_hash, n: manifest.trustees.n, t: manifest.trustees.t };
    let (outcome, findings) = match verify_ceremony(&params, &round1, &shares, &complaints) {
        Ok(v) => v,
        Err(e) => {
            report.fail(Code::CeremonyIncomplete, files::CEREMONY, format!("the ceremony does not complete: {e}"));
            return claimed();
        }
    };
    for finding in findings {
        match finding {
            CeremonyFinding::BadRound1 { trustee, why } => {
                report.notes.push(format!("trustee {trustee} excluded: invalid round-1 message ({why})"))
            }
            CeremonyFinding::ComplaintUpheld { dealer, accuser } => report
                .notes
                .push(format!("trustee {dealer} excluded: trustee {accuser}'s complaint against its share is upheld")),
            CeremonyFinding::ComplaintDismissed { dealer, accuser, why } => {
                report.notes.push(format!("trustee {accuser}'s complaint against trustee {dealer} dismissed: {why}"))
            }
            CeremonyFinding::BadShare { dealer, recipient, why } => report.notes.push(format!(
                "trustee {dealer} excluded: its share for trustee {recipient} is proof against it ({why})"
            )),
            CeremonyFinding::MissingShare { dealer, recipient } => {
                report.notes.push(format!("trustee {dealer} excluded: dealt no share to trustee {recipient}"))
            }
        }
    }
    let published = &ceremony.outcome;
    let location = format!("{} outcome", files::CEREMONY);
    if published.qualified != outcome.qualified {
        report.fail(
            Code::CeremonyOutcome,
            &location,
            format!("published qualified trustees {:?}, computed {:?}", published.qualified, outcome.qualified),
        );
    }
    if published.election_key != outcome.key.to_hex() {
        report.fail(
            Code::CeremonyOutcome,
            &location,
            "the published election key is not the sum of the qualified trustees' commitments",
        );
    }
    let computed: Vec<(u32, String)> = outcome.verification_keys.iter().map(|(j, k)| (*j, k.to_hex())).collect();
    let claimed: Vec<(u32, String)> = published.verification_keys.iter().map(|v| (v.trustee, v.key.clone())).collect();
    if computed != claimed {
        report.fail(
            Code::CeremonyOutcome,
            &location,
            "the published verification keys do not follow from the commitments",
        );
    }
    Some(outcome)
}

fn check_credentials(
    dir: &Path,
    manifest: &Manifest,
    electorate: &mut Electorate,
    progress: &dyn Progress,
    report: &mut Report,
) -> Option<Hash> {
    let path = dir.join(files::CREDENTIALS);
    let file = match fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            report.fail(Code::FileUnreadable, files::CREDENTIALS, format!("cannot read: {e}"));
            return None;
        }
    };
    let length = file.metadata().map(|m| m.len()).unwrap_or(0);
    progress.stage("credentials", length);
    let mut hasher = credentials_hasher(length);
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line = Vec::new();
    let mut number = 0u64;
    let mut read_total = 0u64;
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(n) => {
                read_total += n as u64;
                progress.advance(n as u64);
            }
            Err(e) => {
                report.fail(Code::FileUnreadable, files::CREDENTIALS, format!("cannot read: {e}"));
                return None;
            }
        }
        hasher.update(&line);
        number += 1;
        let location = || format!("{} line {number}", files::CREDENTIALS);
        match parse_credential_line(&line, manifest) {
            Err(e) => report.fail(Code::CredentialInvalid, location(), e),
            Ok(listed) => {
                if !electorate.register(*listed.credential.bytes(), listed.region as u16, listed.weight) {
                    report.fail(Code::CredentialDuplicate, location(), "this credential is listed twice");
                }
            }
        }
    }
    if read_total != length || length > u32::MAX as u64 {
        report.fail(Code::FileUnreadable, files::CREDENTIALS, "the file changed while it was read, or is over 4 GiB");
    }
    Some(hasher.finalize().into())
}

/// What a version-4 record without witnesses cannot prove.
pub const NO_WITNESSES_NOTE: &str =
    "the manifest names no witnesses: nobody but the host vouches that every voter was \
shown this same log, so a split view is not ruled out (protocol note §13)";

fn check_checkpoint_signatures(dir: &Path, verifier: &LogVerifier, report: &mut Report) -> Vec<(u64, Option<Hash>)> {
    let Some(doc) = parse::<CheckpointsJson>(dir, files::CHECKPOINTS, report) else { return Vec::new() };
    if !version_ok(files::CHECKPOINTS, doc.version, report) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut previous = 0u64;
    // Schnorr signatures go in one batch; only if it fails is each checked alone, to name the
    // bad ones. Notes are checked one by one.
    let mut batch = match verifier {
        LogVerifier::Schnorr { key, .. } => Some((BatchVerifier::new(*key.point()), Vec::new())),
        LogVerifier::Note(_) => None,
    };
    for (k, c) in doc.checkpoints.iter().enumerate() {
        let location = format!("checkpoint {k} (size {})", c.size);
        if k > 0 && c.size <= previous {
            report.fail(Code::CheckpointOrder, &location, "checkpoint sizes must strictly increase");
        }
        previous = c.size;
        let root = match hash("root", &c.root) {
            Ok(r) => r,
            Err(e) => {
                report.fail(Code::CheckpointInvalid, &location, e.to_string());
                out.push((c.size, None));
                continue;
            }
        };
        match (verifier, &mut batch) {
            (LogVerifier::Schnorr { manifest_hash, key }, Some((batch, pushed))) => {
                let message = checkpoint_message(c.size, &root);
                match c.signature.as_ref().filter(|_| c.note.is_none()).map(|s| s.decode()) {
                    Some(Ok(sig))
                        if push_signature(batch, TAG_CHECKPOINT, manifest_hash, key, &message, &sig).is_ok() =>
                    {
                        pushed.push((location, message, sig));
                    }
                    _ => report.fail(Code::CheckpointSignature, &location, "the log key's signature does not verify"),
                }
            }
            _ => {
                if let Err((code, why)) = verifier.check(c) {
                    report.fail(code, &location, why);
                }
            }
        }
        out.push((c.size, Some(root)));
    }
    if let (LogVerifier::Schnorr { manifest_hash, key }, Some((batch, pushed))) = (verifier, batch) {
        if !batch.verify_vartime() {
            for (location, message, sig) in pushed {
                let mut alone = BatchVerifier::new(*key.point());
                let valid = push_signature(&mut alone, TAG_CHECKPOINT, manifest_hash, key, &message, &sig).is_ok()
                    && alone.verify_vartime();
                if !valid {
                    report.fail(Code::CheckpointSignature, &location, "the log key's signature does not verify");
                }
            }
        }
    }
    if out.is_empty() {
        report.fail(
            Code::CheckpointMissing,
            files::CHECKPOINTS,
            "there is no checkpoint; the log must end with a signed checkpoint",
        );
    }
    out
}

fn check_checkpoint_roots(
    dir: &Path,
    checkpoints: &[(u64, Option<Hash>)],
    computed: &[(u64, Hash)],
    log_size: u64,
    report: &mut Report,
) {
    for (k, (size, root)) in checkpoints.iter().enumerate() {
        let location = format!("checkpoint {k} (size {size})");
        match (root, computed.iter().find(|(s, _)| s == size)) {
            (_, None) => {
                report.fail(Code::CheckpointBeyondLog, &location, format!("the log has only {log_size} entries"))
            }
            (Some(claimed), Some((_, actual))) if claimed != actual => report.fail(
                Code::CheckpointRoot,
                &location,
                format!("root {} does not match the log's root {}", to_hex(claimed), to_hex(actual)),
            ),
            _ => {}
        }
    }
    if checkpoints.last().map(|c| c.0) != Some(log_size) {
        report.fail(
            Code::CheckpointIncomplete,
            files::CHECKPOINTS,
            format!("the last checkpoint does not cover the whole log of {log_size} entries"),
        );
    }
    let Some(doc) = parse::<CheckpointsJson>(dir, files::CHECKPOINTS, &mut Report::default()) else { return };
    let root_at = |size: u64| checkpoints.iter().find(|c| c.0 == size).and_then(|c| c.1);
    for (k, pair) in checkpoints.windows(2).enumerate() {
        let location = format!("consistency proof {k} ({} → {})", pair[0].0, pair[1].0);
        let Some(proof) = doc.consistency.iter().find(|p| p.from == pair[0].0 && p.to == pair[1].0) else {
            report.fail(Code::ConsistencyProof, &location, "missing");
            continue;
        };
        let path: Result<Vec<Hash>, _> = proof.proof.iter().map(|h| hash("consistency", h)).collect();
        let holds = match (path, root_at(pair[0].0), root_at(pair[1].0)) {
            (Ok(path), Some(a), Some(b)) => log::verify_consistency(pair[0].0, pair[1].0, &a, &b, &path),
            _ => false,
        };
        if !holds {
            report.fail(
                Code::ConsistencyProof,
                &location,
                "does not prove the later checkpoint extends the earlier one",
            );
        }
    }
}

/// What the parallel stage learns of one log line.
struct EntryOutcome {
    leaf: Hash,
    entry: Option<(LogEntry, Option<Voter>)>,
    refusals: Vec<Refusal>,
}

/// Verifies a batch of log lines with one multiscalar multiplication, falling back to one ballot
/// at a time when the batch fails. The checks are the door's ([`admission::check_alone`]).
fn verify_batch(
    lines: &[Vec<u8>],
    context: &ElectionContext,
    electorate: &Electorate,
    version: u32,
) -> Vec<EntryOutcome> {
    let mut batch = BatchVerifier::new(*context.key.point().point());
    let mut outcomes: Vec<EntryOutcome> = Vec::with_capacity(lines.len());
    for line in lines {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        match LogEntry::parse(line) {
            Err(e) => outcomes.push(EntryOutcome {
                leaf: log::leaf_hash(line),
                entry: None,
                refusals: vec![Refusal::Unreadable(e.to_string())],
            }),
            Ok(entry) => {
                let (voter, refusals) = admission::check_alone(context, electorate, version, &entry, &mut batch);
                let leaf = log::leaf_hash(&entry.entry_bytes(&context.base));
                outcomes.push(EntryOutcome { leaf, entry: Some((entry, voter)), refusals });
            }
        }
    }
    if !batch.verify_vartime() {
        // Fall back to one ballot at a time to name exactly which proofs fail.
        for outcome in &mut outcomes {
            if let Some((entry, _)) = &outcome.entry {
                admission::name_failed_proofs(context, entry.ballot(), &mut outcome.refusals);
            }
        }
    }
    outcomes
}

/// What the sequential stage of the log check produces.
#[derive(Default)]
struct LogSummary {
    roots: Vec<(u64, Hash)>,
    /// The root of the whole log.
    whole: Hash,
    entries: u64,
    cast: u64,
    spoiled: u64,
    failures: Vec<Failure>,
}

/// The sequential stage: the Merkle tree (roots at each checkpoint size), supersession and the
/// tally, in log order.
fn count_in_order(
    chunks: std::sync::mpsc::Receiver<Vec<EntryOutcome>>,
    tally: &mut TallyAccumulator,
    checkpoint_sizes: &[u64],
    cap: Option<u32>,
) -> LogSummary {
    let mut summary = LogSummary::default();
    let mut accumulator = RootAccumulator::default();
    let mut order = LogOrder::new(cap);
    let mut next_checkpoint = checkpoint_sizes.iter().copied().peekable();
    while next_checkpoint.peek() == Some(&0) {
        summary.roots.push((0, accumulator.root()));
        next_checkpoint.next();
    }
    for outcome in chunks.into_iter().flatten() {
        let index = summary.entries;
        accumulator.push(outcome.leaf);
        while next_checkpoint.peek() == Some(&accumulator.size()) {
            summary.roots.push((accumulator.size(), accumulator.root()));
            next_checkpoint.next();
        }
        let mut refusals = outcome.refusals;
        if let (true, Some((entry, voter))) = (refusals.is_empty(), &outcome.entry) {
            if let Err(refusal) = order.admit(Some(index), *voter, entry) {
                refusals.push(refusal);
            }
        }
        let valid = refusals.is_empty();
        for refusal in refusals {
            summary.failures.push(Failure::new(refusal.code(), format!("log entry {index}"), refusal.to_string()));
        }
        match outcome.entry {
            Some((LogEntry::Cast(ballot), voter)) => {
                summary.cast += 1;
                if let (true, Some(voter)) = (valid, voter) {
                    tally.count(index, voter, &ballot);
                }
            }
            Some((LogEntry::Spoiled(..), _)) => summary.spoiled += 1,
            None => {}
        }
        summary.entries += 1;
    }
    summary.whole = accumulator.root();
    summary
}

/// Streams the log through three stages: a reader thread, parallel batch verification, and the
/// sequential count. Bounded channels keep memory flat.
#[allow(clippy::too_many_arguments)] // each is a distinct input of the check
fn check_log(
    dir: &Path,
    context: &ElectionContext,
    electorate: &Electorate,
    tally: &mut TallyAccumulator,
    checkpoints: &[(u64, Option<Hash>)],
    (version, cap): (u32, Option<u32>),
    progress: &dyn Progress,
    report: &mut Report,
) -> Option<(Vec<(u64, Hash)>, Hash)> {
    let file = match fs::File::open(dir.join(files::LOG)) {
        Ok(f) => f,
        Err(e) => {
            report.fail(Code::FileUnreadable, files::LOG, format!("cannot read: {e}"));
            return None;
        }
    };
    progress.stage("ballots", file.metadata().map(|m| m.len()).unwrap_or(0));
    let checkpoint_sizes: Vec<u64> = checkpoints.iter().map(|c| c.0).collect();
    let (line_sender, line_receiver) = sync_channel::<std::io::Result<(Vec<Vec<u8>>, u64)>>(2);
    let (outcome_sender, outcome_receiver) = sync_channel::<Vec<EntryOutcome>>(2);
    let mut read_error = None;
    let summary = std::thread::scope(|scope| {
        scope.spawn(move || read_lines(file, line_sender));
        let counter = scope.spawn(|| count_in_order(outcome_receiver, tally, &checkpoint_sizes, cap));
        for chunk in line_receiver {
            let (lines, bytes) = match chunk {
                Ok(c) => c,
                Err(e) => {
                    read_error = Some(e);
                    break;
                }
            };
            let outcomes: Vec<Vec<EntryOutcome>> = lines
                .par_chunks(BATCH_BALLOTS)
                .map(|batch| verify_batch(batch, context, electorate, version))
                .collect();
            if outcome_sender.send(outcomes.into_iter().flatten().collect()).is_err() {
                break;
            }
            progress.advance(bytes);
        }
        drop(outcome_sender);
        counter.join().expect("the counting thread does not panic")
    });
    report.failures.extend(summary.failures);
    if let Some(e) = read_error {
        report.fail(
            Code::FileUnreadable,
            format!("{} after entry {}", files::LOG, summary.entries),
            format!("cannot read: {e}"),
        );
    }
    report.entries = summary.entries;
    report.cast = summary.cast;
    report.spoiled = summary.spoiled;
    Some((summary.roots, summary.whole))
}

/// The reader stage: chunks of lines, each line at most 16 MiB.
fn read_lines(file: fs::File, sender: std::sync::mpsc::SyncSender<std::io::Result<(Vec<Vec<u8>>, u64)>>) {
    let mut reader = BufReader::with_capacity(1 << 20, file);
    loop {
        let mut lines = Vec::with_capacity(CHUNK_LINES);
        let mut bytes = 0u64;
        while lines.len() < CHUNK_LINES {
            let mut line = Vec::with_capacity(1200);
            match (&mut reader).take(1 << 24).read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(n) => {
                    bytes += n as u64;
                    lines.push(line);
                }
                Err(e) => {
                    let _ = sender.send(Err(e));
                    return;
                }
            }
        }
        if lines.is_empty() || sender.send(Ok((lines, bytes))).is_err() {
            return;
        }
    }
}

/// The published tally, decoded: per scope, its name and sums.
pub type PublishedTally = Vec<(String, ScopeSum)>;

/// Checks each region's published tally against the sum of its counted ballots, and the national
/// tally against the sum of the published regions. Returns the published tally, which is what
/// the trustees decrypted.
fn check_tally(
    dir: &Path,
    scopes: &[(String, ScopeSum)],
    version: u32,
    log: Option<&LogHead>,
    report: &mut Report,
) -> Option<PublishedTally> {
    let tally = parse::<TallyJson>(dir, files::TALLY, report)?;
    if !version_ok(files::TALLY, tally.version, report) {
        return None;
    }
    // Version 2: the tally names the log it counts, the log's final checkpoint.
    if version >= 2 {
        let named = tally.log.as_ref().map(|l| l.decode());
        match (named, log) {
            (Some(Ok(named)), Some(log)) if named == *log => {}
            (Some(Ok(named)), Some(log)) => report.fail(
                Code::TallyLog,
                files::TALLY,
                format!(
                    "names the log of size {} and root {}; the log's final checkpoint is size {} root {}",
                    named.size,
                    to_hex(&named.root),
                    log.size,
                    to_hex(&log.root)
                ),
            ),
            (Some(Err(e)), _) => report.fail(Code::TallyLog, files::TALLY, e.to_string()),
            (None, _) => report.fail(Code::TallyLog, files::TALLY, "a version-2 tally names its log (size and root)"),
            (Some(Ok(_)), None) => {}
        }
    } else if tally.log.is_some() {
        report.fail(Code::TallyLog, files::TALLY, "a version-1 tally names no log");
    }
    let names: Vec<&str> = scopes.iter().map(|(s, _)| s.as_str()).collect();
    let published_names: Vec<&str> = tally.scopes.iter().map(|s| s.scope.as_str()).collect();
    if names != published_names {
        report.fail(
            Code::TallyScopes,
            files::TALLY,
            format!("scopes {published_names:?}; expected the regions then national: {names:?}"),
        );
        return None;
    }
    for ((scope, computed), claimed) in scopes.iter().zip(&tally.scopes) {
        let shape_ok = claimed.questions.len() == computed.sums.len()
            && claimed.questions.iter().zip(&computed.sums).all(|(a, b)| a.len() == b.len());
        if !shape_ok {
            report.fail(
                Code::TallyShape,
                format!("tally {scope}"),
                "the published sums do not have the questions' shape",
            );
            return None;
        }
    }
    let published: PublishedTally = match tally.decode_scopes() {
        Ok(p) => p,
        Err((location, e)) => {
            report.fail(Code::TallyInvalid, location, e.to_string());
            return None;
        }
    };
    // Regions: against the log. National: against the published regions.
    let (regions, national) = published.split_at(published.len() - 1);
    let mut region_total = national[0].1.empty_like();
    for (_, sum) in regions {
        region_total.add_scope(sum);
    }
    let expectations = scopes[..regions.len()]
        .iter()
        .map(|(_, computed)| (computed, "is not the sum of the region's counted ballots", "the log gives"))
        .chain(std::iter::once((
            &region_total,
            "is not the sum of the regions' published tallies",
            "the regions add up to",
        )));
    for ((scope, claimed), (expected, sum_check, count_words)) in published.iter().zip(expectations) {
        if claimed.members != expected.members {
            report.fail(
                Code::TallyMismatch,
                format!("tally {scope}"),
                format!("merges {:?}; the log gives {:?}", claimed.members, expected.members),
            );
        }
        if claimed.counted != expected.counted || claimed.weight != expected.weight {
            report.fail(
                Code::TallyMismatch,
                format!("tally {scope}"),
                format!(
                    "published {} counted ballots of weight {}; {count_words} {} of weight {}",
                    claimed.counted, claimed.weight, expected.counted, expected.weight
                ),
            );
        }
        for (q, (claimed_q, expected_q)) in claimed.sums.iter().zip(&expected.sums).enumerate() {
            for (o, (c, e)) in claimed_q.iter().zip(expected_q).enumerate() {
                if c != e {
                    report.fail(Code::TallyMismatch, format!("tally {scope} question {q} slot {o}"), sum_check);
                }
            }
        }
    }
    Some(published)
}

#[allow(clippy::too_many_arguments)] // each is a distinct input of the check
fn check_decryption_and_results(
    dir: &Path,
    manifest: &Manifest,
    context: &ElectionContext,
    outcome: &CeremonyOutcome,
    scopes: &[(String, ScopeSum)],
    registered: &[u64],
    log: Option<&LogHead>,
    manifest_hash: &Hash,
    progress: &dyn Progress,
    report: &mut Report,
) {
    let Some(decryption) = parse::<DecryptionJson>(dir, files::DECRYPTION, report) else { return };
    if !version_ok(files::DECRYPTION, decryption.version, report) {
        return;
    }
    progress.stage("decryption", decryption.trustees.len() as u64);
    // valid[s][q][o] = the verified (trustee, D_j) of that slot.
    let mut valid = empty_shares(scopes);
    let mut seen = std::collections::BTreeSet::new();
    for trustee in &decryption.trustees {
        let j = trustee.trustee;
        let who = format!("decryption trustee {j}");
        let Some(verification_key) = outcome.verification_key(j) else {
            report.fail(Code::DecryptionTrustee, &who, "not a qualified trustee");
            continue;
        };
        if !seen.insert(j) {
            report.fail(Code::DecryptionTrustee, &who, "appears twice");
            continue;
        }
        // Version 2: only what the trustee signed counts (its proofs are still checked and named).
        let signed = manifest.version < 2
            || match (manifest.trustee_key(j), log) {
                (Some(key), Some(log)) => decryption_signed(manifest_hash, &key, &context.base, log, trustee),
                _ => false,
            };
        if !signed {
            report.fail(
                Code::DecryptionSignature,
                &who,
                "not signed by this trustee's key in the manifest over the tally of the final log; it does not count",
            );
        }
        let (shares, failures) = check_trustee_decryption(&context.base, log, verification_key, scopes, trustee);
        report.failures.extend(failures);
        if !signed {
            continue;
        }
        for (s, q, o, share) in shares {
            valid[s][q][o].push((j, share));
        }
        progress.advance(1);
    }

    let Some(published) = parse::<ResultsJson>(dir, files::RESULTS, report) else { return };
    if !version_ok(files::RESULTS, published.version, report) {
        return;
    }
    let shapes = manifest.shapes();
    let most = scopes.iter().map(|(_, s)| s.weight).max().unwrap_or(0);
    let table = match table_for(&shapes, most) {
        Ok(t) => t,
        Err(e) => {
            report.fail(Code::ResultsBound, files::RESULTS, e.to_string());
            return;
        }
    };
    let mut results = Vec::new();
    for (s, (scope, sum)) in scopes.iter().enumerate() {
        match decrypt_scope(&table, manifest.trustees.t, &shapes, scope, sum, |q, o| valid[s][q][o].clone()) {
            Ok(r) => results.push(r),
            Err((q, o, e)) => report.fail(
                Code::ResultsUndecryptable,
                format!("results {scope} question {q} slot {o}"),
                format!("cannot decrypt: {e}"),
            ),
        }
    }
    if results.len() == scopes.len() {
        if published.scopes.len() != results.len() {
            report.fail(
                Code::ResultsMismatch,
                files::RESULTS,
                format!("{} scopes published; expected {}", published.scopes.len(), results.len()),
            );
        }
        for (computed, claimed) in results.iter().zip(&published.scopes) {
            if computed != claimed {
                report.fail(
                    Code::ResultsMismatch,
                    format!("results {}", computed.scope),
                    format!(
                        "published {:?} of {} counted; the decryption gives {:?} of {}",
                        claimed.questions, claimed.counted, computed.questions, computed.counted
                    ),
                );
            }
        }
        // The ratification rule, evaluated again on the verifier's own results.
        match ratify(manifest, &results, registered) {
            Ok(ratification) => {
                if ratification != published.ratification {
                    let show =
                        |r: &Option<RatificationJson>| r.as_ref().map_or("none".to_string(), |r| r.outcome.clone());
                    report.fail(
                        Code::RatificationMismatch,
                        "results ratification",
                        format!(
                            "published {}; the rule on the decrypted results gives {}",
                            show(&published.ratification),
                            show(&ratification)
                        ),
                    );
                }
                report.results = Some(ResultsJson { version: manifest.version, scopes: results, ratification });
            }
            Err(e) => {
                report.fail(Code::RatificationInvalid, "results ratification", format!("cannot evaluate the rule: {e}"))
            }
        }
    }
}

/// Checks a voter's receipt against the record's manifest: the checkpoint's signature (and, in
/// version 4, its witnesses' quorum), and that the tracking code is in the log at that
/// checkpoint.
pub fn verify_receipt(manifest_bytes: &[u8], receipt: &crate::writer::Receipt) -> Result<(), String> {
    let manifest = Manifest::parse(manifest_bytes).map_err(|e| format!("manifest: {e}"))?;
    let verifier = LogVerifier::of(&manifest, &manifest_hash(manifest_bytes)).map_err(|e| e.to_string())?;
    check_receipt_under(&verifier, receipt)
}

/// Checks a receipt (a voter's, or a convention event's) with its log's verifier: the
/// checkpoint, and the inclusion of the tracking code.
pub fn check_receipt_under(verifier: &LogVerifier, receipt: &crate::writer::Receipt) -> Result<(), String> {
    let root = verifier.check(&receipt.checkpoint).map_err(|(_, why)| why)?;
    let leaf = hash("tracking_code", &receipt.tracking_code).map_err(|e| e.to_string())?;
    let path: Vec<Hash> =
        receipt.inclusion.iter().map(|h| hash("inclusion", h)).collect::<Result<_, _>>().map_err(|e| e.to_string())?;
    if !log::verify_inclusion(&leaf, receipt.index, receipt.checkpoint.size, &path, &root) {
        return Err("the inclusion proof does not place the tracking code in the log".into());
    }
    Ok(())
}

/// Where a convention record keeps the records of its secret votes' referendums.
pub const SECRET_VOTES: &str = "secret-votes";

/// Verifies a convention record in `dir` (`docs/convention.md`): every event's signature and
/// sequence number, replayed through the same state machine the server ran at the door — so
/// every apportionment and every vote's result is recomputed under its rule and the adopted text
/// is rebuilt from the motions and adopted amendments — then the checkpoints, and the published
/// `constitution.json` against the rebuilt one. Every failure is reported with its log entry.
pub fn verify_convention(dir: &Path, progress: &dyn Progress) -> (Report, Option<ConventionState>) {
    use crate::convention::files as convention_files;
    let mut report = Report::default();
    let Some(charter_bytes) = read(dir, convention_files::CHARTER, &mut report) else { return (report, None) };
    let mut state = match ConventionState::new(&charter_bytes) {
        Ok(s) => s,
        Err(e) => {
            report.fail(Code::CharterInvalid, convention_files::CHARTER, e.to_string());
            return (report, None);
        }
    };
    if state.charter.version == 1 {
        report.notes.push(crate::convention::V1_CONVENTION_NOTE.to_string());
    }
    report.record_version = Some(state.charter.version);
    let charter_hash = state.charter_hash;
    let log_verifier = state.charter.log_verifier(&charter_hash);
    let checkpoints = check_checkpoint_signatures(dir, &log_verifier, &mut report);
    let sizes: Vec<u64> = checkpoints.iter().map(|c| c.0).collect();

    let Some(log_bytes) = read(dir, convention_files::LOG, &mut report) else { return (report, Some(state)) };
    progress.stage("convention log", log_bytes.len() as u64);
    let lines: Vec<&[u8]> = log_bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
    let signed = crate::convention::verify_signatures(&charter_hash, &lines);
    for (line, signed) in lines.iter().zip(signed) {
        let index = state.entries;
        let applied = if signed {
            state.apply_verified_line(line)
        } else {
            // Not validly signed: `apply_line` names what is wrong (format, key or signature).
            state.apply_line(line)
        };
        if let Err(e) = applied {
            report.fail(Code::EventRefused, format!("log entry {index}"), e.to_string());
            state.skip_line(line);
        }
        progress.advance(line.len() as u64 + 1);
    }
    // The replay keeps the root of every prefix (what version-2 signers saw is checked on it).
    let roots: Vec<(u64, Hash)> = sizes.iter().filter_map(|&size| state.root(size).map(|root| (size, root))).collect();
    report.entries = state.entries;
    check_checkpoint_roots(dir, &checkpoints, &roots, report.entries, &mut report);

    let rebuilt = state.constitution_json();
    if let Some(published) = parse::<ConstitutionJson>(dir, convention_files::CONSTITUTION, &mut report) {
        if version_ok(convention_files::CONSTITUTION, published.version, &mut report) && published != rebuilt {
            let location = |k: usize| format!("{} article {}", convention_files::CONSTITUTION, k + 1);
            let mut named = false;
            for k in 0..published.articles.len().max(rebuilt.articles.len()) {
                if published.articles.get(k) != rebuilt.articles.get(k) {
                    report.fail(Code::ConstitutionMismatch, location(k), "differs from the article the log adopts");
                    named = true;
                }
            }
            if !named {
                report.fail(
                    Code::ConstitutionMismatch,
                    convention_files::CONSTITUTION,
                    "differs from the constitution the log adopts",
                );
            }
        }
    }
    // Each secret vote's referendum, verified in full, and tied to the vote: its electorate is
    // the delegates in office, its published counts are the ones the vote was closed with.
    let called = crate::hand_off::called_referendums(&state);
    for v in state.votes.iter().filter(|v| !v.open) {
        let Some(secret) = &v.secret else { continue };
        let location = format!("secret vote {} (referendum {})", v.id, secret.referendum);
        let sub = dir.join(SECRET_VOTES).join(&secret.referendum);
        if !sub.join(files::MANIFEST).is_file() {
            report.fail(
                Code::SecretVoteMissing,
                &location,
                format!("its record is missing: put it in {SECRET_VOTES}/{}", secret.referendum),
            );
            continue;
        }
        let inner = verify_record(&sub, progress);
        for f in &inner.failures {
            report.fail(f.code, format!("{location}: {}", f.location), f.check.clone());
        }
        let (Some(manifest), Some(results)) = (&inner.manifest, &inner.results) else { continue };
        // The referendum is the one the vote called for: its trustees, regions, question, origin.
        match called.iter().find(|c| c.election_id == secret.referendum) {
            Some(derived) => {
                for field in crate::hand_off::differences(derived, manifest) {
                    report.fail(
                        Code::HandOff,
                        format!("{location}: manifest.json {field}"),
                        "differs from the referendum the secret vote calls for",
                    );
                }
            }
            None => report.fail(Code::HandOff, &location, "the convention's log calls for no such referendum"),
        }
        let credentials = fs::read(sub.join(files::CREDENTIALS)).unwrap_or_default();
        if let Err(e) = state.check_secret_electorate(v, manifest, &credentials) {
            report.fail(Code::SecretVoteElectorate, &location, e);
        }
        match crate::convention::secret_tally(manifest, results) {
            Ok(published) if published == secret.tally && inner.ok() => report.notes.push(format!(
                "secret vote {}: referendum {} verified ({} delegates registered, {} ballots counted); the vote was closed with its counts",
                v.id, secret.referendum, inner.registered, inner.counted
            )),
            Ok(published) if published == secret.tally => {}
            Ok(_) => report.fail(Code::SecretVoteCounts, &location, "the vote was closed with counts that are not the referendum's results"),
            Err(e) => report.fail(Code::SecretVoteCounts, &location, e),
        }
    }
    for v in &state.votes {
        let outcome = match (&v.subject, v.open, v.result.winner) {
            (_, true, _) => "still open".to_string(),
            (crate::convention::Subject::Ranked(options), false, Some(w)) => {
                format!("motion {} chosen by Schulze", options.get(w as usize).copied().unwrap_or_default())
            }
            (crate::convention::Subject::Ranked(_), false, None) => "no single winner".to_string(),
            (_, false, _) => format!(
                "{} ({} yes, {} no, {} abstaining)",
                if v.result.adopted { "adopted" } else { "not adopted" },
                v.result.yes,
                v.result.no,
                v.result.abstain
            ),
        };
        report.notes.push(format!("vote {} on {}: {outcome}", v.id, v.subject.describe()));
    }
    (report, Some(state))
}
