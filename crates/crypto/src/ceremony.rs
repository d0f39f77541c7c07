//! The t-of-n trustee key ceremony (protocol note §5): Feldman commitments with proofs, shares
//! encrypted to their recipients, public verifiable complaints, exclusion of cheating dealers.
//!
//! The trustee's side is a typestate: [`Trustee::start`] → [`TrusteeAwaitingRound1::deal`] →
//! [`TrusteeAwaitingShares::receive`] → [`TrusteeAwaitingOutcome::finish`]. Each step consumes the
//! previous one, so the steps cannot run out of order. The public side,
//! [`verify_ceremony`], needs only the published messages.
#![allow(non_snake_case)] // points are upper-case as in the protocol note.

use crate::batch::BatchVerifier;
use crate::encoding::{Challenge, Point};
use crate::proofs::dleq::{DleqProof, DleqStatement, TAG_COMPLAINT};
use crate::proofs::schnorr::{self, Signature};
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, VartimeMultiscalarMul};
use curve25519_dalek::RistrettoPoint;
use rand_core::CryptoRngCore;
use std::collections::{BTreeMap, BTreeSet};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// The most trustees a ceremony may have.
pub const MAX_TRUSTEES: u32 = 64;

/// What a key ceremony is bound to: the manifest it runs for and its threshold (protocol note §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CeremonyParams {
    /// The manifest's hash, bound into every proof of the ceremony.
    pub manifest_hash: [u8; 32],
    /// How many trustees there are (`1..=n`).
    pub n: u32,
    /// How many qualified trustees it takes to decrypt.
    pub t: u32,
}

/// Why a ceremony step cannot go on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CeremonyError {
    /// The threshold is not `1 ≤ t ≤ n ≤ MAX_TRUSTEES`.
    #[error("invalid threshold: need 1 ≤ t ≤ n ≤ {MAX_TRUSTEES}, got t = {t}, n = {n}")]
    Threshold {
        /// The threshold asked for.
        t: u32,
        /// The number of trustees asked for.
        n: u32,
    },
    /// A trustee index outside `1..=n`.
    #[error("trustee index {0} is outside 1..=n")]
    Index(u32),
    /// Fewer than `t` trustees remain qualified (§5.4): the ceremony fails.
    #[error("only {qualified} trustees remain qualified; the threshold is {t}")]
    TooFewQualified {
        /// How many remain.
        qualified: usize,
        /// The threshold.
        t: u32,
    },
    /// A trustee's round-1 message is missing, or there are two.
    #[error("trustee {0}'s round-1 message is missing or duplicated")]
    Round1Missing(u32),
    /// This trustee's final key does not match its public verification key.
    #[error("my final key does not match the public verification key")]
    KeyMismatch,
    /// This trustee was excluded from the qualified set.
    #[error("I am not in the qualified set")]
    NotQualified,
    /// The election key `K` came out as the identity (§5.4 refuses it).
    #[error("the election key is the identity")]
    IdentityKey,
}

impl CeremonyParams {
    /// Checks the threshold: `1 ≤ t ≤ n ≤ MAX_TRUSTEES`.
    pub fn check(&self) -> Result<(), CeremonyError> {
        if self.t == 0 || self.t > self.n || self.n > MAX_TRUSTEES {
            return Err(CeremonyError::Threshold { t: self.t, n: self.n });
        }
        Ok(())
    }

    fn check_index(&self, i: u32) -> Result<(), CeremonyError> {
        if i == 0 || i > self.n {
            return Err(CeremonyError::Index(i));
        }
        Ok(())
    }
}

/// Round 1 of trustee `trustee`: its communication key and Feldman commitments, with proofs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Round1 {
    /// The trustee's index `i`.
    pub trustee: u32,
    /// Its communication key `E_i = e_i·G` (§5.1).
    pub communication_key: Point,
    /// The Schnorr proof of knowledge of `e_i`.
    pub communication_proof: Signature,
    /// The Feldman commitments `C_ik = a_ik·G`, `k = 0..t`.
    pub commitments: Vec<Point>,
    /// The proof of knowledge of each `a_ik`, in the same order.
    pub commitment_proofs: Vec<Signature>,
}

/// The share `s_ij = f_i(j)` from dealer `i` to recipient `j`, encrypted as `(R, u)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncryptedShare {
    /// The dealer `i`.
    pub dealer: u32,
    /// The recipient `j`.
    pub recipient: u32,
    /// `R_ij = ρ·G`.
    pub R: Point,
    /// `u_ij = s_ij + pad`.
    pub u: Scalar,
}

/// A recipient's public, verifiable complaint against a dealer's share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Complaint {
    /// The dealer `i` complained against.
    pub dealer: u32,
    /// The recipient `j` who complains.
    pub accuser: u32,
    /// `S = e_j·R_ij`, from which anyone recomputes the pad (§5.3).
    pub S: Point,
    /// The Chaum–Pedersen proof that `S` is `e_j·R_ij` for the `e_j` of `E_j`.
    pub proof: DleqProof,
}

fn communication_context(i: u32) -> Vec<u8> {
    let mut ctx = b"trustee".to_vec();
    ctx.extend_from_slice(&i.to_le_bytes());
    ctx.extend_from_slice(b"communication");
    ctx
}

fn coefficient_context(i: u32, k: u32) -> Vec<u8> {
    let mut ctx = b"trustee".to_vec();
    ctx.extend_from_slice(&i.to_le_bytes());
    ctx.extend_from_slice(b"coefficient");
    ctx.extend_from_slice(&k.to_le_bytes());
    ctx
}

fn complaint_context(dealer: u32, accuser: u32) -> [u8; 8] {
    let mut ctx = [0u8; 8];
    ctx[..4].copy_from_slice(&dealer.to_le_bytes());
    ctx[4..].copy_from_slice(&accuser.to_le_bytes());
    ctx
}

fn share_pad(params: &CeremonyParams, dealer: u32, recipient: u32, R: &Point, S: &Point) -> Scalar {
    let mut c = Challenge::new("convene/share-pad v1");
    c.item(&params.manifest_hash).item(&dealer.to_le_bytes()).item(&recipient.to_le_bytes());
    c.item(R.bytes()).item(S.bytes());
    c.scalar()
}

/// `Σ_k j^k·C_k`: what `f(j)·G` must equal.
fn commitment_at(commitments: &[Point], j: u32) -> RistrettoPoint {
    let x = Scalar::from(j);
    let mut power = Scalar::ONE;
    let powers: Vec<Scalar> = commitments
        .iter()
        .map(|_| {
            let p = power;
            power *= x;
            p
        })
        .collect();
    RistrettoPoint::vartime_multiscalar_mul(&powers, commitments.iter().map(|c| c.point()))
}

/// Step 0: a trustee's secrets, before anything is published.
#[derive(Zeroize, ZeroizeOnDrop)]
struct TrusteeSecrets {
    e: Scalar,
    coefficients: Vec<Scalar>,
}

impl TrusteeSecrets {
    fn evaluate(&self, j: u32) -> Scalar {
        let x = Scalar::from(j);
        self.coefficients.iter().rev().fold(Scalar::ZERO, |acc, a| acc * x + a)
    }
}

/// Where a trustee's ceremony begins ([`Trustee::start`]) or resumes ([`Trustee::resume`]).
pub struct Trustee;

/// After round 1: waiting for everyone's round-1 messages.
pub struct TrusteeAwaitingRound1 {
    params: CeremonyParams,
    index: u32,
    secrets: TrusteeSecrets,
}

/// After dealing: waiting for the shares addressed to this trustee.
pub struct TrusteeAwaitingShares {
    params: CeremonyParams,
    index: u32,
    secrets: TrusteeSecrets,
    round1: BTreeMap<u32, Round1>,
}

/// After checking shares: waiting for the public outcome.
pub struct TrusteeAwaitingOutcome {
    index: u32,
    received: BTreeMap<u32, Zeroizing<Scalar>>,
}

/// A qualified trustee's final key share `x_j`, zeroized on drop and never printed.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct TrusteeKey {
    /// The trustee's index `j`.
    #[zeroize(skip)]
    pub index: u32,
    pub(crate) x: Scalar,
    /// Its public verification key `X_j = x_j·G`.
    #[zeroize(skip)]
    pub public: Point,
}

impl std::fmt::Debug for TrusteeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TrusteeKey {{ index: {}, public: {}, secret: [redacted] }}", self.index, self.public.to_hex())
    }
}

impl TrusteeKey {
    /// Rebuilds a key from its stored secret (e.g. a trustee's key file); checks it against the
    /// public verification key.
    pub fn from_secret(index: u32, x: Scalar, public: Point) -> Result<TrusteeKey, CeremonyError> {
        if Point::from(RistrettoPoint::mul_base(&x)) != public {
            return Err(CeremonyError::KeyMismatch);
        }
        Ok(TrusteeKey { index, x, public })
    }

    /// The secret share `x_j`, as its 32 canonical bytes (for the trustee's key file).
    pub fn secret_bytes(&self) -> [u8; 32] {
        self.x.to_bytes()
    }
}

/// What a trustee must keep between the steps of a ceremony run over several sessions (its own
/// machine's file): the communication key and the polynomial. Zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct TrusteeSecretState {
    /// The communication secret `e_i`.
    pub communication_secret: Scalar,
    /// The polynomial's coefficients `a_i0 … a_i,t−1`.
    pub coefficients: Vec<Scalar>,
}

impl std::fmt::Debug for TrusteeSecretState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TrusteeSecretState([redacted])")
    }
}

impl Trustee {
    /// Resumes a trustee after round 1 from its saved secrets (a later session on its machine).
    pub fn resume(
        params: CeremonyParams,
        index: u32,
        state: &TrusteeSecretState,
    ) -> Result<TrusteeAwaitingRound1, CeremonyError> {
        params.check()?;
        params.check_index(index)?;
        if state.coefficients.len() != params.t as usize {
            return Err(CeremonyError::Threshold { t: state.coefficients.len() as u32, n: params.n });
        }
        let secrets = TrusteeSecrets { e: state.communication_secret, coefficients: state.coefficients.clone() };
        Ok(TrusteeAwaitingRound1 { params, index, secrets })
    }

    /// Round 1: draws the communication key and the polynomial, and publishes commitments.
    pub fn start(
        params: CeremonyParams,
        index: u32,
        rng: &mut impl CryptoRngCore,
    ) -> Result<(TrusteeAwaitingRound1, Round1), CeremonyError> {
        params.check()?;
        params.check_index(index)?;
        let secrets = TrusteeSecrets {
            e: Scalar::random(rng),
            coefficients: (0..params.t).map(|_| Scalar::random(rng)).collect(),
        };
        let h = &params.manifest_hash;
        let E = Point::from(RistrettoPoint::mul_base(&secrets.e));
        let k = Zeroizing::new(Scalar::random(rng));
        let communication_proof = schnorr::prove_knowledge(h, &communication_context(index), &secrets.e, &E, &k);
        let mut commitments = Vec::new();
        let mut commitment_proofs = Vec::new();
        for (k_index, a) in secrets.coefficients.iter().enumerate() {
            let C = Point::from(RistrettoPoint::mul_base(a));
            let nonce = Zeroizing::new(Scalar::random(rng));
            commitment_proofs.push(schnorr::prove_knowledge(
                h,
                &coefficient_context(index, k_index as u32),
                a,
                &C,
                &nonce,
            ));
            commitments.push(C);
        }
        let round1 =
            Round1 { trustee: index, communication_key: E, communication_proof, commitments, commitment_proofs };
        Ok((TrusteeAwaitingRound1 { params, index, secrets }, round1))
    }
}

/// Checks one trustee's round-1 message (proofs, lengths, non-identity).
pub fn check_round1(params: &CeremonyParams, message: &Round1) -> Result<(), String> {
    let h = &params.manifest_hash;
    if message.commitments.len() != params.t as usize || message.commitment_proofs.len() != params.t as usize {
        return Err(format!("expected {} commitments with proofs, found {}", params.t, message.commitments.len()));
    }
    if message.commitments[0].is_identity() {
        return Err("the constant-term commitment is the identity".into());
    }
    let mut batch = BatchVerifier::new(RISTRETTO_BASEPOINT_POINT);
    schnorr::push_knowledge(
        &mut batch,
        h,
        &communication_context(message.trustee),
        &message.communication_key,
        &message.communication_proof,
    )
    .map_err(|_| "the communication key is the identity".to_string())?;
    for (k, (C, proof)) in message.commitments.iter().zip(&message.commitment_proofs).enumerate() {
        if !C.is_identity() {
            schnorr::push_knowledge(&mut batch, h, &coefficient_context(message.trustee, k as u32), C, proof)
                .map_err(|_| format!("commitment {k} is invalid"))?;
        }
    }
    if !batch.verify_vartime() {
        return Err("a proof of knowledge does not verify".into());
    }
    Ok(())
}

fn index_round1(params: &CeremonyParams, messages: &[Round1]) -> Result<BTreeMap<u32, Round1>, CeremonyError> {
    let mut by_index = BTreeMap::new();
    for m in messages {
        params.check_index(m.trustee)?;
        if by_index.insert(m.trustee, m.clone()).is_some() {
            return Err(CeremonyError::Round1Missing(m.trustee));
        }
    }
    Ok(by_index)
}

impl TrusteeAwaitingRound1 {
    /// The secrets to save for [`Trustee::resume`].
    pub fn secret_state(&self) -> TrusteeSecretState {
        TrusteeSecretState { communication_secret: self.secrets.e, coefficients: self.secrets.coefficients.clone() }
    }

    /// Round 2: deals `f_i(j)` to every other trustee whose round-1 message checks out.
    pub fn deal(
        self,
        round1: &[Round1],
        rng: &mut impl CryptoRngCore,
    ) -> Result<(TrusteeAwaitingShares, Vec<EncryptedShare>), CeremonyError> {
        let round1 = index_round1(&self.params, round1)?;
        let mut shares = Vec::new();
        for (&j, message) in &round1 {
            if j == self.index || check_round1(&self.params, message).is_err() {
                continue;
            }
            let rho = Zeroizing::new(Scalar::random(rng));
            let R = Point::from(RistrettoPoint::mul_base(&rho));
            let S = Point::from(*rho * message.communication_key.point());
            let u = self.secrets.evaluate(j) + share_pad(&self.params, self.index, j, &R, &S);
            shares.push(EncryptedShare { dealer: self.index, recipient: j, R, u });
        }
        let next = TrusteeAwaitingShares { params: self.params, index: self.index, secrets: self.secrets, round1 };
        Ok((next, shares))
    }
}

impl TrusteeAwaitingShares {
    /// Round 3: decrypts and checks each share addressed to this trustee; returns a complaint
    /// for every share that is missing a valid opening.
    pub fn receive(
        self,
        shares: &[EncryptedShare],
        rng: &mut impl CryptoRngCore,
    ) -> (TrusteeAwaitingOutcome, Vec<Complaint>) {
        let mut received = BTreeMap::new();
        received.insert(self.index, Zeroizing::new(self.secrets.evaluate(self.index)));
        let mut complaints = Vec::new();
        let E = Point::from(RistrettoPoint::mul_base(&self.secrets.e));
        // A share with `R` the identity needs no complaint: it is public proof against its dealer.
        for share in shares.iter().filter(|s| s.recipient == self.index && s.dealer != self.index && !s.R.is_identity())
        {
            let Some(dealer) = self.round1.get(&share.dealer) else { continue };
            let S = Point::from(self.secrets.e * share.R.point());
            let s = Zeroizing::new(share.u - share_pad(&self.params, share.dealer, self.index, &share.R, &S));
            if RistrettoPoint::mul_base(&s) == commitment_at(&dealer.commitments, self.index) {
                received.insert(share.dealer, s);
            } else {
                let st = DleqStatement {
                    tag: TAG_COMPLAINT,
                    h: &self.params.manifest_hash,
                    ctx: &complaint_context(share.dealer, self.index),
                    X: &E,
                    A: &share.R,
                    D: &S,
                };
                let k = Zeroizing::new(Scalar::random(rng));
                let proof = st.prove(&self.secrets.e, &k);
                complaints.push(Complaint { dealer: share.dealer, accuser: self.index, S, proof });
            }
        }
        (TrusteeAwaitingOutcome { index: self.index, received }, complaints)
    }
}

impl TrusteeAwaitingOutcome {
    /// The final key share `x_j = Σ_{i∈Q} s_ij`, checked against the public `X_j`.
    pub fn finish(self, outcome: &CeremonyOutcome) -> Result<TrusteeKey, CeremonyError> {
        let public = outcome.verification_key(self.index).ok_or(CeremonyError::NotQualified)?;
        let mut x = Scalar::ZERO;
        for i in &outcome.qualified {
            x += **self.received.get(i).ok_or(CeremonyError::KeyMismatch)?;
        }
        TrusteeKey::from_secret(self.index, x, *public)
    }
}

/// What anyone computes from the ceremony's public messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CeremonyOutcome {
    /// The qualified set `Q`, in increasing order.
    pub qualified: Vec<u32>,
    /// The election key `K = Σ_{i∈Q} C_i0`.
    pub key: Point,
    /// Each qualified trustee's verification key `X_j`, by index.
    pub verification_keys: Vec<(u32, Point)>,
}

impl CeremonyOutcome {
    /// The verification key `X_j` of trustee `trustee`, if it is qualified.
    pub fn verification_key(&self, trustee: u32) -> Option<&Point> {
        self.verification_keys.iter().find(|(j, _)| *j == trustee).map(|(_, X)| X)
    }
}

/// Something the public checks found in a ceremony; none of these stops the ceremony unless
/// fewer than `t` trustees remain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CeremonyFinding {
    /// The trustee's round-1 message is invalid: it is excluded.
    BadRound1 {
        /// The trustee.
        trustee: u32,
        /// What is wrong with its message.
        why: String,
    },
    /// The trustee dealt a bad share, proven by a complaint: it is excluded.
    ComplaintUpheld {
        /// The dealer, excluded.
        dealer: u32,
        /// The trustee who complained.
        accuser: u32,
    },
    /// A complaint that does not hold: it excludes no one.
    ComplaintDismissed {
        /// The dealer complained against.
        dealer: u32,
        /// The trustee who complained.
        accuser: u32,
        /// Why the complaint does not hold.
        why: String,
    },
    /// A dealer sent no share to a recipient: the dealer is excluded.
    MissingShare {
        /// The dealer, excluded.
        dealer: u32,
        /// The trustee who got no share.
        recipient: u32,
    },
    /// A share that is its own proof against its dealer, who is excluded without a complaint.
    BadShare {
        /// The dealer, excluded.
        dealer: u32,
        /// The trustee the share was for.
        recipient: u32,
        /// What the share shows.
        why: BadShareWhy,
    },
}

/// Why a dealt share is, by itself, proof against its dealer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadShareWhy {
    /// `R` is the identity: nobody can open it, and no complaint against it can be proven
    /// (the equal-discrete-log proof refuses an identity base).
    Unopenable,
    /// The dealer dealt this recipient more than one share.
    Repeated,
}

impl std::fmt::Display for BadShareWhy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            BadShareWhy::Unopenable => "its R is the identity, so it cannot be opened",
            BadShareWhy::Repeated => "it is one of several shares the dealer dealt that trustee",
        })
    }
}

/// The shares that are, by themselves, proof against their dealers (protocol note §5.3).
pub fn bad_shares(shares: &[EncryptedShare]) -> Vec<(u32, u32, BadShareWhy)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for s in shares {
        if s.R.is_identity() {
            out.push((s.dealer, s.recipient, BadShareWhy::Unopenable));
        } else if !seen.insert((s.dealer, s.recipient)) {
            out.push((s.dealer, s.recipient, BadShareWhy::Repeated));
        }
    }
    out
}

fn adjudicate(
    params: &CeremonyParams,
    round1: &BTreeMap<u32, Round1>,
    shares: &[EncryptedShare],
    c: &Complaint,
) -> Result<(), String> {
    let (Some(dealer), Some(accuser)) = (round1.get(&c.dealer), round1.get(&c.accuser)) else {
        return Err("the complaint names an unknown trustee".into());
    };
    let Some(share) = shares.iter().find(|s| s.dealer == c.dealer && s.recipient == c.accuser) else {
        return Err("no such share was dealt".into());
    };
    let st = DleqStatement {
        tag: TAG_COMPLAINT,
        h: &params.manifest_hash,
        ctx: &complaint_context(c.dealer, c.accuser),
        X: &accuser.communication_key,
        A: &share.R,
        D: &c.S,
    };
    st.verify(&c.proof).map_err(|_| "the revealed key's proof does not verify".to_string())?;
    let s = share.u - share_pad(params, c.dealer, c.accuser, &share.R, &c.S);
    if RistrettoPoint::mul_base(&s) == commitment_at(&dealer.commitments, c.accuser) {
        return Err("the revealed share is valid".into());
    }
    Ok(())
}

/// The public checks of a ceremony (protocol note §5.4): round-1 proofs, complaints, the
/// qualified set, the election key and every verification key.
pub fn verify_ceremony(
    params: &CeremonyParams,
    round1: &[Round1],
    shares: &[EncryptedShare],
    complaints: &[Complaint],
) -> Result<(CeremonyOutcome, Vec<CeremonyFinding>), CeremonyError> {
    params.check()?;
    let round1 = index_round1(params, round1)?;
    let mut findings = Vec::new();
    let mut excluded = BTreeSet::new();
    for i in 1..=params.n {
        match round1.get(&i) {
            None => {
                findings.push(CeremonyFinding::BadRound1 { trustee: i, why: "no round-1 message".into() });
                excluded.insert(i);
            }
            Some(m) => {
                if let Err(why) = check_round1(params, m) {
                    findings.push(CeremonyFinding::BadRound1 { trustee: i, why });
                    excluded.insert(i);
                }
            }
        }
    }
    for i in 1..=params.n {
        for j in 1..=params.n {
            let valid_pair = i != j && !excluded.contains(&i) && !excluded.contains(&j);
            if valid_pair && !shares.iter().any(|s| s.dealer == i && s.recipient == j) {
                findings.push(CeremonyFinding::MissingShare { dealer: i, recipient: j });
                excluded.insert(i);
            }
        }
    }
    for (dealer, recipient, why) in bad_shares(shares) {
        findings.push(CeremonyFinding::BadShare { dealer, recipient, why });
        excluded.insert(dealer);
    }
    for c in complaints {
        match adjudicate(params, &round1, shares, c) {
            Ok(()) => {
                findings.push(CeremonyFinding::ComplaintUpheld { dealer: c.dealer, accuser: c.accuser });
                excluded.insert(c.dealer);
            }
            Err(why) => {
                findings.push(CeremonyFinding::ComplaintDismissed { dealer: c.dealer, accuser: c.accuser, why })
            }
        }
    }
    let qualified: Vec<u32> = (1..=params.n).filter(|i| !excluded.contains(i)).collect();
    if qualified.len() < params.t as usize {
        return Err(CeremonyError::TooFewQualified { qualified: qualified.len(), t: params.t });
    }
    let key: RistrettoPoint = qualified.iter().map(|i| round1[i].commitments[0].point()).sum();
    if key == RistrettoPoint::identity() {
        return Err(CeremonyError::IdentityKey);
    }
    let verification_keys = qualified
        .iter()
        .map(|&j| {
            let X: RistrettoPoint = qualified.iter().map(|i| commitment_at(&round1[i].commitments, j)).sum();
            (j, Point::from(X))
        })
        .collect();
    Ok((CeremonyOutcome { qualified, key: key.into(), verification_keys }, findings))
}

/// Runs a whole honest ceremony in one process (for demos and tests), letting `tamper` alter the
/// dealt shares before they are delivered, as a cheating dealer would.
pub fn run_local_ceremony(
    params: CeremonyParams,
    rng: &mut impl CryptoRngCore,
    tamper: impl FnOnce(&mut Vec<EncryptedShare>),
) -> Result<LocalCeremony, CeremonyError> {
    let mut waiting = Vec::new();
    let mut round1 = Vec::new();
    for i in 1..=params.n {
        let (state, message) = Trustee::start(params, i, rng)?;
        waiting.push(state);
        round1.push(message);
    }
    let mut dealt = Vec::new();
    let mut shares = Vec::new();
    for state in waiting {
        let (next, mut s) = state.deal(&round1, rng)?;
        dealt.push(next);
        shares.append(&mut s);
    }
    tamper(&mut shares);
    let mut complaints = Vec::new();
    let mut finishing = Vec::new();
    for state in dealt {
        let (next, mut c) = state.receive(&shares, rng);
        finishing.push(next);
        complaints.append(&mut c);
    }
    let (outcome, findings) = verify_ceremony(&params, &round1, &shares, &complaints)?;
    let keys = finishing
        .into_iter()
        .filter(|s| outcome.qualified.contains(&s.index))
        .map(|s| s.finish(&outcome))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(LocalCeremony { round1, shares, complaints, outcome, findings, keys })
}

/// Everything a local ceremony produced: the public messages, the outcome, and the qualified
/// trustees' keys.
pub struct LocalCeremony {
    /// Every trustee's round-1 message.
    pub round1: Vec<Round1>,
    /// Every encrypted share dealt.
    pub shares: Vec<EncryptedShare>,
    /// The complaints made.
    pub complaints: Vec<Complaint>,
    /// What anyone computes from the messages.
    pub outcome: CeremonyOutcome,
    /// What the public checks found.
    pub findings: Vec<CeremonyFinding>,
    /// The qualified trustees' keys.
    pub keys: Vec<TrusteeKey>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::OsRng;

    fn params(n: u32, t: u32) -> CeremonyParams {
        CeremonyParams { manifest_hash: [9u8; 32], n, t }
    }

    #[test]
    fn honest_ceremony_qualifies_everyone_and_keys_match() {
        let c = run_local_ceremony(params(5, 3), &mut OsRng, |_| {}).unwrap();
        assert_eq!(c.outcome.qualified, vec![1, 2, 3, 4, 5]);
        assert!(c.findings.is_empty());
        assert_eq!(c.keys.len(), 5);
    }

    #[test]
    fn a_bad_share_is_named_its_dealer_excluded_and_the_ceremony_completes() {
        let c = run_local_ceremony(params(5, 3), &mut OsRng, |shares| {
            let bad = shares.iter_mut().find(|s| s.dealer == 5 && s.recipient == 2).unwrap();
            bad.u += Scalar::ONE;
        })
        .unwrap();
        assert_eq!(c.findings, vec![CeremonyFinding::ComplaintUpheld { dealer: 5, accuser: 2 }]);
        assert_eq!(c.outcome.qualified, vec![1, 2, 3, 4]);
        assert_eq!(c.keys.len(), 4);
    }

    /// H3: a share whose `R` is the identity cannot be opened, so no complaint against it can
    /// carry a valid proof (the equal-discrete-log proof refuses an identity base). The share
    /// itself is the proof against its dealer, who is excluded, and the honest trustees' keys
    /// are complete.
    #[test]
    fn an_unopenable_share_excludes_its_dealer() {
        let c = run_local_ceremony(params(3, 2), &mut OsRng, |shares| {
            let bad = shares.iter_mut().find(|s| s.dealer == 3 && s.recipient == 1).unwrap();
            bad.R = Point::identity();
        })
        .unwrap();
        assert!(c.findings.contains(&CeremonyFinding::BadShare {
            dealer: 3,
            recipient: 1,
            why: BadShareWhy::Unopenable
        }));
        assert_eq!(c.outcome.qualified, vec![1, 2]);
        assert_eq!(c.keys.len(), 2);
    }

    /// A dealer that deals one recipient two shares is excluded: which one counts would be the
    /// recipient's guess.
    #[test]
    fn a_dealer_of_two_shares_to_one_trustee_is_excluded() {
        let c = run_local_ceremony(params(5, 3), &mut OsRng, |_| {}).unwrap();
        let mut shares = c.shares.clone();
        let again = shares.iter().find(|s| s.dealer == 1 && s.recipient == 2).unwrap().clone();
        shares.push(again);
        let (outcome, findings) = verify_ceremony(&params(5, 3), &c.round1, &shares, &c.complaints).unwrap();
        assert_eq!(findings, vec![CeremonyFinding::BadShare { dealer: 1, recipient: 2, why: BadShareWhy::Repeated }]);
        assert_eq!(outcome.qualified, vec![2, 3, 4, 5]);
    }

    #[test]
    fn a_false_complaint_is_dismissed() {
        let mut c = run_local_ceremony(params(3, 2), &mut OsRng, |_| {}).unwrap();
        // Trustee 2 claims trustee 1's share is bad, revealing a made-up key.
        let fake = Complaint {
            dealer: 1,
            accuser: 2,
            S: Point::from(RistrettoPoint::mul_base(&Scalar::from(7u64))),
            proof: DleqProof { T1: Point::identity(), T2: Point::identity(), z: Scalar::ONE },
        };
        c.complaints.push(fake);
        let (outcome, findings) = verify_ceremony(&params(3, 2), &c.round1, &c.shares, &c.complaints).unwrap();
        assert_eq!(outcome.qualified, vec![1, 2, 3]);
        assert!(matches!(&findings[..], [CeremonyFinding::ComplaintDismissed { dealer: 1, accuser: 2, .. }]));
    }

    #[test]
    fn a_resumed_trustee_is_the_same_trustee() {
        let p = params(3, 2);
        let mut waiting = Vec::new();
        let mut round1 = Vec::new();
        for i in 1..=3 {
            let (state, message) = Trustee::start(p, i, &mut OsRng).unwrap();
            // Save and resume, as across sessions on the trustee's own machine.
            waiting.push(Trustee::resume(p, i, &state.secret_state()).unwrap());
            round1.push(message);
        }
        let mut dealt = Vec::new();
        let mut shares = Vec::new();
        for state in waiting {
            let (next, mut s) = state.deal(&round1, &mut OsRng).unwrap();
            dealt.push(next);
            shares.append(&mut s);
        }
        let (outcome, findings) = verify_ceremony(&p, &round1, &shares, &[]).unwrap();
        assert!(findings.is_empty());
        for state in dealt {
            let (finishing, complaints) = state.receive(&shares, &mut OsRng);
            assert!(complaints.is_empty());
            assert!(finishing.finish(&outcome).is_ok());
        }
        let wrong = TrusteeSecretState { communication_secret: Scalar::ONE, coefficients: vec![Scalar::ONE] };
        assert!(Trustee::resume(p, 1, &wrong).is_err());
    }

    #[test]
    fn too_many_cheaters_fail_the_ceremony() {
        let result = run_local_ceremony(params(3, 3), &mut OsRng, |shares| {
            shares.iter_mut().find(|s| s.dealer == 1).unwrap().u += Scalar::ONE;
        });
        assert!(matches!(result, Err(CeremonyError::TooFewQualified { qualified: 2, t: 3 })));
    }
}
