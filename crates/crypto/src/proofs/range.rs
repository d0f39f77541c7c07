//! The disjunctive Chaum–Pedersen range proof (protocol note §4.4): a ciphertext encrypts some
//! value in `lo..=hi`. One implementation serves the 0/1 proof of an option, the `0..=R` proof of
//! a cumulative option, and the `min..=max` proof on a question's summed ciphertext.
#![allow(non_snake_case)] // A, B, K, G follow the protocol note.

use crate::batch::BatchVerifier;
use crate::elgamal::{Ciphertext, ElectionKey};
use crate::encoding::{Challenge, Point};
use crate::VerificationError;
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::scalar::Scalar;
use rand_core::CryptoRngCore;
use zeroize::Zeroize;

/// The tag of a range proof's challenge (§4.4).
pub const TAG_RANGE: &str = "convene/range v1";

/// The largest range a proof may cover; a proof has one branch per value, so this bounds its
/// size (and the work an adversary can demand of a verifier).
pub const MAX_BRANCHES: u32 = 1024;

/// One branch `j` of a range proof: the commitments and the branch's challenge and response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeBranch {
    /// `A_j`.
    pub A: Point,
    /// `B_j`.
    pub B: Point,
    /// `c_j`, the branch's share of the challenge.
    pub c: Scalar,
    /// `z_j`.
    pub z: Scalar,
}

/// A disjunctive proof that a ciphertext encrypts one of `lo..=hi` (§4.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangeProof {
    /// One branch per value, in increasing order.
    pub branches: Vec<RangeBranch>,
}

/// The nonces of one proof: `k` for the real branch, `(c_j, z_j)` for each simulated branch in
/// increasing `j`. Secret until the proof is published; zeroized on drop.
#[derive(Clone, Zeroize)]
#[zeroize(drop)]
pub struct RangeNonces {
    /// The real branch's nonce.
    pub k: Scalar,
    /// Each simulated branch's `(c_j, z_j)`.
    pub simulated: Vec<(Scalar, Scalar)>,
}

impl RangeNonces {
    /// Fresh nonces for a proof of `branches` branches.
    pub fn random(branches: u32, rng: &mut impl CryptoRngCore) -> RangeNonces {
        let simulated = (1..branches).map(|_| (Scalar::random(rng), Scalar::random(rng))).collect();
        RangeNonces { k: Scalar::random(rng), simulated }
    }
}

impl std::fmt::Debug for RangeNonces {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RangeNonces([redacted])")
    }
}

/// What a range proof proves: `ct` under `K` encrypts a value in `lo..=hi`, in context `ctx`.
pub struct RangeStatement<'a> {
    /// The election's base hash.
    pub base: &'a [u8; 32],
    /// The election key `K`.
    pub key: &'a Point,
    /// The ciphertext.
    pub ct: &'a Ciphertext,
    /// The smallest value allowed.
    pub lo: u32,
    /// The largest value allowed.
    pub hi: u32,
    /// The context bytes (whose slot it is).
    pub ctx: &'a [u8],
}

impl RangeStatement<'_> {
    fn branch_count(&self) -> Result<u32, VerificationError> {
        if self.hi < self.lo || self.hi - self.lo >= MAX_BRANCHES {
            return Err(VerificationError);
        }
        Ok(self.hi - self.lo + 1)
    }

    fn challenge<'p>(&self, commitments: impl Iterator<Item = (&'p Point, &'p Point)>) -> Scalar {
        let mut c = Challenge::new(TAG_RANGE);
        c.item(self.base).item(self.key.bytes()).item(self.ct.alpha.bytes()).item(self.ct.beta.bytes());
        c.item(&self.lo.to_le_bytes()).item(&self.hi.to_le_bytes()).item(self.ctx);
        for (A, B) in commitments {
            c.item(A.bytes()).item(B.bytes());
        }
        c.scalar()
    }

    /// Proves that `ct = Enc_K(m; r)` with `m` in range. The total work is the same whichever
    /// branch is real, so the time taken does not reveal `m`.
    pub fn prove(
        &self,
        key: &ElectionKey,
        m: u32,
        r: &Scalar,
        nonces: &RangeNonces,
    ) -> Result<RangeProof, VerificationError> {
        let n = self.branch_count()?;
        if m < self.lo || m > self.hi || nonces.simulated.len() != (n - 1) as usize {
            return Err(VerificationError);
        }
        let alpha = self.ct.alpha.point();
        let beta = self.ct.beta.point();
        let mut simulated = nonces.simulated.iter();
        let mut branches = Vec::with_capacity(n as usize);
        for j in self.lo..=self.hi {
            if j == m {
                let A = Point::from(RISTRETTO_BASEPOINT_TABLE * &nonces.k);
                let B = Point::from(key.mul(&nonces.k));
                branches.push(RangeBranch { A, B, c: Scalar::ZERO, z: Scalar::ZERO });
            } else {
                let (c, z) = simulated.next().ok_or(VerificationError)?;
                let jG = RISTRETTO_BASEPOINT_TABLE * &Scalar::from(j);
                let A = Point::from(RISTRETTO_BASEPOINT_TABLE * z - c * alpha);
                let B = Point::from(key.mul(z) - c * (beta - jG));
                branches.push(RangeBranch { A, B, c: *c, z: *z });
            }
        }
        let c = self.challenge(branches.iter().map(|b| (&b.A, &b.B)));
        let simulated_sum: Scalar = branches.iter().map(|b| b.c).sum();
        let real = &mut branches[(m - self.lo) as usize];
        real.c = c - simulated_sum;
        real.z = nonces.k + real.c * r;
        Ok(RangeProof { branches })
    }

    /// Proves that `ct` encrypts `m` with randomness `r`, with fresh nonces from `rng`.
    pub fn prove_random(
        &self,
        key: &ElectionKey,
        m: u32,
        r: &Scalar,
        rng: &mut impl CryptoRngCore,
    ) -> Result<RangeProof, VerificationError> {
        let nonces = RangeNonces::random(self.branch_count()?, rng);
        self.prove(key, m, r, &nonces)
    }

    /// Checks `Σ c_j = c` and adds, for every branch, `z_j·G − A_j − c_j·α = 0` and
    /// `z_j·K − B_j − c_j·β + (c_j·j)·G = 0`, merging the repeated `α` and `β` terms.
    pub fn push(&self, batch: &mut BatchVerifier, proof: &RangeProof) -> Result<(), VerificationError> {
        let n = self.branch_count()?;
        if proof.branches.len() != n as usize {
            return Err(VerificationError);
        }
        let c = self.challenge(proof.branches.iter().map(|b| (&b.A, &b.B)));
        let c_sum: Scalar = proof.branches.iter().map(|b| b.c).sum();
        if c_sum != c {
            return Err(VerificationError);
        }
        let mut alpha_coefficient = Scalar::ZERO;
        let mut beta_coefficient = Scalar::ZERO;
        for (j, b) in (self.lo..=self.hi).zip(&proof.branches) {
            let w1 = batch.weight();
            let w2 = batch.weight();
            batch.add_g(w1 * b.z + w2 * b.c * Scalar::from(j));
            batch.add_k(w2 * b.z);
            batch.add(-w1, b.A.point());
            batch.add(-w2, b.B.point());
            alpha_coefficient -= w1 * b.c;
            beta_coefficient -= w2 * b.c;
        }
        batch.add(alpha_coefficient, self.ct.alpha.point());
        batch.add(beta_coefficient, self.ct.beta.point());
        batch.count_equations(2 * n as usize);
        Ok(())
    }

    /// Verifies `proof` alone (not in a batch).
    pub fn verify(&self, proof: &RangeProof) -> Result<(), VerificationError> {
        BatchVerifier::verify_alone(*self.key.point(), |batch| self.push(batch, proof))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::RistrettoPoint;
    use rand_core::OsRng;

    fn key() -> ElectionKey {
        ElectionKey::new(Point::from(RistrettoPoint::mul_base(&Scalar::random(&mut OsRng)))).unwrap()
    }

    #[test]
    fn every_value_in_range_proves_and_out_of_range_does_not_verify() {
        let key = key();
        let base = [1u8; 32];
        for (lo, hi) in [(0, 1), (0, 3), (2, 4)] {
            for m in 0..=5u32 {
                let r = Scalar::random(&mut OsRng);
                let ct = key.encrypt(m as u64, &r);
                let st = RangeStatement { base: &base, key: key.point(), ct: &ct, lo, hi, ctx: b"ctx" };
                if (lo..=hi).contains(&m) {
                    let proof = st.prove_random(&key, m, &r, &mut OsRng).unwrap();
                    assert!(st.verify(&proof).is_ok(), "m={m} in {lo}..={hi}");
                    let other = RangeStatement { ctx: b"other", ..st };
                    assert!(other.verify(&proof).is_err(), "context must be bound");
                } else {
                    assert!(st.prove_random(&key, m, &r, &mut OsRng).is_err());
                    // A prover who lies about m cannot make a proof that verifies.
                    let lie = lo;
                    let proof = st.prove_random(&key, lie, &r, &mut OsRng).unwrap();
                    assert!(st.verify(&proof).is_err(), "m={m} outside {lo}..={hi}");
                }
            }
        }
    }
}
