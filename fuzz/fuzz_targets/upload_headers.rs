//! Any `Convene-Upload-Sha256` and `Convene-Upload-Signature` header values and any length: the
//! registrar's signed hash or a refusal, never a panic; the registrar's own headers are accepted
//! for their length only, and any change to them is refused.
#![no_main]

use convene_record::actors::{check_upload_headers, upload_headers, ActorKey};
use libfuzzer_sys::fuzz_target;
use rand_core::SeedableRng;

fuzz_target!(|data: &[u8]| {
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
    let registrar = ActorKey::generate(&mut rng);
    let manifest = [9u8; 32];
    let [(_, sha256), (_, signature)] = upload_headers(&manifest, b"voters", &registrar, &mut rng);
    let public = registrar.public();
    assert!(check_upload_headers(&manifest, public, 6, &sha256, &signature).is_some());
    if data.len() < 8 {
        return;
    }
    let (length, rest) = data.split_at(8);
    let length = u64::from_le_bytes(length.try_into().unwrap());
    let text = String::from_utf8_lossy(rest);
    let (their_sha, their_signature) = text.split_once('\n').unwrap_or((&text, ""));
    let checked = check_upload_headers(&manifest, public, length, their_sha, their_signature);
    if checked.is_some() {
        assert!(length == 6 && their_sha == sha256 && their_signature == signature, "a forged upload was accepted");
    }
});
