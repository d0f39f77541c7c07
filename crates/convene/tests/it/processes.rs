//! Several `convene serve` processes on one PostgreSQL (docs/operations.md, "Several
//! processes"): one log with exact order checks across them, checkpoints one signer at a time,
//! receipts and the count from any process, live updates through LISTEN/NOTIFY; and SQLite
//! refusing a second process.

use super::servers::{refused_start, Server};
use super::*;
use convene::client::Client;
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

/// What one cast came to in a drill: acknowledged with a receipt, or refused as a repeat of a
/// ballot already in the log (an earlier attempt whose answer was lost had committed).
#[derive(Debug, PartialEq)]
enum Landed {
    Receipt(u64),
    AlreadyIn,
}

/// Casts `entry` with `session` through the servers in turn from `first`, retrying a 503 (after
/// its Retry-After, which it must carry) or a dropped connection, for at most 60 s. Counts the
/// 503s in `unavailable`; any other answer is a failure.
async fn cast_until_it_lands(
    urls: &[String],
    first: usize,
    session: &str,
    entry: &[u8],
    unavailable: &std::sync::atomic::AtomicU32,
) -> Result<Landed, String> {
    let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).build().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    for attempt in 0.. {
        if std::time::Instant::now() > deadline {
            return Err("no answer but 503 for 60 s".into());
        }
        let url = &urls[(first + attempt) % urls.len()];
        let sent = client
            .post(format!("{url}/api/elections/drill/ballots"))
            .bearer_auth(session)
            .body(entry.to_vec())
            .send()
            .await;
        let Ok(answer) = sent else { continue };
        let status = answer.status().as_u16();
        let retry = answer.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        let body: serde_json::Value = answer.json().await.unwrap_or_default();
        match (status, body["error"].as_str()) {
            (200, _) => return Ok(Landed::Receipt(body["index"].as_u64().ok_or("a receipt has an index")?)),
            (409, Some("repeated_ballot")) => return Ok(Landed::AlreadyIn),
            (503, _) => {
                unavailable.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(seconds) = retry else { return Err(format!("a 503 without Retry-After: {body}")) };
                tokio::time::sleep(std::time::Duration::from_millis(200 * seconds.min(5))).await;
            }
            _ => return Err(format!("{status} {body}")),
        }
    }
    unreachable!()
}

/// PostgreSQL restarts in the middle of a burst of casts through two processes. The servers
/// answer 503 with Retry-After meanwhile (never 500), and serve again without a restart of
/// their own; every ballot is in the log exactly once, and the record verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restarting_mid_burst_is_answered_503_and_nothing_is_lost_or_doubled() {
    use std::sync::atomic::{AtomicU32, Ordering};
    let Some(postgres) = convene_store::testing::OwnPostgres::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let database = postgres.url();
    let flags = ["--database", &database, "--signin-per-minute", "1000000"];
    let servers = [Server::start(&data, &flags), Server::start(&data, &flags)];
    let urls: Vec<String> = servers.iter().map(|s| s.url.clone()).collect();
    let token = std::fs::read_to_string(data.join("admin-token")).unwrap().trim().to_string();
    let client = Client::new(&urls[0], Some(token));
    let mut rng = ChaCha20Rng::seed_from_u64(31);
    let voters = 240u64;
    let election =
        Arc::new(referendum::set_up(&client, &plan("drill", voters, &["north", "south"]), &mut rng).await.unwrap());
    // Signed in before the burst (sessions are the server's HMAC, and outlive a restart).
    let mut sessions = Vec::new();
    for v in 0..voters as usize {
        let signin = serde_json::json!({ "code": election.sheets[v].codes[0] });
        let session: serde_json::Value =
            client.post_as("/api/elections/drill/signin", &signin, convene::client::As::Anyone).await.unwrap();
        sessions.push(session["session"].as_str().unwrap().to_string());
    }
    let unavailable = Arc::new(AtomicU32::new(0));
    let landed = Arc::new(AtomicU32::new(0));
    let urls = Arc::new(urls);
    let mut tasks = tokio::task::JoinSet::new();
    for (v, session) in sessions.into_iter().enumerate() {
        let entry = referendum::make_entry(&election, v, &[vec![(v % 2) as u32]], false, &mut rng).unwrap();
        let (urls, unavailable, landed) = (urls.clone(), unavailable.clone(), landed.clone());
        tasks.spawn(async move {
            // Spread over the burst: a few ballots every few milliseconds.
            tokio::time::sleep(std::time::Duration::from_millis(10 * v as u64)).await;
            let outcome = cast_until_it_lands(&urls, v % 2, &session, &entry, &unavailable).await;
            landed.fetch_add(1, Ordering::Relaxed);
            (v, outcome)
        });
    }
    while landed.load(Ordering::Relaxed) < 30 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    postgres.stop();
    // Down until the servers have said so (a request waits up to the pool's 3 s for a
    // connection before it answers 503), and at most 10 s.
    let down = std::time::Instant::now();
    while unavailable.load(Ordering::Relaxed) == 0 && down.elapsed() < std::time::Duration::from_secs(10) {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let during = landed.load(Ordering::Relaxed);
    postgres.restart();
    let mut outcomes = Vec::new();
    while let Some(done) = tasks.join_next().await {
        outcomes.push(done.unwrap());
    }
    let failures: Vec<_> = outcomes.iter().filter(|(_, o)| o.is_err()).collect();
    assert!(failures.is_empty(), "{failures:?}; the servers said: {} {}", servers[0].errors(), servers[1].errors());
    let already = outcomes.iter().filter(|(_, o)| o == &Ok(Landed::AlreadyIn)).count();
    let unavailable = unavailable.load(Ordering::Relaxed);
    eprintln!("{unavailable} answers 503 while PostgreSQL restarted; {already} retries found their ballot already in");
    assert!(unavailable > 0 && during < voters as u32, "the restart landed mid-burst ({during} done by then)");

    // Nothing lost, nothing twice: one entry per voter, each acknowledged index holding one.
    let (_, results) = referendum::count(&client, &election).await.unwrap();
    let out = dir.path().join("record");
    client.fetch_record("drill", &out).await.unwrap();
    let report = verify(&out);
    assert!(report.ok(), "{:#?}", report.failures);
    assert_eq!((report.cast, report.counted), (voters, voters));
    let national = results.scopes.last().unwrap();
    assert_eq!((national.counted, national.questions[0][0]), (voters, voters / 2));
}
