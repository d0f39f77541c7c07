//! Batch verification (protocol note §8): many linear equations over public points folded, with
//! independent random 128-bit weights, into one vartime multiscalar multiplication.
//!
//! Verifying one proof alone is a batch of one, so there is one code path for both.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use rand_chacha::ChaCha20Rng;
use rand_core::{OsRng, RngCore, SeedableRng};

/// Collects equations `g·G + k·K + Σ aᵢ·Pᵢ = 0`, each scaled by a fresh random weight.
pub struct BatchVerifier {
    rng: ChaCha20Rng,
    key: RistrettoPoint,
    g: Scalar,
    k: Scalar,
    scalars: Vec<Scalar>,
    points: Vec<RistrettoPoint>,
    equations: usize,
}

impl BatchVerifier {
    /// A batch for proofs under the election key `key` (pass any point, e.g. `G`, where no
    /// equation involves a key). Weights come from the operating system's CSPRNG.
    pub fn new(key: RistrettoPoint) -> BatchVerifier {
        BatchVerifier::with_rng(key, ChaCha20Rng::from_rng(OsRng).expect("the OS random source failed"))
    }

    /// A batch whose weights come from `rng` (tests, and benchmarks that must repeat).
    pub fn with_rng(key: RistrettoPoint, rng: ChaCha20Rng) -> BatchVerifier {
        BatchVerifier {
            rng,
            key,
            g: Scalar::ZERO,
            k: Scalar::ZERO,
            scalars: Vec::new(),
            points: Vec::new(),
            equations: 0,
        }
    }

    /// A batch with the same key and a weight stream forked from this one, for checking one item
    /// of a failed batch on its own.
    pub fn fork(&mut self) -> BatchVerifier {
        let mut seed = [0u8; 32];
        self.rng.fill_bytes(&mut seed);
        BatchVerifier::with_rng(self.key, ChaCha20Rng::from_seed(seed))
    }

    /// A fresh random 128-bit weight for one equation. Callers that fold several equations
    /// themselves (to merge repeated points) use this with [`BatchVerifier::add`].
    pub fn weight(&mut self) -> Scalar {
        let mut bytes = [0u8; 32];
        self.rng.fill_bytes(&mut bytes[..16]);
        Scalar::from_bytes_mod_order(bytes)
    }

    /// Adds the equation `g·G + k·K + Σ aᵢ·Pᵢ = 0`.
    pub fn push(&mut self, g: Scalar, k: Scalar, terms: &[(Scalar, &RistrettoPoint)]) {
        let w = self.weight();
        self.add_g(w * g);
        self.add_k(w * k);
        for (a, p) in terms {
            self.add(w * a, p);
        }
        self.equations += 1;
    }

    /// Adds an already weighted coefficient of `G`.
    pub fn add_g(&mut self, coefficient: Scalar) {
        self.g += coefficient;
    }

    /// Adds an already weighted coefficient of the election key `K`.
    pub fn add_k(&mut self, coefficient: Scalar) {
        self.k += coefficient;
    }

    /// Adds an already weighted term `coefficient·point`.
    pub fn add(&mut self, coefficient: Scalar, point: &RistrettoPoint) {
        self.scalars.push(coefficient);
        self.points.push(*point);
    }

    /// Counts equations folded by hand with [`BatchVerifier::add`].
    pub fn count_equations(&mut self, n: usize) {
        self.equations += n;
    }

    /// How many equations the batch holds.
    pub fn len(&self) -> usize {
        self.equations
    }

    /// Whether the batch holds no equation.
    pub fn is_empty(&self) -> bool {
        self.equations == 0
    }

    /// Verifies what `push` adds on its own: a batch of one, with fresh weights.
    pub fn verify_alone(
        key: RistrettoPoint,
        push: impl FnOnce(&mut BatchVerifier) -> Result<(), crate::VerificationError>,
    ) -> Result<(), crate::VerificationError> {
        let mut batch = BatchVerifier::new(key);
        push(&mut batch)?;
        batch.verify_vartime().then_some(()).ok_or(crate::VerificationError)
    }

    /// True when every equation pushed holds (up to the 2^-128-ish soundness error of the
    /// random weights). Public data only, so variable time is fine.
    pub fn verify_vartime(self) -> bool {
        if self.equations == 0 {
            return true;
        }
        let scalars = self.scalars.iter().copied().chain([self.g, self.k]);
        let points = self.points.iter().copied().chain([RISTRETTO_BASEPOINT_POINT, self.key]);
        RistrettoPoint::vartime_multiscalar_mul(scalars, points).is_identity()
    }
}
