//! The record's wire format, version 1 (see `docs/record-format.md` and
//! `docs/record.schema.json`): JSON documents and JSON-lines files, with lower-case hex for bytes.
//!
//! Decoding is strict: unknown fields, unknown versions, upper-case hex, non-canonical points and
//! scalars, and the identity where it is forbidden are all errors, never panics.

use convene_crypto::ballot::{Ballot, BallotSecrets, EncryptedAnswer, EncryptedSlot, QuestionShape};
use convene_crypto::ceremony::{Complaint, EncryptedShare, Round1};
use convene_crypto::decryption::PartialDecryption;
use convene_crypto::elgamal::Ciphertext;
use convene_crypto::encoding::{decode_scalar, hex32, to_hex, FormatError, Point};
use convene_crypto::proofs::{DleqProof, RangeBranch, RangeProof, Signature};
use convene_crypto::Scalar;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The format version new records are written in (4: witnessed checkpoints, protocol note §13;
/// 3: challenged ballots under one-time keys, §11). Versions 1 to 3 keep verifying.
pub const RECORD_VERSION: u32 = 4;
/// The oldest version this verifier reads.
pub const OLDEST_VERSION: u32 = 1;

/// Why a document of the record could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The document is not JSON of its shape.
    #[error("not valid JSON for this document: {0}")]
    Json(#[from] serde_json::Error),
    /// A field's value is not a valid encoding.
    #[error("{field}: {error}")]
    Field {
        /// The field's name.
        field: &'static str,
        /// What is wrong with it.
        error: FormatError,
    },
    /// A record format version this verifier does not read.
    #[error("record format version {found} is not supported (this verifier reads versions {OLDEST_VERSION} to {RECORD_VERSION})")]
    Version {
        /// The version found.
        found: u32,
    },
    /// A value the format forbids, in words.
    #[error("{0}")]
    Invalid(String),
}

fn field(field: &'static str) -> impl Fn(FormatError) -> RecordError {
    move |error| RecordError::Field { field, error }
}

/// Refuses a record format version this verifier does not read.
pub fn check_version(found: u32) -> Result<(), RecordError> {
    if !(OLDEST_VERSION..=RECORD_VERSION).contains(&found) {
        return Err(RecordError::Version { found });
    }
    Ok(())
}

type Hex<'a> = Cow<'a, str>;

fn hex(bytes: &[u8]) -> Hex<'static> {
    Cow::Owned(to_hex(bytes))
}

/// The point named `name` from hex (the identity allowed).
pub fn point(name: &'static str, h: &str) -> Result<Point, RecordError> {
    Point::decode(&hex32(h).map_err(field(name))?).map_err(field(name))
}

/// The point named `name` from hex, the identity refused.
pub fn point_non_identity(name: &'static str, h: &str) -> Result<Point, RecordError> {
    Point::decode_non_identity(&hex32(h).map_err(field(name))?).map_err(field(name))
}

/// The canonical scalar named `name` from hex.
pub fn scalar(name: &'static str, h: &str) -> Result<Scalar, RecordError> {
    decode_scalar(&hex32(h).map_err(field(name))?).map_err(field(name))
}

/// The 32-byte hash named `name` from hex.
pub fn hash(name: &'static str, h: &str) -> Result<[u8; 32], RecordError> {
    hex32(h).map_err(field(name))
}

mod ceremony;
mod checkpoints;
mod credentials;
mod entries;
mod manifest;
mod proofs;
mod results;
mod translations;
pub use ceremony::*;
pub use checkpoints::*;
pub use credentials::*;
pub use entries::*;
pub use manifest::*;
pub use proofs::*;
pub use results::*;
pub use translations::*;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod unique_keys_tests;

/// Whether a record of format `version` binds ballots to one-time keys (protocol note §11).
pub fn one_time_keys(version: u32) -> bool {
    version >= 3
}
