//! An honest record from a seed, written by one process playing every actor — the authority,
//! the registrar, five trustees (one of whom deals a bad share and is excluded), the voters (one
//! challenges a ballot first; some vote again), three witnesses — straight into the record
//! writer. The offline demonstration (`convene demo --offline`) and the tests (the verifier's
//! honest-record and tamper tests here, the golden record) all write theirs with it; a fixed
//! seed makes the record byte for byte the same.

use crate::actors::{Actor, Actors};
use crate::checkpoint::default_origin;
use crate::format::{
    LogEntry, Manifest, Question, Ratification, ResultsJson, TrusteeCount, WitnessJson, RECORD_VERSION,
};
use crate::writer::{manifest_hash, RecordWriter};
use convene_crypto::ballot::CredentialSecret;
use convene_crypto::ceremony::{run_local_ceremony, CeremonyParams};
use convene_crypto::encoding::Point;
use convene_crypto::Scalar;
use convene_note::{NoteSigner, TYPE_COSIGNATURE, TYPE_ED25519};
use rand_chacha::ChaCha20Rng;
use rand_core::{CryptoRngCore, OsRng, RngCore, SeedableRng};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Why a simulation could not write its record.
pub type Failed = Box<dyn std::error::Error + Send + Sync>;

/// What to simulate.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// How many voters (each casts a ballot).
    pub voters: u64,
    /// How many are registered in all: the first `voters` of them vote; the others never do
    /// (for records of a large electorate). Fewer than `voters` means `voters`.
    pub registered: u64,
    /// Where to write the record.
    pub out: PathBuf,
    /// The regions, in order.
    pub regions: Vec<String>,
    /// Add a second question: the structure of the state, choose one of four.
    pub structure_question: bool,
    /// Every `revote_every`-th voter casts a second ballot later (0: nobody re-votes).
    pub revote_every: u64,
    /// A fixed seed makes the whole record reproducible; `None` uses the OS's randomness.
    pub seed: Option<u64>,
    /// Give credentials public weights (1 to 3), as shares in a cooperative.
    pub weighted: bool,
    /// Report regions with fewer counted ballots merged (0: never).
    pub min_region_ballots: u64,
}

impl Simulation {
    /// `voters` voters in five regions, every 20th voting again, into `out`.
    pub fn new(voters: u64, out: PathBuf) -> Simulation {
        Simulation {
            voters,
            registered: 0,
            out,
            regions: ["north", "south", "east", "west", "capital"].map(String::from).to_vec(),
            structure_question: false,
            revote_every: 20,
            seed: None,
            weighted: false,
            min_region_ballots: 0,
        }
    }
}

/// Copies the files of the record in `from` into `to` (not its subdirectories: a voter's receipt
/// is not part of the record), for a test that mutates a copy.
pub fn copy_documents(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// What the simulation wrote.
#[derive(Debug)]
pub struct Simulated {
    /// The results written.
    pub results: ResultsJson,
    /// The manifest written.
    pub manifest: Manifest,
    /// How many log entries.
    pub entries: u64,
    /// How many cast ballots were superseded.
    pub superseded: u64,
    /// The trustee the ceremony excluded (0: none).
    pub excluded_trustee: u32,
    /// The tracking code of a challenged ballot.
    pub challenged_tracking_code: String,
}

/// A ChaCha20 generator for `stream` of `seed` (the same seed gives the same record), or seeded by the OS.
pub fn rng_for(seed: Option<u64>, stream: u64) -> ChaCha20Rng {
    match seed {
        Some(seed) => {
            let mut rng = ChaCha20Rng::seed_from_u64(seed);
            rng.set_stream(stream);
            rng
        }
        None => ChaCha20Rng::from_rng(OsRng).expect("the OS random source failed"),
    }
}

/// The offline simulation: writes the record directly with the record writer, no server. Fast;
/// used to make large records for benchmarks.
pub fn write(config: &Simulation, progress: &dyn Fn(&str, u64, u64)) -> Result<Simulated, Failed> {
    if config.voters == 0 {
        return Err("--voters must be at least 1".into());
    }
    if config.voters > 50_000_000 || config.registered > 50_000_000 {
        return Err("--voters and --registered are capped at 50,000,000 for a single-process demo".into());
    }
    let mut rng = rng_for(config.seed, 0);
    // The log key (Ed25519, format version 4) and three witnesses played here, two of whom
    // must cosign every checkpoint.
    let mut log_secret = [0u8; 32];
    rng.fill_bytes(&mut log_secret);
    let election_id = "convene-demo";
    let log_signer = NoteSigner::from_seed(&default_origin(election_id), TYPE_ED25519, &log_secret)?;
    let witnesses = (1..=3)
        .map(|k| NoteSigner::generate(&format!("demo-witness-{k}"), TYPE_COSIGNATURE, &mut rng))
        .collect::<Result<Vec<_>, _>>()?;
    let questions = questions(config.structure_question);
    // Every actor with a key of its own (record format version 2), all played here.
    let actors = Actors::generate(5, &mut rng);
    let manifest =
        offline_manifest(config, election_id, questions, log_signer.verifier().to_vkey(), &witnesses, &actors);
    let mut manifest_bytes = serde_json::to_vec_pretty(&manifest)?;
    manifest_bytes.push(b'\n');

    // The key ceremony: trustee 5 deals trustee 2 a share that does not match its commitments.
    progress("key ceremony", 0, 1);
    let params = CeremonyParams { manifest_hash: manifest_hash(&manifest_bytes), n: 5, t: 3 };
    let ceremony = run_local_ceremony(params, &mut rng, |shares| {
        if let Some(bad) = shares.iter_mut().find(|s| s.dealer == 5 && s.recipient == 2) {
            bad.u += Scalar::ONE;
        }
    })
    .map_err(|e| format!("the key ceremony failed: {e}"))?;
    let excluded_trustee = (1..=5).find(|i| !ceremony.outcome.qualified.contains(i)).unwrap_or(0);
    progress("key ceremony", 1, 1);

    // The registrar: one credential per voter, spread over the regions.
    let regions = config.regions.len() as u64;
    let region_of = |voter: u64| ((voter * 7 + voter / 3) % regions) as usize;
    let secrets: Vec<CredentialSecret> = (0..config.voters)
        .into_par_iter()
        .map(|v| CredentialSecret::generate(&mut rng_for(config.seed.map(|s| s ^ 0xc4ed), v + 1)))
        .collect();
    // The voters who never vote: their keys only (made the same way, their secrets dropped).
    let silent = (config.voters..config.registered.max(config.voters))
        .into_par_iter()
        .map(|v| *CredentialSecret::generate(&mut rng_for(config.seed.map(|s| s ^ 0xc4ed), v + 1)).public());
    let keys: Vec<Point> = secrets.par_iter().map(|s| *s.public()).chain(silent).collect();
    let public: Vec<(Point, String, u32)> = keys
        .into_iter()
        .enumerate()
        .map(|(v, key)| (key, config.regions[region_of(v as u64)].clone(), weight_of(config.weighted, v as u64)))
        .collect();
    // The witnesses' cosignatures carry the time; a seeded record carries a fixed one.
    let now = match config.seed {
        Some(_) => 1_800_000_000,
        None => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()),
    };
    let mut writer = RecordWriter::create(&config.out, &manifest_bytes, &log_secret, &ceremony, &public, Some(actors))
        .map_err(|e| e.to_string())
        .map_err(|e| format!("cannot start the record: {e}"))?
        .with_witnesses(witnesses, now);

    // Voter 0 challenges a ballot first (it is spoiled, revealed, never counted), then votes.
    let structure = config.structure_question;
    let challenged = {
        let mut voter_rng = rng_for(config.seed, u64::MAX);
        let region = region_of(0);
        let choices = choices(0, region, structure, &mut voter_rng);
        LogEntry::encrypt(
            writer.context(),
            RECORD_VERSION,
            &secrets[0],
            &config.regions[region],
            &choices,
            true,
            &mut voter_rng,
        )
        .map_err(|e| e.to_string())?
    };
    let (_, code) = writer.append(&challenged).map_err(|e| e.to_string())?;
    let challenged_tracking_code = convene_crypto::encoding::to_hex(&code);

    // Everyone votes; then every `revote_every`-th voter votes again (the last ballot counts).
    offline_ballots(config, &mut writer, &secrets, &region_of, &mut rng, progress)?;

    // Close, tally, and decrypt with three qualified trustees.
    progress("tally and decryption", 0, 1);
    writer.close(&mut rng).map_err(|e| format!("cannot write the tally: {e}"))?;
    let decryptors: Vec<_> = ceremony.keys.iter().take(3).collect();
    let results = writer.decrypt(&decryptors, &mut rng).map_err(|e| e.to_string())?;
    progress("tally and decryption", 1, 1);

    // Voter 0's receipt for the ballot it cast after its challenge (log entry 1).
    let receipt = writer.receipt(1).ok_or("no checkpoint covers entry 1")?;
    let receipts = config.out.join("receipts");
    std::fs::create_dir_all(&receipts)?;
    crate::writer::write_atomic(&receipts.join("voter-0.json"), &serde_json::to_vec_pretty(&receipt)?)?;
    Ok(Simulated {
        results,
        manifest,
        entries: writer.len(),
        superseded: writer.superseded(),
        excluded_trustee,
        challenged_tracking_code,
    })
}

/// The offline demonstration's manifest: record format 4, every actor named by key, three
/// witnesses of whom two must cosign.
fn offline_manifest(
    config: &Simulation,
    election_id: &str,
    questions: Vec<crate::format::Question>,
    log_key: String,
    witnesses: &[NoteSigner],
    actors: &Actors,
) -> Manifest {
    let named = |name: &str, key: &crate::actors::ActorKey| Actor { name: name.into(), key: key.public().to_hex() };
    Manifest {
        version: RECORD_VERSION,
        election_id: election_id.into(),
        title: "Ratification of the constitution (demonstration)".into(),
        questions,
        regions: config.regions.clone(),
        trustees: TrusteeCount { n: 5, t: 3, members: actors.members() },
        log_key,
        ratification: Some(demo_rule()),
        min_region_ballots: config.min_region_ballots,
        origin: None,
        authority: Some(named("Demonstration election authority", &actors.authority)),
        registrar: Some(named("Demonstration registrar", &actors.registrar)),
        code_issuer: None,
        max_weight: Some(if config.weighted { 3 } else { 1 }),
        max_ballots_per_credential: Some(if config.revote_every == 0 { 2 } else { 3 }),
        credential_kdf: None,
        translations: Default::default(),
        witnesses: witnesses
            .iter()
            .map(|w| WitnessJson { key: w.verifier().to_vkey(), url: format!("https://{}.invalid", w.name) })
            .collect(),
        witness_quorum: 2,
        booth_assets: Default::default(),
        booth_origins: Vec::new(),
    }
}

/// Every voter's ballot, encrypted in parallel and appended in order, then every
/// `revote_every`-th voter's second ballot; a checkpoint after each quarter of them.
fn offline_ballots(
    config: &Simulation,
    writer: &mut RecordWriter,
    secrets: &[CredentialSecret],
    region_of: &(impl Fn(u64) -> usize + Sync),
    rng: &mut ChaCha20Rng,
    progress: &dyn Fn(&str, u64, u64),
) -> Result<(), Failed> {
    let structure = config.structure_question;
    let revoters: Vec<u64> = if config.revote_every == 0 {
        Vec::new()
    } else {
        (0..config.voters).step_by(config.revote_every as usize).collect()
    };
    let order: Vec<(u64, u64)> = (0..config.voters).map(|v| (v, 1)).chain(revoters.iter().map(|&v| (v, 2))).collect();
    let total = order.len() as u64;
    let checkpoint_every = (total / 4).max(1);
    let mut done = 0u64;
    for chunk in order.chunks(4096) {
        let ballots: Vec<Result<LogEntry, String>> = chunk
            .par_iter()
            .map(|&(voter, round)| {
                let mut voter_rng = rng_for(config.seed, voter * 4 + round + 2);
                let region = region_of(voter);
                let choices = choices(voter + round, region, structure, &mut voter_rng);
                let credential = &secrets[voter as usize];
                LogEntry::encrypt(
                    writer.context(),
                    RECORD_VERSION,
                    credential,
                    &config.regions[region],
                    &choices,
                    false,
                    &mut voter_rng,
                )
                .map_err(|e| e.to_string())
            })
            .collect();
        for entry in ballots {
            writer.append(&entry?).map_err(|e| e.to_string())?;
            done += 1;
            if done.is_multiple_of(checkpoint_every) && done != total {
                writer.checkpoint(rng);
            }
        }
        progress("ballots", done, total);
    }
    Ok(())
}

/// The demonstration's ratification rule: a majority of valid votes nationally, a 60% turnout
/// quorum, and a double majority of the regions (the capital weighing half).
pub fn demo_rule() -> Ratification {
    Ratification {
        question: "ratify".into(),
        rule: "[approval]\nbase = \"valid\"\nmore_than = \"1/2\"\n\n[quorum]\nat_least = \"3/5\"\n\n[regions]\nmore_than = \"1/2\"\n".into(),
        region_weights: [("capital".to_string(), "1/2".to_string())].into_iter().collect(),
    }
}

/// A simulated voter's weight: 1, or 1 to 3 in a weighted election.
pub fn weight_of(weighted: bool, voter: u64) -> u32 {
    if weighted {
        1 + (voter % 3) as u32
    } else {
        1
    }
}

/// The demonstration's questions: ratification (yes/no), and optionally the state's structure.
pub fn questions(structure: bool) -> Vec<Question> {
    let mut q = vec![Question::YesNo {
        id: "ratify".into(),
        text: "Do you approve the constitution adopted by the convention?".into(),
        blank: false,
    }];
    if structure {
        q.push(Question::Choose {
            id: "structure".into(),
            text: "Which structure of the state do you prefer?".into(),
            options: ["unitary", "federal", "confederation", "partition"].map(String::from).to_vec(),
            min: 1,
            max: 1,
            max_per_option: 1,
        });
    }
    q
}

/// What a simulated voter chooses: regions lean differently so their results differ.
pub fn choices(voter: u64, region: usize, structure: bool, rng: &mut impl CryptoRngCore) -> Vec<Vec<u32>> {
    let yes_percent = [72, 41, 63, 55, 80][region % 5];
    let mut out = vec![vec![((rng.next_u32() % 100) < yes_percent) as u32]];
    if structure {
        let mut slots = vec![0u32; 4];
        slots[((voter + region as u64) % 4) as usize] = 1;
        out.push(slots);
    }
    out
}
