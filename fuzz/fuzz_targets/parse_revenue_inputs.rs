//! Any text as a revenue formula and a localities CSV: never a panic, and an allocation always
//! accounts for every unit of the revenue.
#![no_main]

use convene_core::revenue::{allocate, parse_localities_csv, Formula};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (formula, places) = text.split_once("\n---\n").unwrap_or((text, text));
    if let (Ok(formula), Ok(places)) = (Formula::parse(formula), parse_localities_csv(places)) {
        let revenue = data.len() as u64 * 1_000_003;
        if let Ok(a) = allocate(&formula, &places, revenue) {
            let sum = a.deductions.iter().map(|d| d.1).sum::<u64>() + a.centre + a.totals.iter().sum::<u64>() + a.undistributed;
            assert_eq!(sum, revenue);
        }
    }
});
