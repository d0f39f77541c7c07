//! The convention at scale: a server on loopback (SQLite in a temporary directory, durable
//! commits) takes a large assembly's signed events — credentials, motions, votes with every
//! delegate voting concurrently — and `verify_convention` replays the record. Reports medians of
//! three runs, and the verifier's time against a baseline measured in the same run: verifying
//! the same entries' signatures alone.
//!
//! `cargo bench -p convene --bench convention` (DELEGATES=500 VOTES=20 by default).

use convene::assembly::{Convention, Participant};
use convene::client::Client;
use convene_record::convention::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use std::time::Instant;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Run {
    events: usize,
    seconds_posting: f64,
    seconds_votes: f64,
    votes_cast: usize,
    seconds_verify: f64,
    seconds_signatures: f64,
}

async fn run(delegates: usize, votes: usize, seed: u64) -> Run {
    let data = tempfile::tempdir().unwrap();
    let server = convene::local::start(data.path(), None, "127.0.0.1:0", |_| {}).await.unwrap();
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let mut chair = Participant::new(&mut rng);
    let mut secretary = Participant::new(&mut rng);
    let convention = Convention::create(&client, "bench", "Bench", &chair.key, &secretary.key).await.unwrap();
    let started = Instant::now();
    let csv: String = std::iter::once("name,region,population\n".to_string())
        .chain((0..10).map(|k| format!("L{k},r{},{}\n", k % 5, 100_000 + 37_000 * k)))
        .collect();
    let localities = LocalityJson::from_csv(&csv).unwrap();
    secretary
        .send(&client, &convention, Event::Localities { source: "bench".into(), localities }, &mut rng)
        .await
        .unwrap();
    let (event, _) = convene::assembly::apportionment_event(&client, &convention, "webster", delegates as u64, 1, None)
        .await
        .unwrap();
    let Event::Apportionment { result, .. } = &event else { unreachable!() };
    let seats = result.clone();
    secretary.send(&client, &convention, event, &mut rng).await.unwrap();
    let mut members = Vec::new();
    for (k, &n) in seats.iter().enumerate() {
        for j in 0..n {
            let d = Participant::new(&mut rng);
            let event = Event::Credential {
                key: d.key.clone(),
                name: format!("L{k}-{j}"),
                locality: format!("L{k}"),
                role: Role::Delegate,
            };
            secretary.send(&client, &convention, event, &mut rng).await.unwrap();
            members.push(d);
        }
    }
    chair.send(&client, &convention, Event::Agenda { items: vec!["all".into()] }, &mut rng).await.unwrap();
    let mut seconds_votes = 0.0;
    for v in 0..votes {
        let body = BodyJson::Text(format!("Article {v}.\n"));
        let mover = v % members.len();
        members[mover]
            .send(&client, &convention, Event::Motion { title: format!("Motion {v}"), body }, &mut rng)
            .await
            .unwrap();
        let rule = RuleJson {
            majority: MajorityJson::Qualified,
            share: Some("2/3".into()),
            base: BaseJson::InOffice,
            quorum: None,
            concurrent: true,
            weighting: WeightingJson::SqrtPopulation,
        };
        let opened = chair
            .send(
                &client,
                &convention,
                Event::OpenVote { subject: Subject::Motion((v as u32 + 1).into()), rule },
                &mut rng,
            )
            .await
            .unwrap();
        let vote = convene::assembly::created(&opened).unwrap();
        let vote_ref = convene::assembly::reference(&convention, &opened).unwrap();
        let voting = Instant::now();
        let limit = std::sync::Arc::new(tokio::sync::Semaphore::new(32));
        let mut tasks = tokio::task::JoinSet::new();
        for (k, mut d) in members.drain(..).enumerate() {
            let (client, limit) = (client.clone(), limit.clone());
            let convention = convention.clone();
            let vote_ref = vote_ref.clone();
            let mut rng = ChaCha20Rng::seed_from_u64(seed * 1_000_003 + (v * 10_000 + k) as u64);
            tasks.spawn(async move {
                let _permit = limit.acquire().await.unwrap();
                let choice = if k % 7 == 0 { ChoiceJson::No } else { ChoiceJson::Yes };
                d.send(
                    &client,
                    &convention,
                    Event::Vote { vote: vote_ref, choice: Some(choice), ranking: None },
                    &mut rng,
                )
                .await
                .unwrap();
                (k, d)
            });
        }
        let mut back: Vec<(usize, Participant)> = Vec::new();
        while let Some(done) = tasks.join_next().await {
            back.push(done.unwrap());
        }
        back.sort_by_key(|(k, _)| *k);
        members = back.into_iter().map(|(_, d)| d).collect();
        seconds_votes += voting.elapsed().as_secs_f64();
        let result = convention.result_of(&client, vote).await.unwrap();
        chair.send(&client, &convention, Event::CloseVote { vote: vote.into(), result }, &mut rng).await.unwrap();
    }
    let seconds_posting = started.elapsed().as_secs_f64();
    let dir = data.path().join("record");
    client.fetch_convention("bench", &dir).await.unwrap();

    let verifying = Instant::now();
    let (report, _) = convene_record::verify::verify_convention(&dir, &convene_record::verify::Quiet);
    let seconds_verify = verifying.elapsed().as_secs_f64();
    assert!(report.ok(), "{:?}", report.failures);
    // The baseline: each entry's signature checked alone, nothing else.
    let log = std::fs::read(dir.join("log.jsonl")).unwrap();
    let charter = std::fs::read(dir.join("charter.json")).unwrap();
    let checking = Instant::now();
    let mut state = ConventionState::new(&charter).unwrap();
    let mut events = 0;
    for line in log.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        signature_only(&mut state, line);
        events += 1;
    }
    let seconds_signatures = checking.elapsed().as_secs_f64();
    Run {
        events,
        seconds_posting,
        seconds_votes,
        votes_cast: members.len() * votes,
        seconds_verify,
        seconds_signatures,
    }
}

/// Verifies a line's signature alone (a batch of one, as `apply_line` checks it), and nothing more.
fn signature_only(state: &mut ConventionState, line: &[u8]) {
    assert!(convene_record::convention::verify_signatures(state.charter_hash(), &[line])[0]);
    state.skip_line(line);
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let (delegates, votes) = (env("DELEGATES", 500), env("VOTES", 20));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let runs: Vec<Run> = (0..3).map(|k| runtime.block_on(run(delegates, votes, k + 1))).collect();
    for (k, r) in runs.iter().enumerate() {
        println!(
            "run {}: {} events posted in {:.2} s ({:.0} events/s); {} votes cast in {:.2} s ({:.0} votes/s, 32 concurrent); verify {:.3} s ({:.0} entries/s); baseline (entry signatures one at a time, nothing else) {:.3} s; ratio {:.2}",
            k + 1,
            r.events,
            r.seconds_posting,
            r.events as f64 / r.seconds_posting,
            r.votes_cast,
            r.seconds_votes,
            r.votes_cast as f64 / r.seconds_votes,
            r.seconds_verify,
            r.events as f64 / r.seconds_verify,
            r.seconds_signatures,
            r.seconds_verify / r.seconds_signatures
        );
    }
    println!(
        "median: {:.0} events/s posted; {:.0} votes/s; verify {:.0} entries/s; verify / baseline {:.2}",
        median(runs.iter().map(|r| r.events as f64 / r.seconds_posting).collect()),
        median(runs.iter().map(|r| r.votes_cast as f64 / r.seconds_votes).collect()),
        median(runs.iter().map(|r| r.events as f64 / r.seconds_verify).collect()),
        median(runs.iter().map(|r| r.seconds_verify / r.seconds_signatures).collect()),
    );
}
