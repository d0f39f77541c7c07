//! Any bytes as what a witness answers: the cosignature line the server adds to a checkpoint
//! (`add_cosignature`), and the latest checkpoint a voter's tool compares a receipt with
//! (`check_against_witness`), against the golden version-4 record. A value or an error, never
//! a panic; a line is added only if it verifies.
#![no_main]

use convene_record::checkpoint::add_cosignature;
use convene_record::format::{CheckpointsJson, Manifest};
use convene_record::receipt::check_against_witness;
use convene_record::writer::Receipt;
use libfuzzer_sys::fuzz_target;

const MANIFEST: &[u8] = include_bytes!("../../test-vectors/record-v4/manifest.json");
const CHECKPOINTS: &[u8] = include_bytes!("../../test-vectors/record-v4/checkpoints.json");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let manifest = Manifest::parse(MANIFEST).unwrap();
    let checkpoints: CheckpointsJson = serde_json::from_slice(CHECKPOINTS).unwrap();
    let checkpoint = checkpoints.checkpoints[0].clone();
    let witness = convene_note::Verifier::parse(&manifest.witnesses[0].key).unwrap();
    let mut with = checkpoint.clone();
    if add_cosignature(&mut with, &witness, text).is_ok() {
        assert!(with.note.as_ref().unwrap().len() > checkpoint.note.as_ref().unwrap().len());
    }
    let receipt = Receipt { version: 1, index: 0, tracking_code: "00".repeat(32), checkpoint, inclusion: Vec::new() };
    let _ = check_against_witness(&manifest, 0, text, &receipt, |_, _| None);
});
