//! `convene demo`: a whole referendum at ballot level, in one process. A 3-of-5 key ceremony in
//! which trustee 5 deals a bad share and is excluded; a registrar issuing credentials across
//! regions; simulated voters, some of whom re-vote; one challenged (spoiled) ballot; checkpoints;
//! the tally; decryption by three trustees; the results.

use crate::client::Client;
use crate::referendum::{self, ElectionPlan};
use crate::witnesses::{LocalWitnesses, LOCAL_QUORUM};
use anyhow::{bail, Context, Result};
use convene_record::format::{Manifest, ResultsJson};
pub use convene_record::testing::demo_rule;
use convene_record::testing::{rng_for, Simulation};
use rand_chacha::ChaCha20Rng;
use rand_core::OsRng;
use std::path::PathBuf;
use std::sync::Arc;

/// What to simulate: the record's [`Simulation`] (its fields read through this config), and the
/// HTTP demonstration's witnesses.
#[derive(Clone, Debug)]
pub struct DemoConfig {
    pub simulation: Simulation,
    /// The witnesses of the HTTP demonstration (three run in this process if none are given):
    /// the caller's keep running after it, for pages that ask them later.
    pub observers: Option<Arc<LocalWitnesses>>,
    /// Where to keep the convention's participants' signing keys (`chair.key`, `secretary.key`,
    /// `delegate-NN.key`, as `convene assembly keygen` writes them), so that someone can sign in
    /// on the assembly page as any of them afterwards.
    pub participant_keys: Option<PathBuf>,
    /// Set up and open the referendum of the milestone the convention adopted (its own draft
    /// after the hand-off), for a newcomer to vote in afterwards.
    pub open_milestone: bool,
}

impl DemoConfig {
    pub fn new(voters: u64, out: PathBuf) -> DemoConfig {
        DemoConfig {
            simulation: Simulation::new(voters, out),
            observers: None,
            participant_keys: None,
            open_milestone: false,
        }
    }
}

impl std::ops::Deref for DemoConfig {
    type Target = Simulation;
    fn deref(&self) -> &Simulation {
        &self.simulation
    }
}

impl std::ops::DerefMut for DemoConfig {
    fn deref_mut(&mut self) -> &mut Simulation {
        &mut self.simulation
    }
}

/// Where the HTTP demo writes the convention's record, inside the referendum's.
pub const CONVENTION_DIR: &str = convene_record::directory::CONVENTION_DIR;

/// What the demo did.
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

/// The demo straight into the record writer (`convene demo --offline`), every actor played in
/// this process (`convene_record::testing`); the record goes to `config.out`.
pub fn run_offline(config: &DemoConfig, progress: &dyn Fn(&str, u64, u64)) -> Result<DemoOutcome> {
    if config.voters == 0 {
        bail!("--voters must be at least 1");
    }
    if config.voters > 50_000_000 {
        bail!("--voters is capped at 50,000,000 for a single-process demo");
    }
    let done = convene_record::testing::write(&config.simulation, progress).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(DemoOutcome {
        convention: Vec::new(),
        results: done.results,
        manifest: done.manifest,
        entries: done.entries,
        superseded: done.superseded,
        excluded_trustee: done.excluded_trustee,
        challenged_tracking_code: done.challenged_tracking_code,
    })
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
    let (convention, convention_seed, convention_chair) = if config.structure_question {
        (Vec::new(), None, None)
    } else {
        demo_convention(client, &observers, config.participant_keys.as_deref(), &mut rng, progress).await?
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
        typed_credentials: true,
        translations: demo_translations(config.structure_question),
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
    date_the_milestones(client, &election.id, &results, convention_chair.as_ref(), &mut rng).await?;
    client.fetch_record(&election.id, &config.out).await?;
    let receipts = config.out.join("receipts");
    std::fs::create_dir_all(&receipts)?;
    let receipt = client.get(&format!("/api/elections/{}/receipts/{}", election.id, challenged.index + 1)).await?;
    convene_record::writer::write_atomic(&receipts.join("voter-0.json"), &serde_json::to_vec_pretty(&receipt)?)?;
    if config.open_milestone && convention_seed.is_some() {
        open_milestone(client, &observers, convention_seed, &mut rng).await?;
    }
    let shown: convene_server::api::ElectionShown = client.get_as(&format!("/api/elections/{}", election.id)).await?;
    let qualified: Vec<u32> = serde_json::from_slice::<convene_record::format::CeremonyJson>(&std::fs::read(
        config.out.join("ceremony.json"),
    )?)?
    .outcome
    .qualified;
    Ok(DemoOutcome {
        convention,
        results,
        manifest: election.manifest.clone(),
        entries: shown.log_size,
        superseded: closed.superseded,
        excluded_trustee: (1..=5).find(|i| !qualified.contains(i)).unwrap_or(0),
        challenged_tracking_code: challenged.tracking_code,
    })
}

/// Publishes the sheets of a demonstration referendum (`POST …/demo`), so that its booth offers
/// them to anyone: every code with its credential.
async fn publish_demo_voters(client: &Client, id: &str, sheets: &[crate::registrar::Sheet]) -> Result<()> {
    let voters: Vec<convene_server::api::DemoVoter> = sheets
        .iter()
        .flat_map(|s| {
            let key = s.key_text();
            s.codes.iter().map(move |code| convene_server::api::DemoVoter { code: code.clone(), key: key.clone() })
        })
        .collect();
    client.post(&format!("/api/elections/{id}/demo"), &voters, crate::client::As::Supervisor).await?;
    Ok(())
}

/// Sets up and opens the milestone referendum the convention handed off (in draft, named
/// `convene-demo-milestone-K`) with ten voters in its region, whose sheets are public as a
/// demonstration's are; its id, if there is one.
async fn open_milestone(
    client: &Client,
    observers: &Arc<LocalWitnesses>,
    actors_seed: Option<u64>,
    rng: &mut ChaCha20Rng,
) -> Result<Option<String>> {
    let listed: convene_server::api::ElectionList = client.get_as("/api/elections").await?;
    let Some(draft) = listed.elections.into_iter().find(|e| e.id.starts_with("convene-demo-milestone-")) else {
        return Ok(None);
    };
    let manifest =
        Manifest::parse(&client.get_bytes(&format!("/api/elections/{}/record/manifest.json", draft.id)).await?)?;
    let plan = ElectionPlan::handed_off(
        &draft.id,
        &draft.title,
        manifest.regions.clone(),
        (10, 3),
        actors_seed,
        Some(observers.clone()),
    );
    let election = referendum::set_up(client, &plan, rng).await.context("the milestone referendum")?;
    publish_demo_voters(client, &plan.id, &election.sheets).await?;
    Ok(Some(plan.id))
}

/// The demonstration's convention (`AssemblyPlan::example`), handing off referendum
/// `convene-demo`: the steps it reported, and the seed of the actors it named.
async fn demo_convention(
    client: &Client,
    observers: &Arc<LocalWitnesses>,
    keys: Option<&std::path::Path>,
    rng: &mut ChaCha20Rng,
    progress: &(dyn Fn(&str, u64, u64) + Sync),
) -> Result<(Vec<String>, Option<u64>, Option<convene_record::actors::ActorKey>)> {
    let mut plan = crate::assembly::AssemblyPlan::example("convene-demo-convention");
    plan.referendum = "convene-demo".into();
    plan.observers = Some(observers.clone());
    let steps = std::sync::Mutex::new(Vec::new());
    progress("convention", 0, 1);
    let outcome =
        crate::assembly::run_story(client, &plan, rng, &|s| steps.lock().expect("not poisoned").push(s.into()))
            .await
            .context("the convention")?;
    if let Some(dir) = keys {
        std::fs::create_dir_all(dir)?;
        outcome.chair.save_key(&dir.join("chair.key"))?;
        outcome.secretary.save_key(&dir.join("secretary.key"))?;
        for (k, delegate) in outcome.delegates.iter().enumerate() {
            delegate.save_key(&dir.join(format!("delegate-{:02}.key", k + 1)))?;
        }
    }
    progress("convention", 1, 1);
    let chair = convene_record::actors::ActorKey::from_secret(outcome.chair.secret())?;
    Ok((steps.into_inner().expect("not poisoned"), plan.actors_seed, Some(chair)))
}

/// Ratified: the convention's chair signs the day, and every milestone gets its date.
async fn date_the_milestones(
    client: &Client,
    id: &str,
    results: &ResultsJson,
    chair: Option<&convene_record::actors::ActorKey>,
    rng: &mut ChaCha20Rng,
) -> Result<()> {
    let ratified = results.ratification.as_ref().is_some_and(|r| r.outcome == "ratified");
    if let (true, Some(chair)) = (ratified, chair) {
        crate::timeline::publish(client, id, chair, crate::timeline::today(), rng).await?;
    }
    Ok(())
}

/// `convene serve --demo`: an open demonstration referendum with a few voters, whose private
/// sheets are written to `DATA/demo-sheets.csv`, `.pdf` and `.html`, witnessed by three witnesses run by
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
        typed_credentials: true,
        translations: demo_translations(false),
        observers: Some(observers.clone()),
    };
    let election = referendum::set_up(client, &plan, &mut OsRng).await?;
    // Its trustees' key shares and identities stay in the data directory, so that the
    // demonstration can be closed and counted (`convene trustee decrypt`).
    let trustees = data.join(DEMO_TRUSTEES);
    std::fs::create_dir_all(&trustees)?;
    for key in &election.keys {
        crate::trustee::save_key(&plan.id, key, &trustees.join(format!("trustee-{}.key", key.index)))?;
        if let Some(identity) = election.identity(key.index) {
            let name = format!("Trustee {}", key.index);
            crate::identity::save(&name, identity, &trustees.join(format!("trustee-{}.identity", key.index)))?;
        }
    }
    // A demonstration: its sheets are public, so that anyone can vote from the booth at once.
    publish_demo_voters(client, &plan.id, &election.sheets).await?;
    std::fs::write(data.join("demo-sheets.csv"), crate::registrar::sheets_csv(&election.sheets))?;
    let fingerprint = crate::registrar::published_fingerprint(client, &plan.id, &election.manifest_bytes).await?;
    let booth = crate::registrar::booth_url(url, &plan.id);
    let printed = crate::registrar::printed(&plan.title, &booth, Some(&fingerprint), &election.sheets);
    crate::registrar::write_printed(data, "demo-sheets", &plan.title, &printed, &|| ())?;
    let first = &election.sheets[0];
    let trustee = |j: u32, file: &str| trustees.join(format!("trustee-{j}.{file}")).display().to_string();
    let told = format!(
        "A demonstration referendum is open: {}.\nVote in your browser: open {url}/ and press Vote (the booth offers a demonstration voter's credential and code).\n20 voter sheets are in {} (and .pdf, .html: print them, scan a QR code with a phone). Or vote from the command line as the first voter:\n\n  convene vote --server {} --election convene-demo --credential {} --code {} --answer yes\n\nTo count it: close voting (curl -X POST -H \"authorization: Bearer $(cat {})\" {url}/api/elections/convene-demo/close), then any three trustees decrypt with the keys kept in {}, e.g.\n\n  convene trustee decrypt --server {url} --election convene-demo --key {} --identity {}\n\nthen publish (POST {url}/api/elections/convene-demo/publish, the same token).\n",
        plan.title,
        data.join("demo-sheets.csv").display(),
        url,
        first.key_text(),
        first.codes[0],
        data.join("admin-token").display(),
        trustees.display(),
        trustee(election.keys[0].index, "key"),
        trustee(election.keys[0].index, "identity"),
    );
    Ok((told, observers))
}

/// Where `serve --demo` keeps the demonstration's trustees' key shares and identities.
pub const DEMO_TRUSTEES: &str = "demo-trustees";

/// The demonstration's title and questions in Arabic and Sorani (written by the engineers; see
/// `docs/translating.md`), for the questions `referendum::questions(structure)` asks.
pub fn demo_translations(structure: bool) -> convene_record::format::Translations {
    use convene_record::format::{ManifestTranslation, QuestionTranslation};
    let language = |title: &str, ratify: &str, (question, options): (&str, [&str; 4])| {
        let mut questions = vec![QuestionTranslation { text: ratify.into(), options: Vec::new() }];
        if structure {
            questions.push(QuestionTranslation { text: question.into(), options: options.map(String::from).to_vec() });
        }
        ManifestTranslation { title: title.into(), questions, constitution_sha256: None }
    };
    [
        (
            "ar".to_string(),
            language(
                "المصادقة على الدستور (عرض تجريبي)",
                "هل توافق على الدستور الذي أقرّه المؤتمر؟",
                ("أي بنية للدولة تفضّل؟", ["دولة موحّدة", "اتحاد فدرالي", "كونفدرالية", "تقسيم"]),
            ),
        ),
        (
            "ckb".to_string(),
            language(
                "پەسەندکردنی دەستوور (نموونەیی)",
                "ئایا ئەو دەستوورە پەسەند دەکەیت کە کۆنگرەکە بڕیاری لەسەر دا؟",
                ("کام پێکهاتەی دەوڵەت بە باشتر دەزانیت؟", ["یەکگرتوو", "فیدراڵی", "کۆنفیدراڵی", "دابەشکردن"]),
            ),
        ),
    ]
    .into()
}
