//! Threshold decryption (protocol note §7): partial decryptions with Chaum–Pedersen proofs,
//! Lagrange combination at zero.
#![allow(non_snake_case)] // D, X, M follow the protocol note.

use crate::batch::BatchVerifier;
use crate::ceremony::TrusteeKey;
use crate::elgamal::Ciphertext;
use crate::encoding::Point;
use crate::proofs::dleq::{DleqProof, DleqStatement, TAG_DECRYPTION};
use crate::VerificationError;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use curve25519_dalek::RistrettoPoint;
use rand_core::CryptoRngCore;
use std::collections::BTreeSet;

/// Why partial decryptions cannot be combined.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecryptionError {
    /// Fewer partial decryptions than the threshold.
    #[error("{found} partial decryptions; at least {needed} are needed")]
    TooFew {
        /// The threshold.
        needed: usize,
        /// How many were given.
        found: usize,
    },
    /// A trustee index that is zero or appears twice.
    #[error("trustee index {0} is zero or repeated")]
    BadIndex(u32),
}

/// Trustee `trustee`'s share `D = x_j·α` of a ciphertext, with its proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartialDecryption {
    /// The trustee `j`.
    pub trustee: u32,
    /// `D = x_j·α`.
    pub share: Point,
    /// The Chaum–Pedersen proof that `D` and `X_j` share the discrete log `x_j` (§4.3).
    pub proof: DleqProof,
}

/// `ctx = enc(β) ‖ u32(j) ‖ location` (protocol note §4.3).
fn context(ct: &Ciphertext, trustee: u32, location: &[u8]) -> Vec<u8> {
    let mut ctx = Vec::with_capacity(36 + location.len());
    ctx.extend_from_slice(ct.beta.bytes());
    ctx.extend_from_slice(&trustee.to_le_bytes());
    ctx.extend_from_slice(location);
    ctx
}

impl TrusteeKey {
    /// Decrypts the tally slot `location` partially, with proof.
    pub fn partial_decrypt(
        &self,
        base: &[u8; 32],
        ct: &Ciphertext,
        location: &[u8],
        rng: &mut impl CryptoRngCore,
    ) -> PartialDecryption {
        let share = Point::from(self.x * ct.alpha.point());
        let ctx = context(ct, self.index, location);
        let st = DleqStatement { tag: TAG_DECRYPTION, h: base, ctx: &ctx, X: &self.public, A: &ct.alpha, D: &share };
        let k = zeroize::Zeroizing::new(Scalar::random(rng));
        PartialDecryption { trustee: self.index, share, proof: st.prove(&self.x, &k) }
    }
}

/// Adds the proof of a partial decryption by the trustee with verification key `X`.
pub fn push_partial(
    batch: &mut BatchVerifier,
    base: &[u8; 32],
    X: &Point,
    ct: &Ciphertext,
    location: &[u8],
    partial: &PartialDecryption,
) -> Result<(), VerificationError> {
    let ctx = context(ct, partial.trustee, location);
    let st = DleqStatement { tag: TAG_DECRYPTION, h: base, ctx: &ctx, X, A: &ct.alpha, D: &partial.share };
    st.push(batch, &partial.proof)
}

/// Checks one partial decryption of `ct` at `location` against trustee `j`'s verification key `X` (§7).
pub fn verify_partial(
    base: &[u8; 32],
    X: &Point,
    ct: &Ciphertext,
    location: &[u8],
    partial: &PartialDecryption,
) -> Result<(), VerificationError> {
    BatchVerifier::verify_alone(*X.point(), |batch| push_partial(batch, base, X, ct, location, partial))
}

/// The Lagrange coefficients at zero for distinct non-zero indices.
pub fn lagrange_at_zero(indices: &[u32]) -> Result<Vec<Scalar>, DecryptionError> {
    let mut seen = BTreeSet::new();
    for &j in indices {
        if j == 0 || !seen.insert(j) {
            return Err(DecryptionError::BadIndex(j));
        }
    }
    Ok(indices
        .iter()
        .map(|&j| {
            let (num, den) = indices.iter().filter(|&&k| k != j).fold((Scalar::ONE, Scalar::ONE), |(n, d), &k| {
                (n * Scalar::from(k), d * (Scalar::from(k) - Scalar::from(j)))
            });
            num * den.invert()
        })
        .collect())
}

/// `M = β − Σ λ_j·D_j` from at least `t` partial decryptions; `M = m·G`.
pub fn combine(t: u32, ct: &Ciphertext, partials: &[(u32, Point)]) -> Result<RistrettoPoint, DecryptionError> {
    if partials.len() < t as usize {
        return Err(DecryptionError::TooFew { needed: t as usize, found: partials.len() });
    }
    let indices: Vec<u32> = partials.iter().map(|(j, _)| *j).collect();
    let lambdas = lagrange_at_zero(&indices)?;
    let shared = RistrettoPoint::vartime_multiscalar_mul(&lambdas, partials.iter().map(|(_, D)| D.point()));
    Ok(ct.beta.point() - shared)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ceremony::{run_local_ceremony, CeremonyParams};
    use crate::elgamal::ElectionKey;
    use rand_core::OsRng;

    #[test]
    fn partial_decryptions_verify_and_combine() {
        let c = run_local_ceremony(CeremonyParams { manifest_hash: [1; 32], n: 3, t: 2 }, &mut OsRng, |_| {}).unwrap();
        let key = ElectionKey::new(c.outcome.key).unwrap();
        let ct = key.encrypt(42, &Scalar::random(&mut OsRng));
        let base = [2u8; 32];
        let partials: Vec<_> = c.keys.iter().map(|k| k.partial_decrypt(&base, &ct, b"slot", &mut OsRng)).collect();
        for (p, k) in partials.iter().zip(&c.keys) {
            assert!(verify_partial(&base, &k.public, &ct, b"slot", p).is_ok());
            assert!(verify_partial(&base, &k.public, &ct, b"other slot", p).is_err());
        }
        let shares: Vec<_> = partials.iter().map(|p| (p.trustee, p.share)).collect();
        let M = combine(2, &ct, &shares[1..]).unwrap();
        assert_eq!(M, RistrettoPoint::mul_base(&Scalar::from(42u64)));
        assert_eq!(combine(2, &ct, &shares[..1]), Err(DecryptionError::TooFew { needed: 2, found: 1 }));
        assert_eq!(lagrange_at_zero(&[1, 1]), Err(DecryptionError::BadIndex(1)));
    }
}
