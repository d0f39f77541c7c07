//! Malformed input gets a clear error, never a panic: non-canonical points and scalars, the
//! identity where it is forbidden, truncated files, unknown versions.

use super::*;
use convene_record::format::{LogEntry, Manifest, RecordError};
use serde_json::Value;

fn first_cast_line() -> String {
    std::fs::read_to_string(honest_dir().join("log.jsonl")).unwrap().lines().nth(1).unwrap().to_string()
}

fn with_field(line: &str, pointer: &str, value: &str) -> String {
    let mut doc: Value = serde_json::from_str(line).unwrap();
    *doc.pointer_mut(pointer).unwrap() = Value::from(value);
    serde_json::to_string(&doc).unwrap()
}

fn error_of(line: &str) -> String {
    match LogEntry::parse(line.as_bytes()) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("accepted a malformed entry"),
    }
}

#[test]
fn non_canonical_points_and_scalars_and_the_identity_are_rejected_with_clear_errors() {
    let line = first_cast_line();
    let non_canonical_point = "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f";
    let order = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";
    let identity = "0000000000000000000000000000000000000000000000000000000000000000";
    let cases = [
        ("/ballot/answers/0/slots/0/alpha", non_canonical_point, "alpha: not a canonical ristretto255 point encoding"),
        (
            "/ballot/answers/0/slots/0/proof/0/z",
            order,
            "proof.z: not a canonical scalar (must be below the group order)",
        ),
        ("/ballot/signature/s", order, "signature.s: not a canonical scalar"),
        ("/ballot/credential", identity, "credential: the identity point is not allowed here"),
        ("/ballot/signature/R", "ABCD", "signature.R: expected 64 hex characters, found 4"),
        ("/ballot/credential", &"AB".repeat(32), "credential: invalid hex character at position 0"),
    ];
    for (pointer, value, expected) in cases {
        let error = error_of(&with_field(&line, pointer, value));
        assert!(error.starts_with(expected), "{pointer}: got {error:?}, expected {expected:?}");
    }
}

#[test]
fn unknown_fields_kinds_and_truncation_are_errors() {
    let line = first_cast_line();
    assert!(error_of(&line.replacen("\"kind\":\"cast\"", "\"kind\":\"vote\"", 1)).contains("unknown variant `vote`"));
    assert!(error_of(&line.replacen("\"region\"", "\"regio\"", 1)).contains("unknown field `regio`"));
    for cut in [0, 1, line.len() / 3, line.len() - 1] {
        let error = error_of(&line[..cut]);
        assert!(error.starts_with("not valid JSON"), "cut at {cut}: {error}");
    }
}

#[test]
fn an_unknown_version_is_named() {
    let manifest = std::fs::read_to_string(honest_dir().join("manifest.json")).unwrap();
    let future = manifest.replacen("\"version\": 4", "\"version\": 9", 1);
    assert!(matches!(Manifest::parse(future.as_bytes()), Err(RecordError::Version { found: 9 })));
    let copy = copy_of_honest();
    std::fs::write(copy.path().join("manifest.json"), future).unwrap();
    let report = verify(copy.path());
    assert_eq!(report.failures.len(), 1);
    assert_eq!(
        report.failures[0].to_string(),
        "manifest.json: record format version 9 is not supported (this verifier reads versions 1 to 4) [manifest-invalid]"
    );
}

#[test]
fn truncated_files_are_reported_not_panicked_on() {
    for name in [
        "manifest.json",
        "ceremony.json",
        "credentials.jsonl",
        "log.jsonl",
        "checkpoints.json",
        "tally.json",
        "decryption.json",
        "results.json",
        "election.json",
    ] {
        let copy = copy_of_honest();
        let path = copy.path().join(name);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() * 2 / 3]).unwrap();
        let report = verify(copy.path());
        assert!(!report.ok(), "{name} truncated but the record verified");
        let named = report.failures.iter().any(|f| {
            f.location.starts_with(name)
                || f.location.starts_with("log entry")
                || f.location.starts_with("credentials.jsonl")
        });
        assert!(named, "{name}: {:?}", report.failures);
    }
}

#[test]
fn a_missing_file_is_named() {
    let copy = copy_of_honest();
    std::fs::remove_file(copy.path().join("decryption.json")).unwrap();
    let report = verify(copy.path());
    assert!(report.failures[0].to_string().starts_with("decryption.json: cannot read"), "{:?}", report.failures);
}
