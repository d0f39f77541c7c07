//! Exponential ElGamal under the election key (protocol note §3).

use crate::encoding::{FormatError, Point};
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::ristretto::{RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;

/// The election key `K`, with a precomputed table so that encrypting and proving cost
/// fixed-base multiplications only.
pub struct ElectionKey {
    point: Point,
    /// On the heap: the table is about 30 KiB, and contexts holding the key are moved through
    /// the verifier's stages by value.
    table: Box<RistrettoBasepointTable>,
}

impl ElectionKey {
    /// The identity is never a valid election key: it would publish every vote.
    pub fn new(point: Point) -> Result<ElectionKey, FormatError> {
        if point.is_identity() {
            return Err(FormatError::IdentityPoint);
        }
        let table = Box::new(RistrettoBasepointTable::create(point.point()));
        Ok(ElectionKey { point, table })
    }

    /// The key as a point.
    pub fn point(&self) -> &Point {
        &self.point
    }

    /// `s·K` in constant time.
    pub fn mul(&self, s: &Scalar) -> RistrettoPoint {
        &*self.table * s
    }

    /// `Enc_K(m; r) = (r·G, m·G + r·K)`.
    pub fn encrypt(&self, m: u64, r: &Scalar) -> Ciphertext {
        let alpha = RISTRETTO_BASEPOINT_TABLE * r;
        let beta = RISTRETTO_BASEPOINT_TABLE * &Scalar::from(m) + self.mul(r);
        Ciphertext { alpha: alpha.into(), beta: beta.into() }
    }
}

/// An encrypted value `(α, β)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ciphertext {
    /// `α = r·G`.
    pub alpha: Point,
    /// `β = m·G + r·K`.
    pub beta: Point,
}

impl Ciphertext {
    /// Whether `(m, r)` opens this ciphertext (the Benaloh reveal check, note §4.5). Public data
    /// only: it runs after the randomness has been published.
    pub fn opens_to_vartime(&self, key: &Point, m: u64, r: &Scalar) -> bool {
        let alpha = RistrettoPoint::mul_base(r);
        let beta = RistrettoPoint::mul_base(&Scalar::from(m)) + r * key.point();
        alpha == *self.alpha.point() && beta == *self.beta.point()
    }
}

/// A running homomorphic sum of ciphertexts, kept uncompressed while it grows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CiphertextSum {
    /// The sum of the `α`s.
    pub alpha: RistrettoPoint,
    /// The sum of the `β`s.
    pub beta: RistrettoPoint,
}

impl Default for CiphertextSum {
    fn default() -> Self {
        CiphertextSum { alpha: RistrettoPoint::identity(), beta: RistrettoPoint::identity() }
    }
}

impl CiphertextSum {
    /// Adds `ct`.
    pub fn add(&mut self, ct: &Ciphertext) {
        self.alpha += ct.alpha.point();
        self.beta += ct.beta.point();
    }

    /// Subtracts `ct` (a superseded ballot).
    pub fn sub(&mut self, ct: &Ciphertext) {
        self.alpha -= ct.alpha.point();
        self.beta -= ct.beta.point();
    }

    /// Adds `k·ct` (a credential's public weight times its ballot).
    pub fn add_times(&mut self, ct: &Ciphertext, k: u64) {
        let k = Scalar::from(k);
        self.alpha += ct.alpha.point() * k;
        self.beta += ct.beta.point() * k;
    }

    /// Subtracts `k·ct`.
    pub fn sub_times(&mut self, ct: &Ciphertext, k: u64) {
        let k = Scalar::from(k);
        self.alpha -= ct.alpha.point() * k;
        self.beta -= ct.beta.point() * k;
    }

    /// Adds another running sum.
    pub fn add_sum(&mut self, other: &CiphertextSum) {
        self.alpha += other.alpha;
        self.beta += other.beta;
    }

    /// The sum as a ciphertext (compressed).
    pub fn to_ciphertext(&self) -> Ciphertext {
        Ciphertext { alpha: self.alpha.into(), beta: self.beta.into() }
    }
}
