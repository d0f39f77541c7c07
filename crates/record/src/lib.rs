// Library code never unwraps (a panic on input is a defect); tests may.
#![cfg_attr(not(test), warn(clippy::unwrap_used))]
#![warn(missing_docs)]
//! # convene-record: the public record
//!
//! The record is a directory of documents (see `docs/record-format.md`): the manifest, the key
//! ceremony, the credential list, the election hashes, the log of ballots, signed checkpoints,
//! the encrypted tally, the partial decryptions and the results. This crate
//!
//! - reads and writes that format ([`format`]), strictly, never panicking on bad input;
//! - keeps the append-only transparency log ([`log`]);
//! - counts, the same way for writer and verifier ([`tally`], [`results`]);
//! - writes records ([`writer`]);
//! - and verifies them independently ([`verify`]), streaming, in parallel, reporting every
//!   failure with its location.
//!
//! It does no networking and keeps no database: it reads and writes files only.

pub mod actors;
pub mod admission;
pub mod checkpoint;
pub mod convention;
pub mod directory;
pub mod electorate;
pub mod failure;
pub mod format;
pub mod hand_off;
pub mod log;
pub mod receipt;
pub mod results;
pub mod tally;
pub mod testing;
pub mod tiles;
pub mod timeline;
pub mod verify;
pub mod writer;

/// The file names of a record directory.
pub mod files {
    /// The manifest.
    pub const MANIFEST: &str = "manifest.json";
    /// The key ceremony's messages and outcome.
    pub const CEREMONY: &str = "ceremony.json";
    /// The credential list, one credential per line.
    pub const CREDENTIALS: &str = "credentials.jsonl";
    /// The election's hashes.
    pub const ELECTION: &str = "election.json";
    /// The log of ballots, one entry per line.
    pub const LOG: &str = "log.jsonl";
    /// The signed checkpoints and consistency proofs.
    pub const CHECKPOINTS: &str = "checkpoints.json";
    /// The encrypted tally.
    pub const TALLY: &str = "tally.json";
    /// The partial decryptions.
    pub const DECRYPTION: &str = "decryption.json";
    /// The results.
    pub const RESULTS: &str = "results.json";
    /// The constitution a convention handed to this referendum (its hash is in the manifest).
    pub const CONSTITUTION_MD: &str = "constitution.md";
    /// Version 2: the authority's signature of the manifest.
    pub const AUTHORITY: &str = "authority.json";
    /// Version 2: the registrar's signed statement on the credential list.
    pub const REGISTRAR: &str = "registrar.json";
    /// Version 2: every qualified trustee's signed acknowledgement of the election key.
    pub const ACKNOWLEDGEMENTS: &str = "acknowledgements.json";

    /// The files of the record of a referendum with `manifest`, in the order they are written.
    pub fn record_files(manifest: &crate::format::Manifest) -> Vec<&'static str> {
        let mut out = record_files_v1();
        if manifest.version >= 2 {
            out.insert(1, ACKNOWLEDGEMENTS);
            if manifest.registrar.is_some() {
                out.insert(1, REGISTRAR);
            }
            if manifest.authority.is_some() {
                out.insert(1, AUTHORITY);
            }
        }
        out
    }

    /// The texts a referendum ratifies: `constitution.md` when its origin names one, then
    /// `constitution.LANG.md` for each translation that gives its hash.
    pub fn constitution_files(manifest: &crate::format::Manifest) -> Vec<String> {
        if manifest.origin.as_ref().is_none_or(|o| o.constitution_sha256.is_none()) {
            return Vec::new();
        }
        let translated = manifest
            .translations
            .iter()
            .filter(|(_, t)| t.constitution_sha256.is_some())
            .map(|(tag, _)| crate::format::constitution_file(tag));
        std::iter::once(CONSTITUTION_MD.to_string()).chain(translated).collect()
    }

    /// The files of a version-1 record, in the order they are written.
    pub fn record_files_v1() -> Vec<&'static str> {
        vec![MANIFEST, CEREMONY, CREDENTIALS, ELECTION, LOG, CHECKPOINTS, TALLY, DECRYPTION, RESULTS]
    }
}
