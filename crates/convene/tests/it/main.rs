//! Integration tests of Convene's referendum core: one binary, one module per concern.

mod assembly;
mod attacks;
mod backup;
mod balanced;
mod booth_swap;
mod browser;
mod cli;
mod conference;
mod conformance;
mod crash;
mod deploy;
mod door;
mod drills;
mod forge;
mod house;
mod http;
mod malformed;
mod processes;
mod schema;
mod servers;
mod split_view;
mod story;
mod threshold;
mod tiles;
mod timeline;
mod tools;
mod vectors;
mod web;
mod witness;

use convene::demo::{self, DemoConfig, DemoOutcome};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A small honest record (both question kinds, re-votes, a challenge), built once per run.
pub fn honest_record() -> &'static (tempfile::TempDir, DemoOutcome) {
    static RECORD: OnceLock<(tempfile::TempDir, DemoOutcome)> = OnceLock::new();
    RECORD.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let out = dir.path().join("record");
        let mut config = DemoConfig::new(40, out);
        config.structure_question = true;
        config.revote_every = 10;
        config.seed = Some(7);
        let outcome = demo::run_offline(&config, &|_, _, _| {}).expect("the demo runs");
        (dir, outcome)
    })
}

pub fn honest_dir() -> PathBuf {
    honest_record().0.path().join("record")
}

/// A plain election plan for tests: one yes/no question, 2 one-time codes per voter, no rule.
pub fn plan(id: &str, voters: u64, regions: &[&str]) -> convene::referendum::ElectionPlan {
    convene::referendum::ElectionPlan {
        id: id.into(),
        title: id.into(),
        regions: regions.iter().map(|r| r.to_string()).collect(),
        structure_question: false,
        voters,
        codes_per_voter: 2,
        cheat: None,
        rule: None,
        weighted: false,
        min_region_ballots: 0,
        separate_codes: false,
        actors_seed: None,
        witnesses: Vec::new(),
        witness_quorum: 0,
        booth_origins: Vec::new(),
        typed_credentials: false,
        translations: Default::default(),
        observers: None,
    }
}

/// A fresh copy of the honest record's documents to mutate (the voter's receipt is not part of
/// the record and is left behind).
pub fn copy_of_honest() -> tempfile::TempDir {
    let copy = tempfile::tempdir().expect("a temporary directory");
    convene_record::testing::copy_documents(&honest_dir(), copy.path()).expect("the honest record copies");
    copy
}

pub fn verify(dir: &Path) -> convene_record::verify::Report {
    convene_record::verify::verify_record(dir, &convene_record::verify::Quiet)
}

/// Closes, decrypts and publishes `election` through `client`, fetches its record into
/// `dir/record` and verifies it: every one of its voters cast once and counted. The results.
pub async fn counted_and_verified(
    client: &convene::client::Client,
    election: &convene::referendum::OpenElection,
    dir: &Path,
) -> convene_record::format::ResultsJson {
    let voters = election.sheets.len() as u64;
    let (_, results) = convene::referendum::count(client, election).await.unwrap();
    let out = dir.join("record");
    client.fetch_record(&election.id, &out).await.unwrap();
    let report = verify(&out);
    assert!(report.ok(), "{:#?}", report.failures);
    assert_eq!((report.cast, report.counted), (voters, voters), "one ballot per voter in the log");
    assert_eq!(results.scopes.last().unwrap().counted, voters);
    results
}
