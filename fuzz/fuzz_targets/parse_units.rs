//! Any text as `convene apportion`'s units CSV, apportioned by every method, and as
//! `convene power`'s members CSV: never a panic; an apportionment always fills the house.
#![no_main]

use convene_core::apportion::{apportion, parse_units_csv, Method, Problem};
use convene_core::power::{parse_members_csv, power};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok((_, weights)) = parse_members_csv(text) {
        if weights.len() <= 12 && weights.iter().all(|&w| w <= 1000) {
            let _ = power(&weights, 1 + (data.len() as u64 % 200), data.len() % 4);
        }
    }
    if let Ok((names, populations)) = parse_units_csv(text) {
        let seats = (data.len() % 50) as u64;
        let problem = Problem { names, populations, seats, min_seats: (data.len() % 3) as u64, max_seats: None, threshold: None };
        for method in ["hamilton", "dhondt", "webster", "huntington-hill", "adams", "dean"] {
            if let Ok(result) = apportion(Method::parse(method).unwrap(), &problem) {
                assert_eq!(result.seats.iter().sum::<u64>(), seats);
            }
        }
    }
});
