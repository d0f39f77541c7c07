//! `convene loadtest`: a load generator against a running server on loopback. It sets up an
//! election with N voters over HTTP, makes every ballot and signs every voter in beforehand (not
//! timed), then sends the casts — as fast as `concurrency` allows, or at a fixed `rate` (open
//! loop) — and reports accepted ballots per second and latency percentiles. Bounded in count
//! (N ballots) and time (`timeout`).

use crate::client::{As, Client};
use crate::referendum::{self, ElectionPlan};
use anyhow::{bail, Context, Result};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct LoadOptions {
    /// How many voters cast (each once).
    pub voters: u64,
    /// How many are registered in all (at least `voters`): the others never vote, and only the
    /// server's memory and set-up see them.
    pub registered: u64,
    pub concurrency: usize,
    /// Casts per second, open loop; `None`: as fast as the concurrency allows.
    pub rate: Option<f64>,
    pub timeout: Duration,
    /// Local witnesses to run (`convene witness` processes of this binary), and their quorum.
    pub witnesses: u32,
    pub witness_quorum: u32,
    /// Afterwards, count the election (close, the trustees decrypt, publish) and fetch its
    /// record into this directory, for `convene verify`.
    pub record: Option<PathBuf>,
}

/// Witness processes started for one load test; killed when dropped.
struct LocalWitnesses {
    children: Vec<std::process::Child>,
    _dir: tempfile::TempDir,
}

impl Drop for LocalWitnesses {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Witnesses planned for one load test: their manifest entries, and each one's data directory,
/// name and port, to start them once the log's key is known.
struct PlannedWitnesses {
    manifest: Vec<convene_record::format::WitnessJson>,
    processes: Vec<(PathBuf, String, u16)>,
    dir: tempfile::TempDir,
}

/// Makes `count` witness keys (in a temporary directory) and picks a port for each.
fn witness_keys(count: u32) -> Result<PlannedWitnesses> {
    let dir = tempfile::tempdir()?;
    let mut manifest = Vec::new();
    let mut started = Vec::new();
    for k in 1..=count {
        let data = dir.path().join(format!("w{k}"));
        let name = format!("loadtest.invalid/w{k}");
        let signer = crate::witnesses::witness_signer(&data, &name)?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        manifest.push(convene_record::format::WitnessJson {
            key: signer.verifier().to_vkey(),
            url: format!("http://127.0.0.1:{port}"),
        });
        started.push((data, name, port));
    }
    Ok(PlannedWitnesses { manifest, processes: started, dir })
}

async fn start_witnesses(planned: PlannedWitnesses, log_key: &str) -> Result<LocalWitnesses> {
    let exe = std::env::current_exe()?;
    let PlannedWitnesses { processes: planned, dir, .. } = planned;
    let mut witnesses = LocalWitnesses { children: Vec::new(), _dir: dir };
    for (data, name, port) in &planned {
        witnesses.children.push(
            std::process::Command::new(&exe)
                .args(["witness", "--data", &data.to_string_lossy(), "--name", name, "--log", log_key])
                .args(["--addr", &format!("127.0.0.1:{port}")])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .context("starting a witness")?,
        );
    }
    for (_, _, port) in &planned {
        let mut up = false;
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", *port)).await.is_ok() {
                up = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        if !up {
            bail!("a local witness did not start on port {port}");
        }
    }
    Ok(witnesses)
}

#[derive(Debug)]
pub struct LoadReport {
    pub accepted: u64,
    pub failed: u64,
    pub seconds: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// With `record`: the seconds counting took, and fetching the record.
    pub counted: Option<(f64, f64)>,
}

impl LoadReport {
    pub fn per_second(&self) -> f64 {
        self.accepted as f64 / self.seconds
    }
}

/// Signs the first `voters` voters in, 256 at a time: their sessions, in order.
async fn sign_in_all(
    client: &Client,
    election: &referendum::OpenElection,
    voters: usize,
    progress: &(dyn Fn(&str, u64, u64) + Sync),
) -> Result<Vec<String>> {
    let id = &election.id;
    let mut sessions = Vec::with_capacity(voters);
    for chunk in election.sheets[..voters].chunks(256) {
        let path = format!("/api/elections/{id}/signin");
        let answers = futures_util::future::join_all(chunk.iter().map(|sheet| {
            let (path, body) = (
                path.clone(),
                convene_server::api::SignIn {
                    code: sheet.codes[0].clone(),
                    credential: Some(sheet.credential.public().to_hex()),
                },
            );
            async move { client.post_as::<convene_server::api::Session>(&path, &body, As::Anyone).await }
        }))
        .await;
        for answer in answers {
            sessions.push(answer.context("signing in")?.session);
        }
        progress("signing in", sessions.len() as u64, voters as u64);
    }
    Ok(sessions)
}

/// Counts the election (close, the trustees decrypt, publish) and fetches its record into
/// `dir`: the seconds each took.
async fn count_and_fetch(
    client: &Client,
    election: &referendum::OpenElection,
    dir: &std::path::Path,
    progress: &(dyn Fn(&str, u64, u64) + Sync),
) -> Result<(f64, f64)> {
    progress("counting", 0, 2);
    let counting = Instant::now();
    referendum::count(client, election).await.context("counting the election")?;
    let counted = counting.elapsed().as_secs_f64();
    progress("fetching the record", 1, 2);
    let fetching = Instant::now();
    client.fetch_record(&election.id, dir).await.context("fetching the record")?;
    progress("fetching the record", 2, 2);
    Ok((counted, fetching.elapsed().as_secs_f64()))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

pub async fn run(
    client: &Client,
    options: &LoadOptions,
    progress: &(dyn Fn(&str, u64, u64) + Sync),
) -> Result<LoadReport> {
    if options.voters == 0 || options.concurrency == 0 {
        bail!("--voters and --concurrency must be at least 1");
    }
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis();
    let planned = witness_keys(options.witnesses)?;
    let plan = ElectionPlan {
        id: format!("load-{stamp}"),
        title: "Load test".into(),
        regions: ["north", "south", "east", "west", "capital"].map(String::from).to_vec(),
        structure_question: false,
        voters: options.registered.max(options.voters),
        codes_per_voter: 1,
        cheat: None,
        rule: None,
        weighted: false,
        min_region_ballots: 0,
        separate_codes: false,
        actors_seed: None,
        witnesses: planned.manifest.clone(),
        witness_quorum: options.witness_quorum,
        booth_origins: Vec::new(),
        // Keys, not typed strings: an Argon2id per simulated voter would be the whole run.
        typed_credentials: false,
        translations: Default::default(),
        observers: None,
    };
    progress("set-up", 0, 1);
    let election = Arc::new(
        referendum::set_up(client, &plan, &mut ChaCha20Rng::from_entropy()).await.context("setting up the election")?,
    );
    let _witnesses = start_witnesses(planned, &election.manifest.log_key).await?;
    progress("set-up", 1, 1);
    let voters = options.voters as usize;
    let made = {
        let election = election.clone();
        tokio::task::spawn_blocking(move || {
            (0..voters)
                .into_par_iter()
                .map(|v| {
                    let mut rng = ChaCha20Rng::from_entropy();
                    referendum::make_entry(&election, v, &[vec![(v % 2) as u32]], false, &mut rng)
                })
                .collect::<Result<Vec<_>>>()
        })
        .await??
    };
    // Sign everyone in first: the timed part is casting alone.
    let id = election.id.clone();
    let sessions = sign_in_all(client, &election, voters, progress).await?;

    let mut latencies = Vec::with_capacity(made.len());
    let (mut accepted, mut failed) = (0u64, 0u64);
    let mut record = |(ok, ms): (bool, f64)| {
        latencies.push(ms);
        if ok {
            accepted += 1;
        } else {
            failed += 1;
        }
    };
    let limit = Arc::new(tokio::sync::Semaphore::new(options.concurrency));
    let started = Instant::now();
    let deadline = started + options.timeout;
    let mut tasks = tokio::task::JoinSet::new();
    for (i, (entry, session)) in made.into_iter().zip(sessions).enumerate() {
        if let Some(rate) = options.rate {
            tokio::time::sleep_until((started + Duration::from_secs_f64(i as f64 / rate)).into()).await;
        }
        if Instant::now() > deadline {
            break;
        }
        let permit = limit.clone().acquire_owned().await?;
        let (client, id) = (client.clone(), id.clone());
        tasks.spawn(async move {
            let sent = Instant::now();
            let result = client.post_raw(&format!("/api/elections/{id}/ballots"), entry, As::Voter(&session)).await;
            drop(permit);
            (result.is_ok(), sent.elapsed().as_secs_f64() * 1000.0)
        });
        while let Some(done) = tasks.try_join_next() {
            record(done?);
        }
    }
    while let Some(done) = tasks.join_next().await {
        record(done?);
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort_by(|a, b| a.partial_cmp(b).expect("finite latencies"));
    let counted = match &options.record {
        Some(dir) => Some(count_and_fetch(client, &election, dir, progress).await?),
        None => None,
    };
    Ok(LoadReport {
        accepted,
        failed,
        seconds,
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
        max_ms: latencies.last().copied().unwrap_or(0.0),
        counted,
    })
}
