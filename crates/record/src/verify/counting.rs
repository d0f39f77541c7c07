//! The tally, the trustees' decryptions and the published results, recomputed.

use super::*;

/// Checks each region's published tally against the sum of its counted ballots, and the national
/// tally against the sum of the published regions. Returns the published tally, which is what
/// the trustees decrypted.
pub(super) fn check_tally(
    dir: &Path,
    scopes: &[(String, ScopeSum)],
    version: u32,
    log: Option<&LogHead>,
    report: &mut Report,
) -> Option<PublishedTally> {
    let tally = parse::<TallyJson>(dir, files::TALLY, report)?;
    if !version_ok(files::TALLY, tally.version, report) {
        return None;
    }
    // Version 2: the tally names the log it counts, the log's final checkpoint.
    if version >= 2 {
        let named = tally.log.as_ref().map(|l| l.decode());
        match (named, log) {
            (Some(Ok(named)), Some(log)) if named == *log => {}
            (Some(Ok(named)), Some(log)) => report.fail(
                Code::TallyLog,
                files::TALLY,
                format!(
                    "names the log of size {} and root {}; the log's final checkpoint is size {} root {}",
                    named.size,
                    to_hex(&named.root),
                    log.size,
                    to_hex(&log.root)
                ),
            ),
            (Some(Err(e)), _) => report.fail(Code::TallyLog, files::TALLY, e.to_string()),
            (None, _) => report.fail(Code::TallyLog, files::TALLY, "a version-2 tally names its log (size and root)"),
            (Some(Ok(_)), None) => {}
        }
    } else if tally.log.is_some() {
        report.fail(Code::TallyLog, files::TALLY, "a version-1 tally names no log");
    }
    let names: Vec<&str> = scopes.iter().map(|(s, _)| s.as_str()).collect();
    let published_names: Vec<&str> = tally.scopes.iter().map(|s| s.scope.as_str()).collect();
    if names != published_names {
        report.fail(
            Code::TallyScopes,
            files::TALLY,
            format!("scopes {published_names:?}; expected the regions then national: {names:?}"),
        );
        return None;
    }
    for ((scope, computed), claimed) in scopes.iter().zip(&tally.scopes) {
        let shape_ok = claimed.questions.len() == computed.sums.len()
            && claimed.questions.iter().zip(&computed.sums).all(|(a, b)| a.len() == b.len());
        if !shape_ok {
            report.fail(
                Code::TallyShape,
                format!("tally {scope}"),
                "the published sums do not have the questions' shape",
            );
            return None;
        }
    }
    let published: PublishedTally = match tally.decode_scopes() {
        Ok(p) => p,
        Err((location, e)) => {
            report.fail(Code::TallyInvalid, location, e.to_string());
            return None;
        }
    };
    // Regions: against the log. National: against the published regions.
    let (regions, national) = published.split_at(published.len() - 1);
    let mut region_total = national[0].1.empty_like();
    for (_, sum) in regions {
        region_total.add_scope(sum);
    }
    let expectations = scopes[..regions.len()]
        .iter()
        .map(|(_, computed)| (computed, "is not the sum of the region's counted ballots", "the log gives"))
        .chain(std::iter::once((
            &region_total,
            "is not the sum of the regions' published tallies",
            "the regions add up to",
        )));
    for ((scope, claimed), (expected, sum_check, count_words)) in published.iter().zip(expectations) {
        if claimed.members != expected.members {
            report.fail(
                Code::TallyMismatch,
                format!("tally {scope}"),
                format!("merges {:?}; the log gives {:?}", claimed.members, expected.members),
            );
        }
        if claimed.counted != expected.counted || claimed.weight != expected.weight {
            report.fail(
                Code::TallyMismatch,
                format!("tally {scope}"),
                format!(
                    "published {} counted ballots of weight {}; {count_words} {} of weight {}",
                    claimed.counted, claimed.weight, expected.counted, expected.weight
                ),
            );
        }
        for (q, (claimed_q, expected_q)) in claimed.sums.iter().zip(&expected.sums).enumerate() {
            for (o, (c, e)) in claimed_q.iter().zip(expected_q).enumerate() {
                if c != e {
                    report.fail(Code::TallyMismatch, format!("tally {scope} question {q} slot {o}"), sum_check);
                }
            }
        }
    }
    Some(published)
}

#[allow(clippy::too_many_arguments)] // each is a distinct input of the check
pub(super) fn check_decryption_and_results(
    dir: &Path,
    manifest: &Manifest,
    context: &ElectionContext,
    outcome: &CeremonyOutcome,
    scopes: &[(String, ScopeSum)],
    registered: &[u64],
    log: Option<&LogHead>,
    manifest_hash: &Hash,
    progress: &dyn Progress,
    report: &mut Report,
) {
    let Some(decryption) = parse::<DecryptionJson>(dir, files::DECRYPTION, report) else { return };
    if !version_ok(files::DECRYPTION, decryption.version, report) {
        return;
    }
    progress.stage("decryption", decryption.trustees.len() as u64);
    // valid[s][q][o] = the verified (trustee, D_j) of that slot.
    let mut valid = empty_shares(scopes);
    let mut seen = std::collections::BTreeSet::new();
    for trustee in &decryption.trustees {
        let j = trustee.trustee;
        let who = format!("decryption trustee {j}");
        let Some(verification_key) = outcome.verification_key(j) else {
            report.fail(Code::DecryptionTrustee, &who, "not a qualified trustee");
            continue;
        };
        if !seen.insert(j) {
            report.fail(Code::DecryptionTrustee, &who, "appears twice");
            continue;
        }
        // Version 2: only what the trustee signed counts (its proofs are still checked and named).
        let signed = manifest.version < 2
            || match (manifest.trustee_key(j), log) {
                (Some(key), Some(log)) => decryption_signed(manifest_hash, &key, &context.base, log, trustee),
                _ => false,
            };
        if !signed {
            report.fail(
                Code::DecryptionSignature,
                &who,
                "not signed by this trustee's key in the manifest over the tally of the final log; it does not count",
            );
        }
        let (shares, failures) = check_trustee_decryption(&context.base, log, verification_key, scopes, trustee);
        report.failures.extend(failures);
        if !signed {
            continue;
        }
        for (s, q, o, share) in shares {
            valid[s][q][o].push((j, share));
        }
        progress.advance(1);
    }

    let Some(published) = parse::<ResultsJson>(dir, files::RESULTS, report) else { return };
    if !version_ok(files::RESULTS, published.version, report) {
        return;
    }
    let shapes = manifest.shapes();
    let most = scopes.iter().map(|(_, s)| s.weight).max().unwrap_or(0);
    let table = match table_for(&shapes, most) {
        Ok(t) => t,
        Err(e) => {
            report.fail(Code::ResultsBound, files::RESULTS, e.to_string());
            return;
        }
    };
    let mut results = Vec::new();
    for (s, (scope, sum)) in scopes.iter().enumerate() {
        match decrypt_scope(&table, manifest.trustees.t, &shapes, scope, sum, |q, o| valid[s][q][o].clone()) {
            Ok(r) => results.push(r),
            Err((q, o, e)) => report.fail(
                Code::ResultsUndecryptable,
                format!("results {scope} question {q} slot {o}"),
                format!("cannot decrypt: {e}"),
            ),
        }
    }
    if results.len() == scopes.len() {
        compare_results(manifest, results, &published, registered, report);
    }
}

/// The verifier's own decrypted results against the published ones, and the ratification rule
/// evaluated again on its own results; the results become the report's.
fn compare_results(
    manifest: &Manifest,
    results: Vec<ScopeResultJson>,
    published: &ResultsJson,
    registered: &[u64],
    report: &mut Report,
) {
    if published.scopes.len() != results.len() {
        report.fail(
            Code::ResultsMismatch,
            files::RESULTS,
            format!("{} scopes published; expected {}", published.scopes.len(), results.len()),
        );
    }
    for (computed, claimed) in results.iter().zip(&published.scopes) {
        if computed != claimed {
            report.fail(
                Code::ResultsMismatch,
                format!("results {}", computed.scope),
                format!(
                    "published {:?} of {} counted; the decryption gives {:?} of {}",
                    claimed.questions, claimed.counted, computed.questions, computed.counted
                ),
            );
        }
    }
    // The ratification rule, evaluated again on the verifier's own results.
    match ratify(manifest, &results, registered) {
        Ok(ratification) => {
            if ratification != published.ratification {
                let show = |r: &Option<RatificationJson>| r.as_ref().map_or("none".to_string(), |r| r.outcome.clone());
                report.fail(
                    Code::RatificationMismatch,
                    "results ratification",
                    format!(
                        "published {}; the rule on the decrypted results gives {}",
                        show(&published.ratification),
                        show(&ratification)
                    ),
                );
            }
            report.results = Some(ResultsJson { version: manifest.version, scopes: results, ratification });
        }
        Err(e) => {
            report.fail(Code::RatificationInvalid, "results ratification", format!("cannot evaluate the rule: {e}"))
        }
    }
}
