//! The committed JSON Schema (`docs/record.schema.json`) describes what the code writes.

use super::*;
use serde_json::Value;

fn validator(definition: &str) -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/record.schema.json");
    let mut schema: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    schema["$ref"] = Value::from(format!("#/$defs/{definition}"));
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn assert_valid(definition: &str, instance: &Value, what: &str) {
    let v = validator(definition);
    let errors: Vec<String> = v.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what} does not match $defs/{definition}: {errors:?}");
}

#[test]
fn every_document_of_the_honest_record_matches_the_schema() {
    let dir = honest_dir();
    for (file, definition) in [
        ("manifest.json", "manifest"),
        ("ceremony.json", "ceremony"),
        ("election.json", "election"),
        ("checkpoints.json", "checkpoints"),
        ("tally.json", "tally"),
        ("decryption.json", "decryption"),
        ("results.json", "results"),
        ("receipts/voter-0.json", "receipt"),
        ("authority.json", "authority"),
        ("registrar.json", "registrar"),
        ("acknowledgements.json", "acknowledgements"),
    ] {
        let doc: Value = serde_json::from_slice(&std::fs::read(dir.join(file)).unwrap()).unwrap();
        assert_valid(definition, &doc, file);
    }
    for (file, definition) in [("log.jsonl", "logEntry"), ("credentials.jsonl", "credentialLine")] {
        for (i, line) in std::fs::read_to_string(dir.join(file)).unwrap().lines().enumerate() {
            assert_valid(definition, &serde_json::from_str(line).unwrap(), &format!("{file} line {}", i + 1));
        }
    }
}

#[test]
fn the_schema_rejects_what_the_decoder_rejects() {
    let line = std::fs::read_to_string(honest_dir().join("log.jsonl")).unwrap().lines().nth(1).unwrap().to_string();
    let v = validator("logEntry");
    for bad in [line.replacen("\"cast\"", "\"vote\"", 1), line.replacen("\"region\"", "\"regio\"", 1)] {
        assert!(!v.is_valid(&serde_json::from_str(&bad).unwrap()), "{bad}");
    }
    // Upper-case hex in a value, and a value one digit too long.
    let value_upper = line.replacen("\"credential\":\"", "\"credential\":\"A", 1);
    assert!(!v.is_valid(&serde_json::from_str(&value_upper).unwrap()));
}

/// A convention's documents, and a referendum a convention called for (version 2, no authority),
/// match the schema too.
#[test]
fn the_convention_s_documents_and_its_referendum_match_the_schema() {
    let dir = &super::attacks::process_record().1;
    for (file, definition) in [
        ("convention/charter.json", "charter"),
        ("convention/constitution.json", "constitution"),
        ("convention/checkpoints.json", "checkpoints"),
        ("manifest.json", "manifest"),
        ("registrar.json", "registrar"),
        ("acknowledgements.json", "acknowledgements"),
        ("tally.json", "tally"),
        ("decryption.json", "decryption"),
    ] {
        let doc: Value = serde_json::from_slice(&std::fs::read(dir.join(file)).unwrap()).unwrap();
        assert_valid(definition, &doc, file);
    }
    for line in std::fs::read_to_string(dir.join("convention/log.jsonl")).unwrap().lines() {
        assert_valid("conventionEntry", &serde_json::from_str(line).unwrap(), "convention/log.jsonl");
    }
}

/// `docs/openapi.json`, its references to `docs/record.schema.json` made local.
fn openapi() -> Value {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs");
    let text = std::fs::read_to_string(docs.join("openapi.json")).unwrap();
    serde_json::from_str(&text.replace("record.schema.json#/$defs/", "#/$defs/")).unwrap()
}

/// The validator of `schema`, with the API's `components` and the record's `$defs` beside it.
fn validator_of(schema: &Value) -> jsonschema::Validator {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs");
    let record: Value = serde_json::from_slice(&std::fs::read(docs.join("record.schema.json")).unwrap()).unwrap();
    let mut root = schema.clone();
    root["components"] = openapi()["components"].clone();
    root["$defs"] = record["$defs"].clone();
    jsonschema::validator_for(&root).expect("the API's schemas compile")
}

fn assert_matches(schema: &Value, answer: &Value, what: &str) {
    let v = validator_of(schema);
    let errors: Vec<String> = v.iter_errors(answer).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what} does not match {schema}: {errors:?}\n{answer}");
}

pub(crate) fn assert_answer(name: &str, answer: &Value, what: &str) {
    assert_matches(&serde_json::json!({"$ref": format!("#/components/schemas/{name}")}), answer, what);
}

/// The schema `docs/openapi.json` gives the success answer to `method path`: the path whose
/// template matches, the most literal one first.
fn documented(api: &Value, method: &str, path: &str) -> Option<Value> {
    let path = path.split('?').next().unwrap_or(path);
    let parts: Vec<&str> = path.split('/').collect();
    let mut best: Option<(usize, &Value)> = None;
    for (template, item) in api["paths"].as_object().unwrap() {
        let t: Vec<&str> = template.split('/').collect();
        let fits = t.len() == parts.len() && t.iter().zip(&parts).all(|(a, b)| a.starts_with('{') || a == b);
        let literal = t.iter().filter(|a| !a.starts_with('{')).count();
        if fits && best.is_none_or(|(l, _)| literal > l) {
            best = Some((literal, &item[method.to_lowercase()]));
        }
    }
    let responses = &best?.1["responses"];
    ["200", "201"].iter().find_map(|code| responses[*code]["content"]["application/json"].get("schema").cloned())
}

/// Every JSON answer a tapped client received (`tap`, at least `at_least` of them) has a schema in
/// `docs/openapi.json`, and matches it: the supervisor's, the authority's, the trustees', the
/// registrar's, the code issuer's, a voter's and the convention's participants' answers.
fn assert_every_answer_documented(tap: &convene::client::Tap, at_least: usize) {
    let api = openapi();
    let answers = tap.lock().unwrap();
    assert!(answers.len() >= at_least, "the tap saw {} answers", answers.len());
    let mut undocumented = Vec::new();
    for (method, path, answer) in answers.iter().filter(|(_, _, a)| !a.is_null()) {
        match documented(&api, method, path) {
            Some(schema) => assert_matches(&schema, answer, &format!("{method} {path}")),
            None => undocumented.push(format!("{method} {path}")),
        }
    }
    undocumented.dedup();
    assert!(undocumented.is_empty(), "answers with no schema in docs/openapi.json: {undocumented:?}");
}

/// The answers of a real server match the response schemas `docs/openapi.json` gives: the
/// election list, an election, a sign-in, a cast (its receipt), a receipt, a consistency proof
/// and a page of the log; and every path's documented response names a schema that exists.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_answers_as_its_openapi_schemas_say() {
    use convene::client::{As, Client};
    use rand_core::SeedableRng;
    let data = tempfile::tempdir().unwrap();
    let server = convene::local::start(data.path(), None, "127.0.0.1:0", |_| {}).await.unwrap();
    let (client, tap) = Client::new(&server.url(), Some(server.admin_token.clone())).tapped();
    // The code issuer's upload too.
    let plan = convene::referendum::ElectionPlan { separate_codes: true, ..super::plan("api", 2, &["north", "south"]) };
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(17);
    let election = convene::referendum::set_up(&client, &plan, &mut rng).await.unwrap();
    let entry = convene::referendum::make_entry(&election, 0, &[vec![1]], false, &mut rng).unwrap();
    let session = client
        .post("/api/elections/api/signin", &serde_json::json!({"code": election.sheets[0].codes[0]}), As::Anyone)
        .await
        .unwrap();
    assert_answer("Session", &session, "POST signin");
    let token = session["session"].as_str().unwrap().to_string();
    let cast = client.post_raw("/api/elections/api/ballots", entry, As::Voter(&token)).await.unwrap();
    assert_answer("Receipt", &cast, "POST ballots");
    // The same answers read as the types the server writes and the client reads.
    let _: convene_server::api::ElectionList = client.get_as("/api/elections").await.unwrap();
    let _: convene_server::api::ElectionShown = client.get_as("/api/elections/api").await.unwrap();
    let _: convene_server::api::Consistency =
        client.get_as("/api/elections/api/consistency?from=1&to=1").await.unwrap();
    let page: convene_server::api::LogPage<Value> =
        client.get_as("/api/elections/api/log?from=0&limit=10").await.unwrap();
    assert_eq!((page.entries.len(), page.next, page.size), (1, Some(1), 1));
    for (path, name) in [
        ("/api/elections", "ElectionList"),
        ("/api/elections/api", "Election"),
        ("/api/elections/api/receipts/0", "Receipt"),
        ("/api/elections/api/consistency?from=1&to=1", "Consistency"),
        ("/api/elections/api/log?from=0&limit=10", "LogPage"),
    ] {
        assert_answer(name, &client.get(path).await.unwrap(), path);
    }
    convene::referendum::count(&client, &election).await.unwrap();
    assert_every_answer_documented(&tap, 20);
    // Every `$ref` to a schema names one that is there.
    let api: Value = serde_json::from_slice(
        &std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/openapi.json")).unwrap(),
    )
    .unwrap();
    let text = api.to_string();
    for (at, _) in text.match_indices("#/components/schemas/") {
        let name: String = text[at + 21..].chars().take_while(|c| c.is_alphanumeric()).collect();
        assert!(api["components"]["schemas"].get(&name).is_some(), "no schema {name}");
    }
}

/// The convention's answers match their schemas too: an accepted event (with its receipt), the
/// convention list, the latest checkpoint, the analysis.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_convention_answers_as_its_openapi_schemas_say() {
    use convene::client::Client;
    use convene_record::convention::{BodyJson, Event};
    use rand_core::SeedableRng;
    let data = tempfile::tempdir().unwrap();
    let server = convene::local::start(data.path(), None, "127.0.0.1:0", |_| {}).await.unwrap();
    let (client, tap) = Client::new(&server.url(), Some(server.admin_token.clone())).tapped();
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(19);
    let (convention, _chair, _secretary, mut delegates) =
        super::assembly::small_convention(&client, "schemas", &mut rng).await;
    let formula = "derivation = \"10%\"\ncentre = \"50%\"\n\n[keys]\npopulation = \"100%\"\n";
    let motion = Event::Motion { title: "Revenue".into(), body: BodyJson::Revenue(formula.into()) };
    let accepted = delegates[0].send(&client, &convention, motion, &mut rng).await.unwrap();
    assert_answer("Accepted", &accepted, "POST events");
    for (path, name) in [
        ("/api/conventions", "ConventionList"),
        ("/api/conventions/schemas/checkpoint", "Checkpoint"),
        ("/api/conventions/schemas/analysis", "Analysis"),
        ("/api/conventions/schemas", "ConventionState"),
    ] {
        assert_answer(name, &client.get(path).await.unwrap(), path);
    }
    // And every answer the participants' tools received on the way.
    assert_every_answer_documented(&tap, 10);
}
