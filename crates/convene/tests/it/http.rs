//! The service over real HTTP on loopback: the integration story against SQLite and against a
//! real PostgreSQL server; bad input at every door; the OpenAPI document matches the routes.

use super::*;
use convene::client::{As, Client};
use convene::local::{self, Running};
use convene::referendum::{self, OpenElection};
use convene_store::testing::fresh_postgres;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use serde_json::{json, Value};

async fn server(data: &Path, database: Option<&str>) -> Running {
    // The server's logged errors (internal ones are never sent) appear with a failing test.
    let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("error").try_init();
    local::start(data, database, "127.0.0.1:0", |c| c.signin_per_minute = u32::MAX).await.expect("the server starts")
}

async fn story(database: Option<String>, weighted: bool) {
    let data = tempfile::tempdir().unwrap();
    let server = server(data.path(), database.as_deref()).await;
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    story_through(&client, &data.path().join("record"), weighted).await;
}

/// The integration story through `client`, its record fetched into `out`.
pub(crate) async fn story_through(client: &Client, out: &Path, weighted: bool) {
    let out = out.to_path_buf();
    let mut config = DemoConfig::new(30, out.clone());
    config.structure_question = true;
    config.revote_every = 5;
    config.seed = Some(11);
    config.weighted = weighted;
    // create → ceremony (trustee 5 cheats) → credentials → open → voters cast, re-vote and one
    // challenges → close → tally → 3 trustees decrypt → results → export.
    let outcome = demo::run_http(client, &config, &|_, _, _| {}).await.expect("the story runs");
    assert_eq!(outcome.excluded_trustee, 5);
    assert_eq!(outcome.superseded, 6);
    // → verify.
    let report = verify(&out);
    assert!(report.ok(), "{:#?}", report.failures);
    assert_eq!((report.entries, report.spoiled, report.counted, report.superseded), (37, 1, 30, 6));
    let national = outcome.results.scopes.last().unwrap();
    assert_eq!(national.weight, weighted.then_some((0..30u64).map(|v| 1 + v % 3).sum()));
    assert_eq!(report.results, Some(outcome.results));
    let manifest = std::fs::read(out.join("manifest.json")).unwrap();
    let receipt: convene_record::writer::Receipt =
        serde_json::from_slice(&std::fs::read(out.join("receipts/voter-0.json")).unwrap()).unwrap();
    assert_eq!(convene_record::verify::verify_receipt(&manifest, &receipt), Ok(()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_story_over_http_on_sqlite() {
    story(None, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_story_over_http_on_postgres() {
    let Some(url) = fresh_postgres().await else { return };
    // Weighted credentials on this backend, one person one vote on the other.
    story(Some(url), true).await;
}

/// The story through nginx over TLS, its requests spread over three processes on one
/// PostgreSQL: each process served some of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_story_through_nginx_and_three_processes() {
    let dir = tempfile::tempdir().unwrap();
    let Some(balanced) = super::balanced::Balanced::start(dir.path(), 3).await else { return };
    story_through(&balanced.client(), &dir.path().join("record"), false).await;
    // The command-line tools through nginx: refused without the test authority, with a hint;
    // fetched and verified with --ca-file.
    let ca = dir.path().join("test-ca.pem");
    std::fs::write(&ca, &balanced.ca).unwrap();
    let fetch = |out: &str, ca: Option<&Path>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_convene"));
        command
            .args(["fetch", "--server", &balanced.url, "--election", "convene-demo", "--out"])
            .arg(dir.path().join(out));
        command.env_remove("CONVENE_CA_FILE");
        if let Some(ca) = ca {
            command.arg("--ca-file").arg(ca);
        }
        command.output().unwrap()
    };
    let refused = fetch("untrusted", None);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--ca-file"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let fetched = fetch("trusted", Some(&ca));
    assert!(fetched.status.success(), "{}", String::from_utf8_lossy(&fetched.stderr));
    assert!(verify(&dir.path().join("trusted")).ok());
    for server in &balanced.servers {
        let metrics = std::fs::read_to_string(balanced.data.join("metrics-token")).unwrap();
        let text = reqwest::Client::new()
            .get(format!("{}/metrics", server.url))
            .bearer_auth(metrics.trim())
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let accepted = text.lines().find_map(|l| l.strip_prefix("convene_ballots_accepted_total ")).unwrap_or("0");
        assert!(accepted.trim().parse::<u64>().unwrap() > 0, "{} took no ballot: {text}", server.url);
    }
}

/// Posts raw bytes and returns the status and the JSON error body.
async fn raw(url: &str, path: &str, body: Vec<u8>, bearer: Option<&str>) -> (u16, Value) {
    let mut request =
        reqwest::Client::new().post(format!("{url}{path}")).header("content-type", "application/json").body(body);
    if let Some(b) = bearer {
        request = request.bearer_auth(b);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

async fn session(url: &str, id: &str, code: &str) -> String {
    let (status, body) =
        raw(url, &format!("/api/elections/{id}/signin"), serde_json::to_vec(&json!({"code": code})).unwrap(), None)
            .await;
    assert_eq!(status, 200, "{body}");
    body["session"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_named_4xx_and_writes_nothing() {
    let data = tempfile::tempdir().unwrap();
    let server = server(data.path(), None).await;
    let url = server.url();
    let client = Client::new(&url, Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let election: OpenElection =
        referendum::set_up(&client, &plan("bad", 4, &["north", "south"]), &mut rng).await.unwrap();
    let id = "bad";
    let ballots = format!("/api/elections/{id}/ballots");
    let entry =
        |voter: usize, rng: &mut ChaCha20Rng| referendum::make_entry(&election, voter, &[vec![1]], false, rng).unwrap();
    let s0 = session(&url, id, &election.sheets[0].codes[0]).await;

    let mut cases: Vec<(u16, &str, (u16, Value))> = Vec::new();
    // Malformed JSON, and JSON that is not a ballot.
    cases.push((400, "invalid_json", raw(&url, &ballots, b"{\"kind\":".to_vec(), Some(&s0)).await));
    cases.push((400, "bad_ballot", raw(&url, &ballots, b"{\"kind\":\"cast\"}".to_vec(), Some(&s0)).await));
    // An oversized body.
    cases.push((413, "too_large", raw(&url, &ballots, vec![b' '; 2 << 20], Some(&s0)).await));
    // A bad proof: one digit of the range proof's response changed.
    let good = String::from_utf8(entry(0, &mut rng)).unwrap();
    let mut doc: Value = serde_json::from_str(&good).unwrap();
    let z = doc["ballot"]["answers"][0]["slots"][0]["proof"][0]["z"].as_str().unwrap().to_string();
    let flipped = format!("{}{}", if z.starts_with('0') { "1" } else { "0" }, &z[1..]);
    doc["ballot"]["answers"][0]["slots"][0]["proof"][0]["z"] = json!(flipped);
    let (status, body) = raw(&url, &ballots, serde_json::to_vec(&doc).unwrap(), Some(&s0)).await;
    assert!(body["message"].as_str().unwrap().contains("question 0 slot 0"), "{body}");
    cases.push((400, "bad_proof", (status, body)));
    // Another voter's credential.
    cases.push((403, "not_your_credential", raw(&url, &ballots, entry(1, &mut rng), Some(&s0)).await));
    // No session, a forged session.
    cases.push((401, "bad_session", raw(&url, &ballots, entry(0, &mut rng), None).await));
    let forged = format!("{}.99999999999.{}", election.sheets[0].credential.public().to_hex(), "00".repeat(32));
    cases.push((401, "bad_session", raw(&url, &ballots, entry(0, &mut rng), Some(&forged)).await));
    // Unknown and spent codes.
    let signin = format!("/api/elections/{id}/signin");
    cases.push((
        401,
        "unknown_code",
        raw(&url, &signin, serde_json::to_vec(&json!({"code": "AAAAA-BBBBB"})).unwrap(), None).await,
    ));
    cases.push((
        409,
        "spent_code",
        raw(&url, &signin, serde_json::to_vec(&json!({"code": election.sheets[0].codes[0]})).unwrap(), None).await,
    ));
    // Admin actions without, or with a wrong, token.
    cases.push((401, "unauthorized", raw(&url, &format!("/api/elections/{id}/close"), b"{}".to_vec(), None).await));
    cases.push((
        403,
        "forbidden",
        raw(&url, &format!("/api/elections/{id}/close"), b"{}".to_vec(), Some("wrong")).await,
    ));
    // Actions in the wrong phase.
    cases.push((
        409,
        "wrong_phase",
        raw(&url, &format!("/api/elections/{id}/open"), b"{}".to_vec(), Some(&server.admin_token)).await,
    ));
    cases.push((
        409,
        "wrong_phase",
        raw(&url, &format!("/api/elections/{id}/publish"), b"{}".to_vec(), Some(&server.admin_token)).await,
    ));
    cases.push((
        404,
        "not_found",
        raw(&url, "/api/elections/nope/signin", serde_json::to_vec(&json!({"code": "x"})).unwrap(), None).await,
    ));
    for (status, code, (got_status, body)) in &cases {
        assert_eq!((got_status, body["error"].as_str()), (status, Some(*code)), "{body}");
        assert!(!body["message"].as_str().unwrap_or("").is_empty(), "{body}");
    }
    // Nothing was written by any of it.
    assert_eq!(client.get(&format!("/api/elections/{id}")).await.unwrap()["log_size"], 0);
    // And the honest ballot still goes in, then casting after close is the wrong phase.
    referendum::send_ballot(&client, id, &election.manifest_bytes, &election.sheets[0].codes[1], good.into_bytes())
        .await
        .unwrap();
    client.post(&format!("/api/elections/{id}/close"), &json!({}), As::Supervisor).await.unwrap();
    let (status, body) = raw(&url, &ballots, entry(2, &mut rng), Some(&s0)).await;
    assert_eq!((status, body["error"].as_str()), (409, Some("wrong_phase")), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_path_is_served() {
    let data = tempfile::tempdir().unwrap();
    let server = server(data.path(), None).await;
    let doc: Value = serde_json::from_str(include_str!("../../../../docs/openapi.json")).unwrap();
    let http = reqwest::Client::new();
    for (path, methods) in doc["paths"].as_object().unwrap() {
        let concrete = path.replace("{id}", "none").replace("{index}", "0").replace("{file}", "manifest.json");
        for method in methods.as_object().unwrap().keys() {
            let request = match method.as_str() {
                "get" => http.get(format!("{}{concrete}", server.url())),
                "post" => http
                    .post(format!("{}{concrete}", server.url()))
                    .header("content-type", "application/json")
                    .body("{}"),
                other => panic!("unexpected method {other}"),
            };
            let response = request.send().await.unwrap();
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            // A route that exists answers with content (a JSON error at worst); an unknown
            // route gets axum's empty 404 or a 405.
            assert!(
                status != 405 && !(status == 404 && body.is_empty()),
                "{method} {path} is documented but not served ({status})"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_post_endpoint_names_malformed_json_and_oversized_bodies() {
    let data = tempfile::tempdir().unwrap();
    let server = server(data.path(), None).await;
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    referendum::set_up(&client, &plan("json", 2, &["north", "south"]), &mut rng).await.unwrap();
    // The server keeps its secrets beside the record's documents: none is ever served.
    for secret in
        ["secret/log-key", "secret%2Flog-key", "secret/session-key", "secret%2Fsession-key", "..%2Fsecret%2Flog-key"]
    {
        let response = reqwest::get(format!("{}/api/elections/json/record/{secret}", server.url())).await.unwrap();
        assert_eq!(response.status().as_u16(), 404, "{secret}");
    }
    let doc: Value = serde_json::from_str(include_str!("../../../../docs/openapi.json")).unwrap();
    let mut checked = 0;
    for (path, methods) in doc["paths"].as_object().unwrap() {
        if methods.get("post").is_none() {
            continue;
        }
        let concrete = path.replace("{id}", "json");
        // Just over the 1 MiB limit: the server answers 413 without reading the rest, and a
        // remainder that fits in the socket's buffers keeps the client's write from failing
        // with a broken pipe before it reads that answer (3 MiB did, now and then).
        for body in [b"{\"oops\": ".to_vec(), vec![b'['; (1 << 20) + (32 << 10)]] {
            let (status, error) = raw(&server.url(), &concrete, body, Some(&server.admin_token)).await;
            // Refused as malformed or too large (the credential upload accepts more), or a
            // voter's action refused the supervisor's token: a 4xx naming the problem.
            assert!((400..500).contains(&status), "POST {path}: {status} {error}");
            assert!(error["error"].is_string() && error["message"].is_string(), "POST {path}: {error}");
        }
        checked += 1;
    }
    assert!(checked >= 12, "only {checked} POST endpoints documented");
    // None of it changed the open election.
    assert_eq!(client.get("/api/elections/json").await.unwrap()["log_size"], 0);
}

/// Closing while casts are in flight: each cast either lands before the count or is refused; the
/// published tally covers exactly the log, and the record verifies.
async fn close_during_a_burst(database: Option<String>) {
    let data = tempfile::tempdir().unwrap();
    let server = server(data.path(), database.as_deref()).await;
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(21);
    let election = std::sync::Arc::new(
        referendum::set_up(&client, &plan("race", 300, &["north", "south"]), &mut rng).await.unwrap(),
    );
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for voter in 0..300usize {
        let entry = referendum::make_entry(&election, voter, &[vec![(voter % 2) as u32]], false, &mut rng).unwrap();
        let (client, election, accepted) = (client.clone(), election.clone(), accepted.clone());
        tasks.spawn(async move {
            match referendum::sign_in_and_send(&client, &election, voter, 0, entry).await {
                Ok(_) => {
                    accepted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                Err(e) => assert!(e.to_string().contains("409"), "a cast failed otherwise than by the close: {e}"),
            }
        });
    }
    while accepted.load(std::sync::atomic::Ordering::SeqCst) < 30 {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    let closed = client.post("/api/elections/race/close", &json!({}), As::Supervisor).await.unwrap();
    while let Some(task) = tasks.join_next().await {
        task.expect("every cast ends in an acknowledgement or a refusal by the close");
    }
    let accepted = accepted.load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(closed["counted"].as_u64().unwrap(), accepted, "every acknowledged ballot, and only those, is counted");
    for key in election.keys.iter().take(3) {
        let identity = election.identity(key.index);
        convene::trustee::decrypt(&client, "race", key, identity, None, &convene_record::verify::Quiet).await.unwrap();
    }
    client.post("/api/elections/race/publish", &json!({}), As::Supervisor).await.unwrap();
    let out = data.path().join("record");
    client.fetch_record("race", &out).await.unwrap();
    let report = verify(&out);
    assert!(report.ok(), "{:#?}", report.failures);
    assert_eq!(report.counted, accepted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_during_a_burst_on_sqlite() {
    close_during_a_burst(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_during_a_burst_on_postgres() {
    let Some(url) = fresh_postgres().await else { return };
    close_during_a_burst(Some(url)).await;
}

/// Every response — a page, an asset, an API answer, an error — carries the security headers:
/// no framing (the booth cannot be overlaid), scripts from this origin only, no sniffing, no
/// referrer (issue 10, L3).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers() {
    let data = tempfile::tempdir().unwrap();
    let server = server(data.path(), None).await;
    let http = reqwest::Client::new();
    for path in [
        "/",
        "/vote/none",
        "/check",
        "/receipt",
        "/receipt?election=none",
        "/assets/style.css",
        "/api/elections",
        "/api/elections/none",
        "/healthz",
    ] {
        let response = http.get(format!("{}{path}", server.url())).send().await.unwrap();
        let headers = response.headers();
        let csp = headers.get("content-security-policy").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{path}: {csp:?}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        // Only the receipt page of an election with witnesses may connect to them (the browser
        // test's receipt check reaches its three).
        assert!(csp.contains("connect-src 'self';"), "{path}: {csp}");
        assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff", "{path}");
        assert_eq!(headers.get("referrer-policy").unwrap(), "no-referrer", "{path}");
        assert_eq!(headers.get("x-frame-options").unwrap(), "DENY", "{path}");
    }
}

/// A voter who mistypes the credential key does not lose the code: the sign-in names the
/// credential the typed key gives, the server refuses a code issued for another one and leaves
/// it unspent, and the right key then signs in with the same code — once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mistyped_key_does_not_spend_the_code() {
    let data = tempfile::tempdir().unwrap();
    let server = server(data.path(), None).await;
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(61);
    let election = referendum::set_up(&client, &plan("typo", 2, &["north", "south"]), &mut rng).await.unwrap();
    let code = &election.sheets[0].codes[0];
    let right = election.sheets[0].credential.public().to_hex();
    let typo = election.sheets[1].credential.public().to_hex();
    let signin = |credential: &str| json!({"code": code, "credential": credential});
    let path = "/api/elections/typo/signin";
    let refusal = |e: anyhow::Error| {
        let e = e.downcast::<convene::client::HttpError>().unwrap();
        (e.status, e.code)
    };
    let error = client.post(path, &signin(&typo), As::Anyone).await.unwrap_err();
    assert_eq!(refusal(error), (403, "wrong_key".to_string()));
    let error = client.post(path, &signin("not hex"), As::Anyone).await.unwrap_err();
    assert_eq!(refusal(error), (400, "bad_credential".to_string()));
    let session = client.post(path, &signin(&right), As::Anyone).await.unwrap();
    assert_eq!(session["credential"], right.as_str());
    let error = client.post(path, &signin(&right), As::Anyone).await.unwrap_err();
    assert_eq!(refusal(error), (409, "spent_code".to_string()), "the code signs in once");
}
