//! The non-interactive proofs of protocol note §4, all in commitment form so that they batch.
//!
//! Each proof has a `prove_*` function that takes its nonces explicitly (so golden vectors can
//! fix them) and a `push_*` function that checks the proof's scalar relations and adds its group
//! equations to a [`crate::BatchVerifier`]. Verifying one proof alone is a batch of one.

pub mod dleq;
pub mod range;
pub mod schnorr;

pub use dleq::DleqProof;
pub use range::{RangeBranch, RangeProof, RangeStatement};
pub use schnorr::Signature;
