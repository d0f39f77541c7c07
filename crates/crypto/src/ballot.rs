//! Ballots (protocol note §6): the questions' shapes, encryption with range and sum proofs, the
//! credential signature, the byte encodings that are signed and logged, and the Benaloh reveal.
#![allow(non_snake_case)] // P and K follow the protocol note.

use crate::batch::BatchVerifier;
use crate::elgamal::{Ciphertext, CiphertextSum, ElectionKey};
use crate::encoding::{push_frame, FormatError, Point};
use crate::proofs::range::{RangeNonces, RangeProof, RangeStatement, MAX_BRANCHES};
use crate::proofs::schnorr::{self, Signature, TAG_BALLOT};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::RistrettoPoint;
use rand_core::CryptoRngCore;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The slot index that marks a question's sum proof in its context bytes.
pub const SUM_SLOT: u32 = u32::MAX;

/// How a question is encrypted: `slots` ciphertexts, each in `0..=max_per_slot`, and the sum in
/// `sum_range` when that is not implied by the slots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionShape {
    /// How many ciphertexts encrypt the answer: one per option (one for yes/no).
    pub slots: u32,
    /// The most each slot may hold (1 for yes/no; `max_per_option` otherwise).
    pub max_per_slot: u32,
    /// The range the slots' sum must lie in, when the slots alone do not imply it.
    pub sum_range: Option<(u32, u32)>,
}

impl QuestionShape {
    /// A yes/no question: a single 0/1 ciphertext, 1 for yes.
    pub fn yes_no() -> QuestionShape {
        QuestionShape { slots: 1, max_per_slot: 1, sum_range: None }
    }

    /// Choose between `min` and `max` (in total) among `options`, at most `max_per_option` each.
    pub fn choose(options: u32, min: u32, max: u32, max_per_option: u32) -> Result<QuestionShape, FormatError> {
        let most = options.checked_mul(max_per_option);
        let shape_error = |why: &str| Err(FormatError::Shape(why.to_string()));
        match most {
            _ if options == 0 => shape_error("a question needs at least one option"),
            _ if options > 1000 => shape_error("a question may have at most 1000 options"),
            _ if max_per_option == 0 || max_per_option >= MAX_BRANCHES => {
                shape_error("max_per_option must be between 1 and 1023")
            }
            None => shape_error("options × max_per_option is too large"),
            Some(_) if min > max => shape_error("min must not exceed max"),
            Some(most) if min > most => shape_error("min exceeds what the options allow"),
            Some(_) if max - min >= MAX_BRANCHES => shape_error("max − min must be below 1024"),
            Some(most) => {
                let sum_range = if min == 0 && max >= most { None } else { Some((min, max.min(most))) };
                Ok(QuestionShape { slots: options, max_per_slot: max_per_option, sum_range })
            }
        }
    }
}

/// What every ballot of one election is checked against.
pub struct ElectionContext {
    /// The election's base hash (protocol note §2), bound into every proof.
    pub base: [u8; 32],
    /// The election key `K` the answers are encrypted to.
    pub key: ElectionKey,
    /// Each question's shape, in the manifest's order.
    pub questions: Vec<QuestionShape>,
}

/// One slot of an answer: its ciphertext and the proof that it encrypts a value in range (§6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncryptedSlot {
    /// The ciphertext `(A, B)` of the slot's value.
    pub ct: Ciphertext,
    /// The range proof that the value is in `0..=max_per_slot`.
    pub proof: RangeProof,
}

/// One question's answer: its slots, and when the shape needs one, the proof of their sum (§6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncryptedAnswer {
    /// The slots, one per option.
    pub slots: Vec<EncryptedSlot>,
    /// The proof that the slots' sum is in the question's `sum_range`.
    pub sum_proof: Option<RangeProof>,
}

/// A ballot (§6): the encrypted answers, bound to the signer, signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ballot {
    /// The signer: the voter's credential `P`, or for a version-3 challenged ballot its
    /// one-time key `Q`.
    pub credential: Point,
    /// Version 3 (protocol note §11): the one-time key `Q` the proofs are bound to, as bytes.
    /// `None` in versions 1 and 2, whose proofs are bound to the credential.
    pub one_time: Option<[u8; 32]>,
    /// The voter's region, as the credential list gives it.
    pub region: String,
    /// The answers, one per question of the manifest.
    pub answers: Vec<EncryptedAnswer>,
    /// The signer's Schnorr signature on [`Ballot::body_bytes`].
    pub signature: Signature,
}

/// A voter's credential key pair. The secret is zeroized on drop and never printed.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct CredentialSecret {
    x: Scalar,
    #[zeroize(skip)]
    public: Point,
}

impl std::fmt::Debug for CredentialSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CredentialSecret {{ public: {}, secret: [redacted] }}", self.public.to_hex())
    }
}

impl CredentialSecret {
    /// A fresh credential key pair from `rng`.
    pub fn generate(rng: &mut impl CryptoRngCore) -> CredentialSecret {
        CredentialSecret::from_scalar(Scalar::random(rng)).expect("a random scalar is zero with negligible probability")
    }

    /// The key pair of the secret `x`; the zero scalar is refused.
    pub fn from_scalar(x: Scalar) -> Result<CredentialSecret, FormatError> {
        if x == Scalar::ZERO {
            return Err(FormatError::IdentityPoint);
        }
        Ok(CredentialSecret { public: RistrettoPoint::mul_base(&x).into(), x })
    }

    /// The public credential `P = x·G`.
    pub fn public(&self) -> &Point {
        &self.public
    }

    /// The secret scalar `x`, as its 32 canonical bytes (for writing a sheet).
    pub fn secret_bytes(&self) -> [u8; 32] {
        self.x.to_bytes()
    }
}

/// The plaintext and randomness of every slot of a ballot: kept by the voting device, revealed
/// only when the voter challenges the ballot.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct BallotSecrets {
    /// Per question, per slot: the value and the ElGamal randomness `r`.
    pub slots: Vec<Vec<(u64, Scalar)>>,
}

impl std::fmt::Debug for BallotSecrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BallotSecrets([redacted])")
    }
}

/// Which check of a ballot failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BallotError {
    /// The ballot answers another number of questions than the election has.
    #[error("the ballot answers {found} questions; the election has {expected}")]
    QuestionCount {
        /// What the election has.
        expected: usize,
        /// What the ballot has.
        found: usize,
    },
    /// An answer has another number of slots than its question has.
    #[error("question {question}: {found} slots; the question has {expected}")]
    SlotCount {
        /// The question's index.
        question: usize,
        /// What the question has.
        expected: usize,
        /// What the answer has.
        found: usize,
    },
    /// A sum proof is missing where the shape needs one, or present where it needs none.
    #[error("question {question}: the sum proof is {}", if *.expected { "missing" } else { "not expected" })]
    SumProofPresence {
        /// The question's index.
        question: usize,
        /// Whether the shape needs one.
        expected: bool,
    },
    /// A slot's range proof does not verify.
    #[error("question {question} slot {slot}: the range proof does not verify")]
    RangeProof {
        /// The question's index.
        question: usize,
        /// The slot's index.
        slot: usize,
    },
    /// A sum proof does not verify.
    #[error("question {question}: the sum proof does not verify")]
    SumProof {
        /// The question's index.
        question: usize,
    },
    /// The signature does not verify with the signer's key.
    #[error("the credential signature does not verify")]
    Signature,
    /// A revealed choice is outside what its question allows.
    #[error("question {question}: choice {choice} is outside what the question allows")]
    InvalidChoice {
        /// The question's index.
        question: usize,
        /// The choice, as the voter gave it.
        choice: String,
    },
    /// A revealed value and randomness do not open the slot's ciphertext.
    #[error("the reveal does not open question {question} slot {slot}")]
    Reveal {
        /// The question's index.
        question: usize,
        /// The slot's index.
        slot: usize,
    },
    /// The reveal has another number of questions or slots than the ballot.
    #[error("the reveal has a different shape from the ballot")]
    RevealShape,
}

fn slot_context(P: &[u8; 32], question: u32, slot: u32) -> [u8; 40] {
    let mut ctx = [0u8; 40];
    ctx[..32].copy_from_slice(P);
    ctx[32..36].copy_from_slice(&question.to_le_bytes());
    ctx[36..].copy_from_slice(&slot.to_le_bytes());
    ctx
}

fn push_proof(out: &mut Vec<u8>, proof: &RangeProof) {
    out.extend_from_slice(&(proof.branches.len() as u32).to_le_bytes());
    for b in &proof.branches {
        out.extend_from_slice(b.A.bytes());
        out.extend_from_slice(b.B.bytes());
        out.extend_from_slice(b.c.as_bytes());
        out.extend_from_slice(b.z.as_bytes());
    }
}

/// The kind byte of a log entry that is a cast ballot (protocol note §7).
pub const ENTRY_CAST: u8 = 1;
/// The kind byte of a log entry that is a challenged (spoiled) ballot with its reveal (§7).
pub const ENTRY_SPOILED: u8 = 2;

impl Ballot {
    /// What the proofs are bound to: the one-time key (version 3) or the credential.
    pub fn bound_to(&self) -> &[u8; 32] {
        self.one_time.as_ref().unwrap_or(self.credential.bytes())
    }

    /// The signed bytes (protocol note §6; §11 for version 3, which names no credential).
    pub fn body_bytes(&self, base: &[u8; 32]) -> Vec<u8> {
        let mut out = Vec::with_capacity(512);
        match &self.one_time {
            None => {
                out.extend_from_slice(b"convene/ballot v1");
                out.extend_from_slice(base);
                out.extend_from_slice(self.credential.bytes());
            }
            Some(q) => {
                out.extend_from_slice(b"convene/ballot v3");
                out.extend_from_slice(base);
                out.extend_from_slice(q);
            }
        }
        push_frame(&mut out, self.region.as_bytes());
        out.extend_from_slice(&(self.answers.len() as u32).to_le_bytes());
        for answer in &self.answers {
            out.extend_from_slice(&(answer.slots.len() as u32).to_le_bytes());
            for slot in &answer.slots {
                out.extend_from_slice(slot.ct.alpha.bytes());
                out.extend_from_slice(slot.ct.beta.bytes());
                push_proof(&mut out, &slot.proof);
            }
            match &answer.sum_proof {
                None => out.push(0),
                Some(proof) => {
                    out.push(1);
                    push_proof(&mut out, proof);
                }
            }
        }
        out
    }

    /// The fingerprint a version-3 device shows before the voter casts or challenges (protocol
    /// note §11): `H256("convene/ballot-fingerprint v3"; body)`.
    pub fn fingerprint(&self, base: &[u8; 32]) -> [u8; 32] {
        crate::encoding::hash256("convene/ballot-fingerprint v3", &[&self.body_bytes(base)])
    }

    /// The log entry of this ballot cast (`reveal = None`) or spoiled (protocol note §7; a
    /// version-3 cast entry also names its credential, §11).
    pub fn entry_bytes(&self, base: &[u8; 32], reveal: Option<&BallotSecrets>) -> Vec<u8> {
        let mut out = vec![if reveal.is_some() { ENTRY_SPOILED } else { ENTRY_CAST }];
        out.extend_from_slice(&self.body_bytes(base));
        if self.one_time.is_some() && reveal.is_none() {
            out.extend_from_slice(self.credential.bytes());
        }
        out.extend_from_slice(self.signature.R.bytes());
        out.extend_from_slice(self.signature.s.as_bytes());
        for slot in reveal.iter().flat_map(|r| r.slots.iter().flatten()) {
            out.extend_from_slice(&slot.0.to_le_bytes());
            out.extend_from_slice(slot.1.as_bytes());
        }
        out
    }
}

impl ElectionContext {
    /// Runs `f` on the range statement of slot `slot` (or [`SUM_SLOT`]) of question `q` of the
    /// ballot of credential `P`: the one place that says what a ballot's proofs prove.
    fn with_statement<R>(
        &self,
        P: &[u8; 32],
        q: usize,
        slot: u32,
        ct: &Ciphertext,
        (lo, hi): (u32, u32),
        f: impl FnOnce(&RangeStatement) -> R,
    ) -> R {
        let ctx = slot_context(P, q as u32, slot);
        f(&RangeStatement { base: &self.base, key: self.key.point(), ct, lo, hi, ctx: &ctx })
    }

    fn check_shape(&self, ballot: &Ballot) -> Result<(), BallotError> {
        if ballot.answers.len() != self.questions.len() {
            return Err(BallotError::QuestionCount { expected: self.questions.len(), found: ballot.answers.len() });
        }
        for (q, (shape, answer)) in self.questions.iter().zip(&ballot.answers).enumerate() {
            if answer.slots.len() != shape.slots as usize {
                return Err(BallotError::SlotCount {
                    question: q,
                    expected: shape.slots as usize,
                    found: answer.slots.len(),
                });
            }
            if answer.sum_proof.is_some() != shape.sum_range.is_some() {
                return Err(BallotError::SumProofPresence { question: q, expected: shape.sum_range.is_some() });
            }
        }
        Ok(())
    }

    /// Encrypts `choices` (per question, a value per slot) and signs the ballot with the
    /// credential (versions 1 and 2: the proofs are bound to the credential).
    pub fn encrypt_ballot(
        &self,
        credential: &CredentialSecret,
        region: &str,
        choices: &[Vec<u32>],
        rng: &mut impl CryptoRngCore,
    ) -> Result<(Ballot, BallotSecrets), BallotError> {
        self.encrypt_bound(credential, None, region, choices, rng)
    }

    /// Version 3 (protocol note §11): encrypts `choices` bound to the one-time key `one_time`
    /// and signs with it — a ballot ready to be challenged; [`ElectionContext::sign_cast`]
    /// signs it with the credential instead, to cast it. Show its
    /// [`fingerprint`](Ballot::fingerprint) before the voter decides.
    pub fn encrypt_one_time(
        &self,
        one_time: &CredentialSecret,
        region: &str,
        choices: &[Vec<u32>],
        rng: &mut impl CryptoRngCore,
    ) -> Result<(Ballot, BallotSecrets), BallotError> {
        self.encrypt_bound(one_time, Some(*one_time.public().bytes()), region, choices, rng)
    }

    /// Version 3, when the device already knows the ballot will be cast (tools that vote without
    /// a challenge): bound to `one_time`'s key and signed once, by the credential — the same
    /// ballot as [`ElectionContext::encrypt_one_time`] then [`ElectionContext::sign_cast`].
    pub fn encrypt_cast_one_time(
        &self,
        credential: &CredentialSecret,
        one_time: &CredentialSecret,
        region: &str,
        choices: &[Vec<u32>],
        rng: &mut impl CryptoRngCore,
    ) -> Result<Ballot, BallotError> {
        Ok(self.encrypt_bound(credential, Some(*one_time.public().bytes()), region, choices, rng)?.0)
    }

    /// A version-3 ballot, cast: the same body, signed by the voter's credential.
    pub fn sign_cast(&self, ballot: &Ballot, credential: &CredentialSecret, rng: &mut impl CryptoRngCore) -> Ballot {
        let mut cast = Ballot { credential: credential.public, ..ballot.clone() };
        let body = cast.body_bytes(&self.base);
        cast.signature = schnorr::sign(TAG_BALLOT, &self.base, &credential.x, &credential.public, &body, rng);
        cast
    }

    fn encrypt_bound(
        &self,
        credential: &CredentialSecret,
        one_time: Option<[u8; 32]>,
        region: &str,
        choices: &[Vec<u32>],
        rng: &mut impl CryptoRngCore,
    ) -> Result<(Ballot, BallotSecrets), BallotError> {
        if choices.len() != self.questions.len() {
            return Err(BallotError::QuestionCount { expected: self.questions.len(), found: choices.len() });
        }
        let P = *one_time.as_ref().unwrap_or(credential.public.bytes());
        let mut answers = Vec::with_capacity(choices.len());
        let mut secrets = BallotSecrets { slots: Vec::with_capacity(choices.len()) };
        for (q, (shape, values)) in self.questions.iter().zip(choices).enumerate() {
            let invalid = || BallotError::InvalidChoice { question: q, choice: format!("{values:?}") };
            if values.len() != shape.slots as usize || values.iter().any(|v| *v > shape.max_per_slot) {
                return Err(invalid());
            }
            let total: u32 = values.iter().sum();
            if let Some((min, max)) = shape.sum_range {
                if total < min || total > max {
                    return Err(invalid());
                }
            }
            let mut slots = Vec::with_capacity(values.len());
            let mut slot_secrets = Vec::with_capacity(values.len());
            let mut sum = CiphertextSum::default();
            let mut r_sum = Scalar::ZERO;
            for (o, &m) in values.iter().enumerate() {
                let r = Scalar::random(rng);
                let ct = self.key.encrypt(m as u64, &r);
                let proof = self
                    .with_statement(&P, q, o as u32, &ct, (0, shape.max_per_slot), |st| {
                        st.prove_random(&self.key, m, &r, rng)
                    })
                    .map_err(|_| invalid())?;
                sum.add(&ct);
                r_sum += r;
                slots.push(EncryptedSlot { ct, proof });
                slot_secrets.push((m as u64, r));
            }
            let sum_proof = match shape.sum_range {
                None => None,
                Some((lo, hi)) => {
                    let nonces = RangeNonces::random(hi - lo + 1, rng);
                    let proof = self.with_statement(&P, q, SUM_SLOT, &sum.to_ciphertext(), (lo, hi), |st| {
                        st.prove(&self.key, total, &r_sum, &nonces)
                    });
                    Some(proof.map_err(|_| invalid())?)
                }
            };
            r_sum.zeroize();
            answers.push(EncryptedAnswer { slots, sum_proof });
            secrets.slots.push(slot_secrets);
        }
        let mut ballot = Ballot {
            credential: credential.public,
            one_time,
            region: region.to_string(),
            answers,
            signature: Signature { R: Point::identity(), s: Scalar::ZERO },
        };
        let body = ballot.body_bytes(&self.base);
        ballot.signature = schnorr::sign(TAG_BALLOT, &self.base, &credential.x, &credential.public, &body, rng);
        Ok((ballot, secrets))
    }

    /// Checks the ballot's shape and scalar relations, and adds all its group equations (range
    /// proofs, sum proofs, signature) to `batch`.
    pub fn push_ballot(&self, batch: &mut BatchVerifier, ballot: &Ballot) -> Result<(), BallotError> {
        self.check_shape(ballot)?;
        for (q, (shape, answer)) in self.questions.iter().zip(&ballot.answers).enumerate() {
            self.push_answer(batch, ballot, q, shape, answer)?;
        }
        let body = ballot.body_bytes(&self.base);
        schnorr::push_signature(batch, TAG_BALLOT, &self.base, &ballot.credential, &body, &ballot.signature)
            .map_err(|_| BallotError::Signature)
    }

    fn push_answer(
        &self,
        batch: &mut BatchVerifier,
        ballot: &Ballot,
        q: usize,
        shape: &QuestionShape,
        answer: &EncryptedAnswer,
    ) -> Result<(), BallotError> {
        let P = ballot.bound_to();
        for (o, slot) in answer.slots.iter().enumerate() {
            self.with_statement(P, q, o as u32, &slot.ct, (0, shape.max_per_slot), |st| st.push(batch, &slot.proof))
                .map_err(|_| BallotError::RangeProof { question: q, slot: o })?;
        }
        if let (Some((lo, hi)), Some(proof)) = (shape.sum_range, &answer.sum_proof) {
            let mut sum = CiphertextSum::default();
            answer.slots.iter().for_each(|s| sum.add(&s.ct));
            self.with_statement(P, q, SUM_SLOT, &sum.to_ciphertext(), (lo, hi), |st| st.push(batch, proof))
                .map_err(|_| BallotError::SumProof { question: q })?;
        }
        Ok(())
    }

    /// Verifies one ballot and names every proof that fails: each proof and the signature is
    /// checked in a batch of its own.
    pub fn verify_ballot(&self, batch_source: &mut BatchVerifier, ballot: &Ballot) -> Vec<BallotError> {
        if let Err(e) = self.check_shape(ballot) {
            return vec![e];
        }
        let mut failures = Vec::new();
        for (q, (shape, answer)) in self.questions.iter().zip(&ballot.answers).enumerate() {
            let mut batch = batch_source.fork();
            match self.push_answer(&mut batch, ballot, q, shape, answer) {
                Err(e) => failures.push(e),
                Ok(()) if batch.verify_vartime() => {}
                Ok(()) => {
                    // Name the exact proof that fails.
                    for (o, slot) in answer.slots.iter().enumerate() {
                        let holds = self.with_statement(
                            ballot.bound_to(),
                            q,
                            o as u32,
                            &slot.ct,
                            (0, shape.max_per_slot),
                            |st| st.verify(&slot.proof),
                        );
                        if holds.is_err() {
                            failures.push(BallotError::RangeProof { question: q, slot: o });
                        }
                    }
                    if failures.is_empty() {
                        failures.push(BallotError::SumProof { question: q });
                    }
                }
            }
        }
        let body = ballot.body_bytes(&self.base);
        if schnorr::verify_signature(TAG_BALLOT, &self.base, &ballot.credential, &body, &ballot.signature).is_err() {
            failures.push(BallotError::Signature);
        }
        failures
    }

    /// The Benaloh check (protocol note §4.5): the revealed `(m, r)` open every ciphertext.
    pub fn check_reveal(&self, ballot: &Ballot, reveal: &BallotSecrets) -> Result<(), BallotError> {
        if reveal.slots.len() != ballot.answers.len()
            || reveal.slots.iter().zip(&ballot.answers).any(|(r, a)| r.len() != a.slots.len())
        {
            return Err(BallotError::RevealShape);
        }
        for (q, (answer, secrets)) in ballot.answers.iter().zip(&reveal.slots).enumerate() {
            for (o, (slot, (m, r))) in answer.slots.iter().zip(secrets).enumerate() {
                if !slot.ct.opens_to_vartime(self.key.point(), *m, r) {
                    return Err(BallotError::Reveal { question: q, slot: o });
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::OsRng;

    fn election(questions: Vec<QuestionShape>) -> ElectionContext {
        let K = Point::from(RistrettoPoint::mul_base(&Scalar::random(&mut OsRng)));
        ElectionContext { base: [3u8; 32], key: ElectionKey::new(K).unwrap(), questions }
    }

    /// No secret prints: a credential's and a ballot's secrets, a trustee's key and its saved
    /// state show `[redacted]` where the secret would be, and never its hex.
    #[test]
    fn secrets_print_as_redacted() {
        let cred = CredentialSecret::generate(&mut OsRng);
        let e = election(vec![QuestionShape::yes_no()]);
        let (_, secrets) = e.encrypt_ballot(&cred, "north", &[vec![1]], &mut OsRng).unwrap();
        let printed = format!("{cred:?}");
        assert!(printed.contains("[redacted]") && !printed.contains(&crate::encoding::to_hex(&cred.secret_bytes())));
        assert_eq!(format!("{secrets:?}"), "BallotSecrets([redacted])");
        let ceremony = crate::ceremony::run_local_ceremony(
            crate::ceremony::CeremonyParams { manifest_hash: [1; 32], n: 2, t: 1 },
            &mut OsRng,
            |_| {},
        )
        .unwrap();
        let key = &ceremony.keys[0];
        let printed = format!("{key:?}");
        assert!(printed.contains("[redacted]") && !printed.contains(&crate::encoding::to_hex(&key.secret_bytes())));
    }

    #[test]
    fn honest_ballots_verify_and_reveals_open_them() {
        let e = election(vec![QuestionShape::yes_no(), QuestionShape::choose(4, 1, 1, 1).unwrap()]);
        let cred = CredentialSecret::generate(&mut OsRng);
        let (ballot, secrets) = e.encrypt_ballot(&cred, "north", &[vec![1], vec![0, 0, 1, 0]], &mut OsRng).unwrap();
        let mut batch = BatchVerifier::new(*e.key.point().point());
        e.push_ballot(&mut batch, &ballot).unwrap();
        assert!(batch.verify_vartime());
        assert!(e.verify_ballot(&mut BatchVerifier::new(*e.key.point().point()), &ballot).is_empty());
        assert!(e.check_reveal(&ballot, &secrets).is_ok());
        let mut lie = secrets.clone();
        lie.slots[0][0].0 = 0;
        assert_eq!(e.check_reveal(&ballot, &lie), Err(BallotError::Reveal { question: 0, slot: 0 }));
    }

    /// Version 3: the proofs are bound to a one-time key; the same body is signed by the
    /// one-time key to challenge it, or by the credential to cast it; its fingerprint is the
    /// same either way, and the challenged form holds nothing of the credential.
    #[test]
    fn a_one_time_ballot_is_cast_or_challenged_with_one_fingerprint() {
        let e = election(vec![QuestionShape::yes_no()]);
        let voter = CredentialSecret::generate(&mut OsRng);
        let once = CredentialSecret::generate(&mut OsRng);
        let (sealed, secrets) = e.encrypt_one_time(&once, "north", &[vec![1]], &mut OsRng).unwrap();
        let cast = e.sign_cast(&sealed, &voter, &mut OsRng);
        for ballot in [&sealed, &cast] {
            assert!(e.verify_ballot(&mut BatchVerifier::new(*e.key.point().point()), ballot).is_empty());
        }
        assert_eq!(sealed.fingerprint(&e.base), cast.fingerprint(&e.base));
        assert_eq!(sealed.body_bytes(&e.base), cast.body_bytes(&e.base));
        let spoiled = sealed.entry_bytes(&e.base, Some(&secrets));
        assert!(!spoiled.windows(32).any(|w| w == voter.public().bytes()), "the credential is not in it");
        assert!(cast.entry_bytes(&e.base, None).windows(32).any(|w| w == voter.public().bytes()));
        assert!(e.check_reveal(&sealed, &secrets).is_ok());
        // Another key cannot sign it as its own: the signature is the credential's.
        let mallory = CredentialSecret::generate(&mut OsRng);
        let stolen = Ballot { credential: *mallory.public(), ..cast.clone() };
        let failures = e.verify_ballot(&mut BatchVerifier::new(*e.key.point().point()), &stolen);
        assert_eq!(failures, vec![BallotError::Signature]);
    }

    #[test]
    fn invalid_choices_are_refused_before_encryption() {
        let e = election(vec![QuestionShape::choose(3, 1, 1, 1).unwrap()]);
        let cred = CredentialSecret::generate(&mut OsRng);
        for bad in [vec![1, 1, 0], vec![0, 0, 0], vec![2, 0, 0], vec![1, 0]] {
            assert!(matches!(e.encrypt_ballot(&cred, "r", &[bad], &mut OsRng), Err(BallotError::InvalidChoice { .. })));
        }
    }

    #[test]
    fn a_proof_copied_to_another_credential_fails_and_is_named() {
        let e = election(vec![QuestionShape::yes_no()]);
        let alice = CredentialSecret::generate(&mut OsRng);
        let mallory = CredentialSecret::generate(&mut OsRng);
        let (ballot, _) = e.encrypt_ballot(&alice, "r", &[vec![1]], &mut OsRng).unwrap();
        let mut copy = ballot.clone();
        copy.credential = *mallory.public();
        let body = copy.body_bytes(&e.base);
        copy.signature = schnorr::sign(TAG_BALLOT, &e.base, &mallory.x, mallory.public(), &body, &mut OsRng);
        let failures = e.verify_ballot(&mut BatchVerifier::new(*e.key.point().point()), &copy);
        assert_eq!(failures, vec![BallotError::RangeProof { question: 0, slot: 0 }]);
    }
}
