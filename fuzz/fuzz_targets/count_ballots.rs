//! Any text as `convene count`'s ballots CSV, counted both ways with and without a lot: never a
//! panic; a winner is always one of instant runoff's possible winners, and a lot always picks
//! one when they are known.
#![no_main]

use convene_core::ranked::{count, describe, parse_ballots_csv, Lot, Show};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok((names, ballots)) = parse_ballots_csv(text) else { return };
    if names.len() > 8 {
        return;
    }
    let plain = count(names.len(), &ballots, None);
    let drawn = count(names.len(), &ballots, Some(Lot::draw("fuzz", &names)));
    let _ = describe(&names, &plain, Show::Both);
    let _ = describe(&names, &drawn, Show::Both);
    if let Some(possible) = &plain.runoff.possible_winners {
        if let Some(w) = plain.runoff.winner {
            assert_eq!(possible, &vec![w]);
        }
        if let Some(w) = drawn.runoff.winner {
            assert!(possible.contains(&w));
        }
        if !possible.is_empty() {
            assert!(drawn.runoff.winner.is_some());
        }
    }
});
