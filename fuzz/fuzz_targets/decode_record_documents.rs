//! Any bytes as each of the record's JSON documents: decoding must never panic. A decoded
//! manifest is also used as version 2 would use it (actors, the ceremony's signatures).
#![no_main]

use convene_record::actors::{authenticated_messages, AcknowledgementsJson, AuthorityJson, RegistrarJson};
use convene_record::format::{
    CeremonyJson, CheckpointsJson, CredentialJson, DecryptionJson, ElectionJson, Manifest, ResultsJson, TallyJson,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(manifest) = Manifest::parse(data) {
        let _ = manifest.shapes();
        for j in 0..=manifest.trustees.n + 1 {
            let _ = manifest.trustee_key(j);
        }
    }
    if let Ok(ceremony) = serde_json::from_slice::<CeremonyJson>(data) {
        let _ = ceremony.decode_messages();
    }
    let _ = serde_json::from_slice::<CredentialJson>(data);
    let _ = serde_json::from_slice::<ElectionJson>(data);
    let _ = serde_json::from_slice::<CheckpointsJson>(data);
    if let Ok(tally) = serde_json::from_slice::<TallyJson>(data) {
        let _ = tally.log.map(|l| l.decode());
    }
    if let Ok(decryption) = serde_json::from_slice::<DecryptionJson>(data) {
        for t in &decryption.trustees {
            for p in t.scopes.iter().flatten().flatten().flatten() {
                let _ = p.decode(t.trustee);
            }
            let _ = t.signature.as_ref().map(|s| s.decode());
        }
    }
    let _ = serde_json::from_slice::<ResultsJson>(data);
    let _ = serde_json::from_slice::<AuthorityJson>(data).map(|a| a.signature.decode());
    if let Ok(registrar) = serde_json::from_slice::<RegistrarJson>(data) {
        let _ = registrar.message();
    }
    let _ = serde_json::from_slice::<AcknowledgementsJson>(data);
    // A manifest and a ceremony from the two halves of the input, as the verifier combines them.
    let (a, b) = data.split_at(data.len() / 2);
    if let (Ok(manifest), Ok(ceremony)) = (Manifest::parse(a), serde_json::from_slice::<CeremonyJson>(b)) {
        let _ = authenticated_messages(&manifest, &[0; 32], &ceremony);
    }
});
