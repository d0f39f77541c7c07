//! A voter's receipt, checked alone.

use super::*;

/// Checks a voter's receipt against the record's manifest: the checkpoint's signature (and, in
/// version 4, its witnesses' quorum), and that the tracking code is in the log at that
/// checkpoint.
pub fn verify_receipt(manifest_bytes: &[u8], receipt: &crate::writer::Receipt) -> Result<(), String> {
    let manifest = Manifest::parse(manifest_bytes).map_err(|e| format!("manifest: {e}"))?;
    let verifier = LogVerifier::of(&manifest, &manifest_hash(manifest_bytes)).map_err(|e| e.to_string())?;
    check_receipt_under(&verifier, receipt)
}

/// Checks a receipt (a voter's, or a convention event's) with its log's verifier: the
/// checkpoint, and the inclusion of the tracking code.
pub fn check_receipt_under(verifier: &LogVerifier, receipt: &crate::writer::Receipt) -> Result<(), String> {
    let root = verifier.check(&receipt.checkpoint).map_err(|(_, why)| why)?;
    let leaf = hash("tracking_code", &receipt.tracking_code).map_err(|e| e.to_string())?;
    let path: Vec<Hash> =
        receipt.inclusion.iter().map(|h| hash("inclusion", h)).collect::<Result<_, _>>().map_err(|e| e.to_string())?;
    if !log::verify_inclusion(&leaf, receipt.index, receipt.checkpoint.size, &path, &root) {
        return Err("the inclusion proof does not place the tracking code in the log".into());
    }
    Ok(())
}
