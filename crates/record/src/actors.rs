//! Format version 2: the actors named in the manifest and the statements each signs
//! (protocol note §9). This module fixes the exact bytes of every statement, once, for whoever
//! signs (a trustee's or the registrar's tool), the server that checks at the door, and the
//! verifier.
//!
//! Signatures are the protocol's Schnorr signatures on ristretto255 (§4.2) with
//! `h = manifest_hash`. No I/O.

use crate::format::{RecordError, SignatureJson};
use convene_crypto::ceremony::{Complaint, EncryptedShare, Round1};
use convene_crypto::encoding::Point;
use convene_crypto::proofs::schnorr::{self, Signature};
use convene_crypto::{RistrettoPoint, Scalar};
use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};

/// The tag of the authority's signature of the manifest.
pub const TAG_AUTHORITY: &str = "convene/authority-manifest v2";
/// The tag of a trustee's signature of its round-1 message.
pub const TAG_ROUND1: &str = "convene/trustee-round1 v2";
/// The tag of a dealer's signature of its shares.
pub const TAG_SHARES: &str = "convene/trustee-shares v2";
/// The tag of an accuser's signature of its complaints.
pub const TAG_COMPLAINTS: &str = "convene/trustee-complaints v2";
/// The tag of a trustee's acknowledgement of the outcome.
pub const TAG_ACKNOWLEDGEMENT: &str = "convene/trustee-acknowledgement v2";
/// The tag of a trustee's signature of its partial decryptions.
pub const TAG_DECRYPTION: &str = "convene/trustee-decryption v2";
/// The tag of the registrar's signature of the credential list.
pub const TAG_REGISTRAR: &str = "convene/registrar-credentials v2";
/// The tag of the registrar's transport signature of an upload, checked before its body is read.
pub const TAG_REGISTRAR_UPLOAD: &str = "convene/registrar-upload v2";
/// The header carrying an upload's SHA-256 (docs/protocol.md §9).
pub const UPLOAD_SHA256_HEADER: &str = "convene-upload-sha256";
/// The header carrying the registrar's transport signature, `enc(R) ‖ s` in hex.
pub const UPLOAD_SIGNATURE_HEADER: &str = "convene-upload-signature";

/// `msg` of the registrar's transport signature: `u64(length) ‖ sha256`.
pub fn upload_message(length: u64, sha256: &[u8; 32]) -> Vec<u8> {
    let mut out = length.to_be_bytes().to_vec();
    out.extend_from_slice(sha256);
    out
}

/// The headers that authenticate `body` as the registrar's upload (`key`, bound to the manifest
/// by `manifest_hash`): its SHA-256 and the transport signature.
pub fn upload_headers(
    manifest_hash: &[u8; 32],
    body: &[u8],
    key: &ActorKey,
    rng: &mut impl CryptoRngCore,
) -> [(&'static str, String); 2] {
    use sha2::Digest;
    let sha256: [u8; 32] = sha2::Sha256::digest(body).into();
    let msg = upload_message(body.len() as u64, &sha256);
    let signature = schnorr::sign(TAG_REGISTRAR_UPLOAD, manifest_hash, &key.secret, &key.public, &msg, rng);
    let mut sig = Vec::with_capacity(64);
    put_signature(&mut sig, &signature);
    [
        (UPLOAD_SHA256_HEADER, convene_crypto::encoding::to_hex(&sha256)),
        (UPLOAD_SIGNATURE_HEADER, convene_crypto::encoding::to_hex(&sig)),
    ]
}

/// Whether headers `sha256` and `signature` (hex, as sent) are `registrar`'s transport signature
/// of an upload of `length` bytes; the SHA-256 to hold the body to, if so.
pub fn check_upload_headers(
    manifest_hash: &[u8; 32],
    registrar: &Point,
    length: u64,
    sha256: &str,
    signature: &str,
) -> Option<[u8; 32]> {
    let sha256 = convene_crypto::encoding::hex32(sha256).ok()?;
    if signature.len() != 128 {
        return None;
    }
    let json = SignatureJson { r: signature[..64].into(), s: signature[64..].into() };
    signed_by(TAG_REGISTRAR_UPLOAD, manifest_hash, registrar, &upload_message(length, &sha256), &json).then_some(sha256)
}

/// The tag of the code issuer's signature of the codes' hashes.
pub const TAG_CODES: &str = "convene/issuer-codes v2";

pub use crate::format::Actor;

/// An actor's own key pair, held in its owner's file. Zeroized on drop; never printed.
#[derive(zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
pub struct ActorKey {
    secret: Scalar,
    #[zeroize(skip)]
    public: Point,
}

impl std::fmt::Debug for ActorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ActorKey({}, [redacted])", self.public.to_hex())
    }
}

impl ActorKey {
    /// A fresh key from `rng`.
    pub fn generate(rng: &mut impl CryptoRngCore) -> ActorKey {
        ActorKey::from_secret(Scalar::random(rng)).expect("a random scalar is not zero")
    }

    /// The key of `secret` (the zero scalar is refused).
    pub fn from_secret(secret: Scalar) -> Result<ActorKey, RecordError> {
        let public = Point::from(RistrettoPoint::mul_base(&secret));
        if public.is_identity() {
            return Err(RecordError::Invalid("the actor's secret key is zero".into()));
        }
        Ok(ActorKey { secret, public })
    }

    /// The public key.
    pub fn public(&self) -> &Point {
        &self.public
    }

    /// The secret, as its 32 canonical bytes (for a key file).
    pub fn secret_bytes(&self) -> [u8; 32] {
        self.secret.to_bytes()
    }

    /// Signs statement `msg` under `tag`, bound to the manifest by `manifest_hash`.
    pub fn sign(
        &self,
        tag: &str,
        manifest_hash: &[u8; 32],
        msg: &[u8],
        rng: &mut impl CryptoRngCore,
    ) -> SignatureJson<'static> {
        SignatureJson::from_signature(&schnorr::sign(tag, manifest_hash, &self.secret, &self.public, msg, rng))
    }
}

/// Whether `signature` is `key`'s signature of `msg` under `tag` and `manifest_hash`.
pub fn signed_by(tag: &str, manifest_hash: &[u8; 32], key: &Point, msg: &[u8], signature: &SignatureJson) -> bool {
    let Ok(signature): Result<Signature, _> = signature.decode() else { return false };
    schnorr::verify_signature(tag, manifest_hash, key, msg, &signature).is_ok()
}

fn put_signature(out: &mut Vec<u8>, s: &Signature) {
    out.extend_from_slice(s.R.bytes());
    out.extend_from_slice(s.s.as_bytes());
}

/// `msg` of trustee `j`'s round 1.
pub fn round1_message(m: &Round1) -> Vec<u8> {
    let mut out = Vec::with_capacity(100 + 96 * m.commitments.len());
    out.extend_from_slice(&m.trustee.to_le_bytes());
    out.extend_from_slice(m.communication_key.bytes());
    put_signature(&mut out, &m.communication_proof);
    out.extend_from_slice(&(m.commitments.len() as u32).to_le_bytes());
    for (c, p) in m.commitments.iter().zip(&m.commitment_proofs) {
        out.extend_from_slice(c.bytes());
        put_signature(&mut out, p);
    }
    out
}

/// `msg` of dealer `dealer`'s shares: only that dealer's, in increasing recipient order.
pub fn shares_message(dealer: u32, shares: &[EncryptedShare]) -> Vec<u8> {
    let mut mine: Vec<&EncryptedShare> = shares.iter().filter(|s| s.dealer == dealer).collect();
    mine.sort_by_key(|s| s.recipient);
    let mut out = Vec::with_capacity(8 + 68 * mine.len());
    out.extend_from_slice(&dealer.to_le_bytes());
    out.extend_from_slice(&(mine.len() as u32).to_le_bytes());
    for s in mine {
        out.extend_from_slice(&s.recipient.to_le_bytes());
        out.extend_from_slice(s.R.bytes());
        out.extend_from_slice(s.u.as_bytes());
    }
    out
}

/// `msg` of accuser `accuser`'s complaints: only that accuser's, in increasing dealer order.
pub fn complaints_message(accuser: u32, complaints: &[Complaint]) -> Vec<u8> {
    let mut mine: Vec<&Complaint> = complaints.iter().filter(|c| c.accuser == accuser).collect();
    mine.sort_by_key(|c| c.dealer);
    let mut out = Vec::with_capacity(8 + 132 * mine.len());
    out.extend_from_slice(&accuser.to_le_bytes());
    out.extend_from_slice(&(mine.len() as u32).to_le_bytes());
    for c in mine {
        out.extend_from_slice(&c.dealer.to_le_bytes());
        out.extend_from_slice(c.S.bytes());
        out.extend_from_slice(c.proof.T1.bytes());
        out.extend_from_slice(c.proof.T2.bytes());
        out.extend_from_slice(c.proof.z.as_bytes());
    }
    out
}

/// `msg` of trustee `j`'s acknowledgement of the election key, its verification key and the
/// base hash.
pub fn acknowledgement_message(j: u32, base: &[u8; 32], key: &Point, verification_key: &Point) -> Vec<u8> {
    let mut out = Vec::with_capacity(100);
    out.extend_from_slice(&j.to_le_bytes());
    out.extend_from_slice(base);
    out.extend_from_slice(key.bytes());
    out.extend_from_slice(verification_key.bytes());
    out
}

/// The per-region figures the registrar attests: `(region, credentials, weight)`.
pub type RegionCount = (String, u64, u64);

/// `msg` of the code issuer's upload: the hashes of the sign-in codes and the credential each
/// opens, in the order uploaded (`u32(#codes) ‖ for each: code_hash ‖ enc(credential)`).
pub fn codes_message(codes: &[([u8; 32], [u8; 32])]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 64 * codes.len());
    out.extend_from_slice(&(codes.len() as u32).to_le_bytes());
    for (code_hash, credential) in codes {
        out.extend_from_slice(code_hash);
        out.extend_from_slice(credential);
    }
    out
}

/// `msg` of the registrar's statement on the credential list.
pub fn registrar_message(credentials_hash: &[u8; 32], regions: &[RegionCount]) -> Vec<u8> {
    let mut out = Vec::with_capacity(48 + 32 * regions.len());
    out.extend_from_slice(credentials_hash);
    out.extend_from_slice(&(regions.len() as u32).to_le_bytes());
    for (name, credentials, weight) in regions {
        out.extend_from_slice(&(name.len() as u32).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&credentials.to_le_bytes());
        out.extend_from_slice(&weight.to_le_bytes());
    }
    let credentials: u64 = regions.iter().map(|r| r.1).sum();
    let weight: u64 = regions.iter().map(|r| r.2).sum();
    out.extend_from_slice(&credentials.to_le_bytes());
    out.extend_from_slice(&weight.to_le_bytes());
    out
}

/// `msg` of trustee `j`'s partial decryptions of the tally of the log `(size, root)`: per
/// scope, question and slot in tally order, `None` for a slot read without trustees.
pub fn decryption_message(
    j: u32,
    base: &[u8; 32],
    log: (u64, &[u8; 32]),
    partials: &[Vec<Vec<Option<convene_crypto::decryption::PartialDecryption>>>],
) -> Vec<u8> {
    let mut out = Vec::with_capacity(80 + 132 * partials.iter().flatten().flatten().count());
    out.extend_from_slice(&j.to_le_bytes());
    out.extend_from_slice(base);
    out.extend_from_slice(&log.0.to_le_bytes());
    out.extend_from_slice(log.1);
    for p in partials.iter().flatten().flatten() {
        match p {
            None => out.push(0),
            Some(p) => {
                out.push(1);
                out.extend_from_slice(p.share.bytes());
                out.extend_from_slice(p.proof.T1.bytes());
                out.extend_from_slice(p.proof.T2.bytes());
                out.extend_from_slice(p.proof.z.as_bytes());
            }
        }
    }
    out
}

/// `authority.json` (version 2): the authority's signature of the manifest.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct AuthorityJson {
    /// The record format version.
    pub version: u32,
    /// The authority's signature of the manifest's hash.
    pub signature: SignatureJson<'static>,
}

/// One region's figures in the registrar's statement.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RegionCountJson {
    /// The region.
    pub region: String,
    /// How many credentials it has.
    pub credentials: u64,
    /// Their total weight.
    pub weight: u64,
}

/// `registrar.json` (version 2): the registrar's signed statement on the credential list — its
/// hash, and per region (manifest order) the number of credentials and their total weight.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct RegistrarJson {
    /// The record format version.
    pub version: u32,
    /// The hash of `credentials.jsonl`.
    pub credentials_hash: String,
    /// Per region, in the manifest's order.
    pub regions: Vec<RegionCountJson>,
    /// How many credentials in all.
    pub credentials: u64,
    /// Their total weight.
    pub weight: u64,
    /// The registrar's signature.
    pub signature: SignatureJson<'static>,
}

impl RegistrarJson {
    /// The statement's message (its `credentials` and `weight` totals are checked apart).
    pub fn message(&self) -> Result<Vec<u8>, RecordError> {
        let hash = crate::format::hash("credentials_hash", &self.credentials_hash)?;
        let regions: Vec<RegionCount> =
            self.regions.iter().map(|r| (r.region.clone(), r.credentials, r.weight)).collect();
        Ok(registrar_message(&hash, &regions))
    }
}

/// One trustee's acknowledgement of `K`, its `X_j` and the base hash.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgementJson {
    /// The trustee.
    pub trustee: u32,
    /// Its signature of `K`, its `X_j` and the base hash.
    pub signature: SignatureJson<'static>,
}

/// `acknowledgements.json` (version 2): every qualified trustee's acknowledgement.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgementsJson {
    /// The record format version.
    pub version: u32,
    /// One per qualified trustee, in increasing index.
    pub acknowledgements: Vec<AcknowledgementJson>,
}

/// A ceremony message that its named author did not sign (version 2): it does not count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsigned {
    /// `round 1 of trustee 2`, `shares of dealer 3`, `complaints of trustee 1`.
    pub what: String,
}

/// The ceremony's messages that count: in version 1 all of them; in version 2 only those
/// their authors signed with the keys the manifest names (protocol note §9). The server stores
/// nothing else, so an honest record drops nothing; the verifier names each dropped message.
pub fn authenticated_messages(
    manifest: &crate::format::Manifest,
    manifest_hash: &[u8; 32],
    doc: &crate::format::CeremonyJson,
) -> Result<(crate::format::CeremonyMessages, Vec<Unsigned>), RecordError> {
    let (round1, shares, complaints) = doc.decode_messages()?;
    if manifest.version < 2 {
        return Ok(((round1, shares, complaints), Vec::new()));
    }
    let mut dropped = Vec::new();
    let key = |j: u32| manifest.trustee_key(j);
    let mut kept_round1 = Vec::new();
    for (m, json) in round1.into_iter().zip(&doc.round1) {
        let signed = match (key(m.trustee), &json.signature) {
            (Some(k), Some(s)) => signed_by(TAG_ROUND1, manifest_hash, &k, &round1_message(&m), s),
            _ => false,
        };
        if signed {
            kept_round1.push(m);
        } else {
            dropped.push(Unsigned { what: format!("round 1 of trustee {}", m.trustee) });
        }
    }
    let signature_of = |list: &[crate::format::SignedByJson], j: u32| list.iter().find(|s| s.trustee == j).cloned();
    let mut dealers: Vec<u32> = shares.iter().map(|s| s.dealer).collect();
    dealers.sort();
    dealers.dedup();
    let signed_dealers: Vec<u32> = dealers
        .into_iter()
        .filter(|&i| {
            let ok = match (key(i), signature_of(&doc.signed_shares, i)) {
                (Some(k), Some(s)) => {
                    signed_by(TAG_SHARES, manifest_hash, &k, &shares_message(i, &shares), &s.signature)
                }
                _ => false,
            };
            if !ok {
                dropped.push(Unsigned { what: format!("shares of dealer {i}") });
            }
            ok
        })
        .collect();
    let shares = shares.into_iter().filter(|s| signed_dealers.contains(&s.dealer)).collect();
    let mut accusers: Vec<u32> = complaints.iter().map(|c| c.accuser).collect();
    accusers.sort();
    accusers.dedup();
    let signed_accusers: Vec<u32> = accusers
        .into_iter()
        .filter(|&j| {
            let ok = match (key(j), signature_of(&doc.signed_complaints, j)) {
                (Some(k), Some(s)) => {
                    signed_by(TAG_COMPLAINTS, manifest_hash, &k, &complaints_message(j, &complaints), &s.signature)
                }
                _ => false,
            };
            if !ok {
                dropped.push(Unsigned { what: format!("complaints of trustee {j}") });
            }
            ok
        })
        .collect();
    let complaints = complaints.into_iter().filter(|c| signed_accusers.contains(&c.accuser)).collect();
    Ok(((kept_round1, shares, complaints), dropped))
}

/// Every actor's key, for whoever plays them all in one process (the offline demonstration, and
/// tests that forge records): trustee `j` holds `trustees[j - 1]`.
pub struct Actors {
    /// The authority, who signs the manifest.
    pub authority: ActorKey,
    /// The registrar, who signs the credential list.
    pub registrar: ActorKey,
    /// The trustees.
    pub trustees: Vec<ActorKey>,
    /// The code issuer, for a manifest that names one.
    pub issuer: ActorKey,
}

impl Actors {
    /// Fresh keys for an authority, a registrar, `n` trustees and a code issuer.
    pub fn generate(n: u32, rng: &mut impl CryptoRngCore) -> Actors {
        Actors {
            authority: ActorKey::generate(rng),
            registrar: ActorKey::generate(rng),
            trustees: (0..n).map(|_| ActorKey::generate(rng)).collect(),
            issuer: ActorKey::generate(rng),
        }
    }

    /// The trustees as the manifest names them.
    pub fn members(&self) -> Vec<Actor> {
        self.trustees
            .iter()
            .enumerate()
            .map(|(k, key)| Actor { name: format!("Trustee {}", k + 1), key: key.public().to_hex() })
            .collect()
    }

    /// Trustee `j`'s key (`1..=n`).
    pub fn trustee(&self, j: u32) -> Option<&ActorKey> {
        self.trustees.get((j as usize).checked_sub(1)?)
    }

    /// Signs every message of a ceremony document as its trustee would: each round 1, each
    /// dealer's shares, each trustee's complaints (an empty list included).
    pub fn sign_ceremony(
        &self,
        doc: &mut crate::format::CeremonyJson,
        manifest_hash: &[u8; 32],
        rng: &mut impl CryptoRngCore,
    ) -> Result<(), RecordError> {
        let (round1, shares, complaints) = doc.decode_messages()?;
        for (json, m) in doc.round1.iter_mut().zip(&round1) {
            if let Some(key) = self.trustee(m.trustee) {
                json.signature = Some(key.sign(TAG_ROUND1, manifest_hash, &round1_message(m), rng));
            }
        }
        doc.signed_shares.clear();
        doc.signed_complaints.clear();
        for (k, key) in self.trustees.iter().enumerate() {
            let j = k as u32 + 1;
            if shares.iter().any(|s| s.dealer == j) {
                let signature = key.sign(TAG_SHARES, manifest_hash, &shares_message(j, &shares), rng);
                doc.signed_shares.push(crate::format::SignedByJson { trustee: j, signature });
            }
            let signature = key.sign(TAG_COMPLAINTS, manifest_hash, &complaints_message(j, &complaints), rng);
            doc.signed_complaints.push(crate::format::SignedByJson { trustee: j, signature });
        }
        Ok(())
    }
}
