use super::*;
use proptest::prelude::*;

proptest! {
    /// The fuzz targets' property, run in every test pass: any bytes decode or fail cleanly.
    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = LogEntry::parse(&data);
        let _ = Manifest::parse(&data);
        if let Ok(c) = serde_json::from_slice::<CeremonyJson>(&data) {
            let _ = c.decode_messages();
        }
    }

    #[test]
    fn json_shaped_garbage_never_panics(kind in "cast|spoiled|x", hex in "[0-9a-fA-F]{0,70}", m in any::<u64>()) {
        let line = format!(
            r#"{{"kind":"{kind}","ballot":{{"credential":"{hex}","region":"r","answers":[{{"slots":[{{"alpha":"{hex}","beta":"{hex}","proof":[]}}]}}],"signature":{{"R":"{hex}","s":"{hex}"}}}},"reveal":[[{{"m":{m},"r":"{hex}"}}]]}}"#
        );
        let _ = LogEntry::parse(line.as_bytes());
    }
}

#[test]
fn a_manifest_rule_must_name_a_yes_no_question_and_parse() {
    let base = r#"{"version":1,"election_id":"e","title":"t","questions":[{"kind":"yes-no","id":"q","text":"?","blank":true},
        {"kind":"choose","id":"c","text":"?","options":["a","b"],"min":1,"max":1,"max_per_option":1}],
        "regions":["r"],"trustees":{"n":1,"t":1},
        "log_key":"e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76","ratification":RULE}"#;
    let with = |rule: &str| Manifest::parse(base.replace("RULE", rule).as_bytes());
    assert!(with(r#"{"question":"q","rule":"[approval]\nmore_than = \"1/2\"\n"}"#).is_ok());
    let cases = [
        (r#"{"question":"x","rule":"[approval]\nmore_than = \"1/2\"\n"}"#, "there is no question \"x\""),
        (r#"{"question":"c","rule":"[approval]\nmore_than = \"1/2\"\n"}"#, "is not a yes/no question"),
        (r#"{"question":"q","rule":"[approval]\n"}"#, "exactly one of more_than or at_least"),
        (r#"{"question":"q","rule":"[approval]\nmore_than = \"1/2\"\n","region_weights":{"z":"1"}}"#, "not a region"),
    ];
    for (rule, expected) in cases {
        let error = with(rule).unwrap_err().to_string();
        assert!(error.contains(expected), "{rule}: {error}");
    }
    // With blank votes, the rule sees yes, no and blank apart.
    let manifest = with(r#"{"question":"q","rule":"[approval]\nbase = \"cast\"\nmore_than = \"1/2\"\n"}"#).unwrap();
    let results = vec![ScopeResultJson {
        scope: "r".into(),
        counted: 10,
        weight: None,
        regions: vec![],
        questions: vec![vec![5, 2], vec![6, 4]],
    }];
    let verdict = crate::results::ratify(&manifest, &results, &[20]).unwrap().unwrap();
    assert_eq!(verdict.outcome, "rejected", "5 yes of 10 cast (3 blank) is not more than half");
    assert!(verdict.report.iter().any(|l| l.contains("yes 5 of 10 cast")), "{:?}", verdict.report);
}

#[test]
fn unknown_manifest_version_is_a_clear_error() {
    let text = r#"{"version":9,"election_id":"e","title":"t","questions":[],"regions":[],"trustees":{"n":1,"t":1},"log_key":""}"#;
    let error = Manifest::parse(text.as_bytes()).unwrap_err().to_string();
    assert_eq!(error, "record format version 9 is not supported (this verifier reads versions 1 to 4)");
}
