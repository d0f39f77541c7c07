//! The cost of one typed credential (protocol note §14.4): Argon2id at the manifest's default
//! parameters, then the scalar multiplication that gives the public key — what the registrar
//! pays per voter, the voter's device once, and a brute-force attacker per guess. Median of 11
//! runs, one core.
//!
//! Run: `cargo bench -p convene-crypto --bench credentials`

use convene_crypto::typed::{KdfParams, TypedCredential};
use rand_core::OsRng;
use std::hint::black_box;
use std::time::Instant;

fn main() {
    const RUNS: usize = 11;
    let credential = TypedCredential::generate(&mut OsRng);
    for params in [KdfParams::DEFAULT, KdfParams { memory_kib: 65536, iterations: 3, parallelism: 1 }] {
        let mut times: Vec<f64> = (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                black_box(credential.derive("iraq-2005-constitution", &params).expect("valid parameters"));
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
        let median = times[RUNS / 2];
        println!(
            "Argon2id m={} KiB t={} p={} + x·G: {median:.1} ms per credential (median of {RUNS}, one core)",
            params.memory_kib, params.iterations, params.parallelism
        );
        // §14.5: some voter's credential among 15.5 million costs 2^80 / N guesses on average.
        let guesses = 2f64.powi(80) / 15.5e6;
        let core_years = guesses * median / 1e3 / (365.25 * 24.0 * 3600.0);
        println!("  finding some voter's among 15.5 million: {guesses:.2e} guesses, {core_years:.2e} core-years");
    }
}
