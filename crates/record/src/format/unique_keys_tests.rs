#[derive(serde::Deserialize, Debug)]
#[allow(dead_code)] // only parsed
struct Counts {
    #[serde(deserialize_with = "super::unique_keys")]
    tally: std::collections::BTreeMap<String, u64>,
}

#[test]
fn a_key_given_twice_is_refused() {
    assert!(serde_json::from_str::<Counts>(r#"{"tally":{"a":1,"b":2}}"#).is_ok());
    let e = serde_json::from_str::<Counts>(r#"{"tally":{"a":1,"a":2}}"#).unwrap_err();
    assert!(e.to_string().contains("given twice"), "{e}");
    let e = serde_json::from_str::<Counts>(r#"{"tally":{"a":1},"tally":{"b":1}}"#).unwrap_err();
    assert!(e.to_string().contains("duplicate field"), "{e}");
}
