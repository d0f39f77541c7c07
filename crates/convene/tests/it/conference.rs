//! A conference of five states over real HTTP, on SQLite and on PostgreSQL, witnessed: a
//! paragraph adopted by consensus over one objection that is later withdrawn, another by
//! unanimity with an abstention, the communiqué exported, and the record verified — with the
//! objection by name in the record (the refusals a conference makes are the state machine's
//! tests, `convention/tests.rs`).

use convene::assembly::{self, ConferencePlan};
use convene::client::Client;
use convene::local;
use convene::witnesses::LocalWitnesses;
use convene_record::convention::*;
use convene_record::verify::{verify_convention, Quiet};
use convene_store::testing::fresh_postgres;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use std::sync::Arc;

async fn conference(database: Option<String>) {
    let data = tempfile::tempdir().unwrap();
    let server = local::start(data.path(), database.as_deref(), "127.0.0.1:0", |_| {}).await.unwrap();
    let client = Client::new(&server.url(), Some(server.admin_token.clone()));
    let witnesses = Arc::new(LocalWitnesses::start(&data.path().join("witnesses"), &[0, 0, 0]).await.unwrap());
    let mut rng = ChaCha20Rng::seed_from_u64(55);
    let plan = ConferencePlan { observers: Some(witnesses), ..ConferencePlan::example("conference") };
    let outcome = assembly::run_conference(&client, &plan, &mut rng, &|_| {}).await.expect("the conference runs");
    let steps = outcome.steps.join("\n");
    assert!(steps.contains("Cordova objects to paragraph 1"), "{steps}");

    let state = outcome.convention.state(&client).await.unwrap();
    super::schema::assert_answer("ConventionState", &state, "a conference's state");
    assert_eq!(state["charter"]["version"], 5);
    assert_eq!(state["charter"]["conference"]["states"].as_array().unwrap().len(), 5);
    let consensus = &state["votes"][0];
    assert_eq!(consensus["rule"]["majority"], "consensus");
    assert_eq!(consensus["result"]["adopted"], true);
    assert_eq!(consensus["objections"].as_array().unwrap().len(), 1);
    assert!(consensus["objections"][0]["withdrawn"].as_u64().is_some());
    let words = consensus["result"]["conditions"].to_string();
    assert!(words.contains("objection by Head of the delegation of Cordova for Cordova"), "{words}");
    assert!(words.contains("withdrawn"), "{words}");
    assert_eq!(state["votes"][1]["result"]["abstain"], 1);

    let md = &outcome.communique;
    assert!(
        md.starts_with("# Conference of neighbouring states on the crisis (demonstration)\n\nCommuniqué, version 2.\n"),
        "{md}"
    );
    assert!(md.contains("## 1. Ceasefire\n") && md.contains("## 2. Follow-up\n"), "{md}");
    assert!(md.contains("immediate ceasefire"), "{md}");

    // The record verifies and rebuilds the same communiqué; the objection is in the log, signed
    // by the head of the delegation of Cordova.
    let dir = data.path().join("conference");
    client.fetch_convention(&plan.id, &dir).await.unwrap();
    let (report, rebuilt) = verify_convention(&dir, &Quiet);
    assert!(report.ok(), "{:#?}", report.failures);
    let rebuilt = rebuilt.unwrap();
    assert_eq!(rebuilt.constitution().to_markdown(), *md);
    let cordova = rebuilt.members().iter().find(|m| m.locality == "Cordova" && m.role == Role::Head).unwrap();
    let log = std::fs::read_to_string(dir.join("log.jsonl")).unwrap();
    let objection = log.lines().nth(rebuilt.votes()[0].objections[0].entry as usize).unwrap();
    assert!(objection.contains("\"choice\":\"no\"") && objection.contains(&cordova.key), "{objection}");
    assert!(report.notes.iter().any(|n| n.contains("adopted by consensus")), "{:?}", report.notes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conference_of_five_states_adopts_a_communique_by_consensus_on_sqlite() {
    conference(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conference_of_five_states_adopts_a_communique_by_consensus_on_postgres() {
    let Some(url) = fresh_postgres().await else { return };
    conference(Some(url)).await;
}
