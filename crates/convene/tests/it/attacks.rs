//! The outside security review's findings, each reproduced as an attack: against the real server
//! over HTTP (the door must refuse it and the log stay unchanged), or as a record forged with the
//! project's own library by a host holding the log key (`convene verify` must name it by its
//! failure code). See `docs/threat-model.md`.

use super::forge::{Forge, Zeros};
use super::*;
use convene::client::{As, Client};
use convene::local;
use convene::referendum::{self, OpenElection};
use convene_crypto::ballot::CredentialSecret;
use convene_crypto::ceremony::CeremonyParams;
use convene_crypto::encoding::Point;
use convene_crypto::{RistrettoPoint, Scalar};
use convene_record::actors::Actors;
use convene_record::convention::Charter;
use convene_record::failure::Code;
use convene_record::format::{LogEntry, Manifest, Question, TrusteeCount};
use convene_record::writer::manifest_hash;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde_json::{json, Value};

fn codes(report: &convene_record::verify::Report) -> Vec<(String, Code)> {
    report.failures.iter().map(|f| (f.location.clone(), f.code)).collect()
}

// ------------------------------------------------------------------ forged records

/// H2: the host appends a voter's earlier ballot again after the later one (log A, B, A), so
/// that the earlier choice counts.
#[test]
fn a_replayed_earlier_ballot_is_named_by_the_verifier() {
    let mut forge = Forge::new(&[("north", 2)]);
    let (a, _) = forge.ballot(0, true);
    let (b, _) = forge.ballot(0, false);
    forge.append(LogEntry::Cast(a.clone()));
    forge.append(LogEntry::Cast(b));
    forge.append(LogEntry::Cast(a));
    let (_keep, out) = forge.publish();
    let report = verify(&out);
    assert!(codes(&report).contains(&("log entry 2".into(), Code::BallotRepeated)), "{:#?}", report.failures);
}

/// A cast ballot that reuses the ciphertexts of a challenged ballot, whose plaintext the reveal
/// published: it must never count.
#[test]
fn a_ballot_reusing_a_revealed_ciphertext_is_named_by_the_verifier() {
    let mut forge = Forge::new(&[("north", 2)]);
    let (challenged, reveal) = forge.ballot(0, true);
    forge.append(LogEntry::Spoiled(challenged.clone(), reveal));
    forge.append(LogEntry::Cast(challenged));
    let (_keep, out) = forge.publish();
    let report = verify(&out);
    assert!(codes(&report).contains(&("log entry 1".into(), Code::BallotReusesReveal)), "{:#?}", report.failures);
}

/// H8: a ballot with `r = 0` (α the identity) publishes its vote in `β`.
#[test]
fn a_ciphertext_with_identity_alpha_is_named_by_the_verifier() {
    let mut forge = Forge::new(&[("north", 2)]);
    let (secret, region) = &forge.voters[0];
    let (zero, _) = forge.context().encrypt_ballot(secret, region, &[vec![1]], &mut Zeros).unwrap();
    assert!(zero.answers[0].slots[0].ct.alpha.is_identity());
    forge.append(LogEntry::Cast(zero));
    let (b, _) = forge.ballot(1, false);
    forge.append(LogEntry::Cast(b));
    let (_keep, out) = forge.publish();
    let report = verify(&out);
    assert!(codes(&report).contains(&("log entry 0".into(), Code::BallotIdentity)), "{:#?}", report.failures);
}

/// H8: a region with no ballots has a tally with `α` the identity. It is decrypted without
/// trustees (`β = 0·G`), the record verifies, and a partial decryption offered for it is refused.
#[test]
fn an_empty_region_is_decrypted_without_trustees_and_verifies() {
    let mut forge = Forge::new(&[("north", 2), ("south", 1)]);
    let (a, _) = forge.ballot(0, true);
    let (b, _) = forge.ballot(1, false);
    forge.append(LogEntry::Cast(a));
    forge.append(LogEntry::Cast(b));
    let (_keep, out) = forge.publish();
    let report = verify(&out);
    assert!(report.ok(), "{:#?}", report.failures);
    let results = report.results.unwrap();
    let south = results.scopes.iter().find(|s| s.scope == "south").unwrap();
    assert_eq!((south.counted, south.questions.clone()), (0, vec![vec![0]]));

    // A forger who puts a partial decryption where none can exist is named.
    let path = out.join("decryption.json");
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let north = doc["trustees"][0]["scopes"][0][0][0].clone();
    assert!(doc["trustees"][0]["scopes"][1][0][0].is_null(), "{doc}");
    doc["trustees"][0]["scopes"][1][0][0] = north;
    std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
    let report = verify(&out);
    assert!(
        codes(&report).contains(&("decryption trustee 1 south question 0 slot 0".into(), Code::DecryptionShape)),
        "{:#?}",
        report.failures
    );
}

/// H8: `convene demo --offline --voters 3` used to write a record that its own verifier rejected
/// (a region without ballots).
#[test]
fn a_tiny_offline_demo_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = DemoConfig::new(3, dir.path().join("record"));
    config.seed = Some(5);
    demo::run_offline(&config, &|_, _, _| {}).expect("the demo runs");
    let report = verify(&dir.path().join("record"));
    assert!(report.ok(), "{:#?}", report.failures);
}

// ------------------------------------------------------------------ the hand-off (C3)

/// The whole demonstration process — a convention with a secret vote, then the ratification
/// referendum it created — run once against a real server; its records, as `convene fetch` gets
/// them.
pub fn process_record() -> &'static (tempfile::TempDir, PathBuf) {
    static RECORD: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    RECORD.get_or_init(|| {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let data = tempfile::tempdir().unwrap();
            let server = start(data.path()).await;
            let client = Client::new(&server.url(), Some(server.admin_token.clone()));
            let out = data.path().join("process");
            let mut config = DemoConfig::new(12, out.clone());
            config.seed = Some(3);
            demo::run_http(&client, &config, &|_, _, _| {}).await.expect("the demonstration runs");
            (data, out)
        })
    })
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

fn verify_dir(dir: &Path) -> Vec<(String, Code)> {
    let verified = convene_record::directory::verify_directory(dir, &convene_record::verify::Quiet).unwrap();
    let mut out = Vec::new();
    if let Some((report, _)) = &verified.convention {
        out.extend(codes(report));
    }
    if let Some(report) = &verified.referendum {
        out.extend(codes(report));
    }
    out
}

/// A referendum forged in the convention's name: the honest origin and text, but its own rule
/// (more than a third, no quorum), one trustee, its own question and regions.
fn forged_referendum(id: &str, schedule: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    forged_referendum_with(id, schedule, |_| {})
}

/// As [`forged_referendum`], its manifest then changed by `more`.
fn forged_referendum_with(
    id: &str,
    schedule: Option<&str>,
    more: impl FnOnce(&mut Manifest),
) -> (tempfile::TempDir, PathBuf) {
    let honest = &process_record().1;
    let manifest = Manifest::parse(&std::fs::read(honest.join("manifest.json")).unwrap()).unwrap();
    let mut origin = manifest.origin.clone().expect("the demo's referendum has an origin");
    origin.schedule = schedule.map(String::from);
    let mut forge = Forge::with(&[("north", 2), ("south", 1)], |m| {
        m.election_id = id.into();
        m.questions =
            vec![Question::YesNo { id: "ratify".into(), text: "Do you approve the partition?".into(), blank: false }];
        m.trustees = TrusteeCount { n: 1, t: 1, members: Vec::new() };
        m.ratification = Some(convene_record::format::Ratification {
            question: "ratify".into(),
            rule: "[approval]\nbase = \"valid\"\nmore_than = \"1/3\"\n".into(),
            region_weights: Default::default(),
        });
        m.origin = Some(origin);
        more(m);
    });
    let (yes, _) = forge.ballot(0, true);
    forge.append(LogEntry::Cast(yes));
    let (keep, out) = forge.publish();
    std::fs::copy(honest.join("constitution.md"), out.join("constitution.md")).unwrap();
    copy_tree(&honest.join("convention"), &out.join("convention"));
    (keep, out)
}

#[test]
fn the_honest_process_verifies_as_one() {
    let found = verify_dir(&process_record().1);
    assert!(found.is_empty(), "{found:?}");
}

/// The demonstration's convention names its three witnesses (charter version 5), and the
/// referendum it handed off names the same ones, with every checkpoint of both logs cosigned by
/// two of them at least.
#[test]
fn the_demonstration_is_witnessed_from_the_convention_to_its_referendum() {
    let dir = &process_record().1;
    let charter = Charter::parse(&std::fs::read(dir.join("convention/charter.json")).unwrap()).unwrap();
    let manifest = Manifest::parse(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!((charter.version, charter.witnesses.len(), charter.witness_quorum), (5, 3, 2));
    assert_eq!((manifest.version, &manifest.witnesses, manifest.witness_quorum), (4, &charter.witnesses, 2));
    for file in ["checkpoints.json", "convention/checkpoints.json"] {
        let checkpoints: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join(file)).unwrap()).unwrap();
        let all = checkpoints["checkpoints"].as_array().unwrap();
        assert!(!all.is_empty(), "{file}");
        for c in all {
            assert!(c["note"].as_str().unwrap().matches("— observers.localhost/w").count() >= 2, "{file}: {c}");
        }
    }
}

/// C3: a ratification referendum with the convention's origin and text but its own rule,
/// trustees, question and regions.
#[test]
fn a_forged_ratification_referendum_is_named_field_by_field() {
    let (_keep, out) = forged_referendum("convene-demo", None);
    let found = verify_dir(&out);
    // The forgery is format 2 and names none of the witnesses the version-5 charter names.
    for field in ["title", "questions", "regions", "trustees", "ratification", "version", "witnesses", "witness_quorum"]
    {
        let location = format!("hand-off manifest.json {field}");
        assert!(found.contains(&(location.clone(), Code::HandOff)), "{location} not in {found:?}");
    }
}

/// A host shows Arabic voters another question than the convention's (a translation the
/// convention never gave), and sets its own cost for typed credentials: both are named.
#[test]
fn a_translation_or_a_credential_cost_the_convention_never_gave_is_named() {
    let (_keep, out) = forged_referendum_with("convene-demo", None, |m| {
        let words = convene_record::format::ManifestTranslation {
            constitution_sha256: None,
            title: "المصادقة".into(),
            questions: vec![convene_record::format::QuestionTranslation {
                text: "هل توافق على التقسيم؟".into(),
                options: Vec::new(),
            }],
        };
        m.translations = [("ar".to_string(), words)].into();
        m.credential_kdf = Some(convene_record::format::CredentialKdf {
            algorithm: "argon2id".into(),
            memory_kib: 8,
            iterations: 1,
            parallelism: 1,
        });
    });
    let found = verify_dir(&out);
    for field in ["translations", "credential_kdf"] {
        let location = format!("hand-off manifest.json {field}");
        assert!(found.contains(&(location.clone(), Code::HandOff)), "{location} not in {found:?}");
    }
}

/// The convention's official Arabic text is what Arabic voters read: the record keeps it as
/// `constitution.ar.md` under the hash the hand-off derives; a host that changes it is named.
#[test]
fn a_changed_official_translation_of_the_constitution_is_named() {
    let honest = &process_record().1;
    let manifest = Manifest::parse(&std::fs::read(honest.join("manifest.json")).unwrap()).unwrap();
    let arabic = manifest.translations.get("ar").expect("the demonstration gives an Arabic text");
    assert!(arabic.constitution_sha256.is_some(), "{arabic:?}");
    let text = std::fs::read_to_string(honest.join("constitution.ar.md")).unwrap();
    assert!(text.contains("حق تقرير المصير"), "{text}");
    let copy = tempfile::tempdir().unwrap();
    copy_tree(honest, copy.path());
    std::fs::write(copy.path().join("constitution.ar.md"), text.replace("الجنوب", "الشمال")).unwrap();
    let found = verify_dir(copy.path());
    assert_eq!(found, vec![("constitution.ar.md".to_string(), Code::ConstitutionMismatch)]);
}

/// C3: a milestone referendum the convention never called for.
#[test]
fn an_invented_milestone_referendum_is_named() {
    let (_keep, out) = forged_referendum("convene-demo-milestone-9", Some("1 years after ratification"));
    let found = verify_dir(&out);
    assert!(found.contains(&("hand-off".into(), Code::HandOff)), "{found:?}");
}

/// C3: a referendum whose manifest names a convention, verified without that convention's record.
#[test]
fn a_referendum_without_its_convention_is_tied_to_nothing() {
    let copy = tempfile::tempdir().unwrap();
    copy_tree(&process_record().1, copy.path());
    std::fs::remove_dir_all(copy.path().join("convention")).unwrap();
    let found = verify_dir(copy.path());
    assert_eq!(found, vec![("hand-off".to_string(), Code::HandOff)]);
}

// ------------------------------------------------------------------ at the door

async fn start(data: &Path) -> local::Running {
    let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("error").try_init();
    local::start(data, None, "127.0.0.1:0", |c| c.signin_per_minute = u32::MAX).await.unwrap()
}

/// A server on a fresh data directory, and the supervisor's client for it.
async fn serve() -> (tempfile::TempDir, local::Running, Client) {
    let data = tempfile::tempdir().unwrap();
    let server = start(data.path()).await;
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    (data, server, client)
}

async fn open_election(voters: u64, codes_per_voter: usize) -> (tempfile::TempDir, local::Running, OpenElection) {
    let (data, server, client) = serve().await;
    let mut p = plan("door", voters, &["north", "south"]);
    p.codes_per_voter = codes_per_voter;
    let election = referendum::set_up(&client, &p, &mut ChaCha20Rng::seed_from_u64(8)).await.unwrap();
    (data, server, election)
}

/// Posts a log entry with a fresh session from the voter's `code`-th code: status and body.
async fn post_entry(url: &str, election: &OpenElection, voter: usize, code: usize, entry: &LogEntry) -> (u16, Value) {
    let http = reqwest::Client::new();
    let signin = http
        .post(format!("{url}/api/elections/{}/signin", election.id))
        .json(&json!({"code": election.sheets[voter].codes[code]}))
        .send()
        .await
        .unwrap();
    assert_eq!(signin.status(), 200);
    let session: Value = signin.json().await.unwrap();
    let response = http
        .post(format!("{url}/api/elections/{}/ballots", election.id))
        .bearer_auth(session["session"].as_str().unwrap())
        .header("content-type", "application/json")
        .body(entry.to_json_line())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The host's own hold on the SQLite database in `data`, with the store's refusals `triggers`
/// (rewriting documents, deleting log entries …) dropped first, as a host can.
pub(crate) async fn host_database(data: &Path, triggers: &[&str]) -> sqlx::SqlitePool {
    let database = format!("sqlite://{}", data.join("convene.sqlite3").display());
    let raw = sqlx::SqlitePool::connect(&database).await.unwrap();
    for trigger in triggers {
        sqlx::query(&format!("DROP TRIGGER {trigger}")).execute(&raw).await.unwrap();
    }
    raw
}

async fn log_size(client: &Client, id: &str) -> usize {
    let log = client.get_bytes(&format!("/api/elections/{id}/record/log.jsonl")).await.unwrap();
    log.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count()
}

/// H2, the reverse of a re-vote, and a revealed ballot cast, and `r = 0`, against a real
/// server: each is refused with its code, and the log does not change.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_door_refuses_replays_revealed_ciphertexts_and_identity_alpha() {
    let (data, server, election) = open_election(2, 7).await;
    let url = server.url();
    let client = Client::new(&url, Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(21);
    let sheet = &election.sheets[0];
    let version = election.manifest.version;
    let encrypt = |yes: u32, challenge: bool, rng: &mut ChaCha20Rng| {
        LogEntry::encrypt(&election.context, version, &sheet.credential, &sheet.region, &[vec![yes]], challenge, rng)
            .unwrap()
    };
    let a = encrypt(1, false, &mut rng);
    let b = encrypt(0, false, &mut rng);
    assert_eq!(post_entry(&url, &election, 0, 0, &a).await.0, 200);
    assert_eq!(post_entry(&url, &election, 0, 1, &b).await.0, 200);
    let before = log_size(&client, &election.id).await;

    let (status, body) = post_entry(&url, &election, 0, 2, &a).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("repeated_ballot")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("log entry 0"), "{body}");

    let challenged = encrypt(1, true, &mut rng);
    assert_eq!(post_entry(&url, &election, 0, 3, &challenged).await.0, 200);
    // The challenged ballot's ciphertexts, cast: with the voter's signature in version 3.
    let LogEntry::Spoiled(opened, _) = &challenged else { unreachable!() };
    let recast = match version {
        3.. => election.context.sign_cast(opened, &sheet.credential, &mut rng),
        _ => opened.clone(),
    };
    let (status, body) = post_entry(&url, &election, 0, 4, &LogEntry::Cast(recast)).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("reuses_reveal")), "{body}");

    // Randomness 0 (α the identity), bound to a one-time key or not.
    let once = CredentialSecret::generate(&mut rng);
    let zero = match version {
        3.. => {
            let (sealed, _) = election.context.encrypt_one_time(&once, &sheet.region, &[vec![1]], &mut Zeros).unwrap();
            election.context.sign_cast(&sealed, &sheet.credential, &mut rng)
        }
        _ => election.context.encrypt_ballot(&sheet.credential, &sheet.region, &[vec![1]], &mut Zeros).unwrap().0,
    };
    let (status, body) = post_entry(&url, &election, 0, 5, &LogEntry::Cast(zero)).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("bad_ballot")), "{body}");
    assert!(body["message"].as_str().unwrap().contains("identity"), "{body}");

    // Only the challenge was added.
    assert_eq!(log_size(&client, &election.id).await, before + 1);

    // Another server process on the same data rebuilds the checks' memory from the log: the
    // replay of entry 0 is refused there too.
    let second = start(data.path()).await;
    let log = client.get_bytes(&format!("/api/elections/{}/record/log.jsonl", election.id)).await.unwrap();
    let first = LogEntry::parse(log.split(|b| *b == b'\n').next().unwrap()).unwrap();
    let (status, body) = post_entry(&second.url(), &election, 0, 6, &first).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("repeated_ballot")), "{body}");
    assert_eq!(log_size(&client, &election.id).await, before + 1);
}

/// H8 at the door: a region in which nobody voted is published (decrypted without trustees),
/// and the record verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_region_without_ballots_is_published_and_verifies() {
    let (data, server, election) = open_election(4, 1).await;
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    // Only the north votes.
    for v in (0..4).filter(|&v| election.sheets[v].region == "north") {
        let entry = referendum::make_entry(&election, v, &[vec![1]], false, &mut rng).unwrap();
        referendum::sign_in_and_send(&client, &election, v, 0, entry).await.unwrap();
    }
    let (_, results) = referendum::count(&client, &election).await.expect("the results are published");
    let south = results.scopes.iter().find(|s| s.scope == "south").unwrap();
    assert_eq!(south.counted, 0);
    let out = data.path().join("fetched");
    client.fetch_record(&election.id, &out).await.unwrap();
    let report = verify(&out);
    assert!(report.ok(), "{:#?}", report.failures);
}

/// `ratify` naming a referendum that exists used to keep that referendum as it was (its own
/// question, rule and electorate): the door refuses it, and the convention's log is unchanged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ratify_naming_an_existing_referendum_is_refused() {
    let (_data, _server, client) = serve().await;
    client
        .post(
            "/api/elections",
            &json!({"election_id": "taken", "title": "Another question", "regions": ["north"],
                    "questions": [{"kind": "yes-no", "id": "q", "text": "Partition?"}], "trustees": {"n": 1, "t": 1}}),
            convene::client::As::Supervisor,
        )
        .await
        .unwrap();
    let mut plan = convene::assembly::AssemblyPlan::example("taker");
    plan.referendum = "taken".into();
    let Err(error) = convene::assembly::run_story(&client, &plan, &mut ChaCha20Rng::seed_from_u64(2), &|_| {}).await
    else {
        panic!("the hand-off to an existing referendum was accepted")
    };
    assert!(format!("{error:#}").contains("taken already exists"), "{error:#}");
    let state = client.get("/api/conventions/taker").await.unwrap();
    assert!(state["ratified"].is_null(), "{state}");
    let manifest = client.get("/api/elections/taken").await.unwrap()["manifest"].clone();
    assert_eq!(manifest["title"], "Another question");
}

/// C1: the host swaps a region's tally for one voter's ballot (bypassing the database's refusal
/// to rewrite documents, as a host can) and asks the trustees to decrypt it. The trustee's tool
/// recomputes the tally from the log and refuses; the honest tally is then decrypted once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trustees_refuse_a_tally_that_is_not_the_log_s() {
    let (data, server, election) = open_election(4, 1).await;
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(12);
    for v in 0..4 {
        let entry = referendum::make_entry(&election, v, &[vec![(v % 2) as u32]], false, &mut rng).unwrap();
        referendum::sign_in_and_send(&client, &election, v, 0, entry).await.unwrap();
    }
    client.post(&format!("/api/elections/{}/close", election.id), &json!({}), As::Supervisor).await.unwrap();

    // The host's swap: the first region's tally becomes voter 0's ciphertext.
    let log = client.get_bytes(&format!("/api/elections/{}/record/log.jsonl", election.id)).await.unwrap();
    let first: Value = serde_json::from_slice(log.split(|b| *b == b'\n').next().unwrap()).unwrap();
    let honest = client.get_bytes(&format!("/api/elections/{}/record/tally.json", election.id)).await.unwrap();
    let mut tally: Value = serde_json::from_slice(&honest).unwrap();
    let ct = &first["ballot"]["answers"][0]["slots"][0];
    tally["scopes"][0]["questions"][0][0] = json!({"alpha": ct["alpha"], "beta": ct["beta"]});
    tally["scopes"][0]["counted"] = json!(1);
    let database = format!("sqlite://{}", data.path().join("convene.sqlite3").display());
    let raw = sqlx::SqlitePool::connect(&database).await.unwrap();
    let refused = sqlx::query("UPDATE documents SET bytes = ? WHERE name = 'tally.json'")
        .bind(serde_json::to_vec(&tally).unwrap())
        .execute(&raw)
        .await;
    assert!(refused.is_err(), "the store refuses to rewrite a document");
    sqlx::query("DROP TRIGGER documents_no_update").execute(&raw).await.unwrap();
    sqlx::query("UPDATE documents SET bytes = ? WHERE name = 'tally.json'")
        .bind(serde_json::to_vec(&tally).unwrap())
        .execute(&raw)
        .await
        .unwrap();

    let keys = tempfile::tempdir().unwrap();
    let once = keys.path().join("trustee-1.decrypted.json");
    let key = &election.keys[0];
    let error = convene::trustee::decrypt(
        &client,
        &election.id,
        key,
        election.identity(key.index),
        Some(&once),
        &convene_record::verify::Quiet,
    )
    .await
    .expect_err("the trustee refuses the swapped tally");
    assert!(format!("{error:#}").contains("refusing to decrypt"), "{error:#}");
    assert!(!once.exists(), "nothing was decrypted");
    let decryptions = client.get_bytes(&format!("/api/elections/{}/record/decryption.json", election.id)).await;
    assert!(decryptions.is_err(), "no partial decryption reached the server");

    // The honest tally back: the trustee decrypts it, once; asked again it does nothing new.
    sqlx::query("UPDATE documents SET bytes = ? WHERE name = 'tally.json'").bind(honest).execute(&raw).await.unwrap();
    convene::trustee::decrypt(
        &client,
        &election.id,
        key,
        election.identity(key.index),
        Some(&once),
        &convene_record::verify::Quiet,
    )
    .await
    .unwrap();
    convene::trustee::decrypt(
        &client,
        &election.id,
        key,
        election.identity(key.index),
        Some(&once),
        &convene_record::verify::Quiet,
    )
    .await
    .unwrap();
    // A record of having decrypted another tally of this election makes it refuse.
    let mut remembered: Value = serde_json::from_slice(&std::fs::read(&once).unwrap()).unwrap();
    remembered["tally_sha256"] = json!("00".repeat(32));
    std::fs::remove_file(&once).unwrap();
    std::fs::write(&once, serde_json::to_vec(&remembered).unwrap()).unwrap();
    let error = convene::trustee::decrypt(
        &client,
        &election.id,
        key,
        election.identity(key.index),
        Some(&once),
        &convene_record::verify::Quiet,
    )
    .await
    .expect_err("one tally per election");
    assert!(format!("{error:#}").contains("one tally per election"), "{error:#}");
}

/// Creates a version-1 draft election `id` with one yes/no question in `regions`, `n` trustees
/// and threshold `t`, as the supervisor.
async fn draft_v1(client: &Client, id: &str, regions: &[&str], n: u32, t: u32) {
    client
        .post(
            "/api/elections",
            &json!({"election_id": id, "title": id, "regions": regions,
                    "questions": [{"kind": "yes-no", "id": "q", "text": "Yes?"}], "trustees": {"n": n, "t": t}}),
            As::Supervisor,
        )
        .await
        .unwrap();
}

/// H3 at the door: a dealer's share that cannot be opened (`R` the identity) is refused on
/// upload, and nothing is stored for that dealer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unopenable_share_is_refused_at_upload() {
    let (_data, _server, client) = serve().await;
    draft_v1(&client, "shares", &["north"], 3, 2).await;
    let states = tempfile::tempdir().unwrap();
    for i in 1..=3 {
        convene::trustee::start(&client, "shares", i, &states.path().join(format!("t{i}")), None).await.unwrap();
    }
    let identity = "00".repeat(32);
    let body = json!({"dealer": 3, "shares": [
        {"dealer": 3, "recipient": 1, "R": identity, "u": "01".to_string() + &"00".repeat(31)},
        {"dealer": 3, "recipient": 2, "R": Point::from(RistrettoPoint::mul_base(&Scalar::ONE)).to_hex(), "u": "01".to_string() + &"00".repeat(31)},
    ]});
    let error = client.post("/api/elections/shares/ceremony/shares", &body, As::Supervisor).await.unwrap_err();
    assert_eq!(refusal(error), (400, "unopenable_share".into()));
    let ceremony = client.get("/api/elections/shares/ceremony").await.unwrap();
    assert_eq!(ceremony["shares"].as_array().map(Vec::len), Some(0), "{ceremony}");
}

/// The host replaces a trustee's round-1 message with its own (it holds the database): that
/// trustee's tool stops before dealing anything in a ceremony someone else speaks in its name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trustee_stops_when_its_round_1_is_not_its_own() {
    let (data, _server, client) = serve().await;
    draft_v1(&client, "round", &["north"], 3, 2).await;
    let states = tempfile::tempdir().unwrap();
    let state = |i: u32| states.path().join(format!("t{i}"));
    for i in 1..=3 {
        convene::trustee::start(&client, "round", i, &state(i), None).await.unwrap();
    }
    let manifest = client.get_bytes("/api/elections/round/record/manifest.json").await.unwrap();
    let params = CeremonyParams { manifest_hash: manifest_hash(&manifest), n: 3, t: 2 };
    let (_, forged) = convene_crypto::ceremony::Trustee::start(params, 1, &mut ChaCha20Rng::seed_from_u64(1)).unwrap();
    let forged = serde_json::to_vec(&convene_record::format::Round1Json::from_round1(&forged)).unwrap();
    let raw = host_database(data.path(), &["documents_no_update"]).await;
    let swapped = sqlx::query("UPDATE documents SET bytes = ? WHERE election_id = 'round' AND name LIKE 'round1/%1'")
        .bind(forged)
        .execute(&raw)
        .await
        .unwrap();
    assert_eq!(swapped.rows_affected(), 1);
    let error = convene::trustee::deal(&client, "round", &state(1), None, None).await.unwrap_err();
    assert!(format!("{error:#}").contains("not the one this trustee published"), "{error:#}");
    // The others, whose messages are their own, go on.
    convene::trustee::deal(&client, "round", &state(2), None, None).await.unwrap();
}

// ------------------------------------------------------------------ who acts (C2, H5)

/// A version-2 election created on a real server, its manifest signed by the authority; the
/// actors' keys are the test's, the supervisor's token the host's.
async fn draft_v2(client: &Client, id: &str) -> Actors {
    let actors = Actors::generate(3, &mut ChaCha20Rng::seed_from_u64(30));
    let named = |key: &convene_record::actors::ActorKey| json!({"name": "Actor", "key": key.public().to_hex()});
    client
        .post(
            "/api/elections",
            &json!({"election_id": id, "title": id, "regions": ["north", "south"],
                    "questions": [{"kind": "yes-no", "id": "q", "text": "Yes?"}],
                    "trustees": {"n": 3, "t": 2, "members": actors.members()},
                    "authority": named(&actors.authority), "registrar": named(&actors.registrar),
                    "code_issuer": named(&actors.issuer), "max_weight": 1, "max_ballots_per_credential": 5}),
            As::Supervisor,
        )
        .await
        .unwrap();
    let manifest = client.get_bytes(&format!("/api/elections/{id}/record/manifest.json")).await.unwrap();
    let signature = actors.authority.sign(
        convene_record::actors::TAG_AUTHORITY,
        &manifest_hash(&manifest),
        b"",
        &mut ChaCha20Rng::seed_from_u64(31),
    );
    client.post(&format!("/api/elections/{id}/authority"), &json!({"signature": signature}), As::Anyone).await.unwrap();
    actors
}

fn refusal(error: anyhow::Error) -> (u16, String) {
    let e = error.downcast_ref::<convene::client::HttpError>().expect("a refusal from the server");
    (e.status, e.code.clone())
}

/// C2 at the door: the host, holding the supervisor's token, uploads round 1 in trustees 1 and
/// 2's names, and an empty share list as trustee 3. Each is refused: only the key the manifest
/// names for a trustee can speak for it, and the token stands for no one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_host_cannot_play_the_trustees() {
    let (_data, _server, client) = serve().await;
    let actors = draft_v2(&client, "played").await;
    let manifest = client.get_bytes("/api/elections/played/record/manifest.json").await.unwrap();
    let params = CeremonyParams { manifest_hash: manifest_hash(&manifest), n: 3, t: 2 };
    let mut rng = ChaCha20Rng::seed_from_u64(32);
    let host = convene_record::actors::ActorKey::generate(&mut rng);
    for j in [1, 2] {
        let (_, round1) = convene_crypto::ceremony::Trustee::start(params, j, &mut rng).unwrap();
        let mut json = convene_record::format::Round1Json::from_round1(&round1);
        let unsigned = client.post("/api/elections/played/ceremony/round1", &json, As::Supervisor).await.unwrap_err();
        assert_eq!(refusal(unsigned), (403, "bad_signature".into()));
        let message = convene_record::actors::round1_message(&round1);
        json.signature = Some(host.sign(convene_record::actors::TAG_ROUND1, &params.manifest_hash, &message, &mut rng));
        let forged = client.post("/api/elections/played/ceremony/round1", &json, As::Supervisor).await.unwrap_err();
        assert_eq!(refusal(forged), (403, "bad_signature".into()));
    }
    // The honest trustees take part with their own keys; trustee 1 may not deal as trustee 3.
    let states = tempfile::tempdir().unwrap();
    let state = |i: u32| states.path().join(format!("t{i}"));
    for i in 1..=3 {
        convene::trustee::start(&client, "played", i, &state(i), actors.trustee(i)).await.unwrap();
    }
    let message = convene_record::actors::shares_message(3, &[]);
    let signature =
        actors.trustee(1).unwrap().sign(convene_record::actors::TAG_SHARES, &params.manifest_hash, &message, &mut rng);
    let body = json!({"dealer": 3, "shares": [], "signature": signature});
    let as_another = client.post("/api/elections/played/ceremony/shares", &body, As::Supervisor).await.unwrap_err();
    assert_eq!(refusal(as_another), (403, "bad_signature".into()));
    for i in 1..=3 {
        convene::trustee::deal(&client, "played", &state(i), None, actors.trustee(i)).await.unwrap();
    }
    let ceremony = client.get("/api/elections/played/ceremony").await.unwrap();
    assert_eq!(ceremony["shares"].as_array().unwrap().len(), 6, "every honest dealer's shares, nobody else's");
}

/// C2 in a forged record: round-1 messages nobody signed (the host made them) do not count, and
/// the verifier names each; with them the ceremony cannot complete.
#[test]
fn a_ceremony_the_host_spoke_in_is_named() {
    let mut forge = Forge::new(&[("north", 2)]);
    let (a, _) = forge.ballot(0, true);
    forge.append(LogEntry::Cast(a));
    let (_keep, out) = forge.publish();
    let path = out.join("ceremony.json");
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    for k in 0..2 {
        doc["round1"][k].as_object_mut().unwrap().remove("signature");
    }
    std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
    let found = codes(&verify(&out));
    assert!(found.contains(&("ceremony.json".into(), Code::CeremonySignature)), "{found:?}");
    assert!(found.contains(&("ceremony.json".into(), Code::CeremonyIncomplete)), "{found:?}");
}

/// H5 at the door: the host adds a ghost credential to the registrar's signed list; the
/// registrar's signature no longer signs it, and nothing is published.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_host_cannot_add_a_ghost_to_the_registrar_s_list() {
    let (_data, server, client) = serve().await;
    let actors = draft_v2(&client, "ghosts").await;
    let states = tempfile::tempdir().unwrap();
    let state = |i: u32| states.path().join(format!("t{i}"));
    for step in 0..3 {
        for i in 1..=3 {
            let me = actors.trustee(i);
            match step {
                0 => convene::trustee::start(&client, "ghosts", i, &state(i), me).await.map(|_| ()),
                1 => convene::trustee::deal(&client, "ghosts", &state(i), None, me).await.map(|_| ()),
                _ => convene::trustee::check(&client, "ghosts", &state(i), me).await.map(|_| ()),
            }
            .unwrap();
        }
    }
    client.post("/api/elections/ghosts/ceremony/finish", &json!({}), As::Supervisor).await.unwrap();
    let manifest = client.get_bytes("/api/elections/ghosts/record/manifest.json").await.unwrap();
    let sheets = convene::registrar::issue(
        &convene_record::format::Manifest::parse(&manifest).unwrap(),
        &[convene::registrar::Voter::new("a", "north", 1), convene::registrar::Voter::new("b", "south", 1)],
        1,
        &mut ChaCha20Rng::seed_from_u64(33),
        &|| (),
    )
    .unwrap();
    let mut upload = convene::registrar::upload("ghosts", &sheets);
    // The manifest names a code issuer: the registrar's upload may carry no codes.
    convene::registrar::sign_upload(&manifest, &mut upload, &actors.registrar).unwrap();
    let error = client.post("/api/elections/ghosts/credentials", &upload, As::Supervisor).await.unwrap_err();
    assert_eq!(refusal(error), (400, "codes_from_issuer".into()));
    upload.codes.clear();
    convene::registrar::sign_upload(&manifest, &mut upload, &actors.registrar).unwrap();
    let ghost = convene_crypto::ballot::CredentialSecret::generate(&mut ChaCha20Rng::seed_from_u64(34));
    let mut forged = upload.clone();
    forged.credentials.push(convene_server::api::CredentialEntry {
        credential: ghost.public().to_hex(),
        region: "north".into(),
        weight: None,
    });
    let error = client.post("/api/elections/ghosts/credentials", &forged, As::Supervisor).await.unwrap_err();
    assert_eq!(refusal(error), (403, "bad_signature".into()));
    assert!(client.get_bytes("/api/elections/ghosts/record/credentials.jsonl").await.is_err());
    // A heavy ghost is refused even before the signature: the manifest allows weight 1.
    let mut heavy = upload.clone();
    heavy.credentials[0].weight = Some(1_000_000);
    let error = client.post("/api/elections/ghosts/credentials", &heavy, As::Supervisor).await.unwrap_err();
    assert_eq!(refusal(error), (400, "bad_credentials".into()));
    // The registrar's own list goes through, without the supervisor's token: its signature of
    // the body is in the headers (nobody else's upload is read at all).
    let anyone = Client::new(&server.url(), None);
    let error = anyone.post("/api/elections/ghosts/credentials", &upload, As::Anyone).await.unwrap_err();
    assert_eq!(refusal(error), (401, "unauthorized".into()));
    convene::registrar::post_upload(&anyone, "ghosts", &manifest, &upload, Some(&actors.registrar)).await.unwrap();
    // H6: the codes come from the issuer alone; the registrar (or the host) cannot upload them.
    let slips: Vec<(String, Vec<String>)> =
        sheets.iter().map(|s| (s.credential.public().to_hex(), s.codes.clone())).collect();
    let error = client.post("/api/elections/ghosts/open", &json!({}), As::Supervisor).await.unwrap_err();
    assert_eq!(refusal(error), (409, "no_codes".into()));
    let by_registrar = convene::registrar::issuer_upload("ghosts", &manifest, &slips, &actors.registrar).unwrap();
    let error = client.post("/api/elections/ghosts/codes", &by_registrar, As::Supervisor).await.unwrap_err();
    assert_eq!(refusal(error), (403, "bad_signature".into()));
    let by_issuer = convene::registrar::issuer_upload("ghosts", &manifest, &slips, &actors.issuer).unwrap();
    client.post("/api/elections/ghosts/codes", &by_issuer, As::Anyone).await.unwrap();
    let again = client.post("/api/elections/ghosts/codes", &by_issuer, As::Anyone).await.unwrap_err();
    assert_eq!(refusal(again).0, 409, "codes are issued once");
    // Voting opens only once every qualified trustee has acknowledged the key.
    let error = client.post("/api/elections/ghosts/open", &json!({}), As::Supervisor).await.unwrap_err();
    assert_eq!(refusal(error), (409, "unacknowledged".into()));
}

/// H5 in a forged record: a ghost of weight 1,000,000 (or a silent ghost) added to the list the
/// registrar signed is named, and so is a weight the manifest does not allow.
#[test]
fn a_ghost_credential_is_named_by_the_verifier() {
    let honest = Forge::new(&[("north", 2)]).publish();
    let ghost = CredentialSecret::generate(&mut ChaCha20Rng::seed_from_u64(35));
    let mut forge = Forge::with_ghosts(&[("north", 2)], |_| {}, &[(*ghost.public(), "north".into(), 1_000_000)]);
    let (yes, _) =
        forge.context().encrypt_ballot(&ghost, "north", &[vec![1]], &mut ChaCha20Rng::seed_from_u64(36)).unwrap();
    forge.append(LogEntry::Cast(yes));
    let (_keep, out) = forge.publish();
    // The registrar signed the honest list; the host published another.
    std::fs::copy(honest.1.join("registrar.json"), out.join("registrar.json")).unwrap();
    let found = codes(&verify(&out));
    assert!(found.contains(&("registrar.json".into(), Code::RegistrarStatement)), "{found:?}");
    assert!(found.contains(&("credentials.jsonl".into(), Code::CredentialWeight)), "{found:?}");
}

/// H6: the registrar holds every credential secret. With a code issuer named in the manifest,
/// the registrar's upload carries no codes, only the issuer's signed upload does, and the
/// registrar cannot sign in as an abstainer. The verifier says which mode was used.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_code_issuer_the_registrar_cannot_vote_for_abstainers() {
    let (data, _server, client) = serve().await;
    let mut p = plan("issued", 3, &["north", "south"]);
    p.separate_codes = true;
    let election = referendum::set_up(&client, &p, &mut ChaCha20Rng::seed_from_u64(50)).await.unwrap();
    let manifest = &election.manifest;
    assert!(manifest.code_issuer.is_some());
    let actors = election.actors.as_ref().unwrap();

    // The registrar's own codes for voter 2 (who abstains): not accepted from the registrar.
    let registrar_code = convene::registrar::new_code(&mut ChaCha20Rng::seed_from_u64(51));
    let slips = vec![(election.sheets[2].credential.public().to_hex(), vec![registrar_code.clone()])];
    let as_registrar =
        convene::registrar::issuer_upload("issued", &election.manifest_bytes, &slips, &actors.registrar).unwrap();
    let error = client.post("/api/elections/issued/codes", &as_registrar, As::Supervisor).await.unwrap_err();
    let refusal = error.downcast_ref::<convene::client::HttpError>().unwrap();
    assert_eq!((refusal.status, refusal.code.as_str()), (409, "wrong_phase"), "{refusal}");
    let signin = client.post("/api/elections/issued/signin", &json!({"code": registrar_code}), As::Anyone).await;
    assert!(signin.is_err(), "the registrar's own code signs no one in");
    // The issuer's codes work (voter 0 votes), and the record says codes were issued apart.
    let entry = referendum::make_entry(&election, 0, &[vec![1]], false, &mut ChaCha20Rng::seed_from_u64(52)).unwrap();
    referendum::sign_in_and_send(&client, &election, 0, 0, entry).await.unwrap();
    referendum::count(&client, &election).await.unwrap();
    let out = data.path().join("record");
    client.fetch_record("issued", &out).await.unwrap();
    let report = verify(&out);
    assert!(report.ok(), "{:#?}", report.failures);
    assert!(report.who.iter().any(|w| w.contains("apart from the registrar")), "{:?}", report.who);
}

/// One sign-in cast 2,000 ballots: now one sign-in appends at most `max_ballots_per_session`
/// entries (10 by default), and then needs another code.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_sign_in_casts_a_bounded_number_of_ballots() {
    let (_data, server, election) = open_election(1, 1).await;
    let url = server.url();
    let http = reqwest::Client::new();
    let signin = http
        .post(format!("{url}/api/elections/{}/signin", election.id))
        .json(&json!({"code": election.sheets[0].codes[0]}))
        .send()
        .await
        .unwrap();
    let session: Value = signin.json().await.unwrap();
    let session = session["session"].as_str().unwrap().to_string();
    let mut rng = ChaCha20Rng::seed_from_u64(60);
    let mut statuses = Vec::new();
    for _ in 0..11 {
        let entry = referendum::make_entry(&election, 0, &[vec![1]], false, &mut rng).unwrap();
        let response = http
            .post(format!("{url}/api/elections/{}/ballots", election.id))
            .bearer_auth(&session)
            .header("content-type", "application/json")
            .body(entry)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        statuses.push((status, body["error"].as_str().map(String::from)));
    }
    assert!(statuses[..10].iter().all(|(s, _)| *s == 200), "{statuses:?}");
    assert_eq!(statuses[10], (429, Some("session_cap".into())));
}

/// With weights of 1,000,000 and 1023 points per option, the counts would be beyond the
/// discrete-log solver, and the results could never be published: refused at the upload.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_beyond_the_solver_are_refused_at_the_upload() {
    let (_data, _server, client) = serve().await;
    client
        .post(
            "/api/elections",
            &json!({"election_id": "heavy", "title": "Heavy", "regions": ["north"], "trustees": {"n": 1, "t": 1},
                    "questions": [{"kind": "choose", "id": "q", "text": "Points", "options": ["a", "b"],
                                   "min": 0, "max": 1023, "max_per_option": 1023}]}),
            As::Supervisor,
        )
        .await
        .unwrap();
    let states = tempfile::tempdir().unwrap();
    let state = states.path().join("t1");
    convene::trustee::start(&client, "heavy", 1, &state, None).await.unwrap();
    convene::trustee::deal(&client, "heavy", &state, None, None).await.unwrap();
    convene::trustee::check(&client, "heavy", &state, None).await.unwrap();
    client.post("/api/elections/heavy/ceremony/finish", &json!({}), As::Supervisor).await.unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(61);
    let credentials: Vec<Value> = (0..1100)
        .map(|_| {
            json!({"credential": CredentialSecret::generate(&mut rng).public().to_hex(), "region": "north", "weight": 1_000_000})
        })
        .collect();
    let error = client
        .post("/api/elections/heavy/credentials", &json!({"credentials": credentials, "codes": []}), As::Supervisor)
        .await
        .unwrap_err();
    assert_eq!(refusal(error), (400, "unreachable_count".into()));
}

// ---------------------------------------------------------------- H4: the convention's order

/// A convention record as a host holding the log key publishes it: the charter, `lines` in the
/// given order, one checkpoint over them signed with `log_secret`, and the constitution the
/// replay of those lines gives.
pub(crate) fn publish_convention(charter: &[u8], lines: &[Vec<u8>], log_secret: &Scalar) -> tempfile::TempDir {
    use convene_record::convention::ConventionState;
    let dir = tempfile::tempdir().unwrap();
    let mut state = ConventionState::new(charter).unwrap();
    let mut tree = convene_record::log::MerkleTree::default();
    for line in lines {
        if state.apply_line(line).is_err() {
            state.skip_line(line);
        }
        tree.push(convene_record::log::leaf_hash(line));
    }
    let checkpoint = convene_record::checkpoint::LogSigner::schnorr(state.charter_hash(), &log_secret.to_bytes())
        .unwrap()
        .sign(&tree, &mut ChaCha20Rng::seed_from_u64(1));
    let doc = convene_record::writer::checkpoints_document(state.charter().version, vec![checkpoint], &tree);
    std::fs::write(dir.path().join("charter.json"), charter).unwrap();
    let log: Vec<u8> = lines.iter().flat_map(|l| l.iter().copied().chain([b'\n'])).collect();
    std::fs::write(dir.path().join("log.jsonl"), log).unwrap();
    std::fs::write(dir.path().join("checkpoints.json"), serde_json::to_vec(&doc).unwrap()).unwrap();
    std::fs::write(dir.path().join("constitution.json"), serde_json::to_vec(&state.constitution_json()).unwrap())
        .unwrap();
    dir
}

/// Two delegates move competing articles, one right after the other; the chair puts the first
/// to a vote, and it is adopted. Returns the charter, the lines, the log key and the index of
/// the first motion.
pub(crate) fn two_motions_and_a_vote(version: u32) -> (Vec<u8>, Vec<Vec<u8>>, Scalar, usize) {
    use convene_record::convention::*;
    let mut rng = ChaCha20Rng::seed_from_u64(40);
    let keys: Vec<Scalar> = (0..5).map(|_| Scalar::random(&mut rng)).collect();
    let log_secret = Scalar::random(&mut rng);
    let charter = Charter {
        version,
        convention_id: "order".into(),
        title: "Order".into(),
        chair: public_hex(&keys[0]),
        secretary: public_hex(&keys[1]),
        speaking_seconds: 100,
        log_key: public_hex(&log_secret),
        trustees: Vec::new(),
        min_region_ballots: 0,
        witnesses: Vec::new(),
        witness_quorum: 0,
        conference: None,
    };
    let charter = serde_json::to_vec(&charter).unwrap();
    let mut state = ConventionState::new(&charter).unwrap();
    let localities = LocalityJson::from_csv("name,region,population\nA,north,300\nB,south,300\n").unwrap();
    let mut events = vec![
        (1, Event::Localities { source: "census".into(), localities }),
        (
            1,
            Event::Apportionment {
                localities_version: 1,
                method: "hamilton".into(),
                seats: 2,
                min_seats: 0,
                max_seats: None,
                result: vec![1, 1],
            },
        ),
    ];
    for (k, locality) in ["A", "B"].iter().enumerate() {
        let credential = Event::Credential {
            key: public_hex(&keys[2 + k]),
            name: format!("d{k}"),
            locality: locality.to_string(),
            role: Role::Delegate,
        };
        events.push((1, credential));
    }
    let first = events.len();
    events.push((2, Event::Motion { title: "Federal".into(), body: BodyJson::Text("A federation.\n".into()) }));
    events.push((3, Event::Motion { title: "Partition".into(), body: BodyJson::Text("Two states.\n".into()) }));
    events.push((
        0,
        Event::OpenVote { subject: Subject::Motion(1.into()), rule: RuleJson::simple_majority_of_present() },
    ));
    for d in [2, 3] {
        events.push((d, Event::Vote { vote: 1.into(), choice: Some(ChoiceJson::Yes), ranking: None }));
    }
    let mut lines = Vec::new();
    for (who, event) in events {
        let line = state.sign_next(&keys[who], &event, &mut rng);
        state.apply_line(&line).unwrap();
        lines.push(line);
    }
    // The chair closes with the result the state computes.
    let result = state.count(state.vote(1).unwrap()).unwrap().figures();
    let close = state.sign_next(&keys[0], &Event::CloseVote { vote: 1.into(), result }, &mut rng);
    state.apply_line(&close).unwrap();
    lines.push(close);
    assert_eq!(state.constitution_json().articles[0].title, "Federal");
    (charter, lines, log_secret, first)
}

/// H4, reproduced on a version-1 record: the host swaps two delegates' motions and re-signs
/// its checkpoint; "motion 1" is now the other article, every signature holds, and the record
/// verifies with the other constitution. Version 1 cannot prove this (its report says so).
/// In version 2 the chair's vote names the motion by its entry's hash and commits to the log
/// it saw: the same swap is named at the chair's event, and the article is still the one voted.
#[test]
fn swapping_two_delegates_motions_is_named_in_version_2() {
    use convene_record::verify::verify_convention;
    for version in [1, 2] {
        let (charter, mut lines, log_secret, first) = two_motions_and_a_vote(version);
        let honest = publish_convention(&charter, &lines, &log_secret);
        assert!(verify_convention(honest.path(), &convene_record::verify::Quiet).0.ok());
        lines.swap(first, first + 1);
        let forged = publish_convention(&charter, &lines, &log_secret);
        let (report, state) = verify_convention(forged.path(), &convene_record::verify::Quiet);
        if version == 1 {
            assert!(report.ok(), "{:#?}", report.failures);
            let articles = state.unwrap().constitution_json().articles;
            assert_eq!(articles[0].title, "Partition", "the attack works on version 1");
        } else {
            let open_vote = format!("log entry {}", first + 2);
            assert!(codes(&report).contains(&(open_vote, Code::EventRefused)), "{:#?}", report.failures);
            assert!(report.failures.iter().any(|f| f.check.contains("not this log's first")), "{:#?}", report.failures);
        }
    }
}

/// H4 against a real server: the host drops a delegate's accepted vote from its database (and
/// the checkpoints after it) and restarts. The delegate's tool keeps its own sequence number and
/// the signed receipt: its next event stops with the withheld event named instead of reusing
/// the number, and `convene assembly check` names the missing event in the published record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_withheld_vote_leaves_a_provable_gap() {
    use convene::assembly::{self, Convention, Participant};
    use convene_record::convention::*;
    let data = tempfile::tempdir().unwrap();
    let server = start(data.path()).await;
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(41);
    let (convention, mut chair, _secretary, delegates) =
        super::assembly::small_convention(&client, "withheld", &mut rng).await;
    let journal = data.path().join("d0.key.journal");
    let secret = convene_crypto::encoding::scalar_from_hex(&delegates[0].secret_hex()).unwrap();
    let mut d0 = Participant::from_secret(secret, 0).keeping(journal.clone());
    d0.send(
        &client,
        &convention,
        Event::Motion { title: "Kept".into(), body: BodyJson::Text("Kept.\n".into()) },
        &mut rng,
    )
    .await
    .unwrap();
    let rule = RuleJson::simple_majority_of_present();
    chair
        .send(&client, &convention, Event::OpenVote { subject: Subject::Motion(1.into()), rule }, &mut rng)
        .await
        .unwrap();
    let vote = Event::Vote { vote: 1.into(), choice: Some(ChoiceJson::No), ranking: None };
    let accepted = d0.send(&client, &convention, vote, &mut rng).await.unwrap();
    let index = accepted["index"].as_u64().unwrap();
    assert_eq!(accepted["receipt"]["index"], index, "{accepted}");
    assert_eq!(assembly::read_journal(&journal, "withheld").unwrap().len(), 2);
    server.task.abort();

    // The host, holding the database, drops the vote and every checkpoint that covers it.
    let raw = host_database(data.path(), &["log_entries_no_delete", "checkpoints_no_delete"]).await;
    sqlx::query("DELETE FROM log_entries WHERE election_id = 'withheld' AND idx = ?")
        .bind(index as i64)
        .execute(&raw)
        .await
        .unwrap();
    sqlx::query("DELETE FROM checkpoints WHERE election_id = 'withheld' AND size > ?")
        .bind(index as i64)
        .execute(&raw)
        .await
        .unwrap();
    raw.close().await;

    let server = start(data.path()).await;
    let client = Client::new(&server.url(), None);
    let convention = Convention::open(&client, "withheld").await.unwrap();
    // The delegate's tool, resumed from its journal, refuses to go on as if nothing happened.
    let stopped = Participant::resume(&client, &convention, secret, Some(journal.clone())).await.err().unwrap();
    let message = format!("{stopped:#}");
    assert!(message.contains("withheld") && message.contains(&format!("log entry {index}")), "{message}");
    // The published record verifies on its own (the vote is simply gone) ...
    let dir = data.path().join("record");
    client.fetch_convention("withheld", &dir).await.unwrap();
    assert!(convene_record::verify::verify_convention(&dir, &convene_record::verify::Quiet).0.ok());
    // ... but the delegate's signed receipt proves the log held the vote.
    let problems = assembly::check_journal(&assembly::read_journal(&journal, "withheld").unwrap(), &dir).unwrap();
    assert!(problems.iter().any(|p| p.contains("not log entry")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("showed two logs")), "{problems:?}");
    // The command a delegate runs says the same, and exits 1.
    let key = data.path().join("d0.key");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_convene"))
        .args(["assembly", "check", "--key", key.to_str().unwrap(), "--convention", "withheld", dir.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("MISSING: your event n = 2"), "{stdout}");
}

// ---------------------------------------------------------------- a challenged ballot's voter

/// Whether `line` (a log line) carries voter `v`'s credential, and whether the ballot's proofs
/// verify when bound to it — either links the challenged plaintext to the voter.
fn links_to(forge: &Forge, line: &str, v: usize) -> bool {
    let credential = forge.voters[v].0.public();
    if line.contains(&credential.to_hex()) {
        return true;
    }
    let LogEntry::Spoiled(ballot, _) = LogEntry::parse(line.as_bytes()).unwrap() else { return false };
    let guess = convene_crypto::ballot::Ballot { credential: *credential, one_time: None, ..ballot };
    let failures = forge.context().verify_ballot(&mut convene_crypto::BatchVerifier::new(*credential.point()), &guess);
    failures.iter().all(|f| *f == convene_crypto::ballot::BallotError::Signature)
}

/// The finding: a challenged ballot's plaintext was published next to the voter's credential
/// (version 2, reproduced). In version 3 it is bound to, and signed by, a one-time key: nothing
/// in it names or fits the credential, the voter then casts, and the record verifies with only
/// the cast ballot counted.
#[test]
fn a_challenged_ballot_names_no_voter_in_version_3() {
    for version in [2, 3] {
        let mut forge = Forge::with(&[("north", 2)], |m| m.version = version);
        let challenged = forge.entry(0, true, true);
        let line = challenged.to_json_line();
        forge.append(challenged);
        assert_eq!(links_to(&forge, &line, 0), version == 2, "version {version}: {line}");
        if version == 3 {
            // Nor does it fit the other voter: the proofs are bound to the one-time key alone.
            assert!(!links_to(&forge, &line, 1));
        }
        for v in 0..2 {
            let cast = forge.entry(v, v == 0, false);
            forge.append(cast);
        }
        let (_dir, out) = forge.publish();
        let report = verify(&out);
        assert!(report.ok(), "version {version}: {:#?}", report.failures);
        assert_eq!((report.cast, report.spoiled), (2, 1), "version {version}");
    }
}

/// Version 3's rules, forged: a challenged ballot whose "one-time" key is the voter's own
/// credential (it would link the two again), and a ballot made the version-2 way, bound to the
/// credential, are each named `ballot-one-time-key`; neither counts.
#[test]
fn a_version_3_ballot_must_be_bound_to_a_fresh_one_time_key() {
    let mut forge = Forge::with(&[("north", 2)], |m| m.version = 3);
    let (secret, region) = forge.voters[0].clone();
    let mut rng = ChaCha20Rng::seed_from_u64(50);
    let (own, secrets) = forge.context().encrypt_one_time(&secret, &region, &[vec![1]], &mut rng).unwrap();
    forge.append(LogEntry::Spoiled(own, secrets));
    let (old_style, _) = forge.ballot(1, true);
    forge.append(LogEntry::Cast(old_style));
    let honest = forge.entry(1, false, false);
    forge.append(honest);
    let (_dir, out) = forge.publish();
    let report = verify(&out);
    let found = codes(&report);
    assert!(found.contains(&("log entry 0".into(), Code::BallotOneTimeKey)), "{found:?}");
    assert!(found.contains(&("log entry 1".into(), Code::BallotOneTimeKey)), "{found:?}");
    assert!(!found.iter().any(|(l, _)| l == "log entry 2"), "{found:?}");
}

/// H7, the fake-key attack on the voter's tool: the host serves a ceremony whose outcome is an
/// election key it knows (bypassing the database's refusal to rewrite documents, as a host can).
/// `convene vote`'s client recomputes the key from the ceremony and refuses to encrypt, naming
/// the failure; before the swap it encrypts under the recomputed key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_voter_s_tool_refuses_an_election_key_the_ceremony_does_not_give() {
    let (data, server, election) = open_election(2, 1).await;
    let client = Client::new(&server.url(), None);
    let honest = referendum::PublicElection::fetch(&client, &election.id).await.unwrap();
    assert_eq!(honest.context.key.point(), election.context.key.point());
    assert_eq!(honest.context.base, election.context.base);

    let ceremony = client.get_bytes(&format!("/api/elections/{}/record/ceremony.json", election.id)).await.unwrap();
    let mut forged: Value = serde_json::from_slice(&ceremony).unwrap();
    let host_key = Point::from(RistrettoPoint::mul_base(&Scalar::from(424242u64)));
    forged["outcome"]["election_key"] = json!(host_key.to_hex());
    server.task.abort();
    let raw = host_database(data.path(), &["documents_no_update"]).await;
    sqlx::query("UPDATE documents SET bytes = ? WHERE election_id = ? AND name = 'ceremony.json'")
        .bind(serde_json::to_vec(&forged).unwrap())
        .bind(&election.id)
        .execute(&raw)
        .await
        .unwrap();
    raw.close().await;
    let server = start(data.path()).await;
    let client = Client::new(&server.url(), None);
    let served = client.get_bytes(&format!("/api/elections/{}/record/ceremony.json", election.id)).await.unwrap();
    assert!(String::from_utf8_lossy(&served).contains(&host_key.to_hex()), "the host serves its key");
    let refused = referendum::PublicElection::fetch(&client, &election.id).await.err().expect("refused");
    let message = format!("{refused:#}");
    assert!(message.contains("does not verify") && message.contains("ceremony"), "{message}");
}
