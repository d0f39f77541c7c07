//! `convene demo`: a whole referendum at ballot level, in one process. A 3-of-5 key ceremony in
//! which trustee 5 deals a bad share and is excluded; a registrar issuing credentials across
//! regions; simulated voters, some of whom re-vote; one challenged (spoiled) ballot; checkpoints;
//! the tally; decryption by three trustees; the results.

use anyhow::{bail, Context, Result};
use convene_crypto::ballot::{BallotSecrets, CredentialSecret};
use convene_crypto::ceremony::{run_local_ceremony, CeremonyParams};
use convene_crypto::encoding::Point;
use convene_crypto::{RistrettoPoint, Scalar};
use convene_record::format::{LogEntry, Manifest, Question, ResultsJson, TrusteeCount, RECORD_VERSION};
use convene_record::writer::{manifest_hash, RecordWriter};
use rand_chacha::ChaCha20Rng;
use rand_core::{OsRng, RngCore, SeedableRng};
use rayon::prelude::*;
use std::path::PathBuf;

/// What to simulate.
#[derive(Clone, Debug)]
pub struct DemoConfig {
    pub voters: u64,
    pub out: PathBuf,
    pub regions: Vec<String>,
    /// Add a second question: the structure of the state, choose one of four.
    pub structure_question: bool,
    /// Every `revote_every`-th voter casts a second ballot later (0: nobody re-votes).
    pub revote_every: u64,
    /// A fixed seed makes the whole record reproducible; `None` uses the OS's randomness.
    pub seed: Option<u64>,
}

impl DemoConfig {
    pub fn new(voters: u64, out: PathBuf) -> DemoConfig {
        DemoConfig {
            voters,
            out,
            regions: ["north", "south", "east", "west", "capital"].map(String::from).to_vec(),
            structure_question: false,
            revote_every: 20,
            seed: None,
        }
    }
}

/// What the demo did.
pub struct DemoOutcome {
    pub results: ResultsJson,
    pub manifest: Manifest,
    pub entries: u64,
    pub superseded: u64,
    pub excluded_trustee: u32,
    pub challenged_tracking_code: String,
}

fn rng_for(seed: Option<u64>, stream: u64) -> ChaCha20Rng {
    match seed {
        Some(seed) => {
            let mut rng = ChaCha20Rng::seed_from_u64(seed);
            rng.set_stream(stream);
            rng
        }
        None => ChaCha20Rng::from_rng(OsRng).expect("the OS random source failed"),
    }
}

/// A voter's choices: regions lean differently so the per-region results differ.
fn choices(voter: u64, region: usize, structure: bool, rng: &mut impl RngCore) -> Vec<Vec<u32>> {
    let yes_percent = [72, 41, 63, 55, 80][region % 5];
    let yes = (rng.next_u32() % 100) < yes_percent;
    let mut out = vec![vec![yes as u32]];
    if structure {
        let mut slots = vec![0u32; 4];
        slots[((voter + region as u64) % 4) as usize] = 1;
        out.push(slots);
    }
    out
}

pub fn run(config: &DemoConfig, progress: &dyn Fn(&str, u64, u64)) -> Result<DemoOutcome> {
    if config.voters == 0 {
        bail!("--voters must be at least 1");
    }
    if config.voters > 50_000_000 {
        bail!("--voters is capped at 50,000,000 for a single-process demo");
    }
    let mut rng = rng_for(config.seed, 0);
    let log_secret = Scalar::random(&mut rng);
    let log_public = Point::from(RistrettoPoint::mul_base(&log_secret));
    let mut questions = vec![Question::YesNo {
        id: "ratify".into(),
        text: "Do you approve the constitution adopted by the convention?".into(),
    }];
    if config.structure_question {
        questions.push(Question::Choose {
            id: "structure".into(),
            text: "Which structure of the state do you prefer?".into(),
            options: ["unitary", "federal", "confederation", "partition"].map(String::from).to_vec(),
            min: 1,
            max: 1,
            max_per_option: 1,
        });
    }
    let manifest = Manifest {
        version: RECORD_VERSION,
        election_id: "convene-demo".into(),
        title: "Ratification of the constitution (demonstration)".into(),
        questions,
        regions: config.regions.clone(),
        trustees: TrusteeCount { n: 5, t: 3 },
        log_key: log_public.to_hex(),
    };
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
    .context("the key ceremony failed")?;
    let excluded_trustee = (1..=5).find(|i| !ceremony.outcome.qualified.contains(i)).unwrap_or(0);
    progress("key ceremony", 1, 1);

    // The registrar: one credential per voter, spread over the regions.
    let regions = config.regions.len() as u64;
    let region_of = |voter: u64| ((voter * 7 + voter / 3) % regions) as usize;
    let secrets: Vec<CredentialSecret> = (0..config.voters)
        .into_par_iter()
        .map(|v| CredentialSecret::generate(&mut rng_for(config.seed.map(|s| s ^ 0xc4ed), v + 1)))
        .collect();
    let public: Vec<(Point, String)> =
        secrets.iter().enumerate().map(|(v, s)| (*s.public(), config.regions[region_of(v as u64)].clone())).collect();
    let mut writer = RecordWriter::create(&config.out, &manifest_bytes, log_secret, &ceremony, &public)
        .map_err(anyhow::Error::msg)
        .context("cannot start the record")?;

    // Voter 0 challenges a ballot first (it is spoiled, revealed, never counted), then votes.
    let structure = config.structure_question;
    let (challenged, challenged_secrets) = {
        let mut voter_rng = rng_for(config.seed, u64::MAX);
        let region = region_of(0);
        writer
            .context()
            .encrypt_ballot(
                &secrets[0],
                &config.regions[region],
                &choices(0, region, structure, &mut voter_rng),
                &mut voter_rng,
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?
    };
    let (_, code) =
        writer.append(&LogEntry::Spoiled(challenged, challenged_secrets)).map_err(|e| anyhow::anyhow!("{e}"))?;
    let challenged_tracking_code = convene_crypto::encoding::to_hex(&code);

    // Everyone votes; then every `revote_every`-th voter votes again (the last ballot counts).
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
        let ballots: Vec<Result<LogEntry>> = chunk
            .par_iter()
            .map(|&(voter, round)| {
                let mut voter_rng = rng_for(config.seed, voter * 4 + round + 2);
                let region = region_of(voter);
                let (ballot, _secrets): (_, BallotSecrets) = writer
                    .context()
                    .encrypt_ballot(
                        &secrets[voter as usize],
                        &config.regions[region],
                        &choices(voter + round, region, structure, &mut voter_rng),
                        &mut voter_rng,
                    )
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                Ok(LogEntry::Cast(ballot))
            })
            .collect();
        for entry in ballots {
            writer.append(&entry?).map_err(|e| anyhow::anyhow!("{e}"))?;
            done += 1;
            if done.is_multiple_of(checkpoint_every) && done != total {
                writer.checkpoint(&mut rng);
            }
        }
        progress("ballots", done, total);
    }

    // Close, tally, and decrypt with three qualified trustees.
    progress("tally and decryption", 0, 1);
    writer.close(&mut rng).context("cannot write the tally")?;
    let decryptors: Vec<_> = ceremony.keys.iter().take(3).collect();
    let results = writer.decrypt(&decryptors, &mut rng).map_err(anyhow::Error::msg)?;
    progress("tally and decryption", 1, 1);

    // Voter 0's receipt for the ballot it cast after its challenge (log entry 1).
    let receipt = writer.receipt(1).context("no checkpoint covers entry 1")?;
    let receipts = config.out.join("receipts");
    std::fs::create_dir_all(&receipts)?;
    convene_record::writer::write_atomic(&receipts.join("voter-0.json"), &serde_json::to_vec_pretty(&receipt)?)?;
    Ok(DemoOutcome {
        results,
        manifest,
        entries: writer.len(),
        superseded: writer.superseded(),
        excluded_trustee,
        challenged_tracking_code,
    })
}
