#![doc = include_str!("../../../docs/protocol.md")]
#![warn(missing_docs)]
// Library code never unwraps (a panic on input is a defect); tests may.
#![cfg_attr(not(test), warn(clippy::unwrap_used))]
//! # The crate
//!
//! `convene-crypto` implements the protocol above and nothing else: no I/O, no logging, no
//! JSON. Decoding functions return errors on non-canonical input and never panic; functions that
//! run in variable time carry `vartime` in their name and touch only public data. Secrets are
//! zeroized on drop and print as `[redacted]`.
//!
//! Code names follow the note: points are upper-case (`A`, `B`, `K`), scalars lower-case, which
//! is why `non_snake_case` is allowed in the modules that do the math.

pub mod ballot;
pub mod batch;
pub mod ceremony;
pub mod decryption;
pub mod dlog;
pub mod elgamal;
pub mod encoding;
pub mod proofs;
pub mod typed;

pub use batch::BatchVerifier;
pub use encoding::{FormatError, Point};

/// A proof, signature or equation did not hold. Deliberately opaque: it says *that* something
/// failed, never which intermediate value, so it cannot serve as an oracle. Callers attach the
/// location (which ballot, which proof) themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("verification failed")]
pub struct VerificationError;

pub use curve25519_dalek::ristretto::RistrettoPoint;
pub use curve25519_dalek::scalar::Scalar;
