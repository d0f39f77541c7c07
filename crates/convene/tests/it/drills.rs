//! Failure drills against real processes on one PostgreSQL (docs/deploy.md, "Drills"): a burst
//! of casts through two `convene serve` processes while PostgreSQL restarts, or while one
//! process is killed. Clients retry as the booth does; afterwards every voter's ballot is in the
//! log exactly once, every acknowledged index holds one, and the record verifies.

use super::servers::Server;
use super::*;
use convene::client::Client;
use convene::referendum::{self, OpenElection};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one cast came to in a drill: acknowledged with a receipt, or refused as a repeat of a
/// ballot already in the log (an earlier attempt whose answer was lost had committed).
#[derive(Debug, PartialEq)]
enum Landed {
    Receipt(u64),
    AlreadyIn,
}

/// Casts `entry` with `session` into election `id` through the servers in turn from `first`,
/// retrying a 503 (after its Retry-After, which it must carry) or a dropped connection, for at
/// most 60 s. Counts the 503s and the dropped connections in `counts`; any other answer is a
/// failure.
async fn cast_until_it_lands(
    urls: &[String],
    id: &str,
    first: usize,
    session: &str,
    entry: &[u8],
    counts: &Counts,
) -> Result<Landed, String> {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    for attempt in 0.. {
        if Instant::now() > deadline {
            return Err("no answer but 503 or a dropped connection for 60 s".into());
        }
        let url = &urls[(first + attempt) % urls.len()];
        let sent = client.post(format!("{url}/api/elections/{id}/ballots")).bearer_auth(session).body(entry.to_vec());
        let Ok(answer) = sent.send().await else {
            counts.dropped.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        let status = answer.status().as_u16();
        let retry = answer.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        let body: serde_json::Value = answer.json().await.unwrap_or_default();
        match (status, body["error"].as_str()) {
            (200, _) => return Ok(Landed::Receipt(body["index"].as_u64().ok_or("a receipt has an index")?)),
            (409, Some("repeated_ballot")) => return Ok(Landed::AlreadyIn),
            (503, _) => {
                counts.unavailable.fetch_add(1, Ordering::Relaxed);
                let Some(seconds) = retry else { return Err(format!("a 503 without Retry-After: {body}")) };
                tokio::time::sleep(Duration::from_millis(200 * seconds.min(5))).await;
            }
            _ => return Err(format!("{status} {body}")),
        }
    }
    unreachable!()
}

/// How many answers were 503, and how many attempts found no process or lost their connection.
#[derive(Default)]
struct Counts {
    unavailable: AtomicU32,
    dropped: AtomicU32,
}

/// A referendum `id` of `voters` on two processes, every voter signed in, and their casts
/// spread over a burst (a few every few milliseconds), each retried until it lands.
struct Burst {
    client: Client,
    election: Arc<OpenElection>,
    tasks: tokio::task::JoinSet<(usize, Result<Landed, String>)>,
    counts: Arc<Counts>,
    landed: Arc<AtomicU32>,
}

impl Burst {
    async fn start(servers: &[Server; 2], data: &Path, id: &str, voters: u64, seed: u64) -> Burst {
        let urls: Arc<Vec<String>> = Arc::new(servers.iter().map(|s| s.url.clone()).collect());
        let token = std::fs::read_to_string(data.join("admin-token")).unwrap().trim().to_string();
        let client = Client::new(&urls[1], Some(token));
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let election =
            Arc::new(referendum::set_up(&client, &plan(id, voters, &["north", "south"]), &mut rng).await.unwrap());
        let (counts, landed) = (Arc::new(Counts::default()), Arc::new(AtomicU32::new(0)));
        let mut tasks = tokio::task::JoinSet::new();
        for v in 0..voters as usize {
            // Signed in before the burst (sessions are the server's HMAC: any process takes them).
            let signin = serde_json::json!({ "code": election.sheets[v].codes[0] });
            let path = format!("/api/elections/{id}/signin");
            let session: serde_json::Value = client.post_as(&path, &signin, convene::client::As::Anyone).await.unwrap();
            let session = session["session"].as_str().unwrap().to_string();
            let entry = referendum::make_entry(&election, v, &[vec![(v % 2) as u32]], false, &mut rng).unwrap();
            let (urls, counts, landed, id) = (urls.clone(), counts.clone(), landed.clone(), id.to_string());
            tasks.spawn(async move {
                tokio::time::sleep(Duration::from_millis(10 * v as u64)).await;
                let outcome = cast_until_it_lands(&urls, &id, v % 2, &session, &entry, &counts).await;
                landed.fetch_add(1, Ordering::Relaxed);
                (v, outcome)
            });
        }
        Burst { client, election, tasks, counts, landed }
    }

    async fn until_landed(&self, n: u32) {
        while self.landed.load(Ordering::Relaxed) < n {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Waits for every cast; then counts and checks that each voter's ballot is in the log
    /// once, that the acknowledged indices are distinct, and that the record verifies. How many
    /// retries found their ballot already in.
    async fn finish(mut self, servers: &[Server; 2], dir: &Path) -> usize {
        let mut outcomes = Vec::new();
        while let Some(done) = self.tasks.join_next().await {
            outcomes.push(done.unwrap());
        }
        let failures: Vec<_> = outcomes.iter().filter(|(_, o)| o.is_err()).collect();
        assert!(failures.is_empty(), "{failures:?}; the servers said: {} {}", servers[0].errors(), servers[1].errors());
        let mut indices: Vec<u64> =
            outcomes.iter().filter_map(|(_, o)| if let Ok(Landed::Receipt(i)) = o { Some(*i) } else { None }).collect();
        let acknowledged = indices.len();
        indices.sort_unstable();
        indices.dedup();
        assert_eq!(indices.len(), acknowledged, "two receipts name one index");
        let voters = self.election.sheets.len() as u64;
        let results = counted_and_verified(&self.client, &self.election, dir).await;
        let national = results.scopes.last().unwrap();
        assert_eq!((national.counted, national.questions[0][0]), (voters, voters / 2));
        outcomes.iter().filter(|(_, o)| o == &Ok(Landed::AlreadyIn)).count()
    }
}

/// PostgreSQL restarts in the middle of a burst of casts through two processes. The servers
/// answer 503 with Retry-After meanwhile (never 500), and serve again without a restart of
/// their own; nothing is lost or doubled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restarting_mid_burst_is_answered_503_and_nothing_is_lost_or_doubled() {
    let Some(postgres) = convene_store::testing::OwnPostgres::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let database = postgres.url();
    let flags = ["--database", &database, "--signin-per-minute", "1000000"];
    let servers = [Server::start(&data, &flags), Server::start(&data, &flags)];
    let voters = 240;
    let burst = Burst::start(&servers, &data, "drill", voters, 31).await;
    burst.until_landed(30).await;
    postgres.stop();
    // Down until the servers have said so (a request waits up to the pool's 3 s for a
    // connection before it answers 503), and at most 10 s.
    let down = Instant::now();
    while burst.counts.unavailable.load(Ordering::Relaxed) == 0 && down.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let during = burst.landed.load(Ordering::Relaxed);
    postgres.restart();
    let unavailable = burst.counts.unavailable.load(Ordering::Relaxed);
    let already = burst.finish(&servers, dir.path()).await;
    eprintln!("{unavailable} answers 503 while PostgreSQL restarted; {already} retries found their ballot already in");
    assert!(unavailable > 0 && during < voters as u32, "the restart landed mid-burst ({during} done by then)");
}

/// One of two processes is SIGKILLed in the middle of a burst. Its clients retry on the other
/// (a cast whose answer the kill lost is found already in, never taken twice); every
/// acknowledged ballot is in the log exactly once, and the record verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_one_of_two_processes_mid_burst_loses_and_doubles_nothing() {
    let Some(database) = convene_store::testing::fresh_postgres().await else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let flags = ["--database", &database, "--signin-per-minute", "1000000"];
    let mut servers = [Server::start(&data, &flags), Server::start(&data, &flags)];
    let voters = 240;
    let burst = Burst::start(&servers, &data, "killed", voters, 37).await;
    burst.until_landed(40).await;
    servers[0].kill();
    let during = burst.landed.load(Ordering::Relaxed);
    let counts = burst.counts.clone();
    let already = burst.finish(&servers, dir.path()).await;
    let dropped = counts.dropped.load(Ordering::Relaxed);
    eprintln!("killed after {during} casts had landed; {dropped} attempts found it gone and went to the other; {already} retries found their ballot already in");
    assert!(during < voters as u32 && dropped > 0, "the kill landed mid-burst ({during} done by then)");
}

/// A size-limited file system (tmpfs, 24 MiB) mounted for the disk-full drill, unmounted when
/// dropped; None where this process may not mount (not root), after saying so.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(at: &Path) -> Option<SmallDisk> {
        std::fs::create_dir_all(at).unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=24m,mode=0700", "tmpfs"])
            .arg(at)
            .output()
            .ok()?;
        if !mounted.status.success() {
            eprintln!("the disk-full drill did not run: cannot mount a small file system here (needs root)");
            return None;
        }
        Some(SmallDisk(at.to_path_buf()))
    }

    /// Fills the disk with `filler` until the file system refuses to take more.
    fn fill(&self, filler: &Path) {
        use std::io::Write;
        let mut file = std::fs::File::create(filler).unwrap();
        let chunk = vec![0u8; 64 * 1024];
        while file.write_all(&chunk).and_then(|_| file.sync_data()).is_ok() {}
        // The last bytes, a page at a time.
        let page = [0u8; 4096];
        while file.write_all(&page).and_then(|_| file.sync_data()).is_ok() {}
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// The SQLite data directory's disk fills in the middle of voting. Casts are refused with a clear
/// error that says so (never a 500), nothing is written half-way, the process keeps answering,
/// and once space is back voting resumes by itself: every acknowledged ballot is in the log
/// once, and the record verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_refuses_casts_clearly_and_voting_resumes_when_space_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = SmallDisk::mount(&dir.path().join("disk")) else { return };
    let data = dir.path().join("disk/data");
    let server = Server::start(&data, &["--signin-per-minute", "1000000"]);
    let token = std::fs::read_to_string(data.join("admin-token")).unwrap().trim().to_string();
    let client = Client::new(&server.url, Some(token));
    let mut rng = ChaCha20Rng::seed_from_u64(43);
    let voters = 40usize;
    let election =
        referendum::set_up(&client, &plan("full", voters as u64, &["north", "south"]), &mut rng).await.unwrap();
    let mut ballots = Vec::new();
    for v in 0..voters {
        let signin = serde_json::json!({ "code": election.sheets[v].codes[0] });
        let session: serde_json::Value =
            client.post_as("/api/elections/full/signin", &signin, convene::client::As::Anyone).await.unwrap();
        let entry = referendum::make_entry(&election, v, &[vec![(v % 2) as u32]], false, &mut rng).unwrap();
        ballots.push((session["session"].as_str().unwrap().to_string(), entry));
    }
    let cast = async |v: usize| {
        let (session, entry) = &ballots[v];
        let answer = reqwest::Client::new()
            .post(format!("{}/api/elections/full/ballots", server.url))
            .bearer_auth(session)
            .body(entry.clone())
            .send()
            .await
            .unwrap();
        let status = answer.status().as_u16();
        let retry = answer.headers().get("retry-after").is_some();
        let body: serde_json::Value = answer.json().await.unwrap_or_default();
        (status, retry, body)
    };
    for v in 0..10 {
        assert_eq!(cast(v).await.0, 200);
    }
    disk.fill(&dir.path().join("disk/filler"));
    let size = |c: &Client| {
        let c = c.clone();
        async move { c.get("/api/elections/full").await.unwrap()["log_size"].as_u64().unwrap() }
    };
    // Until the disk refuses (SQLite may still reuse space its write-ahead log holds).
    let (mut refused, mut taken) = (Vec::new(), 10u64);
    for v in 10..voters {
        let (status, retry, body) = cast(v).await;
        match status {
            200 => taken += 1,
            _ => {
                let answer = (status, body["error"].as_str(), retry);
                assert_eq!(answer, (507, Some("storage_full"), true), "{body}\n{}", server.errors());
                refused.push(v);
            }
        }
    }
    assert!(!refused.is_empty(), "the disk never filled");
    assert_eq!(size(&client).await, taken, "a refused cast wrote nothing");
    assert!(reqwest::get(format!("{}/healthz", server.url)).await.unwrap().status().is_success());
    eprintln!("{} casts refused while the disk was full, {} taken from space SQLite held", refused.len(), taken - 10);

    // Space back: the refused voters cast again, without a restart.
    std::fs::remove_file(dir.path().join("disk/filler")).unwrap();
    for v in refused {
        let (status, _, body) = cast(v).await;
        assert_eq!(status, 200, "{body}");
    }
    counted_and_verified(&client, &election, dir.path()).await;
    drop(server);
}
