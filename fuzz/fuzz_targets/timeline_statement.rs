//! Any bytes as `timeline.json` (the server's `POST /api/elections/ID/timeline` takes them) and
//! as a date: never a panic; a date that parses prints back the same; the milestones' dates never
//! come before the day they follow.
#![no_main]

use convene_core::timeline::{Date, Offset};
use convene_record::timeline::{dates, TimelineJson};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(timeline) = serde_json::from_slice::<TimelineJson>(data) {
        if let Ok(day) = Date::parse(&timeline.ratified_on) {
            if let Ok(dated) = dates(day, &timeline.offsets()) {
                assert!(dated.iter().all(|d| *d >= day));
            }
        }
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(day) = Date::parse(text) {
        assert_eq!(day.to_string(), text);
        let n = data.len() as u32;
        if let Some(later) = day.after(Offset { years: n % 101, months: n % 1201, days: n }) {
            assert!(later >= day);
        }
    }
});
