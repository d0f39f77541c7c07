//! The convention over real HTTP: the assembly story on SQLite and on PostgreSQL (import →
//! apportion → credential → motion → amendment → vote under 2/3 → ranked vote on the structure →
//! constitution → ratification referendum created), the record verified and tampered with, live
//! updates by server-sent events, and events refused at the wrong moment.

use convene::assembly::{self, AssemblyPlan, Convention, Participant};
use convene::client::Client;
use convene::local::{self, Running};
use convene_record::convention::*;
use convene_record::verify::{verify_convention, Quiet};
use convene_store::testing::fresh_postgres;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde_json::Value;
use sha2::Digest;
use std::path::Path;

async fn server(data: &Path, database: Option<&str>) -> Running {
    local::start(data, database, "127.0.0.1:0", |_| {}).await.expect("the server starts")
}

async fn post_line(url: &str, id: &str, line: Vec<u8>) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{url}/api/conventions/{id}/events"))
        .header("content-type", "application/json")
        .body(line)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn story(database: Option<String>) {
    let data = tempfile::tempdir().unwrap();
    let server = server(data.path(), database.as_deref()).await;
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(21);
    let plan = AssemblyPlan::example("assembly");
    let steps = std::sync::Mutex::new(Vec::new());
    let outcome = assembly::run_story(&client, &plan, &mut rng, &|s| steps.lock().unwrap().push(s.to_string()))
        .await
        .expect("the assembly story runs");
    let steps = steps.into_inner().unwrap().join("\n");

    // The adopted text: the amendment is in article 1, federal won the ranked vote.
    let md = &outcome.constitution;
    assert!(md.contains("48 hours without seeing a judge"), "{md}");
    assert!(!md.contains("held in detention without trial"), "{md}");
    assert!(md.contains("Federal state"), "{md}");
    assert!(!md.contains("Unitary state") && !md.contains("Partition"), "{md}");
    assert!(steps.contains("Schulze winner: motion 3"), "{steps}");
    let state = outcome.convention.state(&client).await.unwrap();
    // The whole state, every part of it present, matches its schema (whose objects admit no
    // field they do not name), and reads as the client's type without losing a byte.
    super::schema::assert_answer("ConventionState", &state, "the state after the story");
    let typed: convene_server::api::ConventionShown = outcome.convention.shown(&client).await.unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), state);
    let votes = state["votes"].as_array().unwrap();
    // 15 delegates, 12 yes: 12/15 ≥ 2/3 of the members in office.
    assert_eq!((votes[1]["result"]["yes"].as_u64(), votes[1]["result"]["adopted"].as_bool()), (Some(12), Some(true)));
    assert_eq!(state["members"].as_array().unwrap().len(), 16);
    let localities = state["localities"][0]["localities"].as_array().unwrap();
    assert!(localities.iter().all(|l| l["boundary"]["type"] == "Polygon"), "every example locality has a boundary");
    // The milestone went to a secret ballot: its referendum's counts, per region, closed it.
    let secret = &votes[4]["secret"];
    assert_eq!(secret["referendum"], "assembly-vote-5");
    let tally: std::collections::BTreeMap<String, [u64; 3]> = serde_json::from_value(secret["tally"].clone()).unwrap();
    assert_eq!(tally.values().map(|t| t[0]).sum::<u64>(), 12, "{tally:?}");
    assert_eq!(tally.values().map(|t| t[1]).sum::<u64>(), 3, "{tally:?}");
    assert_eq!(votes[4]["result"]["adopted"], true);
    assert!(steps.contains("by secret ballot in referendum assembly-vote-5"), "{steps}");
    assert_eq!(state["floors"].as_array().unwrap().len(), 0, "the floors reset with the agenda item");
    // Article 1 was translated as moved (out of date once amended) and again as adopted; only
    // the translations of the adopted text are the article's.
    let rights = &state["motions"][0];
    assert_eq!((rights["version"].as_u64(), rights["translations"]["ar"]["version"].as_u64()), (Some(2), Some(2)));
    let article = &state["constitution"]["articles"][0];
    let languages: Vec<&String> = article["translations"].as_object().unwrap().keys().collect();
    assert_eq!(languages, ["ar", "ckb"]);
    assert!(article["translations"]["ar"]["text"].as_str().unwrap().contains("٤٨ ساعة"), "{article}");
    assert_eq!(article["translations"]["ckb"]["by"], state["charter"]["secretary"], "the secretary's key");
    assert!(!md.contains("الحقوق"), "a translation changes nothing in the text voters ratify: {md}");

    // The hand-off: the referendum with the localities' regions, the rule and the text's hash.
    let referendum = client.get(&format!("/api/elections/{}", plan.referendum)).await.unwrap();
    assert_eq!(referendum["phase"], "draft");
    let manifest = &referendum["manifest"];
    assert_eq!(manifest["regions"], serde_json::json!(["north", "south", "east", "west", "capital"]));
    assert_eq!(manifest["ratification"]["question"], "ratify");
    let sha = convene_crypto::encoding::to_hex(&sha2::Sha256::digest(md.as_bytes()));
    assert_eq!(manifest["origin"]["constitution_sha256"], sha.as_str());
    let stored = client.get_bytes(&format!("/api/elections/{}/record/constitution.md", plan.referendum)).await.unwrap();
    assert_eq!(stored, md.as_bytes());
    let milestone = client.get(&format!("/api/elections/{}-milestone-4", plan.referendum)).await.unwrap();
    assert_eq!(milestone["manifest"]["regions"], serde_json::json!(["south"]));
    assert_eq!(milestone["manifest"]["origin"]["schedule"], "6 years after ratification");

    // After the hand-off the log is closed.
    let first_seen = convene_record::convention::Seen { size: 0, root: convene_record::log::empty_root() };
    let mut late = Participant::from_secret(convene_crypto::Scalar::random(&mut rng), 0);
    let line = sign_entry(
        &outcome.convention.charter_hash,
        &convene_crypto::Scalar::ONE,
        1,
        Some(&first_seen),
        &Event::NextItem {},
        &mut rng,
    );
    let (status, body) = post_line(&server.url(), &plan.id, line).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("refused")), "{body}");
    // The refusal is data the pages translate (`refusal-log_closed`), with its English beside it.
    assert_eq!(body["refusal"], serde_json::json!({"code": "log_closed", "args": {}}), "{body}");
    assert!(body["message"].as_str().unwrap().contains("the log is closed"), "{body}");
    assert!(late.send(&client, &outcome.convention, Event::FloorRequest {}, &mut rng).await.is_err());

    // The record verifies, and rebuilds the same constitution.
    let dir = data.path().join("convention");
    client.fetch_convention(&plan.id, &dir).await.unwrap();
    // The secret vote publishes no region with fewer than the charter's 5 ballots: smaller
    // regions are merged, so no small delegation's votes can be read off the counts.
    let results: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("secret-votes/assembly-vote-5/results.json")).unwrap()).unwrap();
    let scopes = results["scopes"].as_array().unwrap();
    assert!(
        scopes.iter().filter(|s| s["scope"] != "national").all(|s| s["counted"].as_u64().unwrap() >= 5),
        "{results}"
    );
    assert!(scopes.iter().any(|s| s["scope"] == "merged"), "{results}");
    let (report, rebuilt) = verify_convention(&dir, &Quiet);
    assert!(report.ok(), "{:#?}", report.failures);
    assert_eq!(rebuilt.unwrap().constitution().to_markdown(), *md);
    let log = std::fs::read(dir.join("log.jsonl")).unwrap();
    assert_eq!(report.entries, log.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count() as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_assembly_story_over_http_on_sqlite() {
    story(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_assembly_story_over_http_on_postgres() {
    let Some(url) = fresh_postgres().await else { return };
    story(Some(url)).await;
}

/// A convention with localities, apportionment and three delegates, ready for motions.
pub(crate) async fn small_convention(
    client: &Client,
    id: &str,
    rng: &mut ChaCha20Rng,
) -> (Convention, Participant, Participant, Vec<Participant>) {
    small_convention_with(client, id, None, rng).await
}

/// As [`small_convention`], its log witnessed by `observers` (charter version 4) if given.
pub(crate) async fn small_convention_with(
    client: &Client,
    id: &str,
    observers: Option<std::sync::Arc<convene::witnesses::LocalWitnesses>>,
    rng: &mut ChaCha20Rng,
) -> (Convention, Participant, Participant, Vec<Participant>) {
    let mut chair = Participant::new(rng);
    let mut secretary = Participant::new(rng);
    let convention = Convention::create_with_trustees(client, id, "Small", &chair.key, &secretary.key, &[], observers)
        .await
        .unwrap();
    let localities = LocalityJson::from_csv("name,region,population\nA,north,300\nB,south,200\nC,south,100\n").unwrap();
    secretary.send(client, &convention, Event::Localities { source: "test".into(), localities }, rng).await.unwrap();
    let event = Event::Apportionment {
        localities_version: 1,
        method: "hamilton".into(),
        seats: 3,
        min_seats: 0,
        max_seats: None,
        result: vec![2, 1, 0],
    };
    secretary.send(client, &convention, event, rng).await.unwrap();
    let mut delegates = Vec::new();
    for (k, locality) in ["A", "A", "B"].iter().enumerate() {
        let d = Participant::new(rng);
        let event = Event::Credential {
            key: d.key.clone(),
            name: format!("d{k}"),
            locality: locality.to_string(),
            role: Role::Delegate,
        };
        secretary.send(client, &convention, event, rng).await.unwrap();
        delegates.push(d);
    }
    chair.send(client, &convention, Event::Agenda { items: vec!["one".into()] }, rng).await.unwrap();
    (convention, chair, secretary, delegates)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_at_the_wrong_moment_or_by_the_wrong_person_are_refused_and_change_nothing() {
    let data = tempfile::tempdir().unwrap();
    let server = server(data.path(), None).await;
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let (convention, mut chair, mut secretary, mut delegates) = small_convention(&client, "wrong", &mut rng).await;
    let url = server.url();
    let refused = |result: anyhow::Result<Value>, expect: &str| {
        let e = format!("{:#}", result.unwrap_err());
        assert!(e.contains(expect), "expected {expect:?} in {e}");
    };

    // A fourth delegate for three seats; a wrong apportionment; an unknown method.
    let extra = Participant::new(&mut rng);
    let event =
        Event::Credential { key: extra.key.clone(), name: "x".into(), locality: "B".into(), role: Role::Delegate };
    refused(secretary.send(&client, &convention, event, &mut rng).await, "seat, taken");
    let bad = Event::Apportionment {
        localities_version: 1,
        method: "huntington-hill".into(),
        seats: 3,
        min_seats: 0,
        max_seats: None,
        result: vec![3, 0, 0],
    };
    refused(secretary.send(&client, &convention, bad, &mut rng).await, "already credentialed");
    // Malformed locality files say what is wrong.
    assert!(LocalityJson::from_csv("name,region,population\nA,north,-3\n").unwrap_err().contains("not negative"));
    assert!(LocalityJson::from_csv("name,population\nA,3\n").unwrap_err().contains("no region"));

    // Votes in the wrong phase: before the vote opens, after it closes; a vote by the chair.
    let body = BodyJson::Text("One line.\n".into());
    delegates[0].send(&client, &convention, Event::Motion { title: "M".into(), body }, &mut rng).await.unwrap();
    let vote = Event::Vote { vote: 1.into(), choice: Some(ChoiceJson::Yes), ranking: None };
    refused(delegates[0].send(&client, &convention, vote.clone(), &mut rng).await, "there is no vote 1");
    let rule = RuleJson {
        majority: MajorityJson::Absolute,
        share: None,
        base: BaseJson::InOffice,
        quorum: None,
        concurrent: false,
        weighting: WeightingJson::Equal,
    };
    let open = Event::OpenVote { subject: Subject::Motion(1.into()), rule: rule.clone() };
    refused(delegates[1].send(&client, &convention, open.clone(), &mut rng).await, "only the chair");
    chair.send(&client, &convention, open.clone(), &mut rng).await.unwrap();
    refused(chair.send(&client, &convention, open, &mut rng).await, "already open");
    refused(chair.send(&client, &convention, vote.clone(), &mut rng).await, "only a credentialed delegate");
    delegates[0].send(&client, &convention, vote.clone(), &mut rng).await.unwrap();
    refused(delegates[0].send(&client, &convention, vote.clone(), &mut rng).await, "already voted");
    let ranking = Event::Vote { vote: 1.into(), choice: None, ranking: Some(vec![vec![0]]) };
    refused(delegates[1].send(&client, &convention, ranking, &mut rng).await, "send a choice");
    // A close with a result that does not add up.
    let wrong = VoteResult { adopted: true, yes: 3, ..VoteResult::default() };
    refused(
        chair.send(&client, &convention, Event::CloseVote { vote: 1.into(), result: wrong }, &mut rng).await,
        "does not match",
    );
    let result = convention.result_of(&client, 1).await.unwrap();
    assert!(!result.adopted, "1 of 3 is not an absolute majority of members in office");
    chair.send(&client, &convention, Event::CloseVote { vote: 1.into(), result }, &mut rng).await.unwrap();
    refused(delegates[1].send(&client, &convention, vote, &mut rng).await, "vote 1 is closed");
    // A secret vote: weighted rules and taken referendum ids are refused; ballots go to its
    // referendum, not the log; it closes only with the counts its referendum published.
    let body = BodyJson::Text("Two.\n".into());
    delegates[0].send(&client, &convention, Event::Motion { title: "N".into(), body }, &mut rng).await.unwrap();
    let trustees = convene_record::format::TrusteeCount { n: 3, t: 2, members: Vec::new() };
    let secret = |referendum: &str, weighting| Event::OpenSecretVote {
        subject: Subject::Motion(2.into()),
        rule: RuleJson { weighting, ..rule.clone() },
        referendum: referendum.into(),
        trustees: trustees.clone(),
    };
    refused(
        chair.send(&client, &convention, secret("s1", WeightingJson::Population), &mut rng).await,
        "weighing every delegate equally",
    );
    client
        .post(
            "/api/elections",
            &serde_json::json!({"election_id": "taken", "title": "t", "regions": ["north"], "trustees": {"n": 3, "t": 2},
                                "questions": [{"kind": "yes-no", "id": "q", "text": "?"}]}),
            convene::client::As::Supervisor,
        )
        .await
        .unwrap();
    refused(chair.send(&client, &convention, secret("taken", WeightingJson::Equal), &mut rng).await, "already exists");
    chair.send(&client, &convention, secret("s1", WeightingJson::Equal), &mut rng).await.unwrap();
    let referendum = client.get("/api/elections/s1").await.unwrap();
    assert_eq!(
        (referendum["phase"].as_str(), referendum["manifest"]["origin"]["vote"].as_u64()),
        (Some("draft"), Some(2))
    );
    let ballot = Event::Vote { vote: 2.into(), choice: Some(ChoiceJson::Yes), ranking: None };
    refused(delegates[0].send(&client, &convention, ballot, &mut rng).await, "cast your ballot in referendum s1");
    let close = Event::CloseVote { vote: 2.into(), result: VoteResult::default() };
    refused(chair.send(&client, &convention, close, &mut rng).await, "close it with close_secret_vote");
    let close = Event::CloseSecretVote { vote: 2.into(), tally: Default::default(), result: VoteResult::default() };
    refused(chair.send(&client, &convention, close, &mut rng).await, "is in phase draft");
    // Speaking beyond the delegation's budget (300 s per item).
    delegates[1].send(&client, &convention, Event::FloorRequest {}, &mut rng).await.unwrap();
    let floor = Event::Floor { delegate: delegates[1].key.clone(), seconds: 301 };
    refused(chair.send(&client, &convention, floor, &mut rng).await, "300 seconds left");

    // Replaying a delegate's signed event, a forged signature, malformed JSON: refused, and the
    // log does not grow.
    let size = client.get(&format!("/api/conventions/{}", convention.id)).await.unwrap()["entries"].clone();
    let replay = client.get_bytes(&format!("/api/conventions/{}/record/log.jsonl", convention.id)).await.unwrap();
    let first_vote = replay.split(|b| *b == b'\n').find(|l| l.windows(13).any(|w| w == b"\"type\":\"vote\"")).unwrap();
    let (status, body) = post_line(&url, &convention.id, first_vote.to_vec()).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("refused")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("next is n ="), "{body}");
    assert_eq!(body["refusal"]["code"], "out_of_sequence", "{body}");
    assert!(body["refusal"]["args"]["n"].is_u64() && body["refusal"]["args"]["next"].is_u64(), "{body}");
    let mut forged = first_vote.to_vec();
    let at = forged.windows(5).position(|w| w == b"\"yes\"").unwrap();
    forged[at + 1..at + 4].copy_from_slice(b"no\"");
    forged.remove(at + 4);
    let (status, body) = post_line(&url, &convention.id, forged).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("bad_event")), "{body}");
    for junk in [&b"{"[..], b"[]", b"{\"n\":1}", b""] {
        let (status, body) = post_line(&url, &convention.id, junk.to_vec()).await;
        assert_eq!((status, body["error"].as_str()), (400, Some("bad_event")), "{body}");
    }
    let after = client.get(&format!("/api/conventions/{}", convention.id)).await.unwrap()["entries"].clone();
    assert_eq!(size, after);
    // Unknown conventions, and a convention's id under the referendum API.
    assert!(client.get("/api/conventions/nope").await.unwrap_err().to_string().contains("404"));
    assert!(client.get(&format!("/api/elections/{}", convention.id)).await.unwrap_err().to_string().contains("404"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn participants_get_live_updates_by_server_sent_events() {
    let data = tempfile::tempdir().unwrap();
    let server = server(data.path(), None).await;
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(6);
    let (convention, _chair, _secretary, mut delegates) = small_convention(&client, "live", &mut rng).await;
    let mut response =
        reqwest::get(format!("{}/api/conventions/{}/stream", server.url(), convention.id)).await.unwrap();
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut seen = String::new();
    while !seen.contains("event: hello") {
        seen.push_str(&String::from_utf8_lossy(&response.chunk().await.unwrap().unwrap()));
    }
    let body = BodyJson::Text("Live.\n".into());
    delegates[2]
        .send(&client, &convention, Event::Motion { title: "Live motion".into(), body }, &mut rng)
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !seen.contains("motion 1: Live motion") {
        assert!(std::time::Instant::now() < deadline, "no update arrived: {seen}");
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(20), response.chunk()).await.unwrap().unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk.unwrap()));
    }
    assert!(seen.contains("event: applied"), "{seen}");
    assert!(seen.contains("\"kind\":\"motion\""), "{seen}");
}

/// Any single changed entry of the convention's log makes `convene verify` fail at that entry;
/// a changed article of the published constitution fails at that article.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampering_with_any_convention_entry_is_named() {
    let data = tempfile::tempdir().unwrap();
    let server = server(data.path(), None).await;
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    let plan = AssemblyPlan::example("tamper");
    assembly::run_story(&client, &plan, &mut rng, &|_| {}).await.unwrap();
    let dir = data.path().join("record");
    client.fetch_convention(&plan.id, &dir).await.unwrap();
    assert!(verify_convention(&dir, &Quiet).0.ok());
    let log = std::fs::read_to_string(dir.join("log.jsonl")).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    let copy = data.path().join("copy");
    std::fs::create_dir_all(&copy).unwrap();
    for file in ["charter.json", "checkpoints.json", "constitution.json"] {
        std::fs::copy(dir.join(file), copy.join(file)).unwrap();
    }
    for (k, line) in lines.iter().enumerate() {
        // Change one character of the event: a digit becomes another, or a letter another.
        let start = line.find("\"event\":").unwrap() + 9;
        let start = line[start..].find(',').map_or(start, |p| start + p);
        let at = start + line[start..].find(|c: char| c.is_ascii_alphanumeric()).unwrap();
        let mut bytes = line.as_bytes().to_vec();
        bytes[at] = if bytes[at] == b'1' {
            b'2'
        } else if bytes[at].is_ascii_digit() {
            b'1'
        } else {
            bytes[at] ^ 0x20
        };
        let mut tampered = lines.clone();
        let changed = String::from_utf8(bytes).unwrap();
        tampered[k] = &changed;
        std::fs::write(copy.join("log.jsonl"), tampered.join("\n") + "\n").unwrap();
        let (report, _) = verify_convention(&copy, &Quiet);
        let location = format!("log entry {k}");
        assert!(report.failures.iter().any(|f| f.location == location), "entry {k}: {:#?}", report.failures);
    }
    std::fs::write(copy.join("log.jsonl"), &log).unwrap();
    // The secret vote's referendum: missing, or with other results, is named.
    let (report, _) = verify_convention(&copy, &Quiet);
    assert!(report.failures.iter().any(|f| f.check.contains("its record is missing")), "{:#?}", report.failures);
    let secret = copy.join("secret-votes/tamper-vote-5");
    std::fs::create_dir_all(&secret).unwrap();
    for entry in std::fs::read_dir(dir.join("secret-votes/tamper-vote-5")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), secret.join(entry.file_name())).unwrap();
    }
    assert!(verify_convention(&copy, &Quiet).0.ok());
    let credentials = std::fs::read_to_string(secret.join("credentials.jsonl")).unwrap();
    let first = credentials.lines().next().unwrap().to_string();
    std::fs::write(secret.join("credentials.jsonl"), credentials.replacen(&first, "", 1).trim_start()).unwrap();
    // One delegate fewer in its electorate: its own hashes no longer hold, and the failures are
    // named under the secret vote.
    let (report, _) = verify_convention(&copy, &Quiet);
    assert!(
        report
            .failures
            .iter()
            .any(|f| f.location == "secret vote 5 (referendum tamper-vote-5): election.json credentials_hash"),
        "{:#?}",
        report.failures
    );
    std::fs::write(secret.join("credentials.jsonl"), &credentials).unwrap();
    assert!(verify_convention(&copy, &Quiet).0.ok());
    let constitution = std::fs::read_to_string(dir.join("constitution.json")).unwrap();
    std::fs::write(copy.join("constitution.json"), constitution.replace("48 hours", "96 hours")).unwrap();
    let (report, _) = verify_convention(&copy, &Quiet);
    assert!(report.failures.iter().any(|f| f.location == "constitution.json article 1"), "{:#?}", report.failures);
    // So is a changed translation: the Arabic reader's 48 hours made 96.
    assert!(constitution.contains("٤٨ ساعة"));
    std::fs::write(copy.join("constitution.json"), constitution.replace("٤٨ ساعة", "٩٦ ساعة")).unwrap();
    let (report, _) = verify_convention(&copy, &Quiet);
    assert!(report.failures.iter().any(|f| f.location == "constitution.json article 1"), "{:#?}", report.failures);
}

/// Nothing is lost when the server stops between storing an event and signing its checkpoint, or
/// before the hand-off it calls for: the next server to load the convention finishes both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_between_an_event_and_its_checkpoint_or_hand_off_loses_nothing() {
    let data = tempfile::tempdir().unwrap();
    let first = server(data.path(), None).await;
    let client = Client::new(&first.url(), Some(first.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(8);
    let (convention, chair, _secretary, mut delegates) = small_convention(&client, "stop", &mut rng).await;
    let body = BodyJson::Text("Kept.\n".into());
    delegates[0].send(&client, &convention, Event::Motion { title: "Kept".into(), body }, &mut rng).await.unwrap();
    first.task.abort();

    // As if the server stopped right after committing this entry: a vote opened in secret —
    // stored, with no checkpoint and no referendum created for it yet.
    {
        use convene_store::Store;
        let store = convene_store::SqlStore::open_sqlite(data.path()).await.unwrap();
        let mut state = ConventionState::new(&store.election("stop").await.unwrap().manifest).unwrap();
        for row in store.entries("stop", 0, 1000).await.unwrap() {
            state.apply_line(&row.line).unwrap();
        }
        let open = Event::OpenSecretVote {
            subject: Subject::Motion(1.into()),
            rule: RuleJson::simple_majority_of_present(),
            referendum: "stop-secret".into(),
            trustees: convene_record::format::TrusteeCount { n: 3, t: 2, members: Vec::new() },
        };
        let line = chair.sign_on(&state, &open, &mut rng);
        let (leaf, applied) = state.apply_line(&line).unwrap();
        let entry = convene_store::NewEntry { leaf, credential: [0; 32], line };
        store.append_at("stop", "sitting", applied.index, &entry).await.unwrap();
        assert!(store.election("stop-secret").await.is_err());
        assert!(store.checkpoints("stop").await.unwrap().last().unwrap().0 < applied.index + 1);
    }

    let second = server(data.path(), None).await;
    let client = Client::new(&second.url(), None);
    let shown = client.get("/api/conventions/stop").await.unwrap();
    assert_eq!(shown["votes"][0]["secret"]["referendum"], "stop-secret");
    assert_eq!(client.get("/api/elections/stop-secret").await.unwrap()["phase"], "draft");
    let dir = data.path().join("record");
    client.fetch_convention("stop", &dir).await.unwrap();
    let (report, _) = verify_convention(&dir, &Quiet);
    assert!(report.ok(), "{:#?}", report.failures);
    assert_eq!(report.entries, 8);
}
