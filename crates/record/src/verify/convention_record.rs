//! A convention's record: its log replayed, its checkpoints, its secret votes' referendums.

use super::*;

/// Where a convention record keeps the records of its secret votes' referendums.
pub const SECRET_VOTES: &str = "secret-votes";

/// Verifies a convention record in `dir` (`docs/convention.md`): every event's signature and
/// sequence number, replayed through the same state machine the server ran at the door — so
/// every apportionment and every vote's result is recomputed under its rule and the adopted text
/// is rebuilt from the motions and adopted amendments — then the checkpoints, and the published
/// `constitution.json` against the rebuilt one. Every failure is reported with its log entry.
pub fn verify_convention(dir: &Path, progress: &dyn Progress) -> (Report, Option<ConventionState>) {
    use crate::convention::files as convention_files;
    let mut report = Report::default();
    let Some(charter_bytes) = read(dir, convention_files::CHARTER, &mut report) else { return (report, None) };
    let mut state = match ConventionState::new(&charter_bytes) {
        Ok(s) => s,
        Err(e) => {
            report.fail(Code::CharterInvalid, convention_files::CHARTER, e.to_string());
            return (report, None);
        }
    };
    if state.charter.version == 1 {
        report.notes.push(crate::convention::V1_CONVENTION_NOTE.to_string());
    }
    report.record_version = Some(state.charter.version);
    let charter_hash = state.charter_hash;
    let log_verifier = state.charter.log_verifier(&charter_hash);
    let checkpoints = check_checkpoint_signatures(dir, &log_verifier, Some(state.charter.version), &mut report);
    let sizes: Vec<u64> = checkpoints.iter().map(|c| c.0).collect();

    let Some(log_bytes) = read(dir, convention_files::LOG, &mut report) else { return (report, Some(state)) };
    progress.stage("convention log", log_bytes.len() as u64);
    let lines: Vec<&[u8]> = log_bytes.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
    let signed = crate::convention::verify_signatures(&charter_hash, &lines);
    for (line, signed) in lines.iter().zip(signed) {
        let index = state.entries;
        let applied = if signed {
            state.apply_verified_line(line)
        } else {
            // Not validly signed: `apply_line` names what is wrong (format, key or signature).
            state.apply_line(line)
        };
        if let Err(e) = applied {
            report.fail(Code::EventRefused, format!("log entry {index}"), e.to_string());
            state.skip_line(line);
        }
        progress.advance(line.len() as u64 + 1);
    }
    // The replay keeps the root of every prefix (what version-2 signers saw is checked on it).
    let roots: Vec<(u64, Hash)> = sizes.iter().filter_map(|&size| state.root(size).map(|root| (size, root))).collect();
    report.entries = state.entries;
    check_checkpoint_roots(dir, &checkpoints, &roots, report.entries, &mut report);

    check_constitution(dir, &state, &mut report);
    check_secret_votes(dir, &state, progress, &mut report);
    for v in &state.votes {
        let outcome = match (&v.subject, v.open, v.result.winner) {
            (_, true, _) => "still open".to_string(),
            (crate::convention::Subject::Ranked(options), false, Some(w)) => {
                format!("motion {} chosen by Schulze", options.get(w as usize).copied().unwrap_or_default())
            }
            (crate::convention::Subject::Ranked(_), false, None) => "no single winner".to_string(),
            (_, false, _) if v.rule.majority == crate::convention::MajorityJson::Consensus => {
                let withdrawn = v.objections.iter().filter(|o| o.withdrawn.is_some()).count();
                match (v.result.adopted, withdrawn) {
                    (true, 0) => "adopted by consensus (no objection)".to_string(),
                    (true, 1) => "adopted by consensus (its one objection withdrawn)".to_string(),
                    (true, w) => format!("adopted by consensus ({w} objections, all withdrawn)"),
                    (false, _) => format!("not adopted: {} objections standing", v.result.no),
                }
            }
            (_, false, _) => format!(
                "{} ({} yes, {} no, {} abstaining)",
                if v.result.adopted { "adopted" } else { "not adopted" },
                v.result.yes,
                v.result.no,
                v.result.abstain
            ),
        };
        report.notes.push(format!("vote {} on {}: {outcome}", v.id, v.subject.describe()));
    }
    (report, Some(state))
}

/// The published `constitution.json` against the one the replayed log adopts, article by article.
fn check_constitution(dir: &Path, state: &ConventionState, report: &mut Report) {
    use crate::convention::files as convention_files;
    let rebuilt = state.constitution_json();
    if let Some(published) = parse::<ConstitutionJson>(dir, convention_files::CONSTITUTION, report) {
        // constitution.json carries its charter's version (1 to 5), not a referendum record's.
        let version_ok = published.version == state.charter.version;
        if !version_ok {
            report.fail(
                Code::VersionUnsupported,
                convention_files::CONSTITUTION,
                format!(
                    "this document is format version {}, but the charter is version {}",
                    published.version, state.charter.version
                ),
            );
        }
        if version_ok && published != rebuilt {
            let location = |k: usize| format!("{} article {}", convention_files::CONSTITUTION, k + 1);
            let mut named = false;
            for k in 0..published.articles.len().max(rebuilt.articles.len()) {
                if published.articles.get(k) != rebuilt.articles.get(k) {
                    report.fail(Code::ConstitutionMismatch, location(k), "differs from the article the log adopts");
                    named = true;
                }
            }
            if !named {
                report.fail(
                    Code::ConstitutionMismatch,
                    convention_files::CONSTITUTION,
                    "differs from the constitution the log adopts",
                );
            }
        }
    }
}

/// Each secret vote's referendum, verified in full, and tied to the vote: its electorate is the
/// delegates in office, its published counts are the ones the vote was closed with.
fn check_secret_votes(dir: &Path, state: &ConventionState, progress: &dyn Progress, report: &mut Report) {
    let called = crate::hand_off::called_referendums(state);
    for v in state.votes.iter().filter(|v| !v.open) {
        let Some(secret) = &v.secret else { continue };
        let location = format!("secret vote {} (referendum {})", v.id, secret.referendum);
        let sub = dir.join(SECRET_VOTES).join(&secret.referendum);
        if !sub.join(files::MANIFEST).is_file() {
            report.fail(
                Code::SecretVoteMissing,
                &location,
                format!("its record is missing: put it in {SECRET_VOTES}/{}", secret.referendum),
            );
            continue;
        }
        let inner = verify_record(&sub, progress);
        for f in &inner.failures {
            report.fail(f.code, format!("{location}: {}", f.location), f.check.clone());
        }
        let (Some(manifest), Some(results)) = (&inner.manifest, &inner.results) else { continue };
        // The referendum is the one the vote called for: its trustees, regions, question, origin.
        match called.iter().find(|c| c.election_id == secret.referendum) {
            Some(derived) => {
                for field in crate::hand_off::differences(derived, manifest) {
                    report.fail(
                        Code::HandOff,
                        format!("{location}: manifest.json {field}"),
                        "differs from the referendum the secret vote calls for",
                    );
                }
            }
            None => report.fail(Code::HandOff, &location, "the convention's log calls for no such referendum"),
        }
        let credentials = fs::read(sub.join(files::CREDENTIALS)).unwrap_or_default();
        if let Err(e) = state.check_secret_electorate(v, manifest, &credentials) {
            report.fail(Code::SecretVoteElectorate, &location, e);
        }
        match crate::convention::secret_tally(manifest, results) {
            Ok(published) if published == secret.tally && inner.ok() => report.notes.push(format!(
                "secret vote {}: referendum {} verified ({} delegates registered, {} ballots counted); the vote was closed with its counts",
                v.id, secret.referendum, inner.registered, inner.counted
            )),
            Ok(published) if published == secret.tally => {}
            Ok(_) => report.fail(Code::SecretVoteCounts, &location, "the vote was closed with counts that are not the referendum's results"),
            Err(e) => report.fail(Code::SecretVoteCounts, &location, e),
        }
    }
}

/// Checks that a referendum is one the convention called for, field by field: its id is among
/// the convention's derived referendums, and every manifest field but the log key is the
/// derived one (the origin with the constitution's SHA-256 included).
pub fn check_hand_off(manifest: &Manifest, convention: &ConventionState, report: &mut Report) {
    let location = "hand-off";
    let Some(origin) = &manifest.origin else {
        report.fail(Code::HandOff, location, "the referendum's manifest names no convention (origin)");
        return;
    };
    if origin.convention != convention.charter.convention_id {
        report.fail(
            Code::HandOff,
            location,
            format!(
                "the manifest names convention {:?}; this is convention {:?}",
                origin.convention, convention.charter.convention_id
            ),
        );
        return;
    }
    let called = crate::hand_off::called_referendums(convention);
    let Some(derived) = called.iter().find(|c| c.election_id == manifest.election_id) else {
        let ids: Vec<&str> = called.iter().map(|c| c.election_id.as_str()).collect();
        report.fail(
            Code::HandOff,
            location,
            format!("the convention's log calls for no referendum {:?}; it calls for {ids:?}", manifest.election_id),
        );
        return;
    };
    for field in crate::hand_off::differences(derived, manifest) {
        report.fail(
            Code::HandOff,
            format!("{location} manifest.json {field}"),
            "differs from the referendum the convention's log calls for",
        );
    }
}
