//! Any credential list, sorted on disk in runs of any length (the verifier's and the server's
//! `ElectorateBuilder`), answers every lookup, count and duplicate as the list held in memory.
#![no_main]

use convene_record::electorate::{Electorate, ElectorateBuilder};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&run, rows)) = data.split_first() else { return };
    let regions: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
    let mut memory = Electorate::new(regions.clone());
    let mut builder = ElectorateBuilder::sorting(regions, run as usize % 16 + 1);
    let mut duplicates = Vec::new();
    let mut keys = Vec::new();
    // Each 4 bytes: a key (its first two bytes spread over 32), a region, a weight.
    for (i, row) in rows.chunks_exact(4).enumerate() {
        let mut key = [row[0]; 32];
        key[31] = row[1];
        let (region, weight) = (row[2] as u16 % 3, row[3] as u32 % 5 + 1);
        let line = i as u64 + 1;
        if !memory.register(key, region, weight) {
            duplicates.push(line);
        }
        builder.push(line, key, region, weight).expect("the temporary files are writable");
        keys.push(key);
    }
    let (sorted, found) = builder.finish().expect("the temporary files are readable");
    assert_eq!(found, duplicates);
    assert_eq!(sorted.len(), memory.len());
    assert_eq!(sorted.registered_by_region(), memory.registered_by_region());
    assert_eq!(sorted.credentials_by_region(), memory.credentials_by_region());
    assert_eq!(sorted.heaviest(), memory.heaviest());
    keys.push([0xAB; 32]);
    for key in &keys {
        let (a, b) = (sorted.voter(key), memory.voter(key));
        assert_eq!(a.map(|v| (v.region, v.weight)), b.map(|v| (v.region, v.weight)));
    }
});
