//! Any text as the registrar's voter list: a list of voters or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let regions = ["north".to_string(), "south".to_string()];
        if let Ok(voters) = convene::registrar::parse_voters(text, &regions) {
            assert!(voters.iter().all(|v| !v.name.is_empty() && regions.contains(&v.region) && v.weight >= 1));
        }
    }
});
