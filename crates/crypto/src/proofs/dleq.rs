//! Chaum–Pedersen proof that `log_G X = log_A D` (protocol note §4.3): correct partial
//! decryption, and the key reveal in a ceremony complaint.
#![allow(non_snake_case)] // points are upper-case as in the protocol note.

use crate::batch::BatchVerifier;
use crate::encoding::{Challenge, Point};
use crate::VerificationError;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::RistrettoPoint;

/// The tag of a partial decryption's proof (§7).
pub const TAG_DECRYPTION: &str = "convene/decryption v1";
/// The tag of a complaint's proof (§5.3).
pub const TAG_COMPLAINT: &str = "convene/complaint-key v1";

/// A Chaum–Pedersen proof (protocol note §4.3) that `X = x·G` and `D = x·A` for one `x`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DleqProof {
    /// `T1 = k·G`.
    pub T1: Point,
    /// `T2 = k·A`.
    pub T2: Point,
    /// `z = k + c·x`.
    pub z: Scalar,
}

/// The statement `X = x·G`, `D = x·A`.
pub struct DleqStatement<'a> {
    /// The domain tag.
    pub tag: &'a str,
    /// The hash the proof is bound to (the base hash, or the manifest's).
    pub h: &'a [u8; 32],
    /// The context bytes (what is being proven, and where).
    pub ctx: &'a [u8],
    /// `X = x·G`.
    pub X: &'a Point,
    /// The base `A` (non-identity).
    pub A: &'a Point,
    /// `D = x·A`.
    pub D: &'a Point,
}

impl DleqStatement<'_> {
    fn challenge(&self, T1: &Point, T2: &Point) -> Scalar {
        let mut c = Challenge::new(self.tag);
        c.item(self.h).item(self.ctx).item(self.X.bytes()).item(self.A.bytes()).item(self.D.bytes());
        c.item(T1.bytes()).item(T2.bytes());
        c.scalar()
    }

    /// Proves the statement with secret `x` and nonce `k` (fresh, secret, uniformly random).
    pub fn prove(&self, x: &Scalar, k: &Scalar) -> DleqProof {
        let T1 = Point::from(RistrettoPoint::mul_base(k));
        let T2 = Point::from(k * self.A.point());
        let c = self.challenge(&T1, &T2);
        DleqProof { T1, T2, z: k + c * x }
    }

    /// Adds `z·G − T1 − c·X = 0` and `z·A − T2 − c·D = 0`.
    pub fn push(&self, batch: &mut BatchVerifier, proof: &DleqProof) -> Result<(), VerificationError> {
        if self.X.is_identity() || self.A.is_identity() {
            return Err(VerificationError);
        }
        let c = self.challenge(&proof.T1, &proof.T2);
        batch.push(proof.z, Scalar::ZERO, &[(-Scalar::ONE, proof.T1.point()), (-c, self.X.point())]);
        batch.push(
            Scalar::ZERO,
            Scalar::ZERO,
            &[(proof.z, self.A.point()), (-Scalar::ONE, proof.T2.point()), (-c, self.D.point())],
        );
        Ok(())
    }

    /// Verifies `proof` alone (not in a batch).
    pub fn verify(&self, proof: &DleqProof) -> Result<(), VerificationError> {
        BatchVerifier::verify_alone(*self.X.point(), |batch| self.push(batch, proof))
    }
}
