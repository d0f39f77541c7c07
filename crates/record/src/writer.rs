//! Writing a record: what a referendum's host does, in one process (the demo today; the server
//! builds on it). Every file is written through a temporary name and renamed into place, so a
//! crash never leaves a half-written document; the log is appended line by line.
//!
//! The writer does the cheap checks (credential listed, region) and counts; checking proofs at
//! the door is the caller's job, and the verifier checks everything again.

use crate::actors::{
    acknowledgement_message, registrar_message, AcknowledgementJson, AcknowledgementsJson, ActorKey, Actors,
    AuthorityJson, RegionCountJson, RegistrarJson, TAG_ACKNOWLEDGEMENT, TAG_AUTHORITY, TAG_REGISTRAR,
};
use crate::checkpoint::LogSigner;
use crate::files;
use crate::format::*;
use crate::log::{self, Hash, MerkleTree};
use crate::results::{decrypt_as_trustee, decrypt_scope, ratify, shares_of, table_for, SlotShares};
use crate::tally::ScopeSum;
use crate::tally::{CountError, Electorate, TallyAccumulator};
use convene_crypto::ballot::ElectionContext;
use convene_crypto::ceremony::{CeremonyOutcome, LocalCeremony, TrusteeKey};
use convene_crypto::elgamal::ElectionKey;
use convene_crypto::encoding::{hash256, to_hex, Point};
use rand_core::CryptoRngCore;
use sha2::{Digest, Sha256};
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// The receipt's own format version (receipts did not change with record version 2).
pub const RECEIPT_VERSION: u32 = 1;

/// A voter's receipt: the tracking code, where it stands in the log, and a signed checkpoint
/// with the inclusion proof against it.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// The receipt format version (1).
    pub version: u32,
    /// The entry's index in the log.
    pub index: u64,
    /// Its tracking code: the entry's leaf hash (hex).
    pub tracking_code: String,
    /// The checkpoint the inclusion proof is against.
    pub checkpoint: CheckpointJson,
    /// The inclusion proof's hashes (hex).
    pub inclusion: Vec<String>,
}

/// Writes `bytes` to `path` atomically (temporary file, fsync, rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)
}

fn write_json(dir: &Path, name: &str, value: &impl serde::Serialize) -> std::io::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    write_atomic(&dir.join(name), &bytes)
}

/// Writes a record as an election runs: the manifest and ceremony, the credential list, every log entry, checkpoints, the tally, the decryptions and the results — the same documents the server publishes.
pub struct RecordWriter {
    dir: PathBuf,
    manifest: Manifest,
    manifest_hash: Hash,
    context: ElectionContext,
    log_signer: LogSigner,
    /// Witnesses the offline writer plays: each cosigns every checkpoint.
    witnesses: Vec<convene_note::NoteSigner>,
    witness_time: u64,
    log: BufWriter<fs::File>,
    tree: MerkleTree,
    electorate: Electorate,
    tally: TallyAccumulator,
    checkpoints: Vec<CheckpointJson>,
    actors: Option<Actors>,
}

/// The registrar's signed statement on a credential list (version 2).
pub fn registrar_json(
    manifest: &Manifest,
    manifest_hash: &Hash,
    credentials_hash: &Hash,
    electorate: &Electorate,
    registrar: &ActorKey,
) -> RegistrarJson {
    let credentials = electorate.credentials_by_region();
    let weights = electorate.registered_by_region();
    let regions: Vec<RegionCountJson> = manifest
        .regions
        .iter()
        .enumerate()
        .map(|(r, region)| RegionCountJson { region: region.clone(), credentials: credentials[r], weight: weights[r] })
        .collect();
    let counts: Vec<_> = regions.iter().map(|r| (r.region.clone(), r.credentials, r.weight)).collect();
    let message = registrar_message(credentials_hash, &counts);
    RegistrarJson {
        version: manifest.version,
        credentials_hash: to_hex(credentials_hash),
        credentials: credentials.iter().sum(),
        weight: weights.iter().sum(),
        regions,
        signature: registrar.sign(TAG_REGISTRAR, manifest_hash, &message, &mut rand_core::OsRng),
    }
}

/// The manifest hash of the exact bytes of `manifest.json`.
pub fn manifest_hash(bytes: &[u8]) -> Hash {
    hash256("convene/manifest v1", &[bytes])
}

/// The election's fingerprint (protocol note §13.5): the first 8 bytes of the base hash as four
/// groups of four hex digits, printed on the code slips and shown in the booth.
pub fn fingerprint(base: &Hash) -> String {
    let hex = to_hex(&base[..8]);
    [&hex[0..4], &hex[4..8], &hex[8..12], &hex[12..16]].join(" ")
}

/// A streaming `H256("convene/credentials v1"; bytes)` over `length` bytes of the credential
/// list (protocol note §2); feed it the bytes with `update`.
pub fn credentials_hasher(length: u64) -> Sha256 {
    let tag = b"convene/credentials v1";
    let mut hasher = Sha256::new();
    hasher.update((tag.len() as u32).to_le_bytes());
    hasher.update(tag);
    hasher.update((length as u32).to_le_bytes());
    hasher
}

/// The base hash (protocol note §2).
pub fn base_hash(
    manifest_hash: &Hash,
    credentials_hash: &Hash,
    manifest: &Manifest,
    outcome: &CeremonyOutcome,
) -> Hash {
    let mut items: Vec<Vec<u8>> = vec![
        manifest_hash.to_vec(),
        credentials_hash.to_vec(),
        outcome.key.bytes().to_vec(),
        manifest.trustees.n.to_le_bytes().to_vec(),
        manifest.trustees.t.to_le_bytes().to_vec(),
        (outcome.verification_keys.len() as u32).to_le_bytes().to_vec(),
    ];
    for (j, x) in &outcome.verification_keys {
        items.push(j.to_le_bytes().to_vec());
        items.push(x.bytes().to_vec());
    }
    let refs: Vec<&[u8]> = items.iter().map(Vec::as_slice).collect();
    hash256("convene/base-hash v1", &refs)
}

impl RecordWriter {
    /// Starts a record in `dir` (which must be empty or absent): writes the manifest, the
    /// ceremony, the credential list and the election hashes, and opens the log.
    pub fn create(
        dir: &Path,
        manifest_bytes: &[u8],
        log_secret: &[u8; 32],
        ceremony: &LocalCeremony,
        credentials: &[(Point, String, u32)],
        actors: Option<Actors>,
    ) -> Result<RecordWriter, String> {
        let manifest = Manifest::parse(manifest_bytes).map_err(|e| format!("manifest: {e}"))?;
        let log_signer = LogSigner::new(&manifest, &manifest_hash(manifest_bytes), log_secret)?;
        if dir.exists() && fs::read_dir(dir).map_err(|e| e.to_string())?.next().is_some() {
            return Err(format!(
                "{} exists and is not empty; give a new directory with --out, or remove that one",
                dir.display()
            ));
        }
        fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let io = |e: std::io::Error| e.to_string();
        write_atomic(&dir.join(files::MANIFEST), manifest_bytes).map_err(io)?;
        let manifest_hash = manifest_hash(manifest_bytes);
        let mut rng = rand_core::OsRng;
        let mut ceremony_json = CeremonyJson::from_messages(
            manifest.version,
            &ceremony.round1,
            &ceremony.shares,
            &ceremony.complaints,
            &ceremony.outcome,
        );
        if manifest.version >= 2 {
            let actors = actors.as_ref().ok_or("a version-2 record needs its actors' keys")?;
            let signature = actors.authority.sign(TAG_AUTHORITY, &manifest_hash, b"", &mut rng);
            write_json(dir, files::AUTHORITY, &AuthorityJson { version: manifest.version, signature }).map_err(io)?;
            actors.sign_ceremony(&mut ceremony_json, &manifest_hash, &mut rng).map_err(|e| e.to_string())?;
        }
        write_json(dir, files::CEREMONY, &ceremony_json).map_err(io)?;

        let mut electorate = Electorate::new(manifest.regions.clone());
        let mut lines = String::with_capacity(credentials.len() * 100);
        for (credential, region, weight) in credentials {
            let index =
                manifest.region_index(region).ok_or_else(|| format!("credential in unknown region {region:?}"))?;
            if *weight == 0 || *weight > MAX_WEIGHT {
                return Err(format!("weight {weight} is outside 1..={MAX_WEIGHT}"));
            }
            if !electorate.register(*credential.bytes(), index as u16, *weight) {
                return Err(format!("credential {} is listed twice", credential.to_hex()));
            }
            lines.push_str(&credential_line(credential, region, *weight));
        }
        write_atomic(&dir.join(files::CREDENTIALS), lines.as_bytes()).map_err(io)?;

        let mut hasher = credentials_hasher(lines.len() as u64);
        hasher.update(lines.as_bytes());
        let credentials_hash: Hash = hasher.finalize().into();
        let outcome = &ceremony.outcome;
        let base = base_hash(&manifest_hash, &credentials_hash, &manifest, outcome);
        let election = ElectionJson {
            version: manifest.version,
            manifest_hash: to_hex(&manifest_hash),
            credentials_hash: to_hex(&credentials_hash),
            base_hash: to_hex(&base),
        };
        write_json(dir, files::ELECTION, &election).map_err(io)?;
        if let (true, Some(actors)) = (manifest.version >= 2, &actors) {
            write_json(
                dir,
                files::REGISTRAR,
                &registrar_json(&manifest, &manifest_hash, &credentials_hash, &electorate, &actors.registrar),
            )
            .map_err(io)?;
            let acknowledgements = outcome
                .verification_keys
                .iter()
                .filter_map(|(j, x)| {
                    let message = acknowledgement_message(*j, &base, &outcome.key, x);
                    let key = actors.trustee(*j)?;
                    Some(AcknowledgementJson {
                        trustee: *j,
                        signature: key.sign(TAG_ACKNOWLEDGEMENT, &manifest_hash, &message, &mut rng),
                    })
                })
                .collect();
            write_json(
                dir,
                files::ACKNOWLEDGEMENTS,
                &AcknowledgementsJson { version: manifest.version, acknowledgements },
            )
            .map_err(io)?;
        }
        let key = ElectionKey::new(outcome.key).map_err(|e| e.to_string())?;
        let context = ElectionContext { base, key, questions: manifest.shapes() };
        let log = BufWriter::new(fs::File::create(dir.join(files::LOG)).map_err(io)?);
        let tally = TallyAccumulator::new(manifest.shapes(), &electorate);
        Ok(RecordWriter {
            dir: dir.to_path_buf(),
            manifest,
            manifest_hash,
            context,
            log_signer,
            witnesses: Vec::new(),
            witness_time: 0,
            log,
            tree: MerkleTree::default(),
            electorate,
            tally,
            checkpoints: Vec::new(),
            actors,
        })
    }

    /// The election context the writer checks ballots against.
    pub fn context(&self) -> &ElectionContext {
        &self.context
    }

    /// The manifest.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The actors this writer plays, if it was given their keys.
    pub fn actors(&self) -> Option<&Actors> {
        self.actors.as_ref()
    }

    /// Appends an entry to the log and counts it if cast. Returns its index and tracking code.
    pub fn append(&mut self, entry: &LogEntry) -> Result<(u64, Hash), CountError> {
        let index = self.tree.len();
        match entry {
            LogEntry::Cast(ballot) => {
                let voter = self.electorate.check(ballot)?;
                self.tally.count(index, voter, ballot);
            }
            // A version-3 challenged ballot is under its one-time key, no credential.
            LogEntry::Spoiled(ballot, _) if ballot.one_time.is_some() => {}
            LogEntry::Spoiled(ballot, _) => {
                self.electorate.check(ballot)?;
            }
        }
        let leaf = log::leaf_hash(&entry.entry_bytes(&self.context.base));
        self.tree.push(leaf);
        let mut line = entry.to_json_line();
        line.push('\n');
        self.log.write_all(line.as_bytes()).expect("writing the log failed");
        Ok((index, leaf))
    }

    /// How many log entries there are.
    pub fn len(&self) -> u64 {
        self.tree.len()
    }

    /// The log as it stands: its size and root.
    pub fn log_head(&self) -> LogHead {
        LogHead { size: self.tree.len(), root: self.tree.root(self.tree.len()).expect("the whole tree exists") }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.tree.is_empty()
    }

    /// How many cast ballots a later one has superseded.
    pub fn superseded(&self) -> u64 {
        self.tally.superseded()
    }

    /// Plays `witnesses` (version 4): each cosigns every checkpoint from now on, stamped
    /// `timestamp` (POSIX seconds; fixed, so that a seeded record is reproducible).
    pub fn with_witnesses(mut self, witnesses: Vec<convene_note::NoteSigner>, timestamp: u64) -> RecordWriter {
        self.witnesses = witnesses;
        self.witness_time = timestamp;
        self
    }

    /// Signs a checkpoint of the log as it stands, cosigned by the witnesses played here.
    pub fn checkpoint(&mut self, rng: &mut impl CryptoRngCore) -> CheckpointJson {
        let mut checkpoint = self.log_signer.sign(&self.tree, rng);
        for witness in &self.witnesses {
            crate::checkpoint::cosign(&mut checkpoint, witness, self.witness_time).expect("a fresh checkpoint note");
        }
        self.checkpoints.push(checkpoint.clone());
        checkpoint
    }

    /// The receipt of entry `index` against the first checkpoint that covers it.
    pub fn receipt(&self, index: u64) -> Option<Receipt> {
        let checkpoint = self.checkpoints.iter().find(|c| c.size > index)?.clone();
        let inclusion = self.tree.inclusion_proof(index, checkpoint.size)?.iter().map(|h| to_hex(h)).collect();
        Some(Receipt {
            version: RECEIPT_VERSION,
            index,
            tracking_code: to_hex(&self.tree.leaf(index)?),
            checkpoint,
            inclusion,
        })
    }

    /// Closes the log: a final checkpoint, consistency proofs, and the tally.
    pub fn close(&mut self, rng: &mut impl CryptoRngCore) -> std::io::Result<TallyJson> {
        self.log.flush()?;
        self.log.get_ref().sync_all()?;
        if self.checkpoints.last().map(|c| c.size) != Some(self.len()) {
            self.checkpoint(rng);
        }
        let checkpoints = checkpoints_document(self.manifest.version, self.checkpoints.clone(), &self.tree);
        write_json(&self.dir, files::CHECKPOINTS, &checkpoints)?;
        let mut tally =
            TallyJson::from_scopes(self.manifest.version, &self.tally.scopes(self.manifest.min_region_ballots));
        if self.manifest.version >= 2 {
            tally.log = Some(self.log_head().to_json());
        }
        write_json(&self.dir, files::TALLY, &tally)?;
        Ok(tally)
    }

    /// The trustees in `keys` decrypt every tally slot with proofs; the results are combined
    /// and published.
    pub fn decrypt(&mut self, keys: &[&TrusteeKey], rng: &mut impl CryptoRngCore) -> Result<ResultsJson, String> {
        let scopes = self.tally.scopes(self.manifest.min_region_ballots);
        let log = (self.manifest.version >= 2).then(|| self.log_head());
        let decryption = DecryptionJson {
            version: self.manifest.version,
            trustees: keys
                .iter()
                .map(|key| {
                    let signer =
                        self.actors.as_ref().and_then(|a| a.trustee(key.index)).map(|a| (a, &self.manifest_hash));
                    decrypt_as_trustee(key, &self.context.base, log.as_ref(), signer, &scopes, rng)
                })
                .collect(),
        };
        let shares = shares_of(&decryption, &scopes).map_err(|e| e.to_string())?;
        write_json(&self.dir, files::DECRYPTION, &decryption).map_err(|e| e.to_string())?;
        let results = decrypt_results(&self.manifest, &scopes, &shares, &self.electorate.registered_by_region())?;
        write_json(&self.dir, files::RESULTS, &results).map_err(|e| e.to_string())?;
        Ok(results)
    }
}

/// `checkpoints.json`: the checkpoints, and a consistency proof between each consecutive pair.
pub fn checkpoints_document(version: u32, checkpoints: Vec<CheckpointJson>, tree: &MerkleTree) -> CheckpointsJson {
    let consistency = checkpoints
        .windows(2)
        .map(|pair| ConsistencyJson {
            from: pair[0].size,
            to: pair[1].size,
            proof: tree
                .consistency_proof(pair[0].size, pair[1].size)
                .expect("checkpoints grow within the tree")
                .iter()
                .map(|h| to_hex(h))
                .collect(),
        })
        .collect();
    CheckpointsJson { version, checkpoints, consistency }
}

/// Combines verified partial decryptions into the results of every scope.
pub fn decrypt_results(
    manifest: &Manifest,
    scopes: &[(String, ScopeSum)],
    shares: &SlotShares,
    registered: &[u64],
) -> Result<ResultsJson, String> {
    let shapes = manifest.shapes();
    let most = scopes.iter().map(|(_, s)| s.weight).max().unwrap_or(0);
    let table = table_for(&shapes, most).map_err(|e| e.to_string())?;
    let results = scopes
        .iter()
        .enumerate()
        .map(|(s, (scope, sum))| {
            decrypt_scope(&table, manifest.trustees.t, &shapes, scope, sum, |q, o| shares[s][q][o].clone())
                .map_err(|(q, o, e)| format!("{scope} question {q} slot {o}: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let ratification = ratify(manifest, &results, registered)?;
    Ok(ResultsJson { version: manifest.version, scopes: results, ratification })
}
