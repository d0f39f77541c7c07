//! Any bytes as a signed note, a checkpoint or a verifier key: a value or an error, never a
//! panic; what parses renders back to the same bytes, and a note verifies only under its key.
#![no_main]

use convene_note::*;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(note) = Note::parse(data) {
        assert_eq!(note.render().as_bytes(), data);
        let stranger = NoteSigner::from_seed("fuzz.example/log", TYPE_ED25519, &[1; 32]).unwrap();
        let witness = NoteSigner::from_seed("fuzz.example/w", TYPE_COSIGNATURE, &[2; 32]).unwrap();
        let _ = note.verify(&[stranger.verifier(), witness.verifier()]);
        let _ = Checkpoint::parse(&note.text);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(checkpoint) = Checkpoint::parse(text) {
            assert_eq!(checkpoint.text(), text);
        }
        let _ = Verifier::parse(text.trim_end());
    }
});
