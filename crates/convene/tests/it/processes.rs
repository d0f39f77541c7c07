//! Several `convene serve` processes on one PostgreSQL (docs/operations.md, "Several
//! processes"): one log with exact order checks across them, checkpoints one signer at a time,
//! receipts and the count from any process, live updates through LISTEN/NOTIFY; and SQLite
//! refusing a second process.

use super::servers::{refused_start, Server};
use super::*;
use convene::client::{As, Client};
use convene::referendum;
use convene::witnesses::LocalWitnesses;
use convene_record::convention::{BodyJson, Event};
use convene_store::testing::fresh_postgres;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use std::sync::Arc;

/// Two processes on one fresh database, sharing one data directory (so one admin token and
/// one sealing key), and a client of each.
async fn twins(dir: &Path) -> Option<([Server; 2], [Client; 2])> {
    let database = fresh_postgres().await?;
    let data = dir.join("data");
    let flags = ["--database", &database, "--signin-per-minute", "1000000"];
    let servers = [Server::start(&data, &flags), Server::start(&data, &flags)];
    let token = std::fs::read_to_string(data.join("admin-token")).unwrap().trim().to_string();
    let clients = [Client::new(&servers[0].url, Some(token.clone())), Client::new(&servers[1].url, Some(token))];
    Some((servers, clients))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_postgres_share_one_log_its_witnessed_checkpoints_and_its_count() {
    let dir = tempfile::tempdir().unwrap();
    let Some((servers, clients)) = twins(dir.path()).await else { return };
    let mut rng = ChaCha20Rng::seed_from_u64(23);
    let observers = Arc::new(LocalWitnesses::start(&dir.path().join("witnesses"), &[0, 0, 0]).await.unwrap());
    let voters = 60u64;
    let mut plan = plan("twin", voters, &["north", "south"]);
    plan.witnesses = observers.named();
    plan.witness_quorum = 2;
    plan.observers = Some(observers.clone());
    let election = Arc::new(referendum::set_up(&clients[0], &plan, &mut rng).await.unwrap());
    let manifest = election.manifest_bytes.clone();

    // A burst: voter v casts through process v % 2, all at once, except the last three.
    let racers = 3usize;
    let mut tasks = tokio::task::JoinSet::new();
    for v in 0..voters as usize - racers {
        let entry = referendum::make_entry(&election, v, &[vec![(v % 2) as u32]], false, &mut rng).unwrap();
        let (client, election) = (clients[v % 2].clone(), election.clone());
        tasks.spawn(async move { (v, referendum::sign_in_and_send(&client, &election, v, 0, entry).await) });
    }
    // Each of the last three sends one ballot through both processes at the same moment (with
    // their two codes): exactly one is taken, the other is refused as a repeat.
    for v in voters as usize - racers..voters as usize {
        let entry = referendum::make_entry(&election, v, &[vec![1]], false, &mut rng).unwrap();
        for (side, client) in clients.iter().enumerate() {
            let (client, entry, manifest) = (client.clone(), entry.clone(), manifest.clone());
            let code = election.sheets[v].codes[side].clone();
            tasks.spawn(async move { (v, referendum::send_ballot(&client, "twin", &manifest, &code, entry).await) });
        }
    }
    let mut receipts = Vec::new();
    let mut refused = Vec::new();
    while let Some(done) = tasks.join_next().await {
        match done.unwrap() {
            (v, Ok(receipt)) => receipts.push((v, receipt)),
            (v, Err(e)) => refused.push((v, format!("{e:#}"))),
        }
    }
    assert_eq!(
        receipts.len(),
        voters as usize,
        "every voter acknowledged once; refused: {refused:?}; the servers said: {} {}",
        servers[0].errors(),
        servers[1].errors()
    );
    assert_eq!(refused.len(), racers, "{refused:?}");
    for (v, why) in &refused {
        assert!(why.contains("repeated_ballot") || why.contains("already"), "voter {v}: {why}");
    }
    let mut indexes: Vec<u64> = receipts.iter().map(|(_, r)| r.index).collect();
    indexes.sort();
    assert_eq!(indexes, (0..voters).collect::<Vec<_>>(), "one log, no gap, no index twice");

    // Either process gives any receipt, under a checkpoint with the witnesses' quorum.
    for (v, receipt) in &receipts {
        let other = &clients[(v + 1) % 2];
        let again: convene_record::writer::Receipt = serde_json::from_value(
            other.get(&format!("/api/elections/twin/receipts/{}", receipt.index)).await.unwrap(),
        )
        .unwrap();
        assert_eq!(again.tracking_code, receipt.tracking_code);
        assert!(again.checkpoint.size >= receipt.checkpoint.size);
        convene_record::verify::verify_receipt(&manifest, &again).unwrap();
    }

    // Counted through the second process, the record fetched from the first.
    let (_, results) = referendum::count(&clients[1], &election).await.unwrap();
    let out = dir.path().join("record");
    clients[0].fetch_record("twin", &out).await.unwrap();
    let report = verify(&out);
    assert!(report.ok(), "{:#?}", report.failures);
    assert_eq!((report.cast, report.counted), (voters, voters));
    let national = results.scopes.last().unwrap();
    let yes = (0..voters as usize - racers).filter(|v| v % 2 == 1).count() as u64 + racers as u64;
    assert_eq!((national.counted, national.questions[0][0]), (voters, yes));
    drop(servers);
}

/// A convention event accepted by one process reaches a listener of the other (LISTEN/NOTIFY),
/// and the other process takes the next event at the next index.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_convention_event_taken_by_one_process_is_streamed_by_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let Some((servers, clients)) = twins(dir.path()).await else { return };
    let mut rng = ChaCha20Rng::seed_from_u64(29);
    let (convention, _chair, _secretary, mut delegates) =
        super::assembly::small_convention_with(&clients[0], "pair", None, &mut rng).await;
    let mut stream =
        reqwest::Client::new().get(format!("{}/api/conventions/pair/stream", servers[1].url)).send().await.unwrap();
    let mut heard = String::new();
    let next = async |stream: &mut reqwest::Response, heard: &mut String, until: &str| {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        while !heard.contains(until) {
            let chunk = tokio::time::timeout_at(deadline, stream.chunk()).await.expect("an event in time").unwrap();
            heard.push_str(&String::from_utf8_lossy(&chunk.expect("the stream stays open")));
        }
    };
    next(&mut stream, &mut heard, "event: hello").await;
    let size = convention.shown(&clients[1]).await.unwrap().entries;
    let body = BodyJson::Text("Every person is equal before the law.\n".into());
    delegates[0]
        .send(&clients[0], &convention, Event::Motion { title: "Rights".into(), body }, &mut rng)
        .await
        .unwrap();
    next(&mut stream, &mut heard, &format!("\"index\":{size}")).await;
    assert!(heard.contains("event: applied"), "{heard}");
    // The other process takes the next event, at the next index, and the first one hears it.
    let body = BodyJson::Text("The state protects every language.\n".into());
    let answer = delegates[1]
        .send(&clients[1], &convention, Event::Motion { title: "Languages".into(), body }, &mut rng)
        .await
        .unwrap();
    assert_eq!(answer["index"], size + 1);
    next(&mut stream, &mut heard, &format!("\"index\":{}", size + 1)).await;
}

/// The embedded SQLite database serves one process: a second `convene serve` on the same data
/// directory exits at once and says why and what to do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_process_on_one_sqlite_data_directory_is_refused() {
    let data = tempfile::tempdir().unwrap();
    let first = Server::start(data.path(), &[]);
    let (status, errors) = refused_start(data.path(), &[]);
    assert_eq!(status.code(), Some(2), "{errors}");
    assert!(errors.contains(&format!("another convene process (process {})", first.pid())), "{errors}");
    assert!(errors.contains("postgres://"), "{errors}");
    drop(first);
    // Once the first has gone, the directory is free.
    let second = Server::start(data.path(), &[]);
    assert!(reqwest::get(format!("{}/healthz", second.url)).await.unwrap().status().is_success());
}

/// The sign-in limits were each process's own: behind a load balancer an attacker had one
/// allowance per process, guessing codes from one address, or a code's key, twice as often.
/// Counted in the database, the allowance is one for every process together.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_limits_hold_across_processes() {
    let Some(database) = fresh_postgres().await else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let flags = ["--database", &database, "--signin-per-minute", "4", "--trusted-proxy", "127.0.0.1"];
    let servers = [Server::start(&data, &flags), Server::start(&data, &flags)];
    let token = std::fs::read_to_string(data.join("admin-token")).unwrap().trim().to_string();
    let client = Client::new(&servers[0].url, Some(token));
    let mut rng = ChaCha20Rng::seed_from_u64(41);
    let open = referendum::set_up(&client, &plan("shared", 2, &["north", "south"]), &mut rng).await.unwrap();
    let sign_in = async |k: usize, from: &str, code: &str, credential: Option<&str>| {
        let mut body = serde_json::json!({ "code": code });
        if let Some(c) = credential {
            body["credential"] = c.into();
        }
        let url = format!("{}/api/elections/shared/signin", servers[k % 2].url);
        let answer = reqwest::Client::new().post(url).header("x-forwarded-for", from).json(&body).send();
        let answer = answer.await.unwrap();
        let status = answer.status().as_u16();
        (status, answer.json::<serde_json::Value>().await.unwrap()["error"].as_str().unwrap_or_default().to_string())
    };
    // Guessing codes from one address, alternating processes: four in all, then both refuse.
    for k in 0..4 {
        let guess = format!("AAAAA-AAAAA-AAAAA-AAAAA-{k:05}");
        assert_eq!(sign_in(k, "198.51.100.1", &guess, None).await, (401, "unknown_code".into()), "guess {k}");
    }
    for k in 0..2 {
        let guess = "AAAAA-AAAAA-AAAAA-AAAAA-99999";
        assert_eq!(sign_in(k, "198.51.100.1", guess, None).await, (429, "rate_limited".into()), "process {k}");
    }
    // One code's key tried through both from several addresses: two mistakes are free in all,
    // the third makes the code wait, on both.
    let (wrong, code) = ("11".repeat(32), &open.sheets[0].codes[0]);
    for k in 0..3 {
        let answer = sign_in(k, &format!("192.0.2.{k}"), code, Some(&wrong)).await;
        assert_eq!(answer, (403, "wrong_key".into()), "attempt {k}");
    }
    for k in 0..2 {
        let answer = sign_in(k, &format!("192.0.2.{}", 10 + k), code, None).await;
        assert_eq!(answer, (429, "rate_limited".into()), "the code waits on process {k}");
    }
}

/// A process trusts its last read of the phase for a moment (`Config::phase_fresh`); a ballot
/// it is sent after another process closed voting is still refused, and not written: the append
/// checks the phase under the log's write lock (docs/operations.md, "Several processes"). Here the
/// first process trusts its read for an hour, so only the append's check stands in the way.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ballot_sent_to_one_process_after_the_other_closed_voting_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let Some(database) = fresh_postgres().await else { return };
    let data = dir.path().join("data");
    let trusting = convene::local::start(&data, Some(&database), "127.0.0.1:0", |c| {
        c.signin_per_minute = u32::MAX;
        c.phase_fresh = std::time::Duration::from_secs(3600);
    })
    .await
    .unwrap();
    let other = Server::start(&data, &["--database", &database]);
    let clients = [
        Client::new(&trusting.url(), Some(trusting.admin_token.clone())),
        Client::new(&other.url, Some(trusting.admin_token.clone())),
    ];
    let mut rng = ChaCha20Rng::seed_from_u64(29);
    let election = referendum::set_up(&clients[0], &plan("late", 2, &["north"]), &mut rng).await.unwrap();
    let first = referendum::make_entry(&election, 0, &[vec![0]], false, &mut rng).unwrap();
    referendum::sign_in_and_send(&clients[0], &election, 0, 0, first).await.unwrap();
    let signin = serde_json::json!({"code": election.sheets[1].codes[0]});
    let session: serde_json::Value =
        clients[0].post_as("/api/elections/late/signin", &signin, As::Anyone).await.unwrap();
    clients[1].post("/api/elections/late/close", &serde_json::json!({}), As::Supervisor).await.unwrap();

    let late = referendum::make_entry(&election, 1, &[vec![1]], false, &mut rng).unwrap();
    let refused = clients[0]
        .post_raw("/api/elections/late/ballots", late, As::Voter(session["session"].as_str().unwrap()))
        .await
        .expect_err("a ballot after the close");
    let refusal = refused.downcast_ref::<convene::client::HttpError>().unwrap();
    assert_eq!((refusal.status, refusal.code.as_str()), (409, "wrong_phase"), "{refusal}");
    for client in &clients {
        assert_eq!(client.get("/api/elections/late").await.unwrap()["log_size"], 1);
    }
}
