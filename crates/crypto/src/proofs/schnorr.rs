//! Schnorr signatures and proofs of knowledge (protocol note §4.1, §4.2). A proof of knowledge
//! of `x` for `X` is the signature of its context under the tag `convene/schnorr v1`.
#![allow(non_snake_case)] // R, P, X follow the protocol note's names for points.

use crate::batch::BatchVerifier;
use crate::encoding::{Challenge, Point};
use crate::VerificationError;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::RistrettoPoint;
use rand_core::CryptoRngCore;

/// The tag of a proof of knowledge (§4.1).
pub const TAG_KNOWLEDGE: &str = "convene/schnorr v1";
/// The tag of a ballot's signature (§6).
pub const TAG_BALLOT: &str = "convene/ballot-signature v1";
/// The tag of a version-1 checkpoint's signature (§7).
pub const TAG_CHECKPOINT: &str = "convene/checkpoint v1";

/// A Schnorr signature `(R, s)`; also a proof of knowledge `(T, z)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature {
    /// `R = k·G` (`T` in a proof of knowledge).
    pub R: Point,
    /// `s = k + e·x` (`z`).
    pub s: Scalar,
}

fn challenge(tag: &str, h: &[u8; 32], P: &Point, R: &Point, msg: &[u8]) -> Scalar {
    let mut c = Challenge::new(tag);
    c.item(h).item(P.bytes()).item(R.bytes()).item(msg);
    c.scalar()
}

/// Signs `msg` with the nonce `k` (which must be fresh, secret and uniformly random).
pub fn sign_with_nonce(tag: &str, h: &[u8; 32], x: &Scalar, P: &Point, msg: &[u8], k: &Scalar) -> Signature {
    let R = Point::from(RistrettoPoint::mul_base(k));
    let e = challenge(tag, h, P, &R, msg);
    Signature { R, s: k + e * x }
}

/// Signs `msg` under `tag` and `h` with the secret `x` of `P`, with a fresh nonce from `rng` (§4.2).
pub fn sign(tag: &str, h: &[u8; 32], x: &Scalar, P: &Point, msg: &[u8], rng: &mut impl CryptoRngCore) -> Signature {
    let k = zeroize::Zeroizing::new(Scalar::random(rng));
    sign_with_nonce(tag, h, x, P, msg, &k)
}

/// Adds `s·G − R − e·P = 0` to the batch. Rejects the identity as a public key.
pub fn push_signature(
    batch: &mut BatchVerifier,
    tag: &str,
    h: &[u8; 32],
    P: &Point,
    msg: &[u8],
    sig: &Signature,
) -> Result<(), VerificationError> {
    if P.is_identity() {
        return Err(VerificationError);
    }
    let e = challenge(tag, h, P, &sig.R, msg);
    batch.push(sig.s, Scalar::ZERO, &[(-Scalar::ONE, sig.R.point()), (-e, P.point())]);
    Ok(())
}

/// Verifies one signature on its own.
pub fn verify_signature(
    tag: &str,
    h: &[u8; 32],
    P: &Point,
    msg: &[u8],
    sig: &Signature,
) -> Result<(), VerificationError> {
    BatchVerifier::verify_alone(*P.point(), |batch| push_signature(batch, tag, h, P, msg, sig))
}

/// Proof of knowledge of `x` with `X = x·G`, bound to `ctx` under `h`.
pub fn prove_knowledge(h: &[u8; 32], ctx: &[u8], x: &Scalar, X: &Point, k: &Scalar) -> Signature {
    sign_with_nonce(TAG_KNOWLEDGE, h, x, X, ctx, k)
}

/// Adds a proof of knowledge of `X`'s discrete log, bound to `ctx` under `h`, to `batch`.
pub fn push_knowledge(
    batch: &mut BatchVerifier,
    h: &[u8; 32],
    ctx: &[u8],
    X: &Point,
    proof: &Signature,
) -> Result<(), VerificationError> {
    push_signature(batch, TAG_KNOWLEDGE, h, X, ctx, proof)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::OsRng;

    #[test]
    fn signatures_verify_and_bind_everything() {
        let x = Scalar::random(&mut OsRng);
        let P = Point::from(RistrettoPoint::mul_base(&x));
        let h = [7u8; 32];
        let sig = sign(TAG_BALLOT, &h, &x, &P, b"ballot", &mut OsRng);
        assert!(verify_signature(TAG_BALLOT, &h, &P, b"ballot", &sig).is_ok());
        assert!(verify_signature(TAG_BALLOT, &h, &P, b"ballos", &sig).is_err());
        assert!(verify_signature(TAG_CHECKPOINT, &h, &P, b"ballot", &sig).is_err());
        assert!(verify_signature(TAG_BALLOT, &[8u8; 32], &P, b"ballot", &sig).is_err());
        let other = Point::from(RistrettoPoint::mul_base(&Scalar::random(&mut OsRng)));
        assert!(verify_signature(TAG_BALLOT, &h, &other, b"ballot", &sig).is_err());
        assert!(verify_signature(TAG_BALLOT, &h, &Point::identity(), b"ballot", &sig).is_err());
    }
}
