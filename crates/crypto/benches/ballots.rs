//! Per-ballot costs of a yes/no ballot: encryption, verification alone and batched, and the
//! floor — the curve operations the proofs and signature require (8 decompressions plus their
//! share of one multiscalar multiplication). Medians of 11 runs; single-threaded.
//!
//! Run: `cargo bench -p convene-crypto --bench ballots`

use convene_crypto::ballot::{Ballot, CredentialSecret, ElectionContext, QuestionShape};
use convene_crypto::elgamal::ElectionKey;
use convene_crypto::{BatchVerifier, Point, RistrettoPoint, Scalar};
use curve25519_dalek::ristretto::CompressedRistretto;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use rand_core::OsRng;
use std::hint::black_box;
use std::time::Instant;

const RUNS: usize = 11;

/// Median over RUNS of the time per item, in microseconds.
fn median_us(items: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e6 / items as f64
        })
        .collect();
    times.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
    times[RUNS / 2]
}

/// Decodes every point of a ballot again from its bytes, as a verifier reading a record must.
fn redecode(b: &Ballot) -> Ballot {
    let d = |p: &Point| Point::decode(p.bytes()).expect("valid");
    let mut out = b.clone();
    out.credential = d(&b.credential);
    out.signature.R = d(&b.signature.R);
    for answer in &mut out.answers {
        for slot in &mut answer.slots {
            slot.ct.alpha = d(&slot.ct.alpha);
            slot.ct.beta = d(&slot.ct.beta);
            for branch in &mut slot.proof.branches {
                branch.A = d(&branch.A);
                branch.B = d(&branch.B);
            }
        }
    }
    out
}

fn main() {
    let key = Point::from(RistrettoPoint::mul_base(&Scalar::random(&mut OsRng)));
    let e = ElectionContext {
        base: [5u8; 32],
        key: ElectionKey::new(key).expect("non-identity"),
        questions: vec![QuestionShape::yes_no()],
    };
    let batch_size = 128;
    let credentials: Vec<CredentialSecret> = (0..batch_size).map(|_| CredentialSecret::generate(&mut OsRng)).collect();

    let encrypt = median_us(batch_size, || {
        for c in &credentials {
            black_box(e.encrypt_ballot(c, "north", &[vec![1]], &mut OsRng).expect("valid"));
        }
    });
    let ballots: Vec<_> =
        credentials.iter().map(|c| e.encrypt_ballot(c, "north", &[vec![1]], &mut OsRng).expect("valid").0).collect();

    let direct = median_us(batch_size, || {
        for b in &ballots {
            let mut batch = BatchVerifier::new(*key.point());
            e.push_ballot(&mut batch, b).expect("well-formed");
            assert!(batch.verify_vartime());
        }
    });
    let batched = median_us(batch_size, || {
        let mut batch = BatchVerifier::new(*key.point());
        for b in &ballots {
            e.push_ballot(&mut batch, b).expect("well-formed");
        }
        assert!(batch.verify_vartime());
    });

    let decode_batched = median_us(batch_size, || {
        let mut batch = BatchVerifier::new(*key.point());
        for b in &ballots {
            e.push_ballot(&mut batch, &redecode(b)).expect("well-formed");
        }
        assert!(batch.verify_vartime());
    });

    // The floor: decompress the 8 points of each ballot, then one MSM over all of them (+G, K).
    let encodings: Vec<[u8; 32]> = ballots
        .iter()
        .flat_map(|b| {
            let s = &b.answers[0].slots[0];
            let p = &s.proof.branches;
            [s.ct.alpha, s.ct.beta, p[0].A, p[0].B, p[1].A, p[1].B, b.signature.R, b.credential].map(|x| *x.bytes())
        })
        .collect();
    let scalars: Vec<Scalar> = (0..encodings.len() + 2).map(|_| Scalar::random(&mut OsRng)).collect();
    let floor = median_us(batch_size, || {
        let points: Vec<RistrettoPoint> =
            encodings.iter().map(|b| CompressedRistretto(*b).decompress().expect("valid")).collect();
        let all = points.into_iter().chain([RistrettoPoint::mul_base(&Scalar::ONE), *key.point()]);
        black_box(RistrettoPoint::vartime_multiscalar_mul(&scalars, all));
    });

    println!("yes/no ballot, one core, median of {RUNS} runs of {batch_size} ballots");
    println!("  encrypt (ciphertext, 0/1 proof, signature): {encrypt:8.1} µs/ballot");
    println!("  verify alone (one MSM per ballot):          {direct:8.1} µs/ballot");
    println!("  verify batched, points decoded ({batch_size}/MSM):   {batched:8.1} µs/ballot");
    println!("  decode (8 points) + verify batched:         {decode_batched:8.1} µs/ballot");
    println!("  floor (8 decompressions + MSM share):       {floor:8.1} µs/ballot");
    println!("  (decode + verify batched) / floor:          {:8.2}", decode_batched / floor);
    println!("  alone / batched:                            {:8.2}", direct / batched);
}
