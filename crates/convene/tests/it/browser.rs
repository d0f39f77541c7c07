//! The booth in a real browser: Debian's Chromium driven by Playwright (web/e2e/), against a
//! server on loopback. Voters in English and Arabic sign in, challenge a ballot and check it on a
//! second device, cast, and verify their receipt in the browser; the casting requests carry no
//! plaintext choice; then the referendum is counted and its record — with the browser's ballots —
//! passes `convene verify`. Screenshots of every step go to target/tmp/screenshots/.
//!
//! Without Chromium (/usr/bin/chromium) or Node.js the test says it did not run; in CI (`CI` set)
//! that is a failure (`.ci/run` installs both).

use convene::client::{As, Client};
use convene::referendum;
use convene::witnesses::LocalWitnesses;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use std::path::{Path, PathBuf};
use std::process::Command;

fn web() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../web")
}

/// Chromium's path, or None (after saying so) when the browser tests cannot run here.
pub(crate) fn chromium() -> Option<String> {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() || Command::new("npm").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI needs Chromium ({chromium}) and Node.js for the browser tests");
        eprintln!("the browser tests did not run: install chromium and Node.js");
        return None;
    }
    // Built once per run: tests run in parallel, and one rebuilding the scripts while another's
    // browser runs them would hand it a half-written file.
    static BUILT: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    let built = BUILT.get_or_init(|| {
        let build = Command::new("npm").args(["run", "build:e2e", "--silent"]).current_dir(web()).output().unwrap();
        if build.status.success() {
            Ok(())
        } else {
            Err(String::from_utf8_lossy(&build.stderr).to_string())
        }
    });
    assert_eq!(built, &Ok(()));
    Some(chromium)
}

/// Every checkpoint in the record `dir` carries the cosignatures of two of the in-process
/// witnesses at least: the browser worked against a cosigned log.
fn assert_cosigned(dir: &Path) {
    let checkpoints: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("checkpoints.json")).unwrap()).unwrap();
    let all = checkpoints["checkpoints"].as_array().unwrap();
    assert!(!all.is_empty());
    for c in all {
        assert!(c["note"].as_str().unwrap().matches("— observers.localhost/w").count() >= 2, "{c}");
    }
}

/// Runs one e2e script against `url`; its standard output.
pub(crate) async fn e2e(script: &str, chromium: String, url: String, env: Vec<(&'static str, String)>) -> String {
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    let script = script.to_string();
    let run = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(format!("build/e2e/{script}.js"))
            .current_dir(web())
            .env("CONVENE_URL", url)
            .env("SCREENSHOTS", &shots)
            .env("CHROMIUM", chromium)
            .envs(env)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let out = String::from_utf8_lossy(&run.stdout).to_string();
    assert!(run.status.success(), "{out}\n{}", String::from_utf8_lossy(&run.stderr));
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newcomer_votes_in_the_demonstration_from_the_front_page() {
    let Some(chromium) = chromium() else { return };
    let data = tempfile::tempdir().unwrap();
    let server = convene::local::start(data.path(), None, "127.0.0.1:0", |_| {}).await.unwrap();
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let (told, _witnesses) = convene::demo::seed_open_demo(&client, &server.url(), data.path()).await.unwrap();
    assert!(told.contains(&format!("{}/", server.url())), "{told}");
    let out = e2e("newcomer.e2e", chromium, server.url(), Vec::new()).await;
    assert!(out.contains("e2e ok: newcomer"), "{out}");
    eprintln!("{out}");
    let shown = client.get("/api/elections/convene-demo").await.unwrap();
    assert_eq!(shown["log_size"], 3, "one ballot from each language");
    // Voting is still open: the checkpoints published so far.
    let dir = data.path().join("record");
    std::fs::create_dir_all(&dir).unwrap();
    let checkpoints = client.get_bytes("/api/elections/convene-demo/record/checkpoints.json").await.unwrap();
    std::fs::write(dir.join("checkpoints.json"), checkpoints).unwrap();
    assert_cosigned(&dir);
    // `serve --demo` kept its trustees' keys: the demonstration can be closed and counted with
    // them, as the words it printed say.
    assert!(told.contains("convene trustee decrypt"), "{told}");
    let _: convene_server::api::Closed =
        client.post_as("/api/elections/convene-demo/close", &serde_json::json!({}), As::Supervisor).await.unwrap();
    let trustees = data.path().join(convene::demo::DEMO_TRUSTEES);
    for j in (1..=5u32).filter(|j| trustees.join(format!("trustee-{j}.key")).exists()).take(3) {
        let key = trustees.join(format!("trustee-{j}.key"));
        let share = convene::trustee::load_key("convene-demo", &key).unwrap();
        let identity = convene::identity::load(&trustees.join(format!("trustee-{j}.identity"))).unwrap();
        convene::trustee::decrypt(
            &client,
            "convene-demo",
            &share,
            Some(&identity.key),
            None,
            &convene_record::verify::Quiet,
        )
        .await
        .unwrap();
    }
    let results: convene_record::format::ResultsJson =
        client.post_as("/api/elections/convene-demo/publish", &serde_json::json!({}), As::Supervisor).await.unwrap();
    // Each browser took a demonstration voter at random (of 20), so two may have been the same
    // voter, whose second ballot then supersedes the first: every one of the three ballots is
    // counted or superseded, and the record verifies.
    let record = data.path().join("published");
    client.fetch_record("convene-demo", &record).await.unwrap();
    let report = convene_record::verify::verify_record(&record, &convene_record::verify::Quiet);
    assert!(report.ok(), "{:#?}", report.failures);
    assert_eq!(report.counted + report.superseded, 3, "the three ballots of the browser test");
    assert_eq!(results.scopes.last().unwrap().counted, report.counted);
}

/// The newcomer of the test above, through nginx over TLS in front of two processes on one
/// PostgreSQL (the production shape): Chromium trusts the test's certificate and nothing else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_newcomer_votes_through_nginx_over_tls_and_two_processes() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let Some(balanced) = super::balanced::Balanced::start(dir.path(), 2).await else { return };
    let client = balanced.client();
    let (told, _witnesses) = convene::demo::seed_open_demo(&client, &balanced.url, dir.path()).await.unwrap();
    assert!(told.contains(&format!("{}/", balanced.url)), "{told}");
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots/balanced");
    let env = vec![("TRUSTED_SPKI", balanced.spki.clone()), ("SCREENSHOTS", shots.display().to_string())];
    let out = e2e("newcomer.e2e", chromium, balanced.url.clone(), env).await;
    assert!(out.contains("e2e ok: newcomer"), "{out}");
    let shown = client.get("/api/elections/convene-demo").await.unwrap();
    assert_eq!(shown["log_size"], 3, "one ballot from each language");
}

/// A camera's view of the QR code of `text` as a Y4M video (YUV 4:2:0, grey), for Chromium's
/// fake capture device: the code in black on white in the middle of a 640 × 480 frame.
fn camera_video(text: &str, path: &std::path::Path) {
    let m = convene_sheets::qr::matrix(text).unwrap();
    let (w, h) = (640usize, 480usize);
    let scale = (h - 60) / (m.width + 8);
    let (x0, y0) = ((w - scale * m.width) / 2, (h - scale * m.width) / 2);
    let mut luma = vec![235u8; w * h];
    for (i, dark) in m.dark.iter().enumerate() {
        if *dark {
            let (row, col) = (i / m.width, i % m.width);
            for y in y0 + row * scale..y0 + (row + 1) * scale {
                luma[y * w + x0 + col * scale..y * w + x0 + (col + 1) * scale].fill(16);
            }
        }
    }
    let mut video = format!("YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg\n").into_bytes();
    for _ in 0..10 {
        video.extend_from_slice(b"FRAME\n");
        video.extend_from_slice(&luma);
        video.extend(std::iter::repeat_n(128u8, w * h / 2));
    }
    std::fs::write(path, video).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_voter_challenges_checks_casts_and_verifies_in_a_real_browser() {
    let Some(chromium) = chromium() else { return };
    let data = tempfile::tempdir().unwrap();
    let server = convene::local::start(data.path(), None, "127.0.0.1:0", |_| {}).await.unwrap();
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(31);
    // The log is witnessed: three witness processes, two of whom cosign every checkpoint; the
    // browser checks each receipt's cosignatures.
    let mut plan = super::plan("browser", 3, &["north", "south"]);
    plan.typed_credentials = true;
    let ports = super::split_view::three_witnesses(&mut plan);
    let election = referendum::set_up(&client, &plan, &mut rng).await.unwrap();
    let _witnesses = super::split_view::start_three(data.path(), &election.manifest.log_key, &ports).await;
    // The Sorani voter scans the sheet's QR code; the others type from it, on phones 390 and
    // 320 px wide.
    let booth = convene::registrar::booth_url(&server.url(), "browser");
    let mut sheets = election.sheets.clone();
    sheets[2].lang = convene::registrar::Lang::Ckb;
    // The Sorani voter's code comes on a slip, as from a code issuer: its QR code is what the
    // phone's camera sees (a video of it, Chromium's fake capture device).
    let slip = {
        let mut alone = sheets[2].clone();
        let slip = convene::registrar::printed_slips(
            &plan.title,
            &booth,
            "",
            alone.lang,
            &[(alone.credential.public().to_hex(), alone.codes.clone())],
        );
        alone.codes.clear();
        sheets[2] = alone;
        slip[0].qr_url()
    };
    let camera = data.path().join("camera.y4m");
    camera_video(&slip, &camera);
    let printed = convene::registrar::printed(&plan.title, &booth, None, &sheets);
    let voters: Vec<serde_json::Value> = sheets
        .iter()
        .zip(&election.sheets)
        .zip(&printed)
        .zip([("en", "yes", 390), ("ar", "no", 320), ("ckb", "yes", 320)])
        .map(|(((sheet, issued), printed), (lang, answer, width))| {
            let qr = (lang == "ckb").then(|| printed.qr_url());
            serde_json::json!({"lang": lang, "answer": answer, "codes": issued.codes, "width": width,
                               "credential": sheet.key_text(), "qr": qr, "slip": lang == "ckb"})
        })
        .collect();

    let env = vec![
        ("ELECTION", "browser".to_string()),
        ("VOTERS", serde_json::to_string(&voters).unwrap()),
        ("FAKE_CAMERA", camera.to_string_lossy().into_owned()),
    ];
    let out = e2e("booth.e2e", chromium, server.url(), env).await;
    assert!(out.contains("e2e ok: 3 voters, 3 casts checked"), "{out}");

    // Count, decrypt, publish: the browser's ballots are in a record `convene verify` accepts.
    let (_, results) = referendum::count(&client, &election).await.unwrap();
    let dir = data.path().join("record");
    client.fetch_record("browser", &dir).await.unwrap();
    let report = convene_record::verify::verify_record(&dir, &convene_record::verify::Quiet);
    assert!(report.ok(), "{:#?}", report.failures);
    assert_eq!((report.cast, report.spoiled, report.counted), (3, 3, 3));
    assert!(!report.notes.iter().any(|n| n.contains("names no witnesses")), "{:?}", report.notes);
    let national = results.scopes.last().unwrap();
    assert_eq!(national.questions[0], vec![2], "two yes (English, Sorani), one no (Arabic)");
}

/// The whole demonstration (convention with mapped localities, then its referendum), then the
/// public results page in English and Arabic: verdict, conditions, table and map.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_results_page_shows_the_outcome_on_a_table_and_a_map() {
    let Some(chromium) = chromium() else { return };
    let data = tempfile::tempdir().unwrap();
    let server =
        convene::local::start(data.path(), None, "127.0.0.1:0", |c| c.signin_per_minute = u32::MAX).await.unwrap();
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut config = convene::demo::DemoConfig::new(25, data.path().join("record"));
    config.seed = Some(5);
    let outcome = convene::demo::run_http(&client, &config, &|_, _, _| {}).await.unwrap();
    let env = vec![("ELECTION", "convene-demo".to_string()), ("CONVENTION", "convene-demo-convention".to_string())];
    let out = e2e("results.e2e", chromium, server.url(), env).await;
    // One revenue motion over ten localities; five regional delegations; five articles (two
    // milestones, the second dated from the first).
    assert!(out.contains("assembly en: 10 revenue bars, 5 delegations' power, 5 articles"), "{out}");
    assert!(out.contains("e2e ok: results"), "{out}");
    // Five regions and the nation; the ten localities of the convention on the map.
    assert!(out.contains("results en: 6 rows, 10 localities on the map"), "{out}");
    assert_cosigned(&config.out);
    assert_cosigned(&config.out.join(convene::demo::CONVENTION_DIR));
    let verdict = outcome.results.ratification.unwrap().outcome;
    let said = if verdict == "ratified" { "Ratified" } else { "Rejected" };
    assert!(out.contains(&format!("outcome: {said}")), "{out}");
}

/// A conference of three states in the browser, in English, Arabic and Sorani at phone width: the
/// chair opens a vote by consensus, a head objects and withdraws the objection, the chair closes
/// it; the events the browsers signed verify with the convention verifier.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_head_of_delegation_objects_and_withdraws_in_a_conference() {
    use convene::assembly::{Convention, Participant};
    use convene_record::convention::{BodyJson, Event, Role};
    let Some(chromium) = chromium() else { return };
    let data = tempfile::tempdir().unwrap();
    let server = convene::local::start(data.path(), None, "127.0.0.1:0", |_| {}).await.unwrap();
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(43);
    let observers = std::sync::Arc::new(LocalWitnesses::start(data.path(), &[0, 0, 0]).await.unwrap());
    let (mut chair, mut secretary) = (Participant::new(&mut rng), Participant::new(&mut rng));
    let states: Vec<String> = ["Amaranth", "Borealis", "Cordova"].map(String::from).to_vec();
    let officers = [chair.key.as_str(), secretary.key.as_str()];
    let convention =
        Convention::create_conference(&client, "summit", "Summit", officers, &states, Some(observers)).await.unwrap();
    let mut heads = Vec::new();
    for state in &states {
        let head = Participant::new(&mut rng);
        let event = Event::Credential {
            key: head.key.clone(),
            name: format!("Head of the delegation of {state}"),
            locality: state.clone(),
            role: Role::Head,
        };
        secretary.send(&client, &convention, event, &mut rng).await.unwrap();
        heads.push(head);
    }
    chair.send(&client, &convention, Event::Agenda { items: vec!["Ceasefire".into()] }, &mut rng).await.unwrap();
    let body = BodyJson::Text(convene::assembly::CEASEFIRE.into());
    heads[0].send(&client, &convention, Event::Motion { title: "Ceasefire".into(), body }, &mut rng).await.unwrap();
    let keys: Vec<String> = heads.iter().map(|h| h.secret_hex()).collect();
    let env = vec![
        ("CONVENTION", "summit".to_string()),
        ("CHAIR", chair.secret_hex()),
        ("HEADS", serde_json::to_string(&keys).unwrap()),
    ];
    let out = e2e("conference.e2e", chromium, server.url(), env).await;
    assert!(out.contains("e2e ok: conference"), "{out}");
    let state = convention.state(&client).await.unwrap();
    assert_eq!(state["votes"][0]["result"]["adopted"], true);
    assert_eq!(state["votes"][0]["objections"][0]["by"], heads[1].key.as_str());
    let dir = data.path().join("summit-record");
    client.fetch_convention("summit", &dir).await.unwrap();
    let (report, _) = convene_record::verify::verify_convention(&dir, &convene_record::verify::Quiet);
    assert!(report.ok(), "{:#?}", report.failures);
}

/// The assembly in the browser: a delegate proposes an amendment and votes, the chair opens and
/// closes the vote (pages in English and Arabic, updated live); the events the browsers signed
/// then verify with the convention verifier.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delegate_amends_and_votes_while_the_chair_runs_the_vote() {
    use convene_record::convention::{BodyJson, Event};
    let Some(chromium) = chromium() else { return };
    let data = tempfile::tempdir().unwrap();
    let server = convene::local::start(data.path(), None, "127.0.0.1:0", |_| {}).await.unwrap();
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(41);
    // The convention's log is witnessed: three witnesses, two of whom cosign every checkpoint.
    let observers = std::sync::Arc::new(LocalWitnesses::start(data.path(), &[0, 0, 0]).await.unwrap());
    let (convention, chair, _secretary, mut delegates) =
        super::assembly::small_convention_with(&client, "hall", Some(observers), &mut rng).await;
    let text = "Every person is equal before the law.\nNo one shall be held without trial.\nThe state protects every language.\n";
    let body = BodyJson::Text(text.into());
    delegates[0].send(&client, &convention, Event::Motion { title: "Rights".into(), body }, &mut rng).await.unwrap();
    for (k, title) in ["Unitary state", "Federal state"].iter().enumerate() {
        let body = BodyJson::Text(format!("The state is {title}.\n"));
        delegates[k + 1]
            .send(&client, &convention, Event::Motion { title: title.to_string(), body }, &mut rng)
            .await
            .unwrap();
    }
    let keys: Vec<String> = delegates.iter().map(|d| d.secret_hex()).collect();
    let env = vec![
        ("CONVENTION", "hall".to_string()),
        ("CHAIR", chair.secret_hex()),
        ("DELEGATES", serde_json::to_string(&keys).unwrap()),
    ];
    let out = e2e("assembly.e2e", chromium, server.url(), env).await;
    assert!(out.contains("e2e ok: assembly"), "{out}");

    let state = convention.state(&client).await.unwrap();
    assert_eq!(state["amendments"][0]["status"], "adopted");
    assert!(state["motions"][0]["current"]["text"].as_str().unwrap().contains("within 48 hours"));
    // Two of three ranked the federal motion first: Schulze adopts it, the other is withdrawn.
    assert_eq!(
        (state["motions"][2]["status"].as_str(), state["motions"][1]["status"].as_str()),
        (Some("adopted"), Some("withdrawn"))
    );
    assert_eq!(state["constitution"]["articles"][0]["title"], "Federal state");
    let dir = data.path().join("record");
    client.fetch_convention("hall", &dir).await.unwrap();
    let (report, _) = convene_record::verify::verify_convention(&dir, &convene_record::verify::Quiet);
    assert!(report.ok(), "{:#?}", report.failures);
    assert_cosigned(&dir);
}

/// A secret vote from the assembly page: the chair opens it in the browser; its referendum runs
/// (trustees, the delegates' own keys as credentials, encrypted ballots, threshold decryption);
/// the chair closes it in the browser with the published counts; the whole record verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_chair_runs_a_secret_vote_from_the_assembly_page() {
    use convene_record::convention::{BodyJson, ChoiceJson, Event};
    let Some(chromium) = chromium() else { return };
    let data = tempfile::tempdir().unwrap();
    let server = convene::local::start(data.path(), None, "127.0.0.1:0", |_| {}).await.unwrap();
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(43);
    // The convention's log is witnessed: three witnesses, two of whom cosign every checkpoint.
    let observers = std::sync::Arc::new(LocalWitnesses::start(data.path(), &[0, 0, 0]).await.unwrap());
    let (convention, chair, _secretary, mut delegates) =
        super::assembly::small_convention_with(&client, "ballot", Some(observers), &mut rng).await;
    let body = BodyJson::Text("Self-determination for every region.\n".into());
    delegates[0]
        .send(&client, &convention, Event::Motion { title: "Self-determination".into(), body }, &mut rng)
        .await
        .unwrap();
    let env = |mode: &str| {
        vec![
            ("MODE", mode.to_string()),
            ("CONVENTION", "ballot".to_string()),
            ("CHAIR", chair.secret_hex()),
            ("DELEGATE", delegates[1].secret_hex()),
        ]
    };
    let out = e2e("secret.e2e", chromium.clone(), server.url(), env("open")).await;
    assert!(out.contains("e2e ok: secret open"), "{out}");
    let choice = |k: usize| if k == 2 { ChoiceJson::No } else { ChoiceJson::Yes };
    convene::assembly::secret_ballot(&client, &convention, "ballot-vote-1", &delegates, &choice, None, &mut rng)
        .await
        .unwrap();
    let out = e2e("secret.e2e", chromium, server.url(), env("close")).await;
    assert!(out.contains("e2e ok: secret close"), "{out}");

    let state = convention.state(&client).await.unwrap();
    assert_eq!(
        (state["votes"][0]["result"]["yes"].as_u64(), state["votes"][0]["result"]["no"].as_u64()),
        (Some(2), Some(1))
    );
    let dir = data.path().join("record");
    client.fetch_convention("ballot", &dir).await.unwrap();
    let (report, _) = convene_record::verify::verify_convention(&dir, &convene_record::verify::Quiet);
    assert!(report.ok(), "{:#?}", report.failures);
    assert_cosigned(&dir);
    assert!(
        report.notes.iter().any(|n| n.contains("secret vote 1: referendum ballot-vote-1 verified")),
        "{:?}",
        report.notes
    );
}

/// The receipt and check pages read the log from a copy on another host: the demonstration's
/// record as tiles (`convene export-tiles`) served by nginx; a voter's kept receipt and the
/// challenged ballot check against it in Chromium (English, Arabic, Sorani), with the
/// witnesses still asked; a copy with one changed byte in an entry bundle is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_receipt_and_check_pages_read_a_copy_of_the_log_on_another_host() {
    let Some(chromium) = chromium() else { return };
    let data = tempfile::tempdir().unwrap();
    let server =
        convene::local::start(data.path(), None, "127.0.0.1:0", |c| c.signin_per_minute = u32::MAX).await.unwrap();
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let observers =
        std::sync::Arc::new(LocalWitnesses::start(&data.path().join("witnesses"), &[0, 0, 0]).await.unwrap());
    let record = data.path().join("record");
    let mut config = convene::demo::DemoConfig::new(12, record.clone());
    config.seed = Some(9);
    // Voter 0's receipt is for its only ballot (a re-vote would supersede it, and the page says so).
    config.revote_every = 0;
    config.observers = Some(observers.clone());
    let outcome = convene::demo::run_http(&client, &config, &|_, _, _| {}).await.unwrap();
    // Two copies on another origin: the record's tiles as exported, and one with a changed byte.
    let site = data.path().join("site");
    for name in ["copy", "changed"] {
        let export = Command::new(env!("CARGO_BIN_EXE_convene"))
            .args(["export-tiles", record.to_str().unwrap(), "--out", site.join(name).to_str().unwrap()])
            .output()
            .unwrap();
        assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    }
    let bundle = std::fs::read_dir(site.join("changed/tile/entries")).unwrap().next().unwrap().unwrap().path();
    let bundle =
        if bundle.is_dir() { std::fs::read_dir(&bundle).unwrap().next().unwrap().unwrap().path() } else { bundle };
    let mut bytes = std::fs::read(&bundle).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&bundle, bytes).unwrap();
    let Some(nginx) = super::tiles::nginx(data.path(), &site) else { return };
    let at = format!("http://127.0.0.1:{}", nginx.1);
    let env = vec![
        ("ELECTION", "convene-demo".to_string()),
        ("COPY_URL", format!("{at}/copy")),
        ("BAD_COPY_URL", format!("{at}/changed")),
        ("RECEIPT_FILE", record.join("receipts/voter-0.json").to_str().unwrap().to_string()),
        ("CHALLENGED", outcome.challenged_tracking_code.clone()),
    ];
    let out = e2e("copy.e2e", chromium, server.url(), env).await;
    assert!(out.contains("e2e ok: copy"), "{out}");
    eprintln!("{out}");
}
