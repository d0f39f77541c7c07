//! Properties of the threshold: any t qualified trustees decrypt; t − 1 cannot.

use convene_crypto::ceremony::{run_local_ceremony, CeremonyParams};
use convene_crypto::decryption::{combine, lagrange_at_zero, verify_partial, DecryptionError};
use convene_crypto::elgamal::ElectionKey;
use convene_crypto::{RistrettoPoint, Scalar};
use curve25519_dalek::traits::VartimeMultiscalarMul;
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn any_t_shares_decrypt_and_t_minus_one_cannot(seed in any::<u64>(), n in 2u32..7, t_seed in any::<u32>(), pick in any::<u64>(), m in 0u64..100_000) {
        let t = 1 + t_seed % n;
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let c = run_local_ceremony(CeremonyParams { manifest_hash: [4; 32], n, t }, &mut rng, |_| {}).unwrap();
        let key = ElectionKey::new(c.outcome.key).unwrap();
        let ct = key.encrypt(m, &Scalar::random(&mut rng));
        let base = [6u8; 32];
        // A pseudo-random subset of exactly t trustees.
        let mut order: Vec<usize> = (0..c.keys.len()).collect();
        let mut p = pick;
        for i in (1..order.len()).rev() {
            order.swap(i, (p % (i as u64 + 1)) as usize);
            p /= i as u64 + 1;
        }
        let chosen: Vec<_> = order[..t as usize].iter().map(|&i| &c.keys[i]).collect();
        let partials: Vec<_> = chosen.iter().map(|k| k.partial_decrypt(&base, &ct, b"slot", &mut rng)).collect();
        for (p, k) in partials.iter().zip(&chosen) {
            prop_assert!(verify_partial(&base, &k.public, &ct, b"slot", p).is_ok());
        }
        let shares: Vec<_> = partials.iter().map(|p| (p.trustee, p.share)).collect();
        let expected = RistrettoPoint::mul_base(&Scalar::from(m));
        prop_assert_eq!(combine(t, &ct, &shares).unwrap(), expected);
        if t > 1 {
            let fewer = &shares[..t as usize - 1];
            prop_assert_eq!(combine(t, &ct, fewer), Err(DecryptionError::TooFew { needed: t as usize, found: t as usize - 1 }));
            // Even ignoring the refusal, interpolating t − 1 shares does not give the plaintext.
            let indices: Vec<u32> = fewer.iter().map(|(j, _)| *j).collect();
            let lambdas = lagrange_at_zero(&indices).unwrap();
            let forged = ct.beta.point() - RistrettoPoint::vartime_multiscalar_mul(&lambdas, fewer.iter().map(|(_, d)| *d.point()));
            prop_assert_ne!(forged, expected);
        }
    }
}
