//! The honest demo: a whole referendum verifies, with its cheating trustee named and excluded.

use super::*;

#[test]
fn the_honest_demo_verifies_and_the_cheating_trustee_is_excluded() {
    let (_, outcome) = honest_record();
    let report = verify(&honest_dir());
    assert!(report.ok(), "{:#?}", report.failures);
    assert_eq!(report.registered, 40);
    // 40 first ballots, 4 re-votes (every 10th voter), 1 challenged ballot.
    assert_eq!((report.entries, report.cast, report.spoiled), (45, 44, 1));
    assert_eq!(report.superseded, 4);
    assert_eq!(report.counted, 40);
    assert_eq!(outcome.excluded_trustee, 5);
    assert_eq!(report.notes, vec!["trustee 5 excluded: trustee 2's complaint against its share is upheld".to_string()]);
    // The verifier's own decryption equals the published results, and they add up.
    let results = report.results.expect("results were decrypted");
    assert_eq!(results, outcome.results);
    let national = results.scopes.last().expect("a national scope");
    assert_eq!(national.scope, "national");
    let regional_yes: u64 = results.scopes[..results.scopes.len() - 1].iter().map(|s| s.questions[0][0]).sum();
    assert_eq!(national.questions[0][0], regional_yes);
    // Choose-one-of-four: every counted ballot chose exactly one structure.
    assert_eq!(national.questions[1].iter().sum::<u64>(), national.counted);
}

#[test]
fn a_receipt_checks_against_the_signed_checkpoint() {
    use convene_record::writer::Receipt;
    let dir = honest_dir();
    let manifest = std::fs::read(dir.join("manifest.json")).unwrap();
    let checkpoints: convene_record::format::CheckpointsJson =
        serde_json::from_slice(&std::fs::read(dir.join("checkpoints.json")).unwrap()).unwrap();
    let last = checkpoints.checkpoints.last().unwrap().clone();
    // Rebuild the tree's leaves from the log with the library, as a voter's device would not
    // need to: it is handed the receipt. Here we check the receipt machinery end to end.
    let election: convene_record::format::ElectionJson =
        serde_json::from_slice(&std::fs::read(dir.join("election.json")).unwrap()).unwrap();
    let base = convene_crypto::encoding::hex32(&election.base_hash).unwrap();
    let leaves: Vec<_> = std::fs::read_to_string(dir.join("log.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            convene_record::log::leaf_hash(
                &convene_record::format::LogEntry::parse(l.as_bytes()).unwrap().entry_bytes(&base),
            )
        })
        .collect();
    assert_eq!(leaves.len() as u64, last.size);
    let index = 17;
    let inclusion = convene_record::log::inclusion_proof(&leaves, index).unwrap();
    let mut receipt = Receipt {
        version: 1,
        index: index as u64,
        tracking_code: convene_crypto::encoding::to_hex(&leaves[index]),
        checkpoint: last,
        inclusion: inclusion.iter().map(|h| convene_crypto::encoding::to_hex(h)).collect(),
    };
    assert_eq!(convene_record::verify::verify_receipt(&manifest, &receipt), Ok(()));
    receipt.tracking_code = convene_crypto::encoding::to_hex(&leaves[index + 1]);
    assert!(convene_record::verify::verify_receipt(&manifest, &receipt).is_err());
}

#[test]
fn a_weighted_election_counts_each_ballot_by_its_credentials_weight() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("record");
    let mut config = DemoConfig::new(30, out.clone());
    config.structure_question = true;
    config.revote_every = 10;
    config.weighted = true;
    config.seed = Some(5);
    let outcome = demo::run_offline(&config, &|_, _, _| {}).unwrap();
    let report = verify(&out);
    assert!(report.ok(), "{:#?}", report.failures);
    // Weights 1, 2, 3 in turn: 30 voters weigh 60; re-votes change nothing of that.
    let national = outcome.results.scopes.last().unwrap();
    assert_eq!((national.counted, national.weight), (30, Some(60)));
    // Every counted ballot chose one structure: the weighted choices add up to the weight.
    assert_eq!(national.questions[1].iter().sum::<u64>(), 60);
    let regional: u64 =
        outcome.results.scopes[..outcome.results.scopes.len() - 1].iter().map(|s| s.weight.unwrap_or(s.counted)).sum();
    assert_eq!(regional, 60);
    assert_eq!(report.results, Some(outcome.results));
}

#[test]
fn small_regions_are_reported_merged_and_the_rule_sees_them_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("record");
    let mut config = DemoConfig::new(30, out.clone());
    config.regions = ["north", "south", "east", "west", "capital", "isle", "hills"].map(String::from).to_vec();
    config.min_region_ballots = 5;
    config.revote_every = 10;
    config.seed = Some(8);
    let outcome = demo::run_offline(&config, &|_, _, _| {}).unwrap();
    let report = verify(&out);
    assert!(report.ok(), "{:#?}", report.failures);
    let names: Vec<&str> = outcome.results.scopes.iter().map(|s| s.scope.as_str()).collect();
    assert_eq!(names, vec!["north", "south", "east", "merged", "national"]);
    let merged = &outcome.results.scopes[3];
    assert_eq!(
        (merged.counted, merged.regions.clone()),
        (12, ["west", "capital", "isle", "hills"].map(String::from).to_vec())
    );
    let verdict = outcome.results.ratification.as_ref().unwrap();
    // Four rows for the rule: three regions and the merged group, which weighs 1 + 1/2 + 1 + 1.
    let regions = verdict.conditions.iter().find(|c| c.kind == "regions").expect("a regions condition");
    assert_eq!(
        regions.figures.get("total"),
        Some(&convene_record::format::FigureJson::Text("13/2".into())),
        "{:?}",
        verdict.conditions
    );
    // The merge is part of the record: changing it is caught.
    let tally_path = out.join("tally.json");
    let mut tally: serde_json::Value = serde_json::from_slice(&std::fs::read(&tally_path).unwrap()).unwrap();
    tally["scopes"][3]["regions"] = serde_json::json!(["west", "capital", "isle"]);
    std::fs::write(&tally_path, serde_json::to_vec_pretty(&tally).unwrap()).unwrap();
    let report = verify(&out);
    assert!(report.failures.iter().any(|f| f.location == "tally merged"), "{:?}", report.failures);
}
