//! A whole referendum played against a real server over HTTP: the supervisor creates it, five
//! trustees run the key ceremony exchanging only public messages through the server (one of them
//! cheating, if asked), the registrar issues credentials, voters sign in and cast (re-votes, a
//! challenged ballot), the trustees decrypt, the results are published. `convene demo`, the
//! integration story, the crash test and the load generator are all built from these steps.

use crate::client::{As, Client};
use crate::registrar::{self, Sheet};
use crate::trustee;
use anyhow::{bail, Context, Result};
use convene_crypto::ballot::ElectionContext;
use convene_crypto::ceremony::{CeremonyParams, TrusteeKey};
use convene_crypto::elgamal::ElectionKey;
use convene_crypto::encoding::hex32;
use convene_record::actors::{Actors, TAG_AUTHORITY};
use convene_record::format::*;
/// The simulated voters' questions, weights and choices: one definition, in the record crate.
pub use convene_record::testing::{choices, questions, weight_of};
use convene_record::writer::{manifest_hash, Receipt};
use convene_server::api;
use rand_core::CryptoRngCore;
use serde_json::json;

/// What an election needs to be set up.
#[derive(Clone, Debug)]
pub struct ElectionPlan {
    pub id: String,
    pub title: String,
    pub regions: Vec<String>,
    pub structure_question: bool,
    /// Voters, spread over the regions.
    pub voters: u64,
    pub codes_per_voter: usize,
    /// `(dealer, recipient)`: the dealer corrupts that share and should be excluded.
    pub cheat: Option<(u32, u32)>,
    /// The ratification rule, if any.
    pub rule: Option<Ratification>,
    /// Give credentials public weights (see [`weight_of`]).
    pub weighted: bool,
    /// Report regions with fewer counted ballots merged (0: never).
    pub min_region_ballots: u64,
    /// The sign-in codes are issued by a code issuer, apart from the registrar (version 2).
    pub separate_codes: bool,
    /// For a referendum a convention called for that names its trustees by key: the seed their
    /// (and the registrar's) identities were made from (`Actors::generate`), so that the
    /// simulated trustees sign with the keys the convention named.
    pub actors_seed: Option<u64>,
    /// Record format version 4: the witnesses who cosign the log, and how many must.
    pub witnesses: Vec<convene_record::format::WitnessJson>,
    pub witness_quorum: u32,
    /// Version 4: origins of static copies of the booth the server answers.
    pub booth_origins: Vec<String>,
    /// The voters type short credential strings, their keys derived by Argon2id at the default
    /// cost (protocol note §14), rather than 64-hex keys.
    pub typed_credentials: bool,
    /// The election's title and questions in other languages (`docs/record-format.md`).
    pub translations: Translations,
    /// Witnesses run by this process (the demonstration's observers): they add the
    /// referendum's log once its manifest is read (name them in `witnesses` too, or let a
    /// version-4 charter name them).
    pub observers: Option<std::sync::Arc<crate::witnesses::LocalWitnesses>>,
}

impl ElectionPlan {
    /// The plan for a referendum a convention handed off (its manifest is derived, so only its
    /// voters and actors are the plan's): `voters` simulated voters with `codes_per_voter` codes,
    /// hex keys, the trustees made from `actors_seed`.
    pub fn handed_off(
        id: &str,
        title: &str,
        regions: Vec<String>,
        (voters, codes_per_voter): (u64, usize),
        actors_seed: Option<u64>,
        observers: Option<std::sync::Arc<crate::witnesses::LocalWitnesses>>,
    ) -> ElectionPlan {
        ElectionPlan {
            id: id.into(),
            title: title.into(),
            regions,
            structure_question: false,
            voters,
            codes_per_voter,
            cheat: None,
            rule: None,
            weighted: false,
            min_region_ballots: 0,
            separate_codes: false,
            actors_seed,
            witnesses: Vec::new(),
            witness_quorum: 0,
            booth_origins: Vec::new(),
            typed_credentials: false,
            translations: Default::default(),
            observers,
        }
    }
}

/// The identities a convention story names (its charter's trustees, the ratification's
/// registrar), made again from their seed.
pub fn seeded_actors(n: u32, seed: u64) -> Actors {
    use rand_core::SeedableRng;
    Actors::generate(n, &mut rand_chacha::ChaCha20Rng::seed_from_u64(seed))
}

/// An election that is open for voting, with everything the simulated actors hold.
pub struct OpenElection {
    pub id: String,
    pub manifest: Manifest,
    pub manifest_bytes: Vec<u8>,
    pub context: ElectionContext,
    pub sheets: Vec<Sheet>,
    pub keys: Vec<TrusteeKey>,
    /// Record format version 2: the actors' own keys (authority, registrar, each trustee).
    pub actors: Option<Actors>,
}

impl OpenElection {
    /// Trustee `j`'s long-term identity, in a version-2 election.
    pub fn identity(&self, j: u32) -> Option<&convene_record::actors::ActorKey> {
        self.actors.as_ref().and_then(|a| a.trustee(j))
    }
}

/// The region of voter `v`.
pub fn region_of(plan: &ElectionPlan, v: u64) -> usize {
    ((v * 7 + v / 3) % plan.regions.len() as u64) as usize
}

/// Creates the election, runs the key ceremony, registers the voters and opens voting.
pub async fn set_up(
    client: &Client,
    plan: &ElectionPlan,
    rng: &mut (impl CryptoRngCore + Send),
) -> Result<OpenElection> {
    set_up_with(client, plan, None, rng).await
}

/// The manifest `plan` asks for, its actors `a` named by key (record format version 2).
fn new_election(plan: &ElectionPlan, a: &Actors) -> api::NewElection {
    let named =
        |name: &str, key: &convene_record::actors::ActorKey| Actor { name: name.into(), key: key.public().to_hex() };
    api::NewElection {
        election_id: plan.id.clone(),
        title: plan.title.clone(),
        questions: questions(plan.structure_question),
        regions: plan.regions.clone(),
        trustees: TrusteeCount { n: 5, t: 3, members: a.members() },
        ratification: plan.rule.clone(),
        min_region_ballots: plan.min_region_ballots,
        authority: Some(named("Election authority", &a.authority)),
        registrar: Some(named("Registrar", &a.registrar)),
        code_issuer: plan.separate_codes.then(|| named("Code issuer", &a.issuer)),
        max_weight: Some(if plan.weighted { 3 } else { 1 }),
        max_ballots_per_credential: Some(20),
        credential_kdf: plan.typed_credentials.then(CredentialKdf::default_argon2id),
        translations: plan.translations.clone(),
        witnesses: plan.witnesses.clone(),
        witness_quorum: plan.witness_quorum,
        booth_origins: plan.booth_origins.clone(),
        version: None,
    }
}

/// As [`set_up`], with the voters' sheets given (a convention's secret vote: the delegates' own
/// keys are the credentials) instead of issued here.
pub async fn set_up_with(
    client: &Client,
    plan: &ElectionPlan,
    sheets: Option<Vec<registrar::Sheet>>,
    rng: &mut (impl CryptoRngCore + Send),
) -> Result<OpenElection> {
    let ready = through_ceremony(client, plan, rng).await?;
    register_and_open(client, plan, ready, sheets, rng).await
}

/// An election whose key ceremony is over, waiting for its credential list.
pub struct AfterCeremony {
    pub manifest: Manifest,
    pub manifest_bytes: Vec<u8>,
    pub actors: Option<Actors>,
    outcome: convene_crypto::ceremony::CeremonyOutcome,
    keys: Vec<TrusteeKey>,
    params: CeremonyParams,
}

/// Creates the election (unless a convention handed it off), has the authority sign it, and
/// runs the trustees' key ceremony.
pub async fn through_ceremony(
    client: &Client,
    plan: &ElectionPlan,
    rng: &mut (impl CryptoRngCore + Send),
) -> Result<AfterCeremony> {
    let id = plan.id.as_str();
    // A referendum a convention handed off already exists in draft: set that one up.
    let handed_off = client
        .get_as::<convene_server::api::ElectionShown>(&format!("/api/elections/{id}"))
        .await
        .is_ok_and(|e| e.phase == convene_store::Phase::Draft.as_str());
    // A referendum of its own names every actor by key (record format version 2); one a
    // convention handed off is version 1 until the convention names them.
    let mut actors = None;
    if !handed_off {
        let a = Actors::generate(5, rng);
        let new = new_election(plan, &a);
        let _: api::ElectionCreated =
            client.post_as("/api/elections", &new, As::Supervisor).await.context("creating the election")?;
        actors = Some(a);
    }
    let manifest_bytes = client.get_bytes(&format!("/api/elections/{id}/record/manifest.json")).await?;
    let manifest = Manifest::parse(&manifest_bytes)?;
    if let (Some(observers), false) = (&plan.observers, manifest.witnesses.is_empty()) {
        observers.follow(&manifest.log_key).await.context("the local witnesses")?;
    }
    if handed_off && manifest.version >= 2 {
        let seed =
            plan.actors_seed.context("this referendum names its trustees by key: the plan needs their identities")?;
        let a = seeded_actors(manifest.trustees.n, seed);
        if a.members().iter().map(|m| &m.key).ne(manifest.trustees.members.iter().map(|m| &m.key)) {
            bail!("the trustees {id} names are not the plan's");
        }
        actors = Some(a);
    }
    if let (Some(a), None) = (&actors, &manifest.origin) {
        // The authority reads the manifest and signs it.
        let signature = a.authority.sign(TAG_AUTHORITY, &manifest_hash(&manifest_bytes), b"", rng);
        let _: api::Signed = client
            .post_as(&format!("/api/elections/{id}/authority"), &api::AuthoritySignature { signature }, As::Anyone)
            .await?;
    }
    let identity = |i: u32| actors.as_ref().and_then(|a| a.trustee(i));
    if manifest.regions != plan.regions {
        bail!("election {id} has regions {:?}, not the plan's {:?}", manifest.regions, plan.regions);
    }
    let params = CeremonyParams {
        manifest_hash: manifest_hash(&manifest_bytes),
        n: manifest.trustees.n,
        t: manifest.trustees.t,
    };

    // The five trustees, each with its own state file, exchange only public messages.
    let files = tempfile::tempdir()?;
    let (outcome, keys) = ceremony(client, id, &params, plan.cheat, &identity, files.path()).await?;
    Ok(AfterCeremony { manifest, manifest_bytes, actors, outcome, keys, params })
}

/// The registrar issues `sheets` (or sheets for the plan's voters) and uploads the list, signed
/// with its own key in version 2 (no token needed); the code issuer uploads its codes if it is
/// apart; the trustees acknowledge; voting opens.
pub async fn register_and_open(
    client: &Client,
    plan: &ElectionPlan,
    ready: AfterCeremony,
    sheets: Option<Vec<registrar::Sheet>>,
    rng: &mut (impl CryptoRngCore + Send),
) -> Result<OpenElection> {
    let id = plan.id.as_str();
    let AfterCeremony { manifest, manifest_bytes, actors, outcome, keys, params } = ready;
    let identity = |i: u32| actors.as_ref().and_then(|a| a.trustee(i));

    // The registrar, offline; only public keys and code hashes reach the server.
    let sheets = match sheets {
        Some(sheets) => sheets,
        None => {
            let voters: Vec<registrar::Voter> = (0..plan.voters)
                .map(|v| {
                    registrar::Voter::new(
                        format!("voter-{v}"),
                        plan.regions[region_of(plan, v)].clone(),
                        weight_of(plan.weighted, v),
                    )
                })
                .collect();
            registrar::issue(&manifest, &voters, plan.codes_per_voter, rng, &|| ()).map_err(anyhow::Error::msg)?
        }
    };
    let mut upload = registrar::upload(id, &sheets);
    if plan.separate_codes {
        upload.codes.clear();
    }
    let signer = actors.as_ref().filter(|_| manifest.registrar.is_some()).map(|a| &a.registrar);
    if let Some(key) = signer {
        registrar::sign_upload(&manifest_bytes, &mut upload, key).map_err(anyhow::Error::msg)?;
    }
    registrar::post_upload(client, id, &manifest_bytes, &upload, signer).await?;
    if let (true, Some(a)) = (plan.separate_codes, &actors) {
        // The code issuer, on its own machine: the codes for each published credential.
        let slips: Vec<(String, Vec<String>)> =
            sheets.iter().map(|s| (s.credential.public().to_hex(), s.codes.clone())).collect();
        let codes = registrar::issuer_upload(id, &manifest_bytes, &slips, &a.issuer).map_err(anyhow::Error::msg)?;
        client.post(&format!("/api/elections/{id}/codes"), &codes, As::Anyone).await?;
    }
    for key in &keys {
        if let Some(identity) = identity(key.index) {
            trustee::acknowledge(client, id, key, identity)
                .await
                .with_context(|| format!("trustee {} acknowledging", key.index))?;
        }
    }
    let _: api::Opened = client.post_as(&format!("/api/elections/{id}/open"), &json!({}), As::Supervisor).await?;

    let election: ElectionJson =
        serde_json::from_slice(&client.get_bytes(&format!("/api/elections/{id}/record/election.json")).await?)?;
    if election.manifest_hash != convene_crypto::encoding::to_hex(&params.manifest_hash) {
        bail!("the server's manifest hash differs from the manifest it serves");
    }
    let context = ElectionContext {
        base: hex32(&election.base_hash)?,
        key: ElectionKey::new(outcome.key)?,
        questions: manifest.shapes(),
    };
    Ok(OpenElection { id: id.to_string(), manifest, manifest_bytes, context, sheets, keys, actors })
}

/// The trustees' key ceremony, each trustee with its own state file in `dir` (and, in version 2,
/// its own identity): round 1, dealing (the dealer of `cheat` corrupts that recipient's share),
/// checks and complaints, the outcome, and each qualified trustee's key.
async fn ceremony<'a>(
    client: &Client,
    id: &str,
    params: &CeremonyParams,
    cheat: Option<(u32, u32)>,
    identity: &impl Fn(u32) -> Option<&'a convene_record::actors::ActorKey>,
    dir: &std::path::Path,
) -> Result<(convene_crypto::ceremony::CeremonyOutcome, Vec<convene_crypto::ceremony::TrusteeKey>)> {
    let state = |i: u32| dir.join(format!("trustee-{i}.state"));
    for i in 1..=params.n {
        trustee::start(client, id, i, &state(i), identity(i)).await.with_context(|| format!("trustee {i}, round 1"))?;
    }
    for i in 1..=params.n {
        let corrupt = cheat.filter(|(dealer, _)| *dealer == i).map(|(_, recipient)| recipient);
        trustee::deal(client, id, &state(i), corrupt, identity(i))
            .await
            .with_context(|| format!("trustee {i}, dealing"))?;
    }
    for i in 1..=params.n {
        trustee::check(client, id, &state(i), identity(i)).await.with_context(|| format!("trustee {i}, checking"))?;
    }
    let _: api::CeremonyFinished =
        client.post_as(&format!("/api/elections/{id}/ceremony/finish"), &json!({}), As::Supervisor).await?;
    let ceremony: CeremonyJson =
        serde_json::from_slice(&client.get_bytes(&format!("/api/elections/{id}/record/ceremony.json")).await?)?;
    let outcome = ceremony.outcome()?;
    let mut keys = Vec::new();
    for &i in &outcome.qualified {
        keys.push(trustee::finish(client, id, &state(i), &dir.join(format!("trustee-{i}.key"))).await?);
    }
    Ok((outcome, keys))
}

/// A ballot ready to send: the JSON line of its log entry.
pub fn make_entry(
    election: &OpenElection,
    voter: usize,
    choices: &[Vec<u32>],
    challenge: bool,
    rng: &mut impl CryptoRngCore,
) -> Result<Vec<u8>> {
    let sheet = &election.sheets[voter];
    let version = election.manifest.version;
    let entry =
        LogEntry::encrypt(&election.context, version, &sheet.credential, &sheet.region, choices, challenge, rng)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(entry.to_json_line().into_bytes())
}

/// Signs in with `code` and sends `entry` (a log entry's JSON line); returns the receipt after
/// checking it against the log's key in the manifest.
pub async fn send_ballot(
    client: &Client,
    id: &str,
    manifest_bytes: &[u8],
    code: &str,
    entry: Vec<u8>,
) -> Result<Receipt> {
    send_ballot_as(client, id, manifest_bytes, (code, None), entry).await
}

/// [`send_ballot`], signing in as `credential` when it is given, so that a code issued for
/// another credential is refused and stays unspent (a mistyped key costs no code).
pub async fn send_ballot_as(
    client: &Client,
    id: &str,
    manifest_bytes: &[u8],
    (code, credential): (&str, Option<&convene_crypto::Point>),
    entry: Vec<u8>,
) -> Result<Receipt> {
    let signin = api::SignIn { code: code.into(), credential: credential.map(|c| c.to_hex()) };
    let session: api::Session = client.post_as(&format!("/api/elections/{id}/signin"), &signin, As::Anyone).await?;
    let answer = client.post_raw(&format!("/api/elections/{id}/ballots"), entry, As::Voter(&session.session)).await?;
    let receipt: Receipt = serde_json::from_value(answer).context("the answer to a cast is not a receipt")?;
    convene_record::verify::verify_receipt(manifest_bytes, &receipt).map_err(anyhow::Error::msg)?;
    Ok(receipt)
}

/// How long a voter's client waits for the receipt of a ballot stored before its witnesses
/// cosigned a checkpoint that covers it.
pub const RECEIPT_PATIENCE: std::time::Duration = std::time::Duration::from_secs(120);

/// Asks for the receipt of log entry `index` until a witnessed checkpoint covers it, with
/// backoff, at most [`RECEIPT_PATIENCE`].
async fn receipt_later(client: &Client, id: &str, index: u64) -> Result<Receipt> {
    let deadline = std::time::Instant::now() + RECEIPT_PATIENCE;
    let mut wait = std::time::Duration::from_millis(250);
    loop {
        match client.get(&format!("/api/elections/{id}/receipts/{index}")).await {
            Ok(answer) => return serde_json::from_value(answer).context("the answer is not a receipt"),
            Err(e) if std::time::Instant::now() + wait > deadline => {
                return Err(e.context(format!(
                    "log entry {index} is stored, but no witnessed checkpoint covered it within {} s; \
                     ask again later: GET /api/elections/{id}/receipts/{index}",
                    RECEIPT_PATIENCE.as_secs()
                )))
            }
            Err(_) => tokio::time::sleep(wait).await,
        }
        wait = (wait * 2).min(std::time::Duration::from_secs(4));
    }
}

/// A simulated voter: signs in with its `code`-th code and sends `entry`.
pub async fn sign_in_and_send(
    client: &Client,
    election: &OpenElection,
    voter: usize,
    code: usize,
    entry: Vec<u8>,
) -> Result<Receipt> {
    let sheet = &election.sheets[voter];
    let signer = (sheet.codes[code].as_str(), Some(sheet.credential.public()));
    send_ballot_as(client, &election.id, &election.manifest_bytes, signer, entry).await
}

/// Turns answers (`yes`/`no`, or an option's name, one per question) into slot values.
pub fn parse_answers(manifest: &Manifest, answers: &[String]) -> Result<Vec<Vec<u32>>> {
    if answers.len() != manifest.questions.len() {
        bail!("give one --answer per question; this election has {} question(s)", manifest.questions.len());
    }
    manifest
        .questions
        .iter()
        .zip(answers)
        .map(|(q, a)| match q {
            Question::YesNo { text, blank, .. } => match (a.to_lowercase().as_str(), blank) {
                ("yes", false) => Ok(vec![1]),
                ("no", false) => Ok(vec![0]),
                ("yes", true) => Ok(vec![1, 0]),
                ("no", true) => Ok(vec![0, 1]),
                ("blank", true) => Ok(vec![0, 0]),
                (_, false) => bail!("{text:?} is a yes/no question: answer yes or no, not {a:?}"),
                (_, true) => bail!("{text:?}: answer yes, no or blank, not {a:?}"),
            },
            Question::Choose { text, options, .. } => match options.iter().position(|o| o.eq_ignore_ascii_case(a)) {
                Some(i) => Ok((0..options.len()).map(|j| (i == j) as u32).collect()),
                None => bail!("{text:?}: answer one of {}, not {a:?}", options.join(", ")),
            },
        })
        .collect()
}

/// A real voter's client: encrypts and signs here, then signs in and sends.
#[allow(clippy::too_many_arguments)]
pub async fn cast_as(
    client: &Client,
    id: &str,
    public: &PublicElection,
    credential: &convene_crypto::ballot::CredentialSecret,
    region: &str,
    code: &str,
    choices: &[Vec<u32>],
    challenge: bool,
) -> Result<Receipt> {
    let mut rng = rand_core::OsRng;
    let version = public.manifest.version;
    let entry = LogEntry::encrypt(&public.context, version, credential, region, choices, challenge, &mut rng)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let signer = (code, Some(credential.public()));
    let receipt = match send_ballot_as(client, id, &public.manifest_bytes, signer, entry.to_json_line().into_bytes())
        .await
    {
        Ok(receipt) => receipt,
        // Stored, but not yet under a witnessed checkpoint: its receipt comes later.
        Err(e) => match e.downcast_ref::<crate::client::HttpError>().and_then(|h| h.stored) {
            Some(index) => {
                let receipt = receipt_later(client, id, index).await.context(e)?;
                convene_record::verify::verify_receipt(&public.manifest_bytes, &receipt).map_err(anyhow::Error::msg)?;
                receipt
            }
            None => return Err(e),
        },
    };
    // The receipt must be this very ballot's, not another entry's.
    let mine =
        convene_crypto::encoding::to_hex(&convene_record::log::leaf_hash(&entry.entry_bytes(&public.context.base)));
    if receipt.tracking_code != mine {
        bail!(
            "the server's receipt is for another entry (tracking code {}, not this ballot's {mine}): keep it and report it",
            receipt.tracking_code
        );
    }
    Ok(receipt)
}

/// Closes voting; the first `t` qualified trustees decrypt; the results are published.
pub async fn count(client: &Client, election: &OpenElection) -> Result<(api::Closed, ResultsJson)> {
    let id = &election.id;
    let closed = client.post_as(&format!("/api/elections/{id}/close"), &json!({}), As::Supervisor).await?;
    for key in election.keys.iter().take(election.manifest.trustees.t as usize) {
        trustee::decrypt(client, id, key, election.identity(key.index), None, &convene_record::verify::Quiet)
            .await
            .with_context(|| format!("trustee {} decrypting", key.index))?;
    }
    let results = client.post_as(&format!("/api/elections/{id}/publish"), &json!({}), As::Supervisor).await?;
    Ok((closed, results))
}

/// What a voter's client learns of an open election from the server's public documents.
pub struct PublicElection {
    pub manifest: Manifest,
    pub manifest_bytes: Vec<u8>,
    pub context: ElectionContext,
    credentials: Vec<u8>,
}

impl PublicElection {
    /// Fetches what the server publishes before voting and **verifies it** (H7): the manifest
    /// and its signatures, the key ceremony — from which the election key is recomputed, never
    /// taken from the server's claim — the credential list, the election hashes and the
    /// trustees' acknowledgements. A voter's ballot is encrypted only under that recomputed key
    /// and base hash; a server that serves another key is refused with the failures named.
    pub async fn fetch(client: &Client, id: &str) -> Result<PublicElection> {
        use convene_record::files;
        let dir = tempfile::tempdir()?;
        let manifest_bytes = client
            .get_bytes(&format!("/api/elections/{id}/record/{}", files::MANIFEST))
            .await
            .context("no such election on that server")?;
        std::fs::write(dir.path().join(files::MANIFEST), &manifest_bytes)?;
        // The texts it ratifies (and their translations), as its manifest names them.
        let texts = Manifest::parse(&manifest_bytes).map(|m| files::constitution_files(&m)).unwrap_or_default();
        let fixed = [
            files::AUTHORITY,
            files::CEREMONY,
            files::CREDENTIALS,
            files::REGISTRAR,
            files::ACKNOWLEDGEMENTS,
            files::ELECTION,
        ];
        for name in fixed.iter().copied().chain(texts.iter().map(String::as_str)) {
            // What this election's version does not publish is absent; the verifier says which
            // of those it needs.
            if let Ok(bytes) = client.get_bytes(&format!("/api/elections/{id}/record/{name}")).await {
                std::fs::write(dir.path().join(name), bytes)?;
            }
        }
        let (report, opened) = convene_record::verify::verify_until_open(dir.path(), &convene_record::verify::Quiet);
        let opened = match opened {
            Some(opened) if report.ok() => opened,
            _ => {
                let failures: Vec<String> = report.failures.iter().map(|f| f.to_string()).collect();
                bail!(
                    "the election {id} this server publishes does not verify, so no ballot is encrypted for it: {}",
                    if failures.is_empty() { "it is not open yet".to_string() } else { failures.join("; ") }
                );
            }
        };
        let credentials = std::fs::read(dir.path().join(files::CREDENTIALS))?;
        Ok(PublicElection { manifest: opened.manifest, manifest_bytes, context: opened.context, credentials })
    }

    /// The region the published list gives a credential.
    pub fn region_of(&self, credential: &convene_crypto::Point) -> Option<String> {
        self.credentials.split(|b| *b == b'\n').filter(|l| !l.is_empty()).find_map(|line| {
            let listed = parse_credential_line(line, &self.manifest).ok()?;
            (listed.credential == *credential).then(|| self.manifest.regions[listed.region].clone())
        })
    }
}
