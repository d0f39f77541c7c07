//! `convene demo`: a whole referendum at ballot level, in one process. A 3-of-5 key ceremony in
//! which trustee 5 deals a bad share and is excluded; a registrar issuing credentials across
//! regions; simulated voters, some of whom re-vote; one challenged (spoiled) ballot; checkpoints;
//! the tally; decryption by three trustees; the results.

use crate::client::Client;
use crate::referendum::{self, ElectionPlan};
use crate::witnesses::{LocalWitnesses, LOCAL_QUORUM};
use anyhow::{bail, Context, Result};
use convene_crypto::ballot::CredentialSecret;
use convene_crypto::ceremony::{run_local_ceremony, CeremonyParams};
use convene_crypto::encoding::Point;
use convene_crypto::Scalar;
use convene_note::{NoteSigner, TYPE_COSIGNATURE, TYPE_ED25519};
use convene_record::actors::{Actor, Actors};
use convene_record::checkpoint::default_origin;
use convene_record::format::{LogEntry, Manifest, ResultsJson, TrusteeCount, WitnessJson, RECORD_VERSION};
use convene_record::writer::{manifest_hash, RecordWriter};
use rand_chacha::ChaCha20Rng;
use rand_core::{OsRng, RngCore, SeedableRng};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

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
    /// Give credentials public weights (1 to 3), as shares in a cooperative.
    pub weighted: bool,
    /// Report regions with fewer counted ballots merged (0: never).
    pub min_region_ballots: u64,
    /// The witnesses of the HTTP demonstration (three run in this process if none are given):
    /// the caller's keep running after it, for pages that ask them later.
    pub observers: Option<Arc<LocalWitnesses>>,
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
            weighted: false,
            min_region_ballots: 0,
            observers: None,
        }
    }
}

/// What the demo did.
/// Where the HTTP demo writes the convention's record, inside the referendum's.
pub const CONVENTION_DIR: &str = convene_record::directory::CONVENTION_DIR;

pub struct DemoOutcome {
    /// What the convention did before the referendum (the HTTP demo without the structure
    /// question): one line per step.
    pub convention: Vec<String>,
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

/// The offline simulation: writes the record directly with the record writer, no server. Fast;
/// used to make large records for benchmarks.
pub fn run_offline(config: &DemoConfig, progress: &dyn Fn(&str, u64, u64)) -> Result<DemoOutcome> {
    if config.voters == 0 {
        bail!("--voters must be at least 1");
    }
    if config.voters > 50_000_000 {
        bail!("--voters is capped at 50,000,000 for a single-process demo");
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
    let questions = referendum::questions(config.structure_question);
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
    let public: Vec<(Point, String, u32)> = secrets
        .iter()
        .enumerate()
        .map(|(v, s)| {
            (*s.public(), config.regions[region_of(v as u64)].clone(), referendum::weight_of(config.weighted, v as u64))
        })
        .collect();
    // The witnesses' cosignatures carry the time; a seeded record carries a fixed one.
    let now = match config.seed {
        Some(_) => 1_800_000_000,
        None => std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()),
    };
    let mut writer = RecordWriter::create(&config.out, &manifest_bytes, &log_secret, &ceremony, &public, Some(actors))
        .map_err(anyhow::Error::msg)
        .context("cannot start the record")?
        .with_witnesses(witnesses, now);

    // Voter 0 challenges a ballot first (it is spoiled, revealed, never counted), then votes.
    let structure = config.structure_question;
    let challenged = {
        let mut voter_rng = rng_for(config.seed, u64::MAX);
        let region = region_of(0);
        let choices = crate::referendum::choices(0, region, structure, &mut voter_rng);
        LogEntry::encrypt(
            writer.context(),
            RECORD_VERSION,
            &secrets[0],
            &config.regions[region],
            &choices,
            true,
            &mut voter_rng,
        )
        .map_err(|e| anyhow::anyhow!("{e}"))?
    };
    let (_, code) = writer.append(&challenged).map_err(|e| anyhow::anyhow!("{e}"))?;
    let challenged_tracking_code = convene_crypto::encoding::to_hex(&code);

    // Everyone votes; then every `revote_every`-th voter votes again (the last ballot counts).
    offline_ballots(config, &mut writer, &secrets, &region_of, &mut rng, progress)?;

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
        convention: Vec::new(),
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
    config: &DemoConfig,
    election_id: &str,
    questions: Vec<convene_record::format::Question>,
    log_key: String,
    witnesses: &[NoteSigner],
    actors: &Actors,
) -> Manifest {
    let named =
        |name: &str, key: &convene_record::actors::ActorKey| Actor { name: name.into(), key: key.public().to_hex() };
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
    config: &DemoConfig,
    writer: &mut RecordWriter,
    secrets: &[CredentialSecret],
    region_of: &(impl Fn(u64) -> usize + Sync),
    rng: &mut ChaCha20Rng,
    progress: &dyn Fn(&str, u64, u64),
) -> Result<()> {
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
        let ballots: Vec<Result<LogEntry>> = chunk
            .par_iter()
            .map(|&(voter, round)| {
                let mut voter_rng = rng_for(config.seed, voter * 4 + round + 2);
                let region = region_of(voter);
                let choices = crate::referendum::choices(voter + round, region, structure, &mut voter_rng);
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
                .map_err(|e| anyhow::anyhow!("{e}"))
            })
            .collect();
        for entry in ballots {
            writer.append(&entry?).map_err(|e| anyhow::anyhow!("{e}"))?;
            done += 1;
            if done.is_multiple_of(checkpoint_every) && done != total {
                writer.checkpoint(rng);
            }
        }
        progress("ballots", done, total);
    }
    Ok(())
}

/// The demo against a real server over HTTP: the referendum is set up, voted, counted and
/// published through the API, and the record is fetched into `config.out`.
pub async fn run_http(
    client: &Client,
    config: &DemoConfig,
    progress: &(dyn Fn(&str, u64, u64) + Sync),
) -> Result<DemoOutcome> {
    if config.voters == 0 {
        bail!("--voters must be at least 1");
    }
    if config.out.exists() && std::fs::read_dir(&config.out)?.next().is_some() {
        bail!("{} exists and is not empty; give a new directory with --out, or remove that one", config.out.display());
    }
    let mut rng = rng_for(config.seed, 0);
    // Three observers each run a witness (here, in this process); two must cosign every
    // checkpoint of the convention's log and of the referendum's.
    let witness_dir = tempfile::tempdir().context("cannot make a directory for the demonstration's witnesses")?;
    let observers = match &config.observers {
        Some(observers) => observers.clone(),
        None => Arc::new(LocalWitnesses::start(witness_dir.path(), &[0, 0, 0]).await?),
    };
    // The convention first: apportionment, assembly, constitution, and the hand-off of the
    // referendum below (which then has the convention's one ratification question).
    let (convention, convention_seed) = if config.structure_question {
        (Vec::new(), None)
    } else {
        demo_convention(client, &observers, &mut rng, progress).await?
    };
    let plan = ElectionPlan {
        id: "convene-demo".into(),
        title: "Ratification of the constitution (demonstration)".into(),
        regions: config.regions.clone(),
        structure_question: config.structure_question,
        voters: config.voters,
        codes_per_voter: 3,
        cheat: Some((5, 2)),
        rule: Some(demo_rule()),
        weighted: config.weighted,
        min_region_ballots: config.min_region_ballots,
        separate_codes: false,
        // The trustees and registrar the convention named, when it ran (and its witnesses:
        // these are used only when there is no convention).
        actors_seed: convention_seed,
        witnesses: observers.named(),
        witness_quorum: LOCAL_QUORUM,
        booth_origins: Vec::new(),
        observers: Some(observers.clone()),
    };
    progress("set-up", 0, 1);
    let election = Arc::new(referendum::set_up(client, &plan, &mut rng).await?);
    progress("set-up", 1, 1);

    // Voter 0 challenges a ballot (it is spoiled and revealed), then everyone votes, then every
    // `revote_every`-th voter votes again with its next code.
    let structure = config.structure_question;
    let challenged = {
        let region = referendum::region_of(&plan, 0);
        let entry =
            referendum::make_entry(&election, 0, &referendum::choices(0, region, structure, &mut rng), true, &mut rng)?;
        referendum::sign_in_and_send(client, &election, 0, 0, entry).await?
    };
    let revoters: Vec<u64> = if config.revote_every == 0 {
        Vec::new()
    } else {
        (0..config.voters).step_by(config.revote_every as usize).collect()
    };
    let rounds: Vec<(u64, usize)> =
        (0..config.voters).map(|v| (v, 1)).chain(revoters.iter().map(|&v| (v, 2))).collect();
    let total = rounds.len() as u64;
    let done = Arc::new(std::sync::atomic::AtomicU64::new(0));
    for wave in [&rounds[..config.voters as usize], &rounds[config.voters as usize..]] {
        let limit = Arc::new(tokio::sync::Semaphore::new(32));
        let mut tasks = tokio::task::JoinSet::new();
        for &(voter, code) in wave {
            let (client, election, limit, done) = (client.clone(), election.clone(), limit.clone(), done.clone());
            let plan_region = referendum::region_of(&plan, voter);
            let mut voter_rng = rng_for(config.seed, voter * 4 + code as u64 + 2);
            tasks.spawn(async move {
                let _permit = limit.acquire().await.expect("the semaphore is never closed");
                let choices = referendum::choices(voter + code as u64, plan_region, structure, &mut voter_rng);
                let entry = referendum::make_entry(&election, voter as usize, &choices, false, &mut voter_rng)?;
                referendum::sign_in_and_send(&client, &election, voter as usize, code, entry).await?;
                done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Ok::<_, anyhow::Error>(())
            });
        }
        while let Some(result) = tasks.join_next().await {
            result??;
            progress("ballots", done.load(std::sync::atomic::Ordering::Relaxed), total);
        }
    }

    progress("tally and decryption", 0, 1);
    let (closed, results) = referendum::count(client, &election).await?;
    progress("tally and decryption", 1, 1);
    client.fetch_record(&election.id, &config.out).await?;
    let receipts = config.out.join("receipts");
    std::fs::create_dir_all(&receipts)?;
    let receipt = client.get(&format!("/api/elections/{}/receipts/{}", election.id, challenged.index + 1)).await?;
    convene_record::writer::write_atomic(&receipts.join("voter-0.json"), &serde_json::to_vec_pretty(&receipt)?)?;
    let shown = client.get(&format!("/api/elections/{}", election.id)).await?;
    let qualified: Vec<u32> = serde_json::from_slice::<convene_record::format::CeremonyJson>(&std::fs::read(
        config.out.join("ceremony.json"),
    )?)?
    .outcome
    .qualified;
    Ok(DemoOutcome {
        convention,
        results,
        manifest: election.manifest.clone(),
        entries: shown["log_size"].as_u64().unwrap_or(0),
        superseded: closed["superseded"].as_u64().unwrap_or(0),
        excluded_trustee: (1..=5).find(|i| !qualified.contains(i)).unwrap_or(0),
        challenged_tracking_code: challenged.tracking_code,
    })
}

/// The demonstration's convention (`AssemblyPlan::example`), handing off referendum
/// `convene-demo`: the steps it reported, and the seed of the actors it named.
async fn demo_convention(
    client: &Client,
    observers: &Arc<LocalWitnesses>,
    rng: &mut ChaCha20Rng,
    progress: &(dyn Fn(&str, u64, u64) + Sync),
) -> Result<(Vec<String>, Option<u64>)> {
    let mut plan = crate::assembly::AssemblyPlan::example("convene-demo-convention");
    plan.referendum = "convene-demo".into();
    plan.observers = Some(observers.clone());
    let steps = std::sync::Mutex::new(Vec::new());
    progress("convention", 0, 1);
    crate::assembly::run_story(client, &plan, rng, &|s| steps.lock().expect("not poisoned").push(s.into()))
        .await
        .context("the convention")?;
    progress("convention", 1, 1);
    Ok((steps.into_inner().expect("not poisoned"), plan.actors_seed))
}

/// `convene serve --demo`: an open demonstration referendum with a few voters, whose private
/// sheets are written to `DATA/demo-sheets.csv` and `.html`, witnessed by three witnesses run by
/// this process (in `DATA/demo-witnesses`; two must cosign). Returns how to vote, in words, and
/// the witnesses, which must keep running while the server does.
pub async fn seed_open_demo(
    client: &Client,
    url: &str,
    data: &std::path::Path,
) -> Result<(String, Arc<LocalWitnesses>)> {
    let witness_dir = data.join("demo-witnesses");
    if client.get("/api/elections/convene-demo").await.is_ok() {
        // Its witnesses run in this process: start them again where the manifest says they are.
        let manifest = Manifest::parse(&client.get_bytes("/api/elections/convene-demo/record/manifest.json").await?)?;
        let observers = Arc::new(LocalWitnesses::restart(&witness_dir, &manifest.witnesses).await?);
        let told = format!(
            "The demonstration referendum already exists: vote in your browser at {url}/ (the voter sheets are in {}).",
            data.join("demo-sheets.csv").display()
        );
        return Ok((told, observers));
    }
    let observers = Arc::new(LocalWitnesses::start(&witness_dir, &[0, 0, 0]).await?);
    let plan = ElectionPlan {
        id: "convene-demo".into(),
        title: "Ratification of the constitution (demonstration)".into(),
        regions: ["north", "south", "east", "west", "capital"].map(String::from).to_vec(),
        structure_question: false,
        voters: 20,
        codes_per_voter: 3,
        cheat: None,
        rule: None,
        weighted: false,
        min_region_ballots: 0,
        separate_codes: false,
        actors_seed: None,
        witnesses: observers.named(),
        witness_quorum: LOCAL_QUORUM,
        booth_origins: Vec::new(),
        observers: Some(observers.clone()),
    };
    let election = referendum::set_up(client, &plan, &mut OsRng).await?;
    // A demonstration: its sheets are public, so that anyone can vote from the booth at once.
    let voters: Vec<serde_json::Value> = election
        .sheets
        .iter()
        .flat_map(|s| {
            let key = convene_crypto::encoding::to_hex(&s.credential.secret_bytes());
            s.codes.iter().map(move |code| serde_json::json!({"code": code, "key": key}))
        })
        .collect();
    client.post("/api/elections/convene-demo/demo", &voters, crate::client::As::Supervisor).await?;
    std::fs::write(data.join("demo-sheets.csv"), crate::registrar::sheets_csv(&election.sheets))?;
    let fingerprint = crate::registrar::published_fingerprint(client, &plan.id, &election.manifest_bytes).await?;
    std::fs::write(
        data.join("demo-sheets.html"),
        crate::registrar::sheets_html(&plan.title, Some(&fingerprint), &election.sheets),
    )?;
    let first = &election.sheets[0];
    let told = format!(
        "A demonstration referendum is open: {}.\nVote in your browser: open {url}/ and press Vote (the booth offers a demonstration voter's code and key).\n20 voter sheets are in {} (and .html). Or vote from the command line as the first voter:\n\n  convene vote --server {} --election convene-demo --credential {} --code {} --answer yes\n",
        plan.title,
        data.join("demo-sheets.csv").display(),
        url,
        convene_crypto::encoding::to_hex(&first.credential.secret_bytes()),
        first.codes[0]
    );
    Ok((told, observers))
}

/// The demonstration's ratification rule: a majority of valid votes nationally, a 60% turnout
/// quorum, and a double majority of the regions (the capital weighing half).
pub fn demo_rule() -> convene_record::format::Ratification {
    convene_record::format::Ratification {
        question: "ratify".into(),
        rule: "[approval]\nbase = \"valid\"\nmore_than = \"1/2\"\n\n[quorum]\nat_least = \"3/5\"\n\n[regions]\nmore_than = \"1/2\"\n".into(),
        region_weights: [("capital".to_string(), "1/2".to_string())].into_iter().collect(),
    }
}
