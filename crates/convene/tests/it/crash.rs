//! Crash drills: SIGKILL the server during a burst of casts, or stop it with SIGTERM, and restart
//! it on the same data. Every acknowledged ballot is in the log at its index, the record
//! verifies, nothing counts twice; SIGTERM ends the process within its grace period.

use super::servers::Server;
use super::*;
use convene::client::Client;
use convene::referendum;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use std::sync::{Arc, Mutex};

/// Starts `convene serve` on a free loopback port, with the drills' grace period.
fn spawn_server(data: &Path) -> Server {
    let grace = GRACE_SECONDS.to_string();
    Server::start(data, &["--signin-per-minute", "1000000", "--shutdown-grace-seconds", &grace])
}

/// The grace period the drills give `convene serve` on SIGTERM.
const GRACE_SECONDS: u64 = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_during_a_burst_loses_no_acknowledged_ballot() {
    interrupt_a_burst(false).await;
}

/// SIGTERM mid-burst: the server stops accepting, answers what is in flight (each cast is
/// acknowledged, or refused), and exits within its grace period.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_a_burst_finishes_in_flight_casts_and_exits_in_time() {
    interrupt_a_burst(true).await;
}

async fn interrupt_a_burst(gracefully: bool) {
    let data = tempfile::tempdir().unwrap();
    let mut server = spawn_server(data.path());
    let url = server.url.clone();
    let token = std::fs::read_to_string(data.path().join("admin-token")).unwrap().trim().to_string();
    let client = Client::new(&url, Some(token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(99);
    let voters = 600u64;
    let plan = plan("crash", voters, &["north", "south", "east"]);
    let election = Arc::new(referendum::set_up(&client, &plan, &mut rng).await.unwrap());
    let entries: Vec<Vec<u8>> = (0..voters as usize)
        .map(|v| referendum::make_entry(&election, v, &[vec![(v % 2) as u32]], false, &mut rng).unwrap())
        .collect();

    // The burst: every voter casts at once; the server is killed after the 20th acknowledgement.
    let acked = Arc::new(Mutex::new(Vec::<(usize, convene_record::writer::Receipt)>::new()));
    let mut tasks = tokio::task::JoinSet::new();
    for (voter, entry) in entries.into_iter().enumerate() {
        let (client, election, acked) = (client.clone(), election.clone(), acked.clone());
        tasks.spawn(async move {
            if let Ok(receipt) = referendum::sign_in_and_send(&client, &election, voter, 0, entry).await {
                acked.lock().unwrap().push((voter, receipt));
            }
        });
    }
    while acked.lock().unwrap().len() < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    if gracefully {
        let (status, took) = server.terminate();
        eprintln!("SIGTERM to exit: {took:?} ({status})");
        assert!(status.success(), "a graceful stop exits 0: {status}");
        assert!(took < std::time::Duration::from_secs(GRACE_SECONDS + 3), "exited after {took:?}");
    } else {
        server.kill();
    }
    while let Some(task) = tasks.join_next().await {
        task.expect("a cast task ends without panicking");
    }
    let acked = acked.lock().unwrap().clone();
    eprintln!("acknowledged before the stop: {} of {voters}", acked.len());
    // A kill lands mid-burst; a graceful stop may let every cast in flight finish.
    assert!(
        acked.len() >= 20 && (gracefully || acked.len() < voters as usize),
        "the kill landed mid-burst: {} acknowledged",
        acked.len()
    );

    // Restart on the same data: every acknowledged ballot is where its receipt says.
    let server = spawn_server(data.path());
    let client = Client::new(&server.url, Some(token));
    let log = client.get("/api/elections/crash/log?from=0&limit=1000").await.unwrap();
    let log_entries = log["entries"].as_array().unwrap();
    for (voter, receipt) in &acked {
        let at = &log_entries[receipt.index as usize];
        assert_eq!(
            at["tracking_code"], receipt.tracking_code,
            "voter {voter}'s acknowledged ballot is not at entry {}",
            receipt.index
        );
    }
    // Everyone whose cast was not acknowledged votes again with the next code (it may have been
    // committed before the kill: then this is a re-vote, and only the last counts).
    let acked_voters: std::collections::HashSet<usize> = acked.iter().map(|(v, _)| *v).collect();
    for voter in (0..voters as usize).filter(|v| !acked_voters.contains(v)) {
        let entry = referendum::make_entry(&election, voter, &[vec![(voter % 2) as u32]], false, &mut rng).unwrap();
        referendum::send_ballot(&client, "crash", &election.manifest_bytes, &election.sheets[voter].codes[1], entry)
            .await
            .unwrap();
    }
    let (_, results) = referendum::count(&client, &election).await.unwrap();
    let out = data.path().join("record");
    client.fetch_record("crash", &out).await.unwrap();
    drop(server);
    let report = verify(&out);
    assert!(report.ok(), "{:#?}", report.failures);
    // Nothing counted twice: one counted ballot per voter, and the yes count is the odd voters.
    assert_eq!(report.counted, voters);
    assert_eq!(report.cast, report.counted + report.superseded);
    let national = results.scopes.last().unwrap();
    assert_eq!((national.counted, national.questions[0][0]), (voters, voters / 2));
}
