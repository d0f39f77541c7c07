//! Everything before the first ballot: the authority's signature, the registrar's list, the ceremony, the acknowledgements, the credentials.

use super::*;

/// Who the record says acted, for people to compare with what was announced; in version 2 the
/// authority's signature of the manifest.
pub(super) fn check_authority(dir: &Path, manifest: &Manifest, manifest_hash: &Hash, report: &mut Report) {
    let t = &manifest.trustees;
    if manifest.version < 2 {
        report.who.push(format!("trustees: {} of {} needed to decrypt (named by number only)", t.t, t.n));
        report.notes.push(V1_NOTE.to_string());
        return;
    }
    let show = |a: &Actor| format!("{} (key {})", a.name, a.key);
    report.who.push(format!("trustees: {} of {} needed to decrypt:", t.t, t.n));
    for (k, m) in t.members.iter().enumerate() {
        report.who.push(format!("  {}. {}", k + 1, show(m)));
    }
    match (&manifest.authority, &manifest.origin) {
        (Some(a), _) => report.who.push(format!("election authority: {}", show(a))),
        (None, Some(o)) => report.who.push(format!(
            "election authority: convention {} (every manifest field is derived from its log and checked)",
            o.convention
        )),
        (None, None) => {}
    }
    match (&manifest.registrar, manifest.origin.as_ref().and_then(|o| o.vote)) {
        (Some(r), _) => report.who.push(format!("registrar: {}", show(r))),
        (None, Some(v)) => report.who.push(format!(
            "registrar: none — the electorate of secret vote {v} is the delegates in office, checked against the convention"
        )),
        (None, None) => {}
    }
    if manifest.version >= crate::checkpoint::WITNESSED_VERSION {
        let names: Vec<String> = manifest
            .witnesses
            .iter()
            .map(|w| {
                convene_note::Verifier::parse(&w.key)
                    .map_or_else(|_| w.key.clone(), |v| format!("{} ({})", v.name, w.url))
            })
            .collect();
        report.who.push(match names.is_empty() {
            true => "witnesses: none (nobody but the host vouches for the log)".to_string(),
            false => format!(
                "witnesses: {} of {} must cosign every checkpoint: {}",
                manifest.witness_quorum,
                names.len(),
                names.join(", ")
            ),
        });
    }
    report.who.push(match &manifest.code_issuer {
        Some(issuer) => format!("sign-in codes: issued by {}, apart from the registrar", show(issuer)),
        None => {
            "sign-in codes: on the registrar's sheet (one-sheet mode: the registrar alone could sign in as any voter)"
                .to_string()
        }
    });
    report.who.push(match manifest.max_weight {
        Some(1) | None => "weights: none (one credential, one vote)".to_string(),
        Some(w) => format!("weights: allowed, up to {w} per credential"),
    });
    if let Some(cap) = manifest.max_ballots_per_credential {
        report.who.push(format!("ballots: at most {cap} log entries per credential"));
    }
    if manifest.authority.is_none() {
        return;
    }
    let Some(doc) = parse::<AuthorityJson>(dir, files::AUTHORITY, report) else { return };
    let key = manifest.authority.as_ref().and_then(|a| a.public().ok());
    let signed = key.is_some_and(|k| signed_by(TAG_AUTHORITY, manifest_hash, &k, b"", &doc.signature));
    if !signed {
        report.fail(Code::AuthoritySignature, files::AUTHORITY, "not the authority's signature of this manifest");
    }
}

/// Version 2: the registrar's statement is exactly the published list (hash, per-region counts
/// and weights, totals), signed by the registrar's key; no weight exceeds the manifest's maximum.
pub(super) fn check_registrar(
    dir: &Path,
    manifest: &Manifest,
    manifest_hash: &Hash,
    credentials_hash: &Hash,
    electorate: &Electorate,
    report: &mut Report,
) {
    let max = manifest.max_weight.unwrap_or(1);
    let heaviest = electorate.heaviest();
    if heaviest > max {
        report.fail(
            Code::CredentialWeight,
            files::CREDENTIALS,
            format!("a credential has weight {heaviest}; the manifest allows at most {max}"),
        );
    }
    let Some(doc) = parse::<RegistrarJson>(dir, files::REGISTRAR, report) else { return };
    let credentials = electorate.credentials_by_region();
    let weights = electorate.registered_by_region();
    let expected: Vec<RegionCountJson> = manifest
        .regions
        .iter()
        .enumerate()
        .map(|(r, region)| RegionCountJson { region: region.clone(), credentials: credentials[r], weight: weights[r] })
        .collect();
    let same = doc.credentials_hash == to_hex(credentials_hash)
        && doc.regions == expected
        && doc.credentials == credentials.iter().sum::<u64>()
        && doc.weight == weights.iter().sum::<u64>();
    if !same {
        report.fail(
            Code::RegistrarStatement,
            files::REGISTRAR,
            format!(
                "the registrar attests {} credentials of weight {}; the published list has {} of weight {} (or other regions or hash)",
                doc.credentials,
                doc.weight,
                credentials.iter().sum::<u64>(),
                weights.iter().sum::<u64>()
            ),
        );
    }
    let key = manifest.registrar.as_ref().and_then(|r| r.public().ok());
    let signed = match (key, doc.message()) {
        (Some(k), Ok(message)) => signed_by(TAG_REGISTRAR, manifest_hash, &k, &message, &doc.signature),
        _ => false,
    };
    if !signed {
        report.fail(Code::RegistrarSignature, files::REGISTRAR, "not the registrar's signature of its statement");
    }
}

/// Version 2: every qualified trustee acknowledged `K`, its `X_j` and the base hash.
pub(super) fn check_acknowledgements(
    dir: &Path,
    manifest: &Manifest,
    manifest_hash: &Hash,
    base: &Hash,
    outcome: &CeremonyOutcome,
    report: &mut Report,
) {
    let Some(doc) = parse::<AcknowledgementsJson>(dir, files::ACKNOWLEDGEMENTS, report) else { return };
    for (j, verification_key) in &outcome.verification_keys {
        let location = format!("{} trustee {j}", files::ACKNOWLEDGEMENTS);
        let Some(ack) = doc.acknowledgements.iter().find(|a| a.trustee == *j) else {
            report.fail(
                Code::AcknowledgementMissing,
                location,
                "this qualified trustee did not acknowledge the election key",
            );
            continue;
        };
        let message = acknowledgement_message(*j, base, &outcome.key, verification_key);
        let signed = manifest
            .trustee_key(*j)
            .is_some_and(|k| signed_by(TAG_ACKNOWLEDGEMENT, manifest_hash, &k, &message, &ack.signature));
        if !signed {
            report.fail(
                Code::AcknowledgementSignature,
                location,
                "not this trustee's signature of K, its X_j and the base hash",
            );
        }
    }
}

pub(super) fn check_ceremony(
    dir: &Path,
    manifest: &Manifest,
    manifest_hash: &Hash,
    report: &mut Report,
) -> Option<CeremonyOutcome> {
    let ceremony: CeremonyJson = parse(dir, files::CEREMONY, report)?;
    // When the ceremony does not verify, the checks that do not depend on it go on with the
    // outcome the record claims (the key, the verification keys), so that every other failure
    // is still named.
    let claimed = || ceremony.outcome().ok();
    let (round1, shares, complaints) = match authenticated_messages(manifest, manifest_hash, &ceremony) {
        Ok((messages, dropped)) => {
            for unsigned in dropped {
                report.fail(
                    Code::CeremonySignature,
                    files::CEREMONY,
                    format!(
                        "{} is not signed by that trustee's key in the manifest, so it does not count",
                        unsigned.what
                    ),
                );
            }
            messages
        }
        Err(e) => {
            report.fail(Code::CeremonyInvalid, files::CEREMONY, e.to_string());
            return claimed();
        }
    };
    let params = CeremonyParams { manifest_hash: *manifest_hash, n: manifest.trustees.n, t: manifest.trustees.t };
    let (outcome, findings) = match verify_ceremony(&params, &round1, &shares, &complaints) {
        Ok(v) => v,
        Err(e) => {
            report.fail(Code::CeremonyIncomplete, files::CEREMONY, format!("the ceremony does not complete: {e}"));
            return claimed();
        }
    };
    for finding in findings {
        match finding {
            CeremonyFinding::BadRound1 { trustee, why } => {
                report.notes.push(format!("trustee {trustee} excluded: invalid round-1 message ({why})"))
            }
            CeremonyFinding::ComplaintUpheld { dealer, accuser } => report
                .notes
                .push(format!("trustee {dealer} excluded: trustee {accuser}'s complaint against its share is upheld")),
            CeremonyFinding::ComplaintDismissed { dealer, accuser, why } => {
                report.notes.push(format!("trustee {accuser}'s complaint against trustee {dealer} dismissed: {why}"))
            }
            CeremonyFinding::BadShare { dealer, recipient, why } => report.notes.push(format!(
                "trustee {dealer} excluded: its share for trustee {recipient} is proof against it ({why})"
            )),
            CeremonyFinding::MissingShare { dealer, recipient } => {
                report.notes.push(format!("trustee {dealer} excluded: dealt no share to trustee {recipient}"))
            }
        }
    }
    let published = &ceremony.outcome;
    let location = format!("{} outcome", files::CEREMONY);
    if published.qualified != outcome.qualified {
        report.fail(
            Code::CeremonyOutcome,
            &location,
            format!("published qualified trustees {:?}, computed {:?}", published.qualified, outcome.qualified),
        );
    }
    if published.election_key != outcome.key.to_hex() {
        report.fail(
            Code::CeremonyOutcome,
            &location,
            "the published election key is not the sum of the qualified trustees' commitments",
        );
    }
    let computed: Vec<(u32, String)> = outcome.verification_keys.iter().map(|(j, k)| (*j, k.to_hex())).collect();
    let claimed: Vec<(u32, String)> = published.verification_keys.iter().map(|v| (v.trustee, v.key.clone())).collect();
    if computed != claimed {
        report.fail(
            Code::CeremonyOutcome,
            &location,
            "the published verification keys do not follow from the commitments",
        );
    }
    Some(outcome)
}

pub(super) fn check_credentials(
    dir: &Path,
    manifest: &Manifest,
    progress: &dyn Progress,
    report: &mut Report,
) -> Option<(Hash, Electorate)> {
    let path = dir.join(files::CREDENTIALS);
    let file = match fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            report.fail(Code::FileUnreadable, files::CREDENTIALS, format!("cannot read: {e}"));
            return None;
        }
    };
    let length = file.metadata().map(|m| m.len()).unwrap_or(0);
    progress.stage("credentials", length);
    let mut hasher = credentials_hasher(length);
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut read_total = 0u64;
    // A list of any length: sorted on disk beyond what memory holds (crate::electorate).
    let mut builder = ElectorateBuilder::new(manifest.regions.clone());
    let mut failures: Vec<(u64, Failure)> = Vec::new();
    let spill_failed =
        |e: std::io::Error| format!("cannot sort the credential list in the temporary directory (TMPDIR): {e}");
    // In chunks of lines: hashed in order, parsed (a point decompression each) in parallel.
    let mut done = false;
    while !done {
        let mut lines = Vec::with_capacity(CREDENTIAL_CHUNK);
        while lines.len() < CREDENTIAL_CHUNK {
            let mut line = Vec::with_capacity(128);
            match reader.read_until(b'\n', &mut line) {
                Ok(0) => {
                    done = true;
                    break;
                }
                Ok(n) => {
                    read_total += n as u64;
                    progress.advance(n as u64);
                    hasher.update(&line);
                    lines.push(line);
                }
                Err(e) => {
                    report.fail(Code::FileUnreadable, files::CREDENTIALS, format!("cannot read: {e}"));
                    return None;
                }
            }
        }
        match builder.push_lines(&lines, manifest) {
            Ok(bad) => failures.extend(
                bad.into_iter().map(|(line, why)| (line, Failure::new(Code::CredentialInvalid, line_of(line), why))),
            ),
            Err(e) => {
                report.fail(Code::FileUnreadable, files::CREDENTIALS, spill_failed(e));
                return None;
            }
        }
    }
    let (electorate, duplicates) = match builder.finish() {
        Ok(done) => done,
        Err(e) => {
            report.fail(Code::FileUnreadable, files::CREDENTIALS, spill_failed(e));
            return None;
        }
    };
    for line in duplicates {
        failures
            .push((line, Failure::new(Code::CredentialDuplicate, line_of(line), "this credential is listed twice")));
    }
    // In the list's order, whichever way each was found.
    failures.sort_by_key(|(line, _)| *line);
    report.failures.extend(failures.into_iter().map(|(_, f)| f));
    if read_total != length || length > u32::MAX as u64 {
        report.fail(Code::FileUnreadable, files::CREDENTIALS, "the file changed while it was read, or is over 4 GiB");
    }
    Some((hasher.finalize().into(), electorate))
}

/// Credential lines parsed at once.
const CREDENTIAL_CHUNK: usize = 1 << 14;

fn line_of(number: u64) -> String {
    format!("{} line {number}", files::CREDENTIALS)
}
