//! The convention's participants over HTTP: each holds their own signing key and signs their own
//! events (`docs/convention.md`), and [`run_story`] plays a whole convention — import,
//! apportionment, credentials, agenda, motions, an amendment, speakers, votes under explicit
//! rules, a ranked vote on the structure of the state, the constitution and the hand-off to the
//! ratification referendum. The demo and the story tests both run it.

use crate::client::{As, Client};
use crate::witnesses::{LocalWitnesses, LOCAL_QUORUM};
use anyhow::{anyhow, bail, Context, Result};
use convene_core::apportion::{self, Method, Problem};
use convene_crypto::Scalar;
use convene_record::convention::*;
use convene_record::format::TrusteeCount;
use convene_record::writer::manifest_hash;
use rand_core::CryptoRngCore;
use serde_json::{json, Value};
use std::sync::Arc;

/// A person who signs convention events: the chair, the secretary or a delegate.
pub struct Participant {
    secret: Scalar,
    pub key: String,
    /// The sequence number of this participant's last event: kept here (and in the journal),
    /// never taken from the server, so that an event the server withholds leaves a gap.
    n: u64,
    /// Where each accepted event is kept with its receipt (`docs/convention.md` §2.1), if anywhere.
    journal: Option<std::path::PathBuf>,
}

/// One line of a participant's journal: an accepted event's exact line and its signed receipt.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Journaled {
    pub convention: String,
    pub n: u64,
    pub line: String,
    pub receipt: convene_record::writer::Receipt,
}

impl Participant {
    pub fn new(rng: &mut impl CryptoRngCore) -> Participant {
        Participant::from_secret(Scalar::random(rng), 0)
    }

    /// A participant whose last event was their `n`-th.
    pub fn from_secret(secret: Scalar, n: u64) -> Participant {
        Participant { key: public_hex(&secret), secret, n, journal: None }
    }

    /// This participant, keeping each accepted event and its receipt in the journal at `path`.
    pub fn keeping(mut self, path: std::path::PathBuf) -> Participant {
        self.journal = Some(path);
        self
    }

    /// The secret key, in hex, as `keygen` writes it (for handing to the participant's browser).
    pub fn secret_hex(&self) -> String {
        convene_crypto::encoding::to_hex(self.secret.as_bytes())
    }

    /// This participant's next event, signed: the log line (not sent). In a version-2
    /// convention, `state` (the server's, as [`Convention::state`] gives it) supplies the signed
    /// checkpoint the signer saw and the references of the objects the event names by number.
    pub fn sign(
        &self,
        convention: &Convention,
        state: &Value,
        event: &Event,
        rng: &mut impl CryptoRngCore,
    ) -> Result<Vec<u8>> {
        if convention.version == 1 {
            return Ok(sign_entry(&convention.charter_hash, &self.secret, self.n + 1, None, event, rng));
        }
        let seen = convention.seen(state)?;
        let event = referenced(event.clone(), state)?;
        Ok(sign_entry(&convention.charter_hash, &self.secret, self.n + 1, Some(&seen), &event, rng))
    }

    /// This participant's next event signed against a state replayed here (tests of the
    /// server's recovery write such lines straight to its store).
    pub fn sign_on(&self, state: &ConventionState, event: &Event, rng: &mut impl CryptoRngCore) -> Vec<u8> {
        let event = state.named(event.clone());
        sign_entry(&state.charter_hash, &self.secret, self.n + 1, state.seen_now().as_ref(), &event, rng)
    }

    /// Signs `event` as this participant's next event and posts it; checks the receipt (version
    /// 2) and keeps it in the journal; returns what the event did.
    pub async fn send(
        &mut self,
        client: &Client,
        convention: &Convention,
        event: Event,
        rng: &mut impl CryptoRngCore,
    ) -> Result<Value> {
        // Version 2: the server's state when the event names objects by number (to name them by
        // reference), else only its latest checkpoint.
        let state = match convention.version {
            1 => Value::Null,
            _ if names_by_number(&event) => convention.state(client).await?,
            _ => json!({"checkpoint": client.get(&format!("/api/conventions/{}/checkpoint", convention.id)).await?}),
        };
        let line = self.sign(convention, &state, &event, rng)?;
        let answer = client
            .post_raw(&format!("/api/conventions/{}/events", convention.id), line.clone(), As::Anyone)
            .await
            .with_context(|| format!("{} event", event.kind()))?;
        self.n += 1;
        if convention.version >= 2 {
            let receipt: convene_record::writer::Receipt = serde_json::from_value(answer["receipt"].clone())
                .context("the server accepted the event but sent no receipt")?;
            convention.check_receipt(&line, &receipt).context("the server's receipt for this event")?;
            if let Some(path) = &self.journal {
                let entry =
                    Journaled { convention: convention.id.clone(), n: self.n, line: String::from_utf8(line)?, receipt };
                let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
                use std::io::Write;
                writeln!(f, "{}", serde_json::to_string(&entry)?)?;
                f.sync_all()?;
            }
        }
        Ok(answer)
    }
}

/// `event` with every motion, amendment and vote it names by number named instead by the
/// reference the server's `state` gives that object (version 2). References pass unchanged; a
/// number the state does not know is an error.
pub fn referenced(event: Event, state: &Value) -> Result<Event> {
    let missing = std::cell::RefCell::new(None);
    let look = |kind: &str, n: u32| {
        let found = state[format!("{kind}s")]
            .as_array()
            .and_then(|items| items.iter().find(|o| o["id"] == n))
            .and_then(|o| o["hash"].as_str())
            .map(|h| Ref::Hash(h.to_string()));
        if found.is_none() {
            missing.borrow_mut().get_or_insert(format!("there is no {kind} {n}"));
        }
        found
    };
    let named = name_objects(event, look);
    match missing.into_inner() {
        Some(what) => bail!(what),
        None => Ok(named),
    }
}

/// A convention as its participants know it: its id, its charter's hash, version and log key.
#[derive(Clone)]
pub struct Convention {
    pub id: String,
    pub charter_hash: [u8; 32],
    pub version: u32,
    /// The charter's log key (and, in version 3, its witnesses and their quorum).
    log: convene_record::checkpoint::LogVerifier,
    /// Witnesses run by this process that the charter names (the demonstration's observers):
    /// they follow the convention's log and each referendum it calls for.
    pub observers: Option<Arc<LocalWitnesses>>,
}

impl Convention {
    /// Creates a convention (the supervisor's action) with the chair's and secretary's keys.
    pub async fn create(client: &Client, id: &str, title: &str, chair: &str, secretary: &str) -> Result<Convention> {
        Convention::create_with_trustees(client, id, title, chair, secretary, &[], None).await
    }

    /// As [`Convention::create`], the charter naming who may be a trustee of its referendums,
    /// and `observers` (witnesses run by this process) as its witnesses, of whom
    /// [`LOCAL_QUORUM`] must cosign (charter version 4): they follow its log from the start.
    pub async fn create_with_trustees(
        client: &Client,
        id: &str,
        title: &str,
        chair: &str,
        secretary: &str,
        trustees: &[convene_record::actors::Actor],
        observers: Option<Arc<LocalWitnesses>>,
    ) -> Result<Convention> {
        let (witnesses, witness_quorum) = match &observers {
            Some(o) => (o.named(), LOCAL_QUORUM),
            None => (Vec::new(), 0),
        };
        client
            .post(
                "/api/conventions",
                &json!({"convention_id": id, "title": title, "chair": chair, "secretary": secretary, "speaking_seconds": 300,
                        "trustees": trustees, "witnesses": witnesses, "witness_quorum": witness_quorum}),
                As::Supervisor,
            )
            .await
            .context("creating the convention")?;
        let mut convention = Convention::open(client, id).await?;
        if let Some(o) = &observers {
            let bytes = client.get_bytes(&format!("/api/conventions/{id}/record/charter.json")).await?;
            let charter = Charter::parse(&bytes).map_err(|e| anyhow!("the convention's charter: {e}"))?;
            o.follow(&charter.log_key).await.context("the local witnesses")?;
        }
        convention.observers = observers;
        Ok(convention)
    }

    pub async fn open(client: &Client, id: &str) -> Result<Convention> {
        let bytes = client.get_bytes(&format!("/api/conventions/{id}/record/charter.json")).await?;
        let charter = Charter::parse(&bytes).map_err(|e| anyhow!("the convention's charter: {e}"))?;
        if charter.convention_id != id {
            bail!("the server sent the charter of convention {}, not {id}", charter.convention_id);
        }
        let charter_hash = manifest_hash(&bytes);
        let log = charter.log_verifier(&charter_hash);
        Ok(Convention { id: id.to_string(), charter_hash, version: charter.version, log, observers: None })
    }

    /// What a signer saw: the server's latest checkpoint, once its signature checks with the
    /// charter's log key.
    pub fn seen(&self, state: &Value) -> Result<Seen> {
        if state["checkpoint"].is_null() {
            return Ok(Seen { size: 0, root: convene_record::log::empty_root() });
        }
        let checkpoint: convene_record::format::CheckpointJson = serde_json::from_value(state["checkpoint"].clone())
            .context("the server's checkpoint is not a checkpoint")?;
        let root = self.log.check(&checkpoint).map_err(|(_, why)| anyhow!("the server's latest checkpoint: {why}"))?;
        Ok(Seen { size: checkpoint.size, root })
    }

    /// Checks the receipt of `line`: signed with the log key, its tracking code the line's leaf,
    /// and the inclusion proof placing it in the log at the checkpoint.
    pub fn check_receipt(&self, line: &[u8], receipt: &convene_record::writer::Receipt) -> Result<()> {
        let leaf = convene_crypto::encoding::to_hex(&convene_record::log::leaf_hash(line));
        if receipt.tracking_code != leaf {
            bail!("the receipt is for entry {}, not for the line sent ({leaf})", receipt.tracking_code);
        }
        convene_record::verify::check_receipt_under(&self.log, receipt).map_err(|e| anyhow!(e))
    }

    pub async fn state(&self, client: &Client) -> Result<Value> {
        client.get(&format!("/api/conventions/{}", self.id)).await
    }

    /// The current result of vote `vote`, as the server computes it (the chair closes with it;
    /// the server refuses any other).
    pub async fn result_of(&self, client: &Client, vote: u32) -> Result<VoteResult> {
        let (_, shown) = self.vote(client, vote).await?;
        Ok(serde_json::from_value(shown["result"].clone())?)
    }

    /// The convention's state and, within it, vote `vote` as the server shows it (an open vote
    /// with its result so far).
    pub async fn vote(&self, client: &Client, vote: u32) -> Result<(Value, Value)> {
        let state = self.state(client).await?;
        let shown = state["votes"]
            .as_array()
            .and_then(|votes| votes.iter().find(|v| v["id"] == vote))
            .cloned()
            .ok_or_else(|| anyhow!("there is no vote {vote}"))?;
        Ok((state, shown))
    }
}

/// What a story convention needs.
pub struct AssemblyPlan {
    pub id: String,
    pub title: String,
    /// `name,region,population[,production][,area]`.
    pub localities_csv: String,
    pub source: String,
    /// Boundaries for the maps (a GeoJSON FeatureCollection), if any.
    pub geojson: Option<String>,
    pub method: String,
    pub seats: u64,
    pub min_seats: u64,
    /// The ratification referendum the convention hands its constitution to.
    pub referendum: String,
    pub trustees: TrusteeCount,
    /// When set, the charter names the trustees (made from this seed,
    /// [`crate::referendum::seeded_actors`]) and the secret vote and the ratification name them
    /// and a registrar: their referendums are record format version 2.
    pub actors_seed: Option<u64>,
    /// Witnesses run by this process for the charter to name (version 4): they witness the
    /// convention's log and the referendums it calls for.
    pub observers: Option<Arc<LocalWitnesses>>,
}

impl AssemblyPlan {
    /// A small convention of ten localities in five regions, fifteen seats.
    pub fn example(id: &str) -> AssemblyPlan {
        AssemblyPlan {
            id: id.into(),
            title: "Constitution of the Federation (demonstration)".into(),
            localities_csv: EXAMPLE_LOCALITIES.into(),
            source: "census 2025, table 3 (demonstration figures)".into(),
            geojson: Some(example_geojson()),
            method: "webster".into(),
            seats: 15,
            min_seats: 1,
            referendum: format!("{id}-ratification"),
            trustees: TrusteeCount { n: 5, t: 3, members: Vec::new() },
            actors_seed: Some(2026),
            observers: None,
        }
    }
}

/// Boundaries for the example localities: a grid of rectangles, two columns per region (made
/// up, like the figures).
pub fn example_geojson() -> String {
    let features: Vec<Value> = EXAMPLE_LOCALITIES
        .lines()
        .skip(1)
        .filter_map(|line| line.split(',').next())
        .enumerate()
        .map(|(k, name)| {
            let (x, y) = (30.0 + (k % 2) as f64, 10.0 + (k / 2) as f64);
            json!({"type": "Feature", "properties": {"name": name},
                   "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + 1.0, y], [x + 1.0, y + 1.0], [x, y + 1.0], [x, y]]]}})
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features}).to_string()
}

pub const EXAMPLE_LOCALITIES: &str = "name,region,population,production,area
Aldera,north,412000,0,5200
Brenn,north,158000,31000,8800
Cassio,south,530000,120000,4100
Dunmore,south,97000,0,9300
Eastmere,east,288000,0,3700
Fallow,east,61000,4000,12000
Westhold,west,344000,0,6100
Greyport,west,126000,0,2500
Capital City,capital,905000,0,900
Harrow,capital,45000,0,700
";

/// What the story leaves behind.
pub struct AssemblyOutcome {
    pub convention: Convention,
    pub chair: Participant,
    pub secretary: Participant,
    pub delegates: Vec<Participant>,
    /// The adopted constitution in Markdown.
    pub constitution: String,
    pub referendum: String,
}

/// Plays the whole convention over HTTP (see the module's documentation); `say` reports steps.
pub async fn run_story(
    client: &Client,
    plan: &AssemblyPlan,
    rng: &mut (impl CryptoRngCore + Send),
    say: &(dyn Fn(&str) + Sync),
) -> Result<AssemblyOutcome> {
    let mut chair = Participant::new(rng);
    let mut secretary = Participant::new(rng);
    // The charter names the trustees, and the events name them and the ratification's registrar.
    let actors = plan.actors_seed.map(|seed| crate::referendum::seeded_actors(plan.trustees.n, seed));
    let mut trustees = plan.trustees.clone();
    let registrar = actors.as_ref().map(|a| convene_record::actors::Actor {
        name: "Registrar of the ratification".into(),
        key: a.registrar.public().to_hex(),
    });
    if let Some(a) = &actors {
        trustees.members = a.members();
    }
    let convention = Convention::create_with_trustees(
        client,
        &plan.id,
        &plan.title,
        &chair.key,
        &secretary.key,
        &trustees.members,
        plan.observers.clone(),
    )
    .await?;

    // Import and apportion: the secretary computes, the server recomputes and must agree.
    let mut localities = LocalityJson::from_csv(&plan.localities_csv).map_err(|e| anyhow!("localities: {e}"))?;
    if let Some(geojson) = &plan.geojson {
        LocalityJson::attach_geojson(&mut localities, geojson).map_err(|e| anyhow!("boundaries: {e}"))?;
    }
    secretary
        .send(
            client,
            &convention,
            Event::Localities { source: plan.source.clone(), localities: localities.clone() },
            rng,
        )
        .await?;
    let problem = Problem {
        names: localities.iter().map(|l| l.name.clone()).collect(),
        populations: localities.iter().map(|l| l.population).collect(),
        seats: plan.seats,
        min_seats: plan.min_seats,
        max_seats: None,
        threshold: None,
    };
    let method = Method::parse(&plan.method).map_err(|e| anyhow!(e))?;
    let seats = apportion::apportion(method, &problem).map_err(|e| anyhow!(e))?.seats;
    let apportionment = Event::Apportionment {
        localities_version: 1,
        method: plan.method.clone(),
        seats: plan.seats,
        min_seats: plan.min_seats,
        max_seats: None,
        result: seats.clone(),
    };
    secretary.send(client, &convention, apportionment, rng).await?;
    say(&format!("apportioned {} seats among {} localities by {}", plan.seats, localities.len(), method.name()));

    // Credentials: as many delegates per locality as it has seats, and one observer.
    let mut delegates = Vec::new();
    for (locality, &n) in localities.iter().zip(&seats) {
        for k in 0..n {
            let delegate = Participant::new(rng);
            let event = Event::Credential {
                key: delegate.key.clone(),
                name: format!("{} delegate {}", locality.name, k + 1),
                locality: locality.name.clone(),
                role: Role::Delegate,
            };
            secretary.send(client, &convention, event, rng).await?;
            delegates.push(delegate);
        }
    }
    let observer = Participant::new(rng);
    let event = Event::Credential {
        key: observer.key.clone(),
        name: "Observer (civil society)".into(),
        locality: localities[0].name.clone(),
        role: Role::Observer,
    };
    secretary.send(client, &convention, event, rng).await?;
    say(&format!("credentialed {} delegates and an observer", delegates.len()));

    let items = ["Fundamental rights", "Structure of the state", "Revenue sharing", "Transitional provisions"];
    chair.send(client, &convention, Event::Agenda { items: items.map(String::from).to_vec() }, rng).await?;

    // Item 1: a text article, amended, adopted by two thirds of the members in office.
    let text = "Every person is equal before the law.\nNo one shall be held in detention without trial.\nThe state protects the languages of all its peoples.\n";
    delegates[0]
        .send(
            client,
            &convention,
            Event::Motion { title: "Fundamental rights".into(), body: BodyJson::Text(text.into()) },
            rng,
        )
        .await?;
    let changes = vec![ChangeJson {
        from: 2,
        to: 2,
        with: vec!["No one shall be held in detention for more than 48 hours without seeing a judge.".into()],
    }];
    delegates[1]
        .send(
            client,
            &convention,
            Event::Amendment { motion: 1.into(), changes, rationale: "Make the guarantee concrete.".into() },
            rng,
        )
        .await?;
    for d in delegates.iter_mut().take(3) {
        d.send(client, &convention, Event::FloorRequest {}, rng).await?;
    }
    for delegate in delegates.iter().take(3) {
        let event = Event::Floor { delegate: delegate.key.clone(), seconds: 90 };
        chair.send(client, &convention, event, rng).await?;
    }
    let simple = RuleJson { quorum: Some("1/2".into()), ..RuleJson::simple_majority_of_present() };
    let votes = |k: usize| if k % 5 == 4 { ChoiceJson::No } else { ChoiceJson::Yes };
    yes_no_vote(client, &convention, &mut chair, &mut delegates, Subject::Amendment(1), simple.clone(), &votes, rng)
        .await?;
    let two_thirds = RuleJson {
        majority: MajorityJson::Qualified,
        share: Some("2/3".into()),
        base: BaseJson::InOffice,
        quorum: None,
        concurrent: false,
        weighting: WeightingJson::Equal,
    };
    let adopted =
        yes_no_vote(client, &convention, &mut chair, &mut delegates, Subject::Motion(1), two_thirds, &votes, rng)
            .await?;
    say(&format!("article 1 (fundamental rights), amended: {}", verdict(&adopted)));

    // Item 2: the structure of the state, a ranked vote among four matrices of competences.
    chair.send(client, &convention, Event::NextItem {}, rng).await?;
    let structures = [
        ("Unitary state", [HolderJson::Centre, HolderJson::Centre, HolderJson::Centre, HolderJson::Shared], false),
        ("Federal state", [HolderJson::Centre, HolderJson::Centre, HolderJson::Shared, HolderJson::Regions], true),
        ("Confederation", [HolderJson::Regions, HolderJson::Shared, HolderJson::Regions, HolderJson::Regions], true),
        ("Partition", [HolderJson::Regions, HolderJson::Regions, HolderJson::Regions, HolderJson::Regions], false),
    ];
    let powers = ["defence", "currency", "education", "policing"];
    for (k, (title, holders, chamber)) in structures.iter().enumerate() {
        let body = BodyJson::Competences {
            powers: powers.iter().zip(holders).map(|(p, h)| PowerJson { power: p.to_string(), holder: *h }).collect(),
            shared_rule: SharedRuleJson {
                regional_chamber: *chamber,
                regional_consent_to_amendment: *chamber,
                ..SharedRuleJson::default()
            },
        };
        delegates[2 + k].send(client, &convention, Event::Motion { title: title.to_string(), body }, rng).await?;
    }
    let ranked = Subject::Ranked(vec![2, 3, 4, 5]);
    let vote = created(
        &chair
            .send(client, &convention, Event::OpenVote { subject: ranked.numbered(), rule: simple.clone() }, rng)
            .await?,
    )?;
    for (k, d) in delegates.iter_mut().enumerate() {
        // Preferences spread so that federal is the Condorcet winner.
        let ranking = match k % 4 {
            0 => vec![vec![1], vec![2], vec![0], vec![3]],
            1 => vec![vec![1], vec![0], vec![2]],
            2 => vec![vec![2], vec![1], vec![3], vec![0]],
            _ => vec![vec![0], vec![1], vec![2], vec![3]],
        };
        d.send(client, &convention, Event::Vote { vote: vote.into(), choice: None, ranking: Some(ranking) }, rng)
            .await?;
    }
    let result = convention.result_of(client, vote).await?;
    chair.send(client, &convention, Event::CloseVote { vote: vote.into(), result: result.clone() }, rng).await?;
    say(&format!(
        "structure of the state, ranked vote: {}",
        result.conditions.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>().join("; ")
    ));

    // Item 3: revenue sharing, adopted by concurrent majorities in every regional delegation,
    // weighted by the square root of population.
    chair.send(client, &convention, Event::NextItem {}, rng).await?;
    let formula = "derivation = \"13%\"\ncentre = \"50%\"\n\n[[deduction]]\nname = \"stabilization fund\"\nshare = \"10%\"\n\n[keys]\npopulation = \"60%\"\nequal = \"20%\"\narea = \"20%\"\n";
    delegates[6]
        .send(
            client,
            &convention,
            Event::Motion { title: "Sharing of oil revenue".into(), body: BodyJson::Revenue(formula.into()) },
            rng,
        )
        .await?;
    let concurrent = RuleJson { concurrent: true, weighting: WeightingJson::SqrtPopulation, ..simple.clone() };
    let adopted =
        yes_no_vote(client, &convention, &mut chair, &mut delegates, Subject::Motion(6), concurrent, &votes, rng)
            .await?;
    say(&format!("revenue sharing (concurrent, √population): {}", verdict(&adopted)));

    // Item 4: a milestone — a regional referendum on self-determination six years on.
    chair.send(client, &convention, Event::NextItem {}, rng).await?;
    let milestone = BodyJson::Milestone {
        region: "south".into(),
        event: "Referendum on self-determination".into(),
        years_after_ratification: 6,
    };
    delegates[7]
        .send(
            client,
            &convention,
            Event::Motion { title: "Self-determination of the south".into(), body: milestone },
            rng,
        )
        .await?;
    let referendum = format!("{}-vote-5", plan.id);
    let adopted = secret_vote(
        client,
        &convention,
        &mut chair,
        &delegates,
        (Subject::Motion(7), simple.clone(), &referendum, trustees.clone()),
        &votes,
        plan.actors_seed,
        rng,
    )
    .await?;
    say(&format!(
        "milestone (referendum in the south after 6 years), by secret ballot in referendum {referendum}: {}",
        verdict(&adopted)
    ));

    // The hand-off.
    let ratify = Event::Ratify {
        referendum: plan.referendum.clone(),
        question: "Do you approve the constitution adopted by the convention?".into(),
        rule: "[approval]\nbase = \"valid\"\nmore_than = \"1/2\"\n\n[quorum]\nat_least = \"3/5\"\n\n[regions]\nmore_than = \"1/2\"\n"
            .into(),
        min_region_ballots: 0,
        trustees,
        registrar,
        code_issuer: None,
    };
    chair.send(client, &convention, ratify, rng).await?;
    let constitution =
        String::from_utf8(client.get_bytes(&format!("/api/conventions/{}/record/constitution.md", plan.id)).await?)?;
    let state = convention.state(client).await?;
    let articles = state["constitution"]["articles"].as_array().map_or(0, Vec::len);
    if articles != 4 {
        bail!("the convention adopted {articles} articles, not the 4 the story expects");
    }
    say(&format!("constitution of {articles} articles handed to referendum {}", plan.referendum));
    Ok(AssemblyOutcome { convention, chair, secretary, delegates, constitution, referendum: plan.referendum.clone() })
}

/// How later events name what an accepted event created: its number in a version-1
/// convention, the entry's reference in version 2.
pub fn reference(convention: &Convention, applied: &Value) -> Result<Ref> {
    if convention.version == 1 {
        return Ok(Ref::Number(created(applied)?));
    }
    applied["hash"]
        .as_str()
        .map(|h| Ref::Hash(h.to_string()))
        .ok_or_else(|| anyhow!("the server did not give the accepted entry's reference"))
}

/// The number of the motion, amendment or vote an accepted event created.
pub fn created(applied: &Value) -> Result<u32> {
    applied["created"]
        .as_u64()
        .map(|n| n as u32)
        .ok_or_else(|| anyhow!("the server did not say what the event created"))
}

fn verdict(result: &VoteResult) -> String {
    format!(
        "{} ({} yes, {} no, {} abstaining)",
        if result.adopted { "adopted" } else { "rejected" },
        result.yes,
        result.no,
        result.abstain
    )
}

/// The chair opens a yes/no vote, every delegate votes `choice(k)`, the chair closes it with the
/// result the server computed.
#[allow(clippy::too_many_arguments)]
pub async fn yes_no_vote(
    client: &Client,
    convention: &Convention,
    chair: &mut Participant,
    delegates: &mut [Participant],
    subject: Subject,
    rule: RuleJson,
    choice: &(dyn Fn(usize) -> ChoiceJson + Sync),
    rng: &mut (impl CryptoRngCore + Send),
) -> Result<VoteResult> {
    let opened = chair.send(client, convention, Event::OpenVote { subject: subject.numbered(), rule }, rng).await?;
    let vote = created(&opened)?;
    for (k, d) in delegates.iter_mut().enumerate() {
        d.send(client, convention, Event::Vote { vote: vote.into(), choice: Some(choice(k)), ranking: None }, rng)
            .await?;
    }
    let result = convention.result_of(client, vote).await?;
    chair.send(client, convention, Event::CloseVote { vote: vote.into(), result: result.clone() }, rng).await?;
    Ok(result)
}

// ---------------------------------------------------------------- the participants' commands

/// Writes a new signing key to `path` (never overwriting; 0600) and returns its public key.
pub fn keygen(path: &std::path::Path, rng: &mut impl CryptoRngCore) -> Result<String> {
    let secret = Scalar::random(rng);
    crate::trustee::write_secret(
        path,
        format!("{}\n", convene_crypto::encoding::to_hex(secret.as_bytes())).as_bytes(),
    )?;
    Ok(public_hex(&secret))
}

/// Reads a signing key written by [`keygen`].
pub fn load_key(path: &std::path::Path) -> Result<Scalar> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the key file {}", path.display()))?;
    convene_crypto::encoding::scalar_from_hex(text.trim())
        .map_err(|e| anyhow!("{} is not a signing key made by `convene assembly keygen`: {e}", path.display()))
}

/// The journal kept beside a key file: `KEY.journal`.
pub fn journal_path(key: &std::path::Path) -> std::path::PathBuf {
    let mut name = key.as_os_str().to_owned();
    name.push(".journal");
    name.into()
}

/// The events of convention `convention` in the journal at `path` (none if it does not exist).
pub fn read_journal(path: &std::path::Path, convention: &str) -> Result<Vec<Journaled>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read the journal {}", path.display())),
    };
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let entry: Journaled = serde_json::from_str(line)
            .with_context(|| format!("{} line {} is not a journal entry", path.display(), k + 1))?;
        if entry.convention == convention {
            out.push(entry);
        }
    }
    Ok(out)
}

impl Participant {
    /// The holder of `secret`, continuing from their last event in the convention's log as
    /// their journal at `journal` records it (version 2). The server's count of their events
    /// must be the journal's: fewer means the server withheld one, and the journal's receipt
    /// proves it held it; more means someone else signs with this key. Without a journal yet
    /// (the first event, or a version-1 convention), the server's count is taken.
    pub async fn resume(
        client: &Client,
        convention: &Convention,
        secret: Scalar,
        journal: Option<std::path::PathBuf>,
    ) -> Result<Participant> {
        let key = public_hex(&secret);
        let state = convention.state(client).await?;
        let shown = state["sequence"][&key].as_u64().unwrap_or(0);
        let mut participant = Participant::from_secret(secret, shown);
        let Some(path) = journal.filter(|_| convention.version >= 2) else { return Ok(participant) };
        let kept = read_journal(&path, &convention.id)?;
        if let Some(last) = kept.last() {
            if shown < last.n {
                let withheld = kept.iter().find(|e| e.n == shown + 1).unwrap_or(last);
                bail!(
                    "the server shows {shown} of your events, but it accepted {}: your event n = {} (log entry {}, \
under its checkpoint of size {}) is missing. The server withheld or dropped it; keep {} — its signed receipt \
proves the log held it (check a published record with `convene assembly check`)",
                    last.n,
                    withheld.n,
                    withheld.receipt.index,
                    withheld.receipt.checkpoint.size,
                    path.display()
                );
            }
            if shown > last.n {
                bail!(
                    "the server shows {shown} events signed with your key, but your journal {} holds {}: \
someone else signs with this key, or this is not its journal",
                    path.display(),
                    last.n
                );
            }
        }
        participant.journal = Some(path);
        Ok(participant)
    }
}

/// Compares a participant's journal with a published convention record in `record`: each
/// journaled line must be in the log at its index, and each receipt's root must be the root of
/// the record's log at its size. Returns what does not match (empty: the record holds all).
pub fn check_journal(journal: &[Journaled], record: &std::path::Path) -> Result<Vec<String>> {
    let log = std::fs::read(record.join(files::LOG)).with_context(|| format!("cannot read {}", record.display()))?;
    let lines: Vec<&[u8]> = log.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
    let leaves: Vec<[u8; 32]> = lines.iter().map(|l| convene_record::log::leaf_hash(l)).collect();
    let mut problems = Vec::new();
    for entry in journal {
        let at = entry.receipt.index as usize;
        if lines.get(at) != Some(&entry.line.as_bytes()) {
            problems.push(format!(
                "your event n = {} is not log entry {at} of the published record, where the server's receipt put it",
                entry.n
            ));
        }
        let size = entry.receipt.checkpoint.size as usize;
        let root = (size <= leaves.len()).then(|| convene_record::log::root_of(&leaves[..size]));
        if root.map(|r| convene_crypto::encoding::to_hex(&r)) != Some(entry.receipt.checkpoint.root.clone()) {
            problems.push(format!(
                "the log key signed a log of {size} entries with root {} (the receipt of your event n = {}), \
but the published log's first {size} entries are another: the server showed two logs",
                entry.receipt.checkpoint.root, entry.n
            ));
        }
    }
    Ok(problems)
}

/// The secretary's apportionment of the latest localities, computed here (the server recomputes
/// it and refuses any other).
pub async fn apportionment_event(
    client: &Client,
    convention: &Convention,
    method: &str,
    seats: u64,
    min_seats: u64,
    max_seats: Option<u64>,
) -> Result<(Event, String)> {
    let state = convention.state(client).await?;
    let latest = state["localities"].as_array().and_then(|v| v.last()).context("import the localities first")?;
    let localities: Vec<LocalityJson> = serde_json::from_value(latest["localities"].clone())?;
    let version = latest["version"].as_u64().unwrap_or(1) as u32;
    let problem = Problem {
        names: localities.iter().map(|l| l.name.clone()).collect(),
        populations: localities.iter().map(|l| l.population).collect(),
        seats,
        min_seats,
        max_seats,
        threshold: None,
    };
    let parsed = Method::parse(method).map_err(|e| anyhow!(e))?;
    let result = apportion::apportion(parsed, &problem).map_err(|e| anyhow!(e))?;
    let table = apportion::to_csv(&problem, &result);
    let event = Event::Apportionment {
        localities_version: version,
        method: method.to_string(),
        seats,
        min_seats,
        max_seats,
        result: result.seats,
    };
    Ok((event, table))
}

/// A secret vote: the chair opens it (the server creates its referendum, whose electorate will be
/// the delegates in office); the trustees hold the key ceremony; the secretary registers each
/// delegate's own key as their credential, with a one-time code; every delegate casts an
/// encrypted ballot (`choice(k)`; abstaining is a blank ballot); the referendum is counted,
/// decrypted and published; and the chair closes the vote with the counts it published.
#[allow(clippy::too_many_arguments)] // each is a distinct input of the vote
pub async fn secret_vote(
    client: &Client,
    convention: &Convention,
    chair: &mut Participant,
    delegates: &[Participant],
    (subject, rule, referendum, trustees): (Subject, RuleJson, &str, TrusteeCount),
    choice: &(dyn Fn(usize) -> ChoiceJson + Sync),
    actors_seed: Option<u64>,
    rng: &mut (impl CryptoRngCore + Send),
) -> Result<VoteResult> {
    let event =
        Event::OpenSecretVote { subject: subject.numbered(), rule, referendum: referendum.to_string(), trustees };
    let vote = created(&chair.send(client, convention, event, rng).await?)?;
    secret_ballot(client, convention, referendum, delegates, choice, actors_seed, rng).await?;
    let (close, result) = closing_event(client, convention, vote).await?;
    chair.send(client, convention, close, rng).await?;
    Ok(result)
}

/// A secret vote's referendum, from its opening to its published counts: the trustees' key
/// ceremony, each delegate's own key registered with a one-time code, every delegate's encrypted
/// ballot (`choice(k)`; abstaining is a blank ballot), the count, decryption and publication.
pub async fn secret_ballot(
    client: &Client,
    convention: &Convention,
    referendum: &str,
    delegates: &[Participant],
    choice: &(dyn Fn(usize) -> ChoiceJson + Sync),
    actors_seed: Option<u64>,
    rng: &mut (impl CryptoRngCore + Send),
) -> Result<()> {
    let state = convention.state(client).await?;
    let regions: Vec<String> = serde_json::from_value(state["regions"].clone())?;
    let region_of = |key: &str| {
        state["members"].as_array().into_iter().flatten().find(|m| m["key"] == key).and_then(|m| m["region"].as_str())
    };
    let mut sheets = Vec::new();
    for d in delegates {
        let region = region_of(&d.key).ok_or_else(|| anyhow!("delegate {} is not a member", d.key))?;
        let credential = convene_crypto::ballot::CredentialSecret::from_scalar(d.secret)?;
        sheets.push(crate::registrar::sheet(&d.key, region, 1, credential, 1, rng));
    }
    let plan = crate::referendum::ElectionPlan {
        id: referendum.to_string(),
        title: referendum.to_string(),
        regions,
        structure_question: false,
        voters: delegates.len() as u64,
        codes_per_voter: 1,
        cheat: None,
        rule: None,
        weighted: false,
        min_region_ballots: 0,
        separate_codes: false,
        actors_seed,
        witnesses: Vec::new(),
        witness_quorum: 0,
        booth_origins: Vec::new(),
        observers: convention.observers.clone(),
    };
    let election = crate::referendum::set_up_with(client, &plan, Some(sheets), rng).await?;
    for k in 0..delegates.len() {
        let slots = match choice(k) {
            ChoiceJson::Yes => vec![1, 0],
            ChoiceJson::No => vec![0, 1],
            ChoiceJson::Abstain => vec![0, 0],
        };
        let entry = crate::referendum::make_entry(&election, k, &[slots], false, rng)?;
        crate::referendum::sign_in_and_send(client, &election, k, 0, entry).await?;
    }
    crate::referendum::count(client, &election).await?;
    Ok(())
}

/// The secretary's part in a secret vote: one-time codes for each delegate in office when vote
/// `vote` opened, registered with the vote's referendum (after its trustees' ceremony) under the
/// delegates' own public keys. Returns `(delegate name, codes)` for handing out.
pub async fn secret_vote_codes(
    client: &Client,
    convention: &Convention,
    vote: u32,
    codes_per_delegate: usize,
    rng: &mut impl CryptoRngCore,
) -> Result<Vec<(String, String, Vec<String>)>> {
    let (state, shown) = convention.vote(client, vote).await?;
    let referendum = shown["secret"]["referendum"].as_str().ok_or_else(|| anyhow!("vote {vote} is not secret"))?;
    let mut sheets = Vec::new();
    let mut handout = Vec::new();
    for key in shown["in_office"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        let member = state["members"]
            .as_array()
            .and_then(|m| m.iter().find(|m| m["key"] == key))
            .ok_or_else(|| anyhow!("{key} is not a member"))?;
        let codes: Vec<String> = (0..codes_per_delegate).map(|_| crate::registrar::new_code(rng)).collect();
        handout.push((member["name"].as_str().unwrap_or("").to_string(), key.to_string(), codes.clone()));
        sheets.push(crate::registrar::PublicSheet {
            credential: key.to_string(),
            region: member["region"].as_str().unwrap_or("").to_string(),
            weight: 1,
            codes,
        });
    }
    let upload = crate::registrar::upload_public(referendum, &sheets);
    client.post(&format!("/api/elections/{referendum}/credentials"), &upload, As::Supervisor).await?;
    Ok(handout)
}

/// The event that closes vote `vote` with the result the server computed: `close_vote`, or for
/// a secret vote `close_secret_vote` with the counts its referendum published.
pub async fn closing_event(client: &Client, convention: &Convention, vote: u32) -> Result<(Event, VoteResult)> {
    let (_, shown) = convention.vote(client, vote).await?;
    let result: VoteResult = serde_json::from_value(shown["result"].clone())?;
    // The chair signs the figures, not the words.
    if shown["secret"].is_null() {
        return Ok((Event::CloseVote { vote: vote.into(), result: result.figures() }, result));
    }
    if shown["secret"]["tally"].as_object().is_none_or(|t| t.is_empty()) {
        bail!("vote {vote} is secret and its referendum has not published its results yet");
    }
    let tally = serde_json::from_value(shown["secret"]["tally"].clone())?;
    Ok((Event::CloseSecretVote { vote: vote.into(), tally, result: result.figures() }, result))
}
