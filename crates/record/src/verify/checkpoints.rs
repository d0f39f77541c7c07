//! The checkpoints: their signatures (or signed notes and cosignatures) and their roots.

use super::*;

/// What a version-4 record without witnesses cannot prove.
pub const NO_WITNESSES_NOTE: &str =
    "the manifest names no witnesses: nobody but the host vouches that every voter was \
shown this same log, so a split view is not ruled out (protocol note §13)";

/// The checkpoints' signatures. `convention_version`: a convention's `checkpoints.json` carries
/// its charter's version (1 to 5), which must be that one; a referendum's, the record's.
pub(super) fn check_checkpoint_signatures(
    dir: &Path,
    verifier: &LogVerifier,
    convention_version: Option<u32>,
    report: &mut Report,
) -> Vec<(u64, Option<Hash>)> {
    let Some(doc) = parse::<CheckpointsJson>(dir, files::CHECKPOINTS, report) else { return Vec::new() };
    match convention_version {
        Some(charter) if doc.version != charter => {
            let why = format!("this document is format version {}, but the charter is version {charter}", doc.version);
            report.fail(Code::VersionUnsupported, files::CHECKPOINTS, why);
            return Vec::new();
        }
        Some(_) => {}
        None if !version_ok(files::CHECKPOINTS, doc.version, report) => return Vec::new(),
        None => {}
    }
    let mut out = Vec::new();
    let mut previous = 0u64;
    // Schnorr signatures go in one batch; only if it fails is each checked alone, to name the
    // bad ones. Notes are checked one by one.
    let mut batch = match verifier {
        LogVerifier::Schnorr { key, .. } => Some((BatchVerifier::new(*key.point()), Vec::new())),
        LogVerifier::Note(_) => None,
    };
    for (k, c) in doc.checkpoints.iter().enumerate() {
        let location = format!("checkpoint {k} (size {})", c.size);
        if k > 0 && c.size <= previous {
            report.fail(Code::CheckpointOrder, &location, "checkpoint sizes must strictly increase");
        }
        previous = c.size;
        let root = match hash("root", &c.root) {
            Ok(r) => r,
            Err(e) => {
                report.fail(Code::CheckpointInvalid, &location, e.to_string());
                out.push((c.size, None));
                continue;
            }
        };
        match (verifier, &mut batch) {
            (LogVerifier::Schnorr { manifest_hash, key }, Some((batch, pushed))) => {
                let message = checkpoint_message(c.size, &root);
                match c.signature.as_ref().filter(|_| c.note.is_none()).map(|s| s.decode()) {
                    Some(Ok(sig))
                        if push_signature(batch, TAG_CHECKPOINT, manifest_hash, key, &message, &sig).is_ok() =>
                    {
                        pushed.push((location, message, sig));
                    }
                    _ => report.fail(Code::CheckpointSignature, &location, "the log key's signature does not verify"),
                }
            }
            _ => {
                if let Err((code, why)) = verifier.check(c) {
                    report.fail(code, &location, why);
                }
            }
        }
        out.push((c.size, Some(root)));
    }
    if let (LogVerifier::Schnorr { manifest_hash, key }, Some((batch, pushed))) = (verifier, batch) {
        if !batch.verify_vartime() {
            for (location, message, sig) in pushed {
                let mut alone = BatchVerifier::new(*key.point());
                let valid = push_signature(&mut alone, TAG_CHECKPOINT, manifest_hash, key, &message, &sig).is_ok()
                    && alone.verify_vartime();
                if !valid {
                    report.fail(Code::CheckpointSignature, &location, "the log key's signature does not verify");
                }
            }
        }
    }
    if out.is_empty() {
        report.fail(
            Code::CheckpointMissing,
            files::CHECKPOINTS,
            "there is no checkpoint; the log must end with a signed checkpoint",
        );
    }
    out
}

pub(super) fn check_checkpoint_roots(
    dir: &Path,
    checkpoints: &[(u64, Option<Hash>)],
    computed: &[(u64, Hash)],
    log_size: u64,
    report: &mut Report,
) {
    for (k, (size, root)) in checkpoints.iter().enumerate() {
        let location = format!("checkpoint {k} (size {size})");
        match (root, computed.iter().find(|(s, _)| s == size)) {
            (_, None) => {
                report.fail(Code::CheckpointBeyondLog, &location, format!("the log has only {log_size} entries"))
            }
            (Some(claimed), Some((_, actual))) if claimed != actual => report.fail(
                Code::CheckpointRoot,
                &location,
                format!("root {} does not match the log's root {}", to_hex(claimed), to_hex(actual)),
            ),
            _ => {}
        }
    }
    if checkpoints.last().map(|c| c.0) != Some(log_size) {
        report.fail(
            Code::CheckpointIncomplete,
            files::CHECKPOINTS,
            format!("the last checkpoint does not cover the whole log of {log_size} entries"),
        );
    }
    let Some(doc) = parse::<CheckpointsJson>(dir, files::CHECKPOINTS, &mut Report::default()) else { return };
    let root_at = |size: u64| checkpoints.iter().find(|c| c.0 == size).and_then(|c| c.1);
    for (k, pair) in checkpoints.windows(2).enumerate() {
        let location = format!("consistency proof {k} ({} → {})", pair[0].0, pair[1].0);
        let Some(proof) = doc.consistency.iter().find(|p| p.from == pair[0].0 && p.to == pair[1].0) else {
            report.fail(Code::ConsistencyProof, &location, "missing");
            continue;
        };
        let path: Result<Vec<Hash>, _> = proof.proof.iter().map(|h| hash("consistency", h)).collect();
        let holds = match (path, root_at(pair[0].0), root_at(pair[1].0)) {
            (Ok(path), Some(a), Some(b)) => log::verify_consistency(pair[0].0, pair[1].0, &a, &b, &path),
            _ => false,
        };
        if !holds {
            report.fail(
                Code::ConsistencyProof,
                &location,
                "does not prove the later checkpoint extends the earlier one",
            );
        }
    }
}
