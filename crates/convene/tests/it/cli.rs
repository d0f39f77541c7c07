//! The `convene` binary: exit codes and what it prints.

use super::*;
use std::process::Command;

fn convene() -> Command {
    Command::new(env!("CARGO_BIN_EXE_convene"))
}

#[test]
fn verify_exits_zero_on_the_honest_record_and_one_listing_failures_otherwise() {
    let ok = convene().arg("verify").arg(honest_dir()).output().unwrap();
    assert_eq!(ok.status.code(), Some(0));
    let stdout = String::from_utf8(ok.stdout).unwrap();
    assert!(stdout.contains("VERIFIED: every check holds."), "{stdout}");
    assert!(stdout.contains("national"), "{stdout}");

    let copy = copy_of_honest();
    let path = copy.path().join("log.jsonl");
    let text = std::fs::read_to_string(&path).unwrap().replacen("\"kind\":\"cast\"", "\"kind\":\"cost\"", 1);
    std::fs::write(&path, text).unwrap();
    let bad = convene().arg("verify").arg(copy.path()).output().unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let stdout = String::from_utf8(bad.stdout).unwrap();
    assert!(stdout.contains("FAILED:"), "{stdout}");
    assert!(stdout.contains("log entry 1: cannot be read"), "{stdout}");
}

#[test]
fn verify_of_a_missing_directory_is_a_usage_error() {
    let out = convene().args(["verify", "/nonexistent/record"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("is not a directory"));
}

#[test]
fn demo_writes_a_record_that_verify_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let demo = convene().args(["demo", "--voters", "12", "--seed", "3", "--out"]).arg(&out).output().unwrap();
    assert_eq!(demo.status.code(), Some(0), "{}", String::from_utf8_lossy(&demo.stderr));
    let stdout = String::from_utf8(demo.stdout).unwrap();
    assert!(stdout.contains("Trustee 5 dealt a bad share"), "{stdout}");
    let again = convene().args(["demo", "--voters", "12", "--out"]).arg(&out).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8(again.stderr).unwrap().contains("is not empty"));
    // The whole process: apportionment → convention → referendum, verified together.
    assert!(stdout.contains("apportioned 15 seats among 10 localities"), "{stdout}");
    assert!(stdout.contains("handed to referendum convene-demo"), "{stdout}");
    assert!(stdout.contains("by secret ballot in referendum convene-demo-convention-vote-5"), "{stdout}");
    let verified = convene().arg("verify").arg(&out).output().unwrap();
    let report = String::from_utf8(verified.stdout).unwrap();
    assert_eq!(verified.status.code(), Some(0), "{report}");
    assert!(report.contains("adopted articles: 5") && report.contains("motion 3 chosen by Schulze"), "{report}");
    assert_eq!(report.matches("VERIFIED").count(), 2, "{report}");
    // The text the voters ratified must be the one the convention adopted.
    let text = std::fs::read_to_string(out.join("constitution.md")).unwrap();
    std::fs::write(out.join("constitution.md"), text.replace("48 hours", "72 hours")).unwrap();
    let tampered = convene().arg("verify").arg(&out).output().unwrap();
    let report = String::from_utf8(tampered.stdout).unwrap();
    assert_eq!(tampered.status.code(), Some(1), "{report}");
    assert!(report.contains("constitution.md: its SHA-256"), "{report}");
}

#[test]
fn help_teaches() {
    let out = convene().args(["demo", "--help"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("--voters") && text.contains("convene verify"), "{text}");
}

#[test]
fn ratify_prints_the_outcome_first_and_exits_by_it() {
    let dir = tempfile::tempdir().unwrap();
    let rule = dir.path().join("rule.toml");
    std::fs::write(&rule, "[approval]\nbase = \"valid\"\nmore_than = \"1/2\"\n[quorum]\nat_least = \"3/5\"\n").unwrap();
    let results = dir.path().join("results.csv");
    std::fs::write(&results, "region,registered,yes,no,blank\nnorth,100,50,20,5\nsouth,100,30,25,0\n").unwrap();
    let out = convene().args(["ratify", "--rule"]).arg(&rule).arg(&results).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().next(), Some("ratified"), "{text}");
    assert!(text.contains("quorum: holds — turnout 130 cast of 200 registered = 65.00%"), "{text}");
    assert_eq!(out.status.code(), Some(0));

    let json = convene().args(["ratify", "--json", "--rule"]).arg(&rule).arg(&results).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["outcome"], "ratified");

    std::fs::write(&results, "region,registered,yes,no\nnorth,100,20,20\n").unwrap();
    let tie = convene().args(["ratify", "--rule"]).arg(&rule).arg(&results).output().unwrap();
    assert_eq!(tie.status.code(), Some(1));
    assert!(String::from_utf8(tie.stdout).unwrap().starts_with("rejected\n"));

    std::fs::write(&rule, "[approval]\nmore_than = \"lots\"\n").unwrap();
    let bad = convene().args(["ratify", "--rule"]).arg(&rule).arg(&results).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8(bad.stderr).unwrap().contains("is not a fraction"));
}

#[test]
fn apportion_prints_csv_and_reports_paradoxes_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("units.csv");
    std::fs::write(&file, "locality,region,population\nA,north,6\nB,south,6\nC,east,2\n").unwrap();
    let out = convene().args(["apportion", "--method", "hamilton", "--seats", "10"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "name,population,quota,seats\nA,6,4.2857,4\nB,6,4.2857,4\nC,2,1.4286,2\n"
    );
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("Alabama paradox (lose a seat in a house one seat larger): C"));
    let json =
        convene().args(["apportion", "--json", "--method", "dhondt", "--seats", "11"]).arg(&file).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["units"].as_array().unwrap().iter().map(|u| u["seats"].as_u64().unwrap()).sum::<u64>(), 11);
    assert_eq!(v["units"][0]["quota"], "33/7");
    for (args, expected) in [
        (vec!["--method", "borda", "--seats", "3"], "unknown method"),
        (vec!["--method", "adams", "--seats", "2", "--min-seats", "1"], "smaller than the minimums allow"),
    ] {
        let out = convene().arg("apportion").args(&args).arg(&file).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8(out.stderr).unwrap().contains(expected));
    }
    std::fs::write(&file, "name,population\nA,-3\n").unwrap();
    let out = convene().args(["apportion", "--method", "webster", "--seats", "3"]).arg(&file).output().unwrap();
    assert!(String::from_utf8(out.stderr).unwrap().contains("negative"));
}

/// Issue 14's tie (`C`, `C`, `A>C`, `B>A`): reported, left unbroken (exit 1) without a seed,
/// broken by the seed's lot and said so with one; bad input exits 2 and names the line.
#[test]
fn count_reports_ties_and_breaks_them_only_by_a_seeded_lot() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ballots.csv");
    std::fs::write(&file, "A,B,C,weight\n,,1,2\n1,,2,1\n2,1,,1\n").unwrap();
    let out = convene().args(["count", "--method", "irv"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Instant runoff round 1: A 1, B 1, C 2 (exhausted 0)\n"), "{text}");
    assert!(text.contains("TIE for last place between A and B: it decides the winner"), "{text}");
    assert!(text.contains("Instant runoff: no winner; depending on the tie, A or C could win"), "{text}");
    assert!(!text.contains("Schulze"), "{text}");

    let out = convene().args(["count", "--json", "--seed", "the congress, 4 December"]).arg(&file).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ballots"], 4);
    assert_eq!(v["lot"]["seed"], "the congress, 4 December");
    let order: Vec<&str> = v["lot"]["order"].as_array().unwrap().iter().map(|o| o.as_str().unwrap()).collect();
    let irv = &v["instant_runoff"];
    assert_eq!(irv["possible_winners"], serde_json::json!(["A", "C"]));
    assert_eq!(irv["ties"][0]["tied"], serde_json::json!(["A", "B"]));
    assert_eq!(irv["ties"][0]["by_lot"], true);
    let ranked_lower = order.iter().rev().find(|o| ["A", "B"].contains(o)).unwrap();
    assert_eq!(irv["rounds"][0]["eliminated"], *ranked_lower, "the lot's lower goes");
    let ranked_higher = order.iter().find(|o| ["A", "C"].contains(o)).unwrap();
    assert_eq!(v["schulze"]["winner"], *ranked_higher, "the lot's higher wins");
    assert!(["A", "C"].contains(&irv["winner"].as_str().unwrap()));
    assert_eq!(v["schulze"]["tied"], serde_json::json!(["A", "C"]));
    assert_eq!(v["schulze"]["by_lot"], true);
    assert_eq!(out.status.code(), Some(0));
    let again = convene().args(["count", "--json", "--seed", "the congress, 4 December"]).arg(&file).output().unwrap();
    assert_eq!(again.stdout, out.stdout, "the same seed draws the same lot");

    std::fs::write(&file, "A,B\n1,2\n1,zwei\n").unwrap();
    let out = convene().arg("count").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("line 3: the rank of \"B\" is \"zwei\""), "{err}");
}

/// `convene power --exact`: the same exact counts as fractions in lowest terms. With weights
/// 2, 1, 1 and quota 3, A swings 3 of 5 coalitions and is pivotal in 4 of 6 orderings.
#[test]
fn power_prints_exact_fractions_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("members.csv");
    std::fs::write(&file, "name,weight\nA,2\nB,1\nC,1\n").unwrap();
    let exact = convene().args(["power", "--exact", "--quota", "3"]).arg(&file).output().unwrap();
    assert_eq!(
        String::from_utf8(exact.stdout).unwrap(),
        "name,weight,banzhaf,shapley_shubik\nA,2,3/5,2/3\nB,1,1/5,1/6\nC,1,1/5,1/6\n"
    );
    let decimals = convene().args(["power", "--quota", "3"]).arg(&file).output().unwrap();
    assert!(String::from_utf8(decimals.stdout).unwrap().contains("A,2,0.600000,0.666667\n"));
    // A dummy: weight 1 never swings against 5, 4 with quota 9.
    std::fs::write(&file, "name,weight\nA,5\nB,4\nC,1\n").unwrap();
    let exact = convene().args(["power", "--exact", "--quota", "9"]).arg(&file).output().unwrap();
    assert_eq!(
        String::from_utf8(exact.stdout).unwrap(),
        "name,weight,banzhaf,shapley_shubik\nA,5,1/2,1/2\nB,4,1/2,1/2\nC,1,0,0\n"
    );
}

#[test]
fn revenue_compares_formulas_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let places = dir.path().join("localities.csv");
    std::fs::write(&places, "name,population,production\nnorth,100,0\nsouth,200,50\n").unwrap();
    let cpa = dir.path().join("cpa.toml");
    std::fs::write(&cpa, "derivation = \"2%\"\ncentre = \"50%\"\n[[deduction]]\nname = \"fund\"\nshare = \"10%\"\n[keys]\npopulation = \"1\"\n").unwrap();
    let equal = dir.path().join("equal.toml");
    std::fs::write(&equal, "[keys]\nequal = \"1\"\n").unwrap();
    let out = convene()
        .args(["revenue", "--revenue", "1000000", "--formula"])
        .arg(&cpa)
        .arg("--formula")
        .arg(&equal)
        .arg(&places)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("locality,population,cpa total,cpa per head,equal total,equal per head\n"), "{text}");
    assert!(text.contains("north,100,147000,1470.00,500000,5000.00"), "{text}");
    assert!(text.contains("south,200,312000,1560.00,500000,2500.00"), "{text}");
    std::fs::write(&equal, "[keys]\nequal = \"1/2\"\n").unwrap();
    let bad = convene().args(["revenue", "--revenue", "10", "--formula"]).arg(&equal).arg(&places).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8(bad.stderr).unwrap().contains("must add up to 1"));
}

#[test]
fn power_prints_both_indices() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("members.csv");
    std::fs::write(&file, "name,weight\nA,2\nB,1\nC,1\n").unwrap();
    let out = convene().args(["power", "--quota", "3"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "name,weight,banzhaf,shapley_shubik\nA,2,0.600000,0.666667\nB,1,0.200000,0.166667\nC,1,0.200000,0.166667\n"
    );
    let bad = convene().args(["power", "--quota", "9"]).arg(&file).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8(bad.stderr).unwrap().contains("below the quota"));
}

/// `convene demo --data DIR` leaves a data directory that the server serves afterwards: the
/// finished convention (with its participants' keys kept in DIR) and the counted referendum.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finished_demonstration_is_kept_for_the_server_to_serve() {
    let dir = tempfile::tempdir().unwrap();
    let (data, record) = (dir.path().join("data"), dir.path().join("record"));
    let run = tokio::task::spawn_blocking({
        let (data, record) = (data.clone(), record.clone());
        move || {
            convene()
                .args(["demo", "--voters", "6", "--seed", "3"])
                .arg("--data")
                .arg(&data)
                .arg("--out")
                .arg(&record)
                .output()
                .unwrap()
        }
    })
    .await
    .unwrap();
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{said}{}", String::from_utf8_lossy(&run.stderr));
    assert!(said.contains("convene serve --data"), "{said}");
    // Served again from the same directory, as `convene serve --data DIR` does.
    let server = convene::local::start(&data, None, "127.0.0.1:0", |_| {}).await.unwrap();
    let client = convene::client::Client::new(&server.url(), None);
    let shown: convene_server::api::ElectionShown = client.get_as("/api/elections/convene-demo").await.unwrap();
    assert_eq!(shown.phase, "published");
    let results: convene_record::format::ResultsJson =
        client.get_as("/api/elections/convene-demo/record/results.json").await.unwrap();
    assert_eq!(results.scopes.last().unwrap().counted, 6);
    let convention: convene_server::api::ConventionShown =
        client.get_as("/api/conventions/convene-demo-convention").await.unwrap();
    let keys = data.join("convention-keys");
    let delegate = convene::assembly::load_key(&keys.join("delegate-01.key")).unwrap();
    let public = convene_record::convention::public_hex(&delegate);
    assert!(convention.member(&public).is_some(), "the kept key is a delegate's");
    assert!(keys.join("chair.key").exists() && keys.join("secretary.key").exists());
    // The milestone the convention adopted is an open referendum of its own, with demonstration
    // voters the booth offers.
    let listed: convene_server::api::ElectionList = client.get_as("/api/elections").await.unwrap();
    let milestone = listed.elections.iter().find(|e| e.id.starts_with("convene-demo-milestone-")).expect("a milestone");
    assert_eq!(milestone.phase, "open", "{listed:?}");
    assert!(client.get_bytes(&format!("/api/elections/{}/demo", milestone.id)).await.is_ok());
    let page = client.get_bytes("/results/convene-demo").await.unwrap();
    assert!(String::from_utf8_lossy(&page).contains("id=\"map\""));
}

/// A credential list longer than CONVENE_SORT_IN_MEMORY is sorted on disk (issue 13: memory
/// flat in the electorate): the report is the same, byte for byte, on an honest record of a large
/// electorate (most of it never votes) and on one listing a credential twice; a bad value of
/// the variable is a usage error.
#[test]
fn verify_sorting_the_credentials_on_disk_reports_as_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let demo = convene()
        .args(["demo", "--offline", "--voters", "20", "--registered", "300", "--seed", "4", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(demo.status.code(), Some(0), "{}", String::from_utf8_lossy(&demo.stderr));
    let report = |sort: Option<&str>| {
        let mut command = convene();
        command.args(["verify", "--json"]).arg(&out).env_remove("CONVENE_SORT_IN_MEMORY");
        if let Some(n) = sort {
            command.env("CONVENE_SORT_IN_MEMORY", n);
        }
        let done = command.output().unwrap();
        (done.status.code(), String::from_utf8(done.stdout).unwrap())
    };
    let (code, honest) = report(None);
    assert_eq!(code, Some(0), "{honest}");
    let json: serde_json::Value = serde_json::from_str(&honest).unwrap();
    assert_eq!(json["records"][0]["registered"], 300, "{honest}");
    assert_eq!(report(Some("7")), (Some(0), honest.clone()));

    // One line repeated far from the first: found when the runs are merged.
    let path = out.join("credentials.jsonl");
    let mut lines: Vec<String> = std::fs::read_to_string(&path).unwrap().lines().map(String::from).collect();
    lines[250] = lines[3].clone();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let (code, forged) = report(None);
    assert_eq!(code, Some(1), "{forged}");
    assert!(forged.contains("credentials.jsonl line 251"), "{forged}");
    assert_eq!(report(Some("7")), (Some(1), forged));

    let bad = convene().args(["verify"]).arg(&out).env("CONVENE_SORT_IN_MEMORY", "lots").output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8(bad.stderr).unwrap().contains("is not a positive integer"));
}

#[test]
fn loadtest_casts_counts_and_fetches_a_record_that_verify_accepts() {
    let data = tempfile::tempdir().unwrap();
    let server = super::servers::Server::start(data.path(), &["--signin-per-minute", "1000"]);
    let record = data.path().join("record");
    let out = convene()
        .args(["loadtest", "--server", &server.url, "--voters", "12", "--registered", "20", "--concurrency", "4"])
        .arg("--admin-token-file")
        .arg(data.path().join("admin-token"))
        .arg("--record")
        .arg(&record)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("accepted 12 ballots (0 failed)"), "{stdout}");
    assert!(stdout.contains("counted in") && stdout.contains("record fetched into"), "{stdout}");
    let report = convene_record::verify::verify_record(&record, &convene_record::verify::Quiet);
    assert!(report.ok(), "{:#?}", report.failures);
    assert_eq!((report.cast, report.counted), (12, 12));
}
