//! Any bytes as a witness's add-checkpoint request: a request or a refusal, never a panic; a
//! request that parses has at most 63 proof lines.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = convene_witness::AddCheckpoint::parse(data) {
        assert!(request.proof.len() <= convene_witness::MAX_PROOF_LINES);
        let _ = convene_note::Note::parse(&request.note);
    }
});
