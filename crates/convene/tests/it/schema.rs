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
