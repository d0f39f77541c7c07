//! Any bytes as a line of `log.jsonl`: decoding must return an entry or an error, never panic;
//! a decoded entry must re-encode and decode to itself, and its protocol bytes must be computable.
#![no_main]

use convene_record::format::LogEntry;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(entry) = LogEntry::parse(data) {
        let line = entry.to_json_line();
        let again = LogEntry::parse(line.as_bytes()).expect("a re-encoded entry decodes");
        assert_eq!(again, entry);
        let _ = entry.entry_bytes(&[0u8; 32]);
    }
});
