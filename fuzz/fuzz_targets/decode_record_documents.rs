//! Any bytes as each of the record's JSON documents: decoding must never panic.
#![no_main]

use convene_record::format::{
    CeremonyJson, CheckpointsJson, CredentialJson, DecryptionJson, ElectionJson, Manifest, ResultsJson, TallyJson,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(manifest) = Manifest::parse(data) {
        let _ = manifest.shapes();
    }
    if let Ok(ceremony) = serde_json::from_slice::<CeremonyJson>(data) {
        let _ = ceremony.decode_messages();
    }
    let _ = serde_json::from_slice::<CredentialJson>(data);
    let _ = serde_json::from_slice::<ElectionJson>(data);
    let _ = serde_json::from_slice::<CheckpointsJson>(data);
    let _ = serde_json::from_slice::<TallyJson>(data);
    if let Ok(decryption) = serde_json::from_slice::<DecryptionJson>(data) {
        for t in &decryption.trustees {
            for p in t.scopes.iter().flatten().flatten() {
                let _ = p.decode(t.trustee);
            }
        }
    }
    let _ = serde_json::from_slice::<ResultsJson>(data);
});
