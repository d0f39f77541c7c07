//! Any bytes as a tile path or an entry bundle from a mirror: a value or an error, never a
//! panic; a path that parses renders back to itself, a bundle that parses bundles back to itself.
#![no_main]

use convene_record::tiles::{bundle, parse_bundle, parse_tile_path, tile_path};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Some((level, n, width)) = parse_tile_path(text) {
            assert_eq!(tile_path(level, n, width), format!("tile/{text}"));
        }
    }
    let width = data.first().map_or(0, |w| *w as u64);
    let rest = data.get(1..).unwrap_or_default();
    if let Ok(entries) = parse_bundle(rest, width) {
        assert_eq!(bundle(&entries).unwrap(), rest);
    }
});
