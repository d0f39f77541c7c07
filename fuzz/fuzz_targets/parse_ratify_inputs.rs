//! Any text as a ratification rule and as results CSV: parsing and evaluating never panic.
#![no_main]

use convene_core::ratify::{evaluate, parse_results_csv, Rule};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (rule_text, csv_text) = text.split_once("\n---\n").unwrap_or((text, text));
    let rule = Rule::parse(rule_text);
    let results = parse_results_csv(csv_text);
    if let (Ok(rule), Ok(results)) = (rule, results) {
        if let Ok(verdict) = evaluate(&rule, &results) {
            let _ = verdict.to_text();
        }
    }
});
