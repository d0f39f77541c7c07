//! Any text as a voter types it (a credential string or a sign-in code, protocol note §14) and
//! as a browser's Accept-Language or a voter list's language: a value or a clear refusal, never a
//! panic; an accepted string reads back the same from its grouped form.
#![no_main]

use convene_crypto::typed::{TypedCode, TypedCredential};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = convene_crypto::typed::normalize(text);
    if let Ok(credential) = TypedCredential::parse(text) {
        assert_eq!(TypedCredential::parse(&credential.grouped()).as_ref(), Ok(&credential));
    }
    if let Ok(code) = TypedCode::parse(text) {
        assert_eq!(TypedCode::parse(&code.grouped()).as_ref(), Ok(&code));
    }
    let lang = convene_server::page_lang(None, Some(text));
    assert!(["en", "ar", "ckb"].contains(&lang));
    let _ = convene_sheets::Lang::parse(text);
});
