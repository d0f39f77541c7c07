//! The verifier against honest and tampered records, where the verifier is: an honest record
//! written from a seed (`convene_record::testing`, as `convene demo --offline` writes one)
//! verifies; changing any single byte of any ballot, proof, signature, checkpoint or decryption
//! share makes verification fail, and the report names that item.

use convene_record::testing::{write, Simulation};
use proptest::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A small honest record (both question kinds, re-votes, a challenge), built once per run.
fn honest_dir() -> &'static Path {
    static RECORD: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, dir) = RECORD.get_or_init(|| {
        let keep = tempfile::tempdir().expect("a temporary directory");
        let out = keep.path().join("record");
        let mut simulation = Simulation::new(40, out.clone());
        simulation.structure_question = true;
        simulation.revote_every = 10;
        simulation.seed = Some(7);
        write(&simulation, &|_, _, _| {}).expect("the simulation writes its record");
        (keep, out)
    });
    dir
}

/// A fresh copy of the honest record's documents to mutate (the voter's receipt is not part of
/// the record and is left behind).
fn copy_of_honest() -> tempfile::TempDir {
    let copy = tempfile::tempdir().expect("a temporary directory");
    convene_record::testing::copy_documents(honest_dir(), copy.path()).expect("the honest record copies");
    copy
}

fn verify(dir: &Path) -> convene_record::verify::Report {
    convene_record::verify::verify_record(dir, &convene_record::verify::Quiet)
}

#[test]
fn the_honest_record_verifies() {
    let report = verify(honest_dir());
    assert!(report.ok(), "{:#?}", report.failures);
    assert_eq!(report.counted, 40);
}

fn mutate_byte(bytes: &mut [u8], position: usize, delta: u8) {
    bytes[position] = bytes[position].wrapping_add(delta.max(1));
}

fn locations(report: &convene_record::verify::Report) -> Vec<String> {
    report.failures.iter().map(|f| f.location.clone()).collect()
}

/// Replaces one base64 character of the `line`-th signature line of the note at `pointer`.
fn mutate_signature_line(doc: &mut Value, pointer: &str, line: usize, position: usize, delta: u8) {
    let Value::String(note) = doc.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer}")) else {
        panic!("{pointer} is not a string")
    };
    let (text, signatures) = note.rsplit_once("\n\n").expect("a signed note");
    let mut lines: Vec<String> = signatures.lines().map(str::to_string).collect();
    let count = lines.len();
    let target = &mut lines[line % count];
    // Past the key ID (its first 4 bytes, 6 base64 digits): a line whose ID is changed names
    // another key, which a verifier ignores, as the signed-note spec says.
    let start = target.rfind(' ').expect("— NAME SIGNATURE") + 1 + 6;
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bytes = target.clone().into_bytes();
    let end = target.trim_end_matches('=').len() - 1;
    let i = start + position % (end - start);
    let current = alphabet.iter().position(|c| *c == bytes[i]).expect("base64");
    bytes[i] = alphabet[(current + 1 + delta as usize % 63) % 64];
    *target = String::from_utf8(bytes).unwrap();
    *note = format!("{text}\n\n{}\n", lines.join("\n"));
}

/// Replaces the hex digit at `position` of the string at `pointer` with a different digit.
fn mutate_hex(doc: &mut Value, pointer: &str, position: usize, delta: u8) {
    let Value::String(s) = doc.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer}")) else {
        panic!("{pointer} is not a string")
    };
    let digits = b"0123456789abcdef";
    let mut bytes = s.clone().into_bytes();
    let i = position % bytes.len();
    let current = digits.iter().position(|d| *d == bytes[i]).expect("lower-case hex");
    bytes[i] = digits[(current + 1 + (delta as usize % 15)) % 16];
    *s = String::from_utf8(bytes).expect("ascii");
}

fn rewrite_json(dir: &Path, name: &str, edit: impl FnOnce(&mut Value)) {
    let path = dir.join(name);
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(&mut doc);
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Any byte of any log line: the ballot itself, its proofs, its signature, its reveal.
    #[test]
    fn any_byte_of_any_log_entry(entry_seed in any::<usize>(), position_seed in any::<usize>(), delta in any::<u8>()) {
        let copy = copy_of_honest();
        let path = copy.path().join("log.jsonl");
        let text = std::fs::read(&path).unwrap();
        let mut lines: Vec<Vec<u8>> = text.split(|b| *b == b'\n').filter(|l| !l.is_empty()).map(<[u8]>::to_vec).collect();
        let entry = entry_seed % lines.len();
        let position = position_seed % lines[entry].len();
        mutate_byte(&mut lines[entry], position, delta);
        let mut out = lines.join(&b'\n');
        out.push(b'\n');
        std::fs::write(&path, out).unwrap();
        let report = verify(copy.path());
        prop_assert!(!report.ok());
        let wanted = format!("log entry {entry}");
        prop_assert!(locations(&report).contains(&wanted), "{wanted} not named in {:?}", report.failures);
    }

    /// Any hex digit of a ballot's proof or signature, re-encoded as valid JSON.
    #[test]
    fn any_proof_or_signature_value(entry_seed in any::<usize>(), which in 0usize..6, position in any::<usize>(), delta in any::<u8>()) {
        let copy = copy_of_honest();
        let path = copy.path().join("log.jsonl");
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        let entry = 1 + entry_seed % (lines.len() - 1);
        let mut doc: Value = serde_json::from_str(&lines[entry]).unwrap();
        let pointer = ["/ballot/answers/0/slots/0/proof/0/A", "/ballot/answers/0/slots/0/proof/1/z",
                       "/ballot/answers/1/sum_proof/0/c", "/ballot/answers/1/slots/2/alpha",
                       "/ballot/signature/R", "/ballot/signature/s"][which];
        mutate_hex(&mut doc, pointer, position, delta);
        lines[entry] = serde_json::to_string(&doc).unwrap();
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let report = verify(copy.path());
        let wanted = format!("log entry {entry}");
        prop_assert!(locations(&report).contains(&wanted), "{wanted} not named in {:?}", report.failures);
    }

    /// Any checkpoint's size, root or signature.
    #[test]
    fn any_checkpoint(which in 0usize..3, field in 0usize..4, position in any::<usize>(), delta in any::<u8>()) {
        let copy = copy_of_honest();
        let mut named = String::new();
        rewrite_json(copy.path(), "checkpoints.json", |doc| {
            let k = which % doc["checkpoints"].as_array().unwrap().len();
            named = format!("checkpoint {k} ");
            match field {
                0 => mutate_hex(doc, &format!("/checkpoints/{k}/root"), position, delta),
                // Version 4: the log key's signature line, or a witness's cosignature line.
                1 | 2 => mutate_signature_line(doc, &format!("/checkpoints/{k}/note"), field - 1, position, delta),
                _ => {
                    let size = doc["checkpoints"][k]["size"].as_u64().unwrap();
                    doc["checkpoints"][k]["size"] = Value::from(size + 1 + delta as u64 % 3);
                }
            }
        });
        let report = verify(copy.path());
        prop_assert!(locations(&report).iter().any(|l| l.starts_with(&named)), "{named} not named in {:?}", report.failures);
    }

    /// Any trustee's partial decryption of any tally slot: the share or its proof.
    #[test]
    fn any_decryption_share(trustee in 0usize..3, scope in 0usize..6, question in 0usize..2, slot in 0usize..4, field in 0usize..4, position in any::<usize>(), delta in any::<u8>()) {
        let copy = copy_of_honest();
        let slot = if question == 0 { 0 } else { slot };
        let mut named = String::new();
        rewrite_json(copy.path(), "decryption.json", |doc| {
            let who = doc["trustees"][trustee]["trustee"].as_u64().unwrap();
            let scopes = ["north", "south", "east", "west", "capital", "national"];
            named = format!("decryption trustee {who} {} question {question} slot {slot}", scopes[scope]);
            let base = format!("/trustees/{trustee}/scopes/{scope}/{question}/{slot}");
            let field = ["share", "proof/T1", "proof/T2", "proof/z"][field];
            mutate_hex(doc, &format!("{base}/{field}"), position, delta);
        });
        let report = verify(copy.path());
        prop_assert!(locations(&report).contains(&named), "{named} not named in {:?}", report.failures);
    }
}

#[test]
fn a_dropped_ballot_is_detected() {
    let copy = copy_of_honest();
    let path = copy.path().join("log.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let kept: Vec<&str> = text.lines().enumerate().filter(|(i, _)| *i != 20).map(|(_, l)| l).collect();
    std::fs::write(&path, kept.join("\n") + "\n").unwrap();
    let report = verify(copy.path());
    assert!(!report.ok());
    assert!(locations(&report).iter().any(|l| l.starts_with("checkpoint")));
    assert!(locations(&report).iter().any(|l| l.starts_with("tally ")));
}

#[test]
fn an_altered_result_is_named() {
    let copy = copy_of_honest();
    rewrite_json(copy.path(), "results.json", |doc| {
        let yes = doc["scopes"][1]["questions"][0][0].as_u64().unwrap();
        doc["scopes"][1]["questions"][0][0] = Value::from(yes + 1);
    });
    let report = verify(copy.path());
    assert_eq!(locations(&report), vec!["results south".to_string()]);
}

#[test]
fn an_altered_national_tally_is_named() {
    let copy = copy_of_honest();
    rewrite_json(copy.path(), "tally.json", |doc| {
        let regional = doc["scopes"][0]["questions"][0][0].clone();
        doc["scopes"][5]["questions"][0][0] = regional;
    });
    let report = verify(copy.path());
    assert!(locations(&report).contains(&"tally national question 0 slot 0".to_string()), "{:?}", report.failures);
}

#[test]
fn an_altered_ratification_verdict_is_named() {
    let copy = copy_of_honest();
    rewrite_json(copy.path(), "results.json", |doc| {
        let flipped = if doc["ratification"]["outcome"] == "ratified" { "rejected" } else { "ratified" };
        doc["ratification"]["outcome"] = Value::from(flipped);
    });
    let report = verify(copy.path());
    assert_eq!(locations(&report), vec!["results ratification".to_string()], "{:?}", report.failures);
}
