//! Any text as `convene apportion`'s units CSV, apportioned by every method (with and without a
//! maximum), and as `convene power`'s members CSV: never a panic; an apportionment always fills
//! the house, keeps within the maximum and gives a zero population no seat.
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
        let max = (data.first().copied().unwrap_or(0) % 8) as u64;
        for max_seats in [None, Some(max)] {
            let problem = Problem {
                names: names.clone(),
                populations: populations.clone(),
                seats,
                min_seats: (data.len() % 3) as u64,
                max_seats,
                threshold: None,
            };
            for method in ["hamilton", "dhondt", "webster", "huntington-hill", "adams", "dean"] {
                if let Ok(result) = apportion(Method::parse(method).unwrap(), &problem) {
                    assert_eq!(result.seats.iter().sum::<u64>(), seats);
                    assert!(result.seats.iter().all(|&s| s <= max_seats.unwrap_or(u64::MAX)));
                    for (s, p) in result.seats.iter().zip(&populations) {
                        assert!(*p > 0 || *s == 0);
                    }
                }
            }
        }
    }
});
