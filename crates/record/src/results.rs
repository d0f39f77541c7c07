//! Turning a tally and partial decryptions into counts: Lagrange combination and discrete log.
//! Shared by whoever publishes results and by the verifier, so both decrypt the same way.

use crate::failure::{Code, Failure};
use crate::format::{slot_location, LogHead, ScopeResultJson, TrusteeDecryptionJson};
use crate::tally::ScopeSum;
use convene_crypto::ballot::QuestionShape;
use convene_crypto::batch::BatchVerifier;
use convene_crypto::decryption::combine;
use convene_crypto::decryption::{push_partial, PartialDecryption};
use convene_crypto::dlog::DlogTable;
use convene_crypto::elgamal::Ciphertext;
use convene_crypto::encoding::Point;
use convene_crypto::RistrettoPoint;

/// Why a slot could not be decrypted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ResultError {
    /// The partial decryptions cannot be combined.
    #[error("{0}")]
    Combine(#[from] convene_crypto::decryption::DecryptionError),
    /// The decrypted value is not a count up to the most ballots could give.
    #[error("the decrypted value is not a count between 0 and {bound}")]
    OutOfRange {
        /// The most it could be.
        bound: u64,
    },
    /// The bound is too large for the discrete logarithm to be solved.
    #[error("the bound {0} is too large to solve")]
    Bound(u64),
}

/// Per scope, question and slot: the verified partial decryptions `(trustee, D_j)`.
pub type SlotShares = Vec<Vec<Vec<Vec<(u32, Point)>>>>;

/// Empty [`SlotShares`] in the shape of `scopes`.
pub fn empty_shares(scopes: &[(String, ScopeSum)]) -> SlotShares {
    scopes.iter().map(|(_, s)| s.sums.iter().map(|q| vec![Vec::new(); q.len()]).collect()).collect()
}

/// The bound of the discrete-log table for scopes of at most `most_weight`, checked against what
/// the solver reaches.
pub fn table_bound(shapes: &[QuestionShape], most_weight: u64) -> Result<u64, ResultError> {
    let bound = most_weight.saturating_mul(shapes.iter().map(|s| s.max_per_slot as u64).max().unwrap_or(1));
    if bound > convene_crypto::dlog::MAX_BOUND {
        return Err(ResultError::Bound(bound));
    }
    Ok(bound)
}

/// The discrete-log table big enough for every slot of every scope.
pub fn table_for(shapes: &[QuestionShape], most_weight: u64) -> Result<DlogTable, ResultError> {
    let bound = most_weight.saturating_mul(shapes.iter().map(|s| s.max_per_slot as u64).max().unwrap_or(1));
    DlogTable::new(bound).ok_or(ResultError::Bound(bound))
}

/// Decrypts one slot from verified partial decryptions `(trustee, D_j)`. A slot whose `α` is
/// the identity (no ballots, or randomness that cancels) carries its count in the clear,
/// `β = m·G`: it is read without trustees (protocol note §7), and no partial decryption of it
/// exists, since `x_j·0` proves nothing.
pub fn decrypt_slot(
    table: &DlogTable,
    t: u32,
    ct: &Ciphertext,
    shares: &[(u32, Point)],
    bound: u64,
) -> Result<u64, ResultError> {
    let point = if ct.alpha.is_identity() { *ct.beta.point() } else { combine(t, ct, shares)? };
    match table.solve_vartime(&point) {
        Some(m) if m <= bound => Ok(m),
        _ => Err(ResultError::OutOfRange { bound }),
    }
}

/// Decrypts every slot of one scope; `shares(question, slot)` gives the partial decryptions.
pub fn decrypt_scope(
    table: &DlogTable,
    t: u32,
    shapes: &[QuestionShape],
    scope: &str,
    sum: &ScopeSum,
    mut shares: impl FnMut(usize, usize) -> Vec<(u32, Point)>,
) -> Result<ScopeResultJson, (usize, usize, ResultError)> {
    let cts = sum.ciphertexts();
    let mut questions = Vec::with_capacity(cts.len());
    for (q, (shape, slots)) in shapes.iter().zip(&cts).enumerate() {
        let bound = sum.weight.saturating_mul(shape.max_per_slot as u64);
        let counts = slots
            .iter()
            .enumerate()
            .map(|(o, ct)| decrypt_slot(table, t, ct, &shares(q, o), bound).map_err(|e| (q, o, e)))
            .collect::<Result<Vec<u64>, _>>()?;
        questions.push(counts);
    }
    let weight = (sum.weight != sum.counted).then_some(sum.weight);
    Ok(ScopeResultJson {
        scope: scope.to_string(),
        counted: sum.counted,
        weight,
        regions: sum.members.clone(),
        questions,
    })
}

/// A verified partial decryption: `(scope, question, slot, D_j)`.
pub type ValidShare = (usize, usize, usize, Point);

/// Checks one trustee's partial decryptions of a tally (its shape, every proof, in one batch
/// with a per-item fallback). Returns the valid shares as `(scope, question, slot, D_j)` and a
/// failure, with its location, for each invalid one.
pub fn check_trustee_decryption(
    base: &[u8; 32],
    log: Option<&LogHead>,
    verification_key: &Point,
    scopes: &[(String, ScopeSum)],
    trustee: &TrusteeDecryptionJson,
) -> (Vec<ValidShare>, Vec<Failure>) {
    let j = trustee.trustee;
    let who = format!("decryption trustee {j}");
    let computed: Vec<Vec<Vec<Ciphertext>>> = scopes.iter().map(|(_, s)| s.ciphertexts()).collect();
    let shape_ok = trustee.scopes.len() == computed.len()
        && trustee
            .scopes
            .iter()
            .zip(&computed)
            .all(|(a, b)| a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.len() == y.len()));
    if !shape_ok {
        return (
            Vec::new(),
            vec![Failure::new(Code::DecryptionShape, who, "the partial decryptions do not have the tally's shape")],
        );
    }
    let mut failures = Vec::new();
    let mut items: Vec<(usize, usize, usize, String, PartialDecryption)> = Vec::new();
    for (s, scope) in trustee.scopes.iter().enumerate() {
        for (q, question) in scope.iter().enumerate() {
            for (o, partial) in question.iter().enumerate() {
                let location = format!("{who} {} question {q} slot {o}", scopes[s].0);
                let in_clear = computed[s][q][o].alpha.is_identity();
                match (partial, in_clear) {
                    (None, true) => {}
                    (Some(_), true) => failures.push(Failure::new(
                        Code::DecryptionShape,
                        location,
                        "must be null: the tally's α is the identity, so its count is read from β without trustees",
                    )),
                    (None, false) => failures.push(Failure::new(Code::DecryptionShape, location, "missing")),
                    (Some(partial), false) => match partial.decode(j) {
                        Ok(p) => items.push((s, q, o, location, p)),
                        Err(e) => failures.push(Failure::new(Code::DecryptionInvalid, location, e.to_string())),
                    },
                }
            }
        }
    }
    let check = |batch: &mut BatchVerifier, (s, q, o, _, p): &(usize, usize, usize, String, PartialDecryption)| {
        let location = slot_location(&scopes[*s].0, *q, *o, log);
        push_partial(batch, base, verification_key, &computed[*s][*q][*o], &location, p).is_ok()
    };
    let mut batch = BatchVerifier::new(RistrettoPoint::default());
    let all_hold = items.iter().all(|item| check(&mut batch, item)) && batch.verify_vartime();
    let mut valid = Vec::new();
    for item in &items {
        let holds = all_hold || {
            let mut one = BatchVerifier::new(RistrettoPoint::default());
            check(&mut one, item) && one.verify_vartime()
        };
        if holds {
            valid.push((item.0, item.1, item.2, item.4.share));
        } else {
            failures.push(Failure::new(
                Code::DecryptionProof,
                item.3.clone(),
                "the partial decryption's proof does not verify",
            ));
        }
    }
    (valid, failures)
}

/// Trustee `key`'s partial decryption of every slot of a tally, with proofs; in version 2
/// (`signer` given, and the tally's `log`), signed with the trustee's long-term key.
pub fn decrypt_as_trustee(
    key: &convene_crypto::ceremony::TrusteeKey,
    base: &[u8; 32],
    log: Option<&LogHead>,
    signer: Option<(&crate::actors::ActorKey, &[u8; 32])>,
    scopes: &[(String, ScopeSum)],
    rng: &mut impl rand_core::CryptoRngCore,
) -> TrusteeDecryptionJson {
    let scopes = scopes
        .iter()
        .map(|(scope, sum)| {
            sum.ciphertexts()
                .iter()
                .enumerate()
                .map(|(q, slots)| {
                    slots
                        .iter()
                        .enumerate()
                        .map(|(o, ct)| {
                            (!ct.alpha.is_identity()).then(|| {
                                crate::format::PartialJson::from_partial(&key.partial_decrypt(
                                    base,
                                    ct,
                                    &slot_location(scope, q, o, log),
                                    rng,
                                ))
                            })
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let mut doc = TrusteeDecryptionJson { trustee: key.index, scopes, signature: None };
    if let (Some((signer, manifest_hash)), Some(log)) = (signer, log) {
        if let Ok(message) = decryption_message_of(base, log, &doc) {
            doc.signature = Some(signer.sign(crate::actors::TAG_DECRYPTION, manifest_hash, &message, rng));
        }
    }
    doc
}

/// The message a trustee signs over its partial decryptions (protocol note §9).
pub fn decryption_message_of(
    base: &[u8; 32],
    log: &LogHead,
    doc: &TrusteeDecryptionJson,
) -> Result<Vec<u8>, crate::format::RecordError> {
    let partials = doc
        .scopes
        .iter()
        .map(|scope| {
            scope
                .iter()
                .map(|question| {
                    question.iter().map(|p| p.as_ref().map(|p| p.decode(doc.trustee)).transpose()).collect()
                })
                .collect()
        })
        .collect::<Result<Vec<Vec<Vec<_>>>, _>>()?;
    Ok(crate::actors::decryption_message(doc.trustee, base, (log.size, &log.root), &partials))
}

/// Whether trustee `doc.trustee`'s long-term `key` signed its partial decryptions.
pub fn decryption_signed(
    manifest_hash: &[u8; 32],
    key: &Point,
    base: &[u8; 32],
    log: &LogHead,
    doc: &TrusteeDecryptionJson,
) -> bool {
    match (&doc.signature, decryption_message_of(base, log, doc)) {
        (Some(signature), Ok(message)) => {
            crate::actors::signed_by(crate::actors::TAG_DECRYPTION, manifest_hash, key, &message, signature)
        }
        _ => false,
    }
}

/// The shares of a decryption document, per scope, question and slot (proofs not checked here).
pub fn shares_of(
    decryption: &crate::format::DecryptionJson,
    scopes: &[(String, ScopeSum)],
) -> Result<SlotShares, crate::format::RecordError> {
    let mut shares = empty_shares(scopes);
    for trustee in &decryption.trustees {
        for (s, scope) in trustee.scopes.iter().enumerate() {
            for (q, question) in scope.iter().enumerate() {
                for (o, partial) in question.iter().enumerate() {
                    let Some(partial) = partial else { continue };
                    let slot =
                        shares.get_mut(s).and_then(|x| x.get_mut(q)).and_then(|x| x.get_mut(o)).ok_or_else(|| {
                            crate::format::RecordError::Invalid(format!(
                                "trustee {}'s decryption has more slots than the tally",
                                trustee.trustee
                            ))
                        })?;
                    slot.push((trustee.trustee, partial.decode(trustee.trustee)?.share));
                }
            }
        }
    }
    Ok(shares)
}

/// Evaluates the manifest's ratification rule (if any) on decrypted results: per region, yes and
/// no (and blank) from the rule's question, registered voters from the credential list, weights
/// from the manifest.
pub fn ratify(
    manifest: &crate::format::Manifest,
    results: &[ScopeResultJson],
    registered: &[u64],
) -> Result<Option<crate::format::RatificationJson>, String> {
    use convene_core::ratify::{evaluate, RegionResult, Rule, Verdict};
    let Some(ratification) = &manifest.ratification else { return Ok(None) };
    let rule = Rule::parse(&ratification.rule)?;
    let q = manifest
        .questions
        .iter()
        .position(|q| q.id() == ratification.question)
        .ok_or("the rule's question is missing")?;
    let question = &manifest.questions[q];
    let mut rows = Vec::new();
    // Each region's scope, the merged scope as one region, never the national one.
    let regional = results.iter().filter(|s| s.scope != crate::format::NATIONAL);
    for scope in regional {
        let members: Vec<&str> = if scope.regions.is_empty() {
            vec![scope.scope.as_str()]
        } else {
            scope.regions.iter().map(String::as_str).collect()
        };
        let counts = scope.questions.get(q).ok_or("the results lack the rule's question")?;
        let (yes, no, blank) = question
            .yes_no_blank(scope.weight.unwrap_or(scope.counted), counts)
            .ok_or("the rule's question is not yes/no")?;
        let mut weight = convene_core::Ratio::ZERO;
        let mut registered_here = 0u64;
        for member in &members {
            let w = match ratification.region_weights.get(*member) {
                Some(w) => convene_core::Ratio::parse(w)?,
                None => convene_core::Ratio::ONE,
            };
            weight = weight.checked_add(&w).ok_or("the region weights are too fine to add exactly")?;
            let index = manifest.region_index(member).ok_or_else(|| format!("{member:?} is not a region"))?;
            registered_here += registered.get(index).copied().unwrap_or(0);
        }
        let name = if scope.regions.is_empty() {
            scope.scope.clone()
        } else {
            format!("{} ({})", scope.scope, members.join(", "))
        };
        rows.push(RegionResult { region: name, registered: Some(registered_here), yes, no, blank, invalid: 0, weight });
    }
    let verdict = evaluate(&rule, &rows)?;
    let outcome = match &verdict {
        Verdict::National(e) if e.ratified => "ratified",
        Verdict::National(_) => "rejected",
        Verdict::PerRegion(_) => "per-region",
    };
    // Version 2 carries the conditions without words; version 1 the English report.
    let (report, conditions) = if manifest.version >= 2 {
        let conditions = match &verdict {
            Verdict::National(e) => {
                e.conditions.iter().map(|c| crate::format::ConditionJson::from_condition(None, c)).collect()
            }
            Verdict::PerRegion(regions) => regions
                .iter()
                .flat_map(|(region, e)| {
                    e.conditions.iter().map(move |c| crate::format::ConditionJson::from_condition(Some(region), c))
                })
                .collect(),
        };
        (Vec::new(), conditions)
    } else {
        (verdict.to_text().lines().map(String::from).collect(), Vec::new())
    };
    Ok(Some(crate::format::RatificationJson { outcome: outcome.into(), report, conditions }))
}
