//! The record's wire format, version 1 (see `docs/record-format.md` and
//! `docs/record.schema.json`): JSON documents and JSON-lines files, with lower-case hex for bytes.
//!
//! Decoding is strict: unknown fields, unknown versions, upper-case hex, non-canonical points and
//! scalars, and the identity where it is forbidden are all errors, never panics.

use crate::actors::Actor;
use convene_crypto::ballot::{Ballot, BallotSecrets, EncryptedAnswer, EncryptedSlot, QuestionShape};
use convene_crypto::ceremony::{Complaint, EncryptedShare, Round1};
use convene_crypto::decryption::PartialDecryption;
use convene_crypto::elgamal::Ciphertext;
use convene_crypto::encoding::{decode_scalar, hex32, to_hex, FormatError, Point};
use convene_crypto::proofs::{DleqProof, RangeBranch, RangeProof, Signature};
use convene_crypto::Scalar;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The format version new records are written in (4: witnessed checkpoints, protocol note §13;
/// 3: challenged ballots under one-time keys, §11). Versions 1 to 3 keep verifying.
pub const RECORD_VERSION: u32 = 4;
/// The oldest version this verifier reads.
pub const OLDEST_VERSION: u32 = 1;

/// Why a document of the record could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("not valid JSON for this document: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{field}: {error}")]
    Field { field: &'static str, error: FormatError },
    #[error("record format version {found} is not supported (this verifier reads versions {OLDEST_VERSION} to {RECORD_VERSION})")]
    Version { found: u32 },
    #[error("{0}")]
    Invalid(String),
}

fn field(field: &'static str) -> impl Fn(FormatError) -> RecordError {
    move |error| RecordError::Field { field, error }
}

pub fn check_version(found: u32) -> Result<(), RecordError> {
    if !(OLDEST_VERSION..=RECORD_VERSION).contains(&found) {
        return Err(RecordError::Version { found });
    }
    Ok(())
}

type Hex<'a> = Cow<'a, str>;

fn hex(bytes: &[u8]) -> Hex<'static> {
    Cow::Owned(to_hex(bytes))
}

pub fn point(name: &'static str, h: &str) -> Result<Point, RecordError> {
    Point::decode(&hex32(h).map_err(field(name))?).map_err(field(name))
}

pub fn point_non_identity(name: &'static str, h: &str) -> Result<Point, RecordError> {
    Point::decode_non_identity(&hex32(h).map_err(field(name))?).map_err(field(name))
}

pub fn scalar(name: &'static str, h: &str) -> Result<Scalar, RecordError> {
    decode_scalar(&hex32(h).map_err(field(name))?).map_err(field(name))
}

pub fn hash(name: &'static str, h: &str) -> Result<[u8; 32], RecordError> {
    hex32(h).map_err(field(name))
}

// ---------------------------------------------------------------- manifest

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub version: u32,
    pub election_id: String,
    pub title: String,
    pub questions: Vec<Question>,
    pub regions: Vec<String>,
    pub trustees: TrusteeCount,
    pub log_key: String,
    /// The ratification rule, evaluated on the results by the server and again by the verifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratification: Option<Ratification>,
    /// Regions with fewer counted ballots than this are reported merged, for their voters'
    /// privacy (0: never).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub min_region_ballots: u64,
    /// Where the referendum comes from, when a convention handed it its constitution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// Version 2: the election authority, who signs this manifest (`authority.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<Actor>,
    /// Version 2: the registrar, who signs the credential list (`registrar.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registrar: Option<Actor>,
    /// Version 2: the official who issues the sign-in codes, when that is not the registrar
    /// (absent: one sheet carries both, for small bodies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_issuer: Option<Actor>,
    /// Version 2: the largest public weight a credential may carry (1: one credential, one vote).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_weight: Option<u32>,
    /// Version 2: how many log entries (cast or challenged) one credential may have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_ballots_per_credential: Option<u32>,
    /// Version 4: the witnesses who cosign the log's checkpoints (protocol note §13.1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub witnesses: Vec<WitnessJson>,
    /// Version 4: how many of them must cosign each checkpoint.
    #[serde(default, skip_serializing_if = "is_zero32")]
    pub witness_quorum: u32,
    /// Version 4: the booth the voters' browsers run — the SHA-256 (hex) of every page and asset
    /// the host serves, by file name as the web build lists them (`web/build.mjs`,
    /// `assets.json`); `convene check-booth` compares what is served with it.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty", deserialize_with = "unique_keys")]
    pub booth_assets: std::collections::BTreeMap<String, String>,
    /// Version 4: the origins (`https://host[:port]`) of static copies of the booth that the
    /// server answers (CORS), for observers who host the booth themselves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub booth_origins: Vec<String>,
}

/// The origin (`scheme://host[:port]`) of an http(s) address, if it is a plain one (no
/// character that could mean anything else in a header or a policy).
pub fn plain_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    let plain = matches!(scheme, "http" | "https")
        && !host.is_empty()
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    plain.then(|| format!("{scheme}://{host}"))
}

/// A witness named by the manifest: its cosignature verifier key and its address.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct WitnessJson {
    pub key: String,
    pub url: String,
}

fn is_zero32(n: &u32) -> bool {
    *n == 0
}

/// What a version-1 manifest does not say, and a version-2 one must.
pub const V1_NOTE: &str = "record format version 1: actors are not named by key, so this record cannot show who \
uploaded the ceremony's messages, the credential list and the decryptions (the host could have); version 2 proves it";

/// A referendum created by a convention's hand-off (`docs/convention.md` §6).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Origin {
    pub convention: String,
    /// SHA-256 (hex) of the constitution's Markdown export, stored as `constitution.md` (for
    /// the ratification referendum and the milestones' referendums).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constitution_sha256: Option<String>,
    /// The convention's vote this referendum casts in secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vote: Option<u32>,
    /// When a scheduled referendum is due, e.g. `6 years after ratification`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Which question a ratification rule decides, the rule itself, and the regions' weights.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Ratification {
    /// The id of the yes/no question the rule decides on.
    pub question: String,
    /// The rule in TOML, as `convene ratify --rule` takes it.
    pub rule: String,
    /// Region weights for a double majority (e.g. `"1/2"` for a half canton); others weigh 1.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty", deserialize_with = "unique_keys")]
    pub region_weights: std::collections::BTreeMap<String, String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TrusteeCount {
    pub n: u32,
    pub t: u32,
    /// Version 2: trustee `j` is `members[j - 1]`, by name and long-term signing key.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Actor>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Question {
    /// One 0/1 ciphertext, 1 for yes; with `blank`, two slots (yes, no), at most one chosen, so
    /// choosing neither is a blank vote.
    YesNo {
        id: String,
        text: String,
        #[serde(default, skip_serializing_if = "is_false")]
        blank: bool,
    },
    /// Choose between `min` and `max` options, at most `max_per_option` each.
    Choose { id: String, text: String, options: Vec<String>, min: u32, max: u32, max_per_option: u32 },
}

impl Question {
    pub fn id(&self) -> &str {
        match self {
            Question::YesNo { id, .. } | Question::Choose { id, .. } => id,
        }
    }

    pub fn shape(&self) -> Result<QuestionShape, FormatError> {
        match self {
            Question::YesNo { blank: false, .. } => Ok(QuestionShape::yes_no()),
            Question::YesNo { blank: true, .. } => QuestionShape::choose(2, 0, 1, 1),
            Question::Choose { options, min, max, max_per_option, .. } => {
                let count = u32::try_from(options.len()).map_err(|_| FormatError::Shape("too many options".into()))?;
                QuestionShape::choose(count, *min, *max, *max_per_option)
            }
        }
    }

    /// For a yes/no question, `(yes, no, blank)` from its decrypted slot counts.
    pub fn yes_no_blank(&self, counted: u64, counts: &[u64]) -> Option<(u64, u64, u64)> {
        match (self, counts) {
            (Question::YesNo { blank: false, .. }, [yes]) => Some((*yes, counted.saturating_sub(*yes), 0)),
            (Question::YesNo { blank: true, .. }, [yes, no]) => Some((*yes, *no, counted.saturating_sub(yes + no))),
            _ => None,
        }
    }

    /// The label of each slot, for reports.
    pub fn slot_labels(&self) -> Vec<String> {
        match self {
            Question::YesNo { blank: false, .. } => vec!["yes".into()],
            Question::YesNo { blank: true, .. } => vec!["yes".into(), "no".into()],
            Question::Choose { options, .. } => options.clone(),
        }
    }
}

impl Manifest {
    /// Parses and checks a manifest: version, questions, regions, trustees, log key.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, RecordError> {
        let m: Manifest = serde_json::from_slice(bytes)?;
        check_version(m.version)?;
        if m.questions.is_empty() {
            return Err(RecordError::Invalid("the manifest has no questions".into()));
        }
        for q in &m.questions {
            q.shape().map_err(|e| RecordError::Invalid(format!("question {:?}: {e}", q.id())))?;
        }
        if m.regions.is_empty() || m.regions.len() > u16::MAX as usize {
            return Err(RecordError::Invalid("the manifest needs between 1 and 65535 regions".into()));
        }
        let mut sorted = m.regions.clone();
        sorted.sort();
        sorted.dedup();
        if m.regions.iter().any(|r| r == NATIONAL || r == MERGED || r.is_empty()) {
            return Err(RecordError::Invalid(format!(
                "a region may not be empty or called {NATIONAL:?} or {MERGED:?}"
            )));
        }
        if sorted.len() != m.regions.len() {
            return Err(RecordError::Invalid("region names must be unique".into()));
        }
        if m.version >= crate::checkpoint::WITNESSED_VERSION {
            crate::checkpoint::Witnessed::of(&m.election_id, &m.log_key, &m.witnesses, m.witness_quorum)
                .map_err(RecordError::Invalid)?;
        } else {
            point_non_identity("log_key", &m.log_key)?;
            if !m.witnesses.is_empty()
                || m.witness_quorum != 0
                || !m.booth_assets.is_empty()
                || !m.booth_origins.is_empty()
            {
                return Err(RecordError::Invalid(
                    "witnesses and booth assets are named from record format version 4".into(),
                ));
            }
        }
        for origin in &m.booth_origins {
            if plain_origin(origin).as_deref() != Some(origin.as_str()) {
                return Err(RecordError::Invalid(format!(
                    "booth_origins: {origin:?} is not an origin such as https://booth.example (no path, no trailing slash)"
                )));
            }
        }
        for (file, sha256) in &m.booth_assets {
            let name_ok = !file.is_empty()
                && file.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
                && file.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-/".contains(&b));
            if !name_ok || hash("booth_assets", sha256).is_err() {
                return Err(RecordError::Invalid(format!(
                    "booth_assets: {file:?} must be a relative file name of a-z, 0-9, . _ - / with a SHA-256 in lower-case hex"
                )));
            }
        }
        m.check_actors()?;
        if let Some(r) = &m.ratification {
            let bad = |why: String| RecordError::Invalid(format!("ratification: {why}"));
            match m.questions.iter().find(|q| q.id() == r.question) {
                Some(Question::YesNo { .. }) => {}
                Some(_) => return Err(bad(format!("question {:?} is not a yes/no question", r.question))),
                None => return Err(bad(format!("there is no question {:?}", r.question))),
            }
            convene_core::ratify::Rule::parse(&r.rule).map_err(bad)?;
            for (region, weight) in &r.region_weights {
                if m.region_index(region).is_none() {
                    return Err(bad(format!("region_weights names {region:?}, which is not a region")));
                }
                convene_core::Ratio::parse(weight).map_err(|e| bad(format!("weight of {region}: {e}")))?;
            }
        }
        Ok(m)
    }

    /// Version 2 names every actor by key, and bounds weights and ballots per credential;
    /// version 1 names none of them.
    fn check_actors(&self) -> Result<(), RecordError> {
        let bad = |m: String| Err(RecordError::Invalid(m));
        if self.version < 2 {
            let v2_only = self.authority.is_some()
                || self.registrar.is_some()
                || self.code_issuer.is_some()
                || self.max_weight.is_some()
                || self.max_ballots_per_credential.is_some()
                || !self.trustees.members.is_empty();
            return if v2_only {
                bad("actors, max_weight and max_ballots_per_credential need version 2".into())
            } else {
                Ok(())
            };
        }
        // A referendum a convention calls for has the convention's log as its authority (every
        // field is derived from it, `hand_off`), and a secret vote's electorate is the delegates
        // in office, checked against the convention: neither names an authority, a secret vote
        // no registrar.
        let origin = self.origin.as_ref();
        match (&self.authority, origin) {
            (Some(a), None) => {
                a.check("authority")?;
            }
            (None, Some(_)) => {}
            (Some(_), Some(_)) => {
                return bad("a referendum a convention calls for names no authority: the convention is".into())
            }
            (None, None) => return bad("a version-2 manifest names its authority".into()),
        }
        let secret_vote = origin.is_some_and(|o| o.vote.is_some());
        match (&self.registrar, secret_vote) {
            (Some(r), false) => {
                r.check("registrar")?;
            }
            (None, true) => {}
            (Some(_), true) => return bad("a secret vote's electorate is the delegates: it names no registrar".into()),
            (None, false) => return bad("a version-2 manifest names its registrar".into()),
        }
        if let Some(issuer) = &self.code_issuer {
            let key = issuer.check("code_issuer")?;
            if self.registrar.as_ref().is_some_and(|r| r.key == issuer.key) {
                return bad(format!(
                    "the code issuer's key is the registrar's ({key:?}); omit code_issuer for one sheet"
                ));
            }
        }
        if self.trustees.members.len() != self.trustees.n as usize {
            return bad(format!(
                "trustees.members names {} trustees; n is {}",
                self.trustees.members.len(),
                self.trustees.n
            ));
        }
        let mut keys = std::collections::BTreeSet::new();
        for (k, member) in self.trustees.members.iter().enumerate() {
            member.check(&format!("trustee {}", k + 1))?;
            if !keys.insert(member.key.as_str()) {
                return bad(format!("trustee {} has the key of another trustee", k + 1));
            }
        }
        match self.max_weight {
            Some(w) if (1..=MAX_WEIGHT).contains(&w) => {}
            _ => return bad(format!("a version-2 manifest gives max_weight, 1 to {MAX_WEIGHT}")),
        }
        match self.max_ballots_per_credential {
            Some(b) if b >= 1 => Ok(()),
            _ => bad("a version-2 manifest gives max_ballots_per_credential, at least 1".into()),
        }
    }

    /// Trustee `j`'s long-term key (version 2).
    pub fn trustee_key(&self, j: u32) -> Option<Point> {
        let member = self.trustees.members.get((j as usize).checked_sub(1)?)?;
        member.public().ok()
    }

    pub fn shapes(&self) -> Vec<QuestionShape> {
        self.questions.iter().map(|q| q.shape().expect("checked by Manifest::parse")).collect()
    }

    pub fn region_index(&self, region: &str) -> Option<usize> {
        self.regions.iter().position(|r| r == region)
    }
}

// ---------------------------------------------------------------- proofs and signatures

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SignatureJson<'a> {
    #[serde(rename = "R")]
    pub r: Hex<'a>,
    pub s: Hex<'a>,
}

impl SignatureJson<'_> {
    pub fn from_signature(s: &Signature) -> SignatureJson<'static> {
        SignatureJson { r: hex(s.R.bytes()), s: hex(s.s.as_bytes()) }
    }
    pub fn decode(&self) -> Result<Signature, RecordError> {
        Ok(Signature { R: point("signature.R", &self.r)?, s: scalar("signature.s", &self.s)? })
    }
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct DleqJson<'a> {
    #[serde(rename = "T1")]
    pub t1: Hex<'a>,
    #[serde(rename = "T2")]
    pub t2: Hex<'a>,
    pub z: Hex<'a>,
}

impl DleqJson<'_> {
    pub fn from_proof(p: &DleqProof) -> DleqJson<'static> {
        DleqJson { t1: hex(p.T1.bytes()), t2: hex(p.T2.bytes()), z: hex(p.z.as_bytes()) }
    }
    pub fn decode(&self) -> Result<DleqProof, RecordError> {
        Ok(DleqProof {
            T1: point("proof.T1", &self.t1)?,
            T2: point("proof.T2", &self.t2)?,
            z: scalar("proof.z", &self.z)?,
        })
    }
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct BranchJson<'a> {
    #[serde(borrow, rename = "A")]
    pub a: Hex<'a>,
    #[serde(borrow, rename = "B")]
    pub b: Hex<'a>,
    #[serde(borrow)]
    pub c: Hex<'a>,
    #[serde(borrow)]
    pub z: Hex<'a>,
}

fn range_to_json(p: &RangeProof) -> Vec<BranchJson<'static>> {
    p.branches
        .iter()
        .map(|b| BranchJson {
            a: hex(b.A.bytes()),
            b: hex(b.B.bytes()),
            c: hex(b.c.as_bytes()),
            z: hex(b.z.as_bytes()),
        })
        .collect()
}

fn range_from_json(branches: &[BranchJson]) -> Result<RangeProof, RecordError> {
    let branches = branches
        .iter()
        .map(|b| {
            Ok(RangeBranch {
                A: point("proof.A", &b.a)?,
                B: point("proof.B", &b.b)?,
                c: scalar("proof.c", &b.c)?,
                z: scalar("proof.z", &b.z)?,
            })
        })
        .collect::<Result<_, RecordError>>()?;
    Ok(RangeProof { branches })
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct CiphertextJson<'a> {
    pub alpha: Hex<'a>,
    pub beta: Hex<'a>,
}

impl CiphertextJson<'_> {
    pub fn from_ciphertext(ct: &Ciphertext) -> CiphertextJson<'static> {
        CiphertextJson { alpha: hex(ct.alpha.bytes()), beta: hex(ct.beta.bytes()) }
    }
    pub fn decode(&self) -> Result<Ciphertext, RecordError> {
        Ok(Ciphertext { alpha: point("alpha", &self.alpha)?, beta: point("beta", &self.beta)? })
    }
}

// ---------------------------------------------------------------- ballots and log entries

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct SlotJson<'a> {
    #[serde(borrow)]
    pub alpha: Hex<'a>,
    #[serde(borrow)]
    pub beta: Hex<'a>,
    #[serde(borrow)]
    pub proof: Vec<BranchJson<'a>>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct AnswerJson<'a> {
    #[serde(borrow)]
    pub slots: Vec<SlotJson<'a>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub sum_proof: Option<Vec<BranchJson<'a>>>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct BallotJson<'a> {
    /// Version 3: the one-time key the proofs are bound to (protocol note §11).
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub one_time_key: Option<Hex<'a>>,
    /// The voter's credential; absent in a version-3 challenged ballot, signed by its one-time key.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<Hex<'a>>,
    #[serde(borrow)]
    pub region: Cow<'a, str>,
    #[serde(borrow)]
    pub answers: Vec<AnswerJson<'a>>,
    pub signature: SignatureJson<'a>,
}

impl BallotJson<'_> {
    pub fn from_ballot(b: &Ballot) -> BallotJson<'static> {
        BallotJson {
            one_time_key: b.one_time.as_ref().map(|q| hex(q)),
            credential: Some(hex(b.credential.bytes())),
            region: Cow::Owned(b.region.clone()),
            answers: b
                .answers
                .iter()
                .map(|a| AnswerJson {
                    slots: a
                        .slots
                        .iter()
                        .map(|s| SlotJson {
                            alpha: hex(s.ct.alpha.bytes()),
                            beta: hex(s.ct.beta.bytes()),
                            proof: range_to_json(&s.proof),
                        })
                        .collect(),
                    sum_proof: a.sum_proof.as_ref().map(range_to_json),
                })
                .collect(),
            signature: SignatureJson::from_signature(&b.signature),
        }
    }

    pub fn decode(&self) -> Result<Ballot, RecordError> {
        let answers = self
            .answers
            .iter()
            .map(|a| {
                let slots = a
                    .slots
                    .iter()
                    .map(|s| {
                        Ok(EncryptedSlot {
                            ct: Ciphertext { alpha: point("alpha", &s.alpha)?, beta: point("beta", &s.beta)? },
                            proof: range_from_json(&s.proof)?,
                        })
                    })
                    .collect::<Result<_, RecordError>>()?;
                let sum_proof = a.sum_proof.as_deref().map(range_from_json).transpose()?;
                Ok(EncryptedAnswer { slots, sum_proof })
            })
            .collect::<Result<_, RecordError>>()?;
        let one_time = self.one_time_key.as_ref().map(|q| hash("one_time_key", q)).transpose()?;
        let credential = match (&self.credential, &self.one_time_key) {
            (Some(p), _) => point_non_identity("credential", p)?,
            // A version-3 challenged ballot: its one-time key signs it.
            (None, Some(q)) => point_non_identity("one_time_key", q)?,
            (None, None) => return Err(RecordError::Invalid("the ballot names no credential".into())),
        };
        Ok(Ballot {
            credential,
            one_time,
            region: self.region.to_string(),
            answers,
            signature: self.signature.decode()?,
        })
    }
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct RevealJson<'a> {
    pub m: u64,
    #[serde(borrow)]
    pub r: Hex<'a>,
}

/// One line of `log.jsonl`.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum EntryJson<'a> {
    Cast {
        #[serde(borrow)]
        ballot: BallotJson<'a>,
    },
    Spoiled {
        #[serde(borrow)]
        ballot: BallotJson<'a>,
        #[serde(borrow)]
        reveal: Vec<Vec<RevealJson<'a>>>,
    },
}

/// A decoded log entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogEntry {
    Cast(Ballot),
    Spoiled(Ballot, BallotSecrets),
}

impl LogEntry {
    pub fn ballot(&self) -> &Ballot {
        match self {
            LogEntry::Cast(b) | LogEntry::Spoiled(b, _) => b,
        }
    }

    /// The protocol bytes of this entry (its leaf is `SHA-256(0x00 ‖ bytes)`).
    pub fn entry_bytes(&self, base: &[u8; 32]) -> Vec<u8> {
        match self {
            LogEntry::Cast(b) => b.entry_bytes(base, None),
            LogEntry::Spoiled(b, reveal) => b.entry_bytes(base, Some(reveal)),
        }
    }

    /// A voter's entry for a record of format `version`: cast, or with `challenge` spoiled with
    /// its reveal. In version 3 the ballot is bound to a one-time key made for it here (protocol
    /// note §11): a challenged ballot is signed by that key and names no credential.
    pub fn encrypt(
        context: &convene_crypto::ballot::ElectionContext,
        version: u32,
        credential: &convene_crypto::ballot::CredentialSecret,
        region: &str,
        choices: &[Vec<u32>],
        challenge: bool,
        rng: &mut impl rand_core::CryptoRngCore,
    ) -> Result<LogEntry, convene_crypto::ballot::BallotError> {
        if !crate::admission::one_time_keys(version) {
            let (ballot, secrets) = context.encrypt_ballot(credential, region, choices, rng)?;
            return Ok(if challenge { LogEntry::Spoiled(ballot, secrets) } else { LogEntry::Cast(ballot) });
        }
        let once = convene_crypto::ballot::CredentialSecret::generate(rng);
        Ok(if challenge {
            let (sealed, secrets) = context.encrypt_one_time(&once, region, choices, rng)?;
            LogEntry::Spoiled(sealed, secrets)
        } else {
            LogEntry::Cast(context.encrypt_cast_one_time(credential, &once, region, choices, rng)?)
        })
    }

    /// Parses one line of `log.jsonl`.
    pub fn parse(line: &[u8]) -> Result<LogEntry, RecordError> {
        let json: EntryJson = serde_json::from_slice(line)?;
        match json {
            EntryJson::Cast { ballot } if ballot.credential.is_none() => {
                Err(RecordError::Invalid("a cast ballot names its credential".into()))
            }
            EntryJson::Cast { ballot } => Ok(LogEntry::Cast(ballot.decode()?)),
            EntryJson::Spoiled { ballot, .. } if ballot.one_time_key.is_some() && ballot.credential.is_some() => {
                Err(RecordError::Invalid("a challenged ballot with a one-time key names no credential".into()))
            }
            EntryJson::Spoiled { ballot, reveal } => {
                let slots = reveal
                    .iter()
                    .map(|q| {
                        q.iter().map(|s| Ok((s.m, scalar("reveal.r", &s.r)?))).collect::<Result<Vec<_>, RecordError>>()
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(LogEntry::Spoiled(ballot.decode()?, BallotSecrets { slots }))
            }
        }
    }

    pub fn to_json_line(&self) -> String {
        let json = match self {
            LogEntry::Cast(b) => EntryJson::Cast { ballot: BallotJson::from_ballot(b) },
            LogEntry::Spoiled(b, reveal) => EntryJson::Spoiled {
                ballot: BallotJson {
                    // Version 3: the one-time key signs it; the credential is not named.
                    credential: b.one_time.is_none().then(|| hex(b.credential.bytes())),
                    ..BallotJson::from_ballot(b)
                },
                reveal: reveal
                    .slots
                    .iter()
                    .map(|q| q.iter().map(|(m, r)| RevealJson { m: *m, r: hex(r.as_bytes()) }).collect())
                    .collect(),
            },
        };
        serde_json::to_string(&json).expect("log entries always serialize")
    }
}

// ---------------------------------------------------------------- credentials

/// One line of `credentials.jsonl`: a voter's public credential key, region, and public weight
/// (1 unless given: shares in a cooperative, say).
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct CredentialJson<'a> {
    #[serde(borrow)]
    pub credential: Hex<'a>,
    #[serde(borrow)]
    pub region: Cow<'a, str>,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub weight: u32,
}

fn one() -> u32 {
    1
}

fn is_one(w: &u32) -> bool {
    *w == 1
}

/// The largest weight a credential may carry.
pub const MAX_WEIGHT: u32 = 1_000_000;

/// A credential of the published list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listed {
    pub credential: Point,
    /// The index of its region in the manifest.
    pub region: usize,
    pub weight: u32,
}

/// Parses one line of `credentials.jsonl` against the manifest: the credential (non-identity)
/// and its region's index.
pub fn parse_credential_line(line: &[u8], manifest: &Manifest) -> Result<Listed, String> {
    let c: CredentialJson = serde_json::from_slice(line).map_err(|e| format!("not a credential line: {e}"))?;
    let credential = point_non_identity("credential", &c.credential).map_err(|e| e.to_string())?;
    let region =
        manifest.region_index(&c.region).ok_or_else(|| format!("region {:?} is not in the manifest", c.region))?;
    if c.weight == 0 || c.weight > MAX_WEIGHT {
        return Err(format!("weight {} is outside 1..={MAX_WEIGHT}", c.weight));
    }
    Ok(Listed { credential, region, weight: c.weight })
}

/// The canonical line of `credentials.jsonl` for a credential (with its newline).
pub fn credential_line(credential: &Point, region: &str, weight: u32) -> String {
    let line = CredentialJson { credential: to_hex(credential.bytes()).into(), region: region.into(), weight };
    serde_json::to_string(&line).expect("credential lines always serialize") + "\n"
}

// ---------------------------------------------------------------- ceremony

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Round1Json {
    pub trustee: u32,
    pub communication_key: String,
    pub communication_proof: SignatureJson<'static>,
    pub commitments: Vec<String>,
    pub commitment_proofs: Vec<SignatureJson<'static>>,
    /// Version 2: the trustee's signature of this message (protocol note §9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureJson<'static>>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ShareJson {
    pub dealer: u32,
    pub recipient: u32,
    #[serde(rename = "R")]
    pub r: String,
    pub u: String,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ComplaintJson {
    pub dealer: u32,
    pub accuser: u32,
    #[serde(rename = "S")]
    pub s: String,
    pub proof: DleqJson<'static>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct VerificationKeyJson {
    pub trustee: u32,
    pub key: String,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct OutcomeJson {
    pub qualified: Vec<u32>,
    pub election_key: String,
    pub verification_keys: Vec<VerificationKeyJson>,
}

/// The public messages of a key ceremony: round 1, the encrypted shares, the complaints.
pub type CeremonyMessages = (Vec<Round1>, Vec<EncryptedShare>, Vec<Complaint>);

impl OutcomeJson {
    pub fn from_outcome(outcome: &convene_crypto::ceremony::CeremonyOutcome) -> OutcomeJson {
        OutcomeJson {
            qualified: outcome.qualified.clone(),
            election_key: outcome.key.to_hex(),
            verification_keys: outcome
                .verification_keys
                .iter()
                .map(|(j, k)| VerificationKeyJson { trustee: *j, key: k.to_hex() })
                .collect(),
        }
    }

    /// The outcome of a ceremony still under way: nothing decided yet.
    pub fn pending() -> OutcomeJson {
        OutcomeJson { qualified: vec![], election_key: String::new(), verification_keys: vec![] }
    }
}

/// `ceremony.json`: every public message of the key ceremony and its claimed outcome.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct CeremonyJson {
    pub version: u32,
    pub round1: Vec<Round1Json>,
    pub shares: Vec<ShareJson>,
    pub complaints: Vec<ComplaintJson>,
    pub outcome: OutcomeJson,
    /// Version 2: each dealer's signature of its shares (protocol note §9).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signed_shares: Vec<SignedByJson>,
    /// Version 2: each accuser's signature of its complaints, none included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signed_complaints: Vec<SignedByJson>,
}

/// A trustee's signature of one of its statements.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SignedByJson {
    pub trustee: u32,
    pub signature: SignatureJson<'static>,
}

impl Round1Json {
    pub fn from_round1(m: &Round1) -> Round1Json {
        Round1Json {
            trustee: m.trustee,
            communication_key: m.communication_key.to_hex(),
            communication_proof: SignatureJson::from_signature(&m.communication_proof),
            commitments: m.commitments.iter().map(Point::to_hex).collect(),
            commitment_proofs: m.commitment_proofs.iter().map(SignatureJson::from_signature).collect(),
            signature: None,
        }
    }
}

impl ShareJson {
    pub fn from_share(x: &EncryptedShare) -> ShareJson {
        ShareJson { dealer: x.dealer, recipient: x.recipient, r: x.R.to_hex(), u: to_hex(x.u.as_bytes()) }
    }
}

impl ComplaintJson {
    pub fn from_complaint(c: &Complaint) -> ComplaintJson {
        ComplaintJson { dealer: c.dealer, accuser: c.accuser, s: c.S.to_hex(), proof: DleqJson::from_proof(&c.proof) }
    }
}

impl CeremonyJson {
    pub fn from_messages(
        version: u32,
        round1: &[Round1],
        shares: &[EncryptedShare],
        complaints: &[Complaint],
        outcome: &convene_crypto::ceremony::CeremonyOutcome,
    ) -> CeremonyJson {
        CeremonyJson {
            version,
            round1: round1.iter().map(Round1Json::from_round1).collect(),
            shares: shares.iter().map(ShareJson::from_share).collect(),
            complaints: complaints.iter().map(ComplaintJson::from_complaint).collect(),
            outcome: OutcomeJson::from_outcome(outcome),
            signed_shares: Vec::new(),
            signed_complaints: Vec::new(),
        }
    }

    /// The published outcome, decoded.
    pub fn outcome(&self) -> Result<convene_crypto::ceremony::CeremonyOutcome, RecordError> {
        let o = &self.outcome;
        Ok(convene_crypto::ceremony::CeremonyOutcome {
            qualified: o.qualified.clone(),
            key: point_non_identity("election_key", &o.election_key)?,
            verification_keys: o
                .verification_keys
                .iter()
                .map(|v| Ok((v.trustee, point_non_identity("key", &v.key)?)))
                .collect::<Result<_, RecordError>>()?,
        })
    }

    pub fn decode_messages(&self) -> Result<CeremonyMessages, RecordError> {
        check_version(self.version)?;
        let round1 = self
            .round1
            .iter()
            .map(|m| {
                Ok(Round1 {
                    trustee: m.trustee,
                    communication_key: point("communication_key", &m.communication_key)?,
                    communication_proof: m.communication_proof.decode()?,
                    commitments: m.commitments.iter().map(|c| point("commitment", c)).collect::<Result<_, _>>()?,
                    commitment_proofs: m.commitment_proofs.iter().map(|p| p.decode()).collect::<Result<_, _>>()?,
                })
            })
            .collect::<Result<_, RecordError>>()?;
        let shares = self
            .shares
            .iter()
            .map(|s| {
                Ok(EncryptedShare {
                    dealer: s.dealer,
                    recipient: s.recipient,
                    R: point("share.R", &s.r)?,
                    u: scalar("share.u", &s.u)?,
                })
            })
            .collect::<Result<_, RecordError>>()?;
        let complaints = self
            .complaints
            .iter()
            .map(|c| {
                Ok(Complaint {
                    dealer: c.dealer,
                    accuser: c.accuser,
                    S: point("complaint.S", &c.s)?,
                    proof: c.proof.decode()?,
                })
            })
            .collect::<Result<_, RecordError>>()?;
        Ok((round1, shares, complaints))
    }
}

// ---------------------------------------------------------------- election, checkpoints

/// `election.json`: the hashes every proof is bound to (protocol note §2).
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ElectionJson {
    pub version: u32,
    pub manifest_hash: String,
    pub credentials_hash: String,
    pub base_hash: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CheckpointJson {
    pub size: u64,
    pub root: String,
    /// Versions 1 to 3: the log key's Schnorr signature (protocol note §7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureJson<'static>>,
    /// Version 4: the C2SP checkpoint note, signed by the log key and cosigned by witnesses
    /// (protocol note §13.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyJson {
    pub from: u64,
    pub to: u64,
    pub proof: Vec<String>,
}

/// `checkpoints.json`: the signed checkpoints of the log, and consistency proofs between
/// consecutive ones.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct CheckpointsJson {
    pub version: u32,
    pub checkpoints: Vec<CheckpointJson>,
    pub consistency: Vec<ConsistencyJson>,
}

// ---------------------------------------------------------------- tally, decryption, results

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ScopeTallyJson {
    /// A region's name, or `national`.
    pub scope: String,
    pub counted: u64,
    /// The total weight of the counted ballots, when it differs from their number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u64>,
    /// For the `merged` scope: the regions it merges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    pub questions: Vec<Vec<CiphertextJson<'static>>>,
}

/// `tally.json`: the encrypted sums per region, then the national sum.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct TallyJson {
    pub version: u32,
    pub scopes: Vec<ScopeTallyJson>,
    /// Version 2: the log the tally was computed from (its final checkpoint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<LogHeadJson>,
}

impl TallyJson {
    pub fn from_scopes(version: u32, scopes: &[(String, crate::tally::ScopeSum)]) -> TallyJson {
        TallyJson {
            version,
            log: None,
            scopes: scopes
                .iter()
                .map(|(scope, sum)| ScopeTallyJson {
                    scope: scope.clone(),
                    counted: sum.counted,
                    weight: (sum.weight != sum.counted).then_some(sum.weight),
                    regions: sum.members.clone(),
                    questions: sum
                        .ciphertexts()
                        .iter()
                        .map(|q| q.iter().map(CiphertextJson::from_ciphertext).collect())
                        .collect(),
                })
                .collect(),
        }
    }

    /// The published sums, decoded; the error names the first bad slot.
    pub fn decode_scopes(&self) -> Result<Vec<(String, crate::tally::ScopeSum)>, (String, RecordError)> {
        check_version(self.version).map_err(|e| ("tally.json".to_string(), e))?;
        self.scopes
            .iter()
            .map(|scope| {
                let mut sums = Vec::new();
                for (q, question) in scope.questions.iter().enumerate() {
                    let mut slots = Vec::new();
                    for (o, ct) in question.iter().enumerate() {
                        let ct =
                            ct.decode().map_err(|e| (format!("tally {} question {q} slot {o}", scope.scope), e))?;
                        let mut sum = convene_crypto::elgamal::CiphertextSum::default();
                        sum.add(&ct);
                        slots.push(sum);
                    }
                    sums.push(slots);
                }
                Ok((
                    scope.scope.clone(),
                    crate::tally::ScopeSum {
                        counted: scope.counted,
                        weight: scope.weight.unwrap_or(scope.counted),
                        members: scope.regions.clone(),
                        sums,
                    },
                ))
            })
            .collect()
    }
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct PartialJson {
    pub share: String,
    pub proof: DleqJson<'static>,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct TrusteeDecryptionJson {
    pub trustee: u32,
    /// Per tally scope (same order as `tally.json`), per question, per slot; `null` for a slot
    /// whose tally has `α` the identity (no ballots): its count is read from `β` alone.
    pub scopes: Vec<Vec<Vec<Option<PartialJson>>>>,
    /// Version 2: the trustee's signature of these partial decryptions (protocol note §9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureJson<'static>>,
}

/// `decryption.json`: every participating trustee's partial decryptions of every tally slot.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct DecryptionJson {
    pub version: u32,
    pub trustees: Vec<TrusteeDecryptionJson>,
}

impl PartialJson {
    pub fn from_partial(p: &PartialDecryption) -> PartialJson {
        PartialJson { share: p.share.to_hex(), proof: DleqJson::from_proof(&p.proof) }
    }
    pub fn decode(&self, trustee: u32) -> Result<PartialDecryption, RecordError> {
        Ok(PartialDecryption { trustee, share: point("share", &self.share)?, proof: self.proof.decode()? })
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ScopeResultJson {
    pub scope: String,
    pub counted: u64,
    /// The total weight of the counted ballots, when it differs from their number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<u64>,
    /// For the `merged` scope: the regions it merges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    /// Per question, per slot: the decrypted count.
    pub questions: Vec<Vec<u64>>,
}

/// `results.json`: the decrypted counts per region and national, and the ratification verdict
/// when the manifest has a rule.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ResultsJson {
    pub version: u32,
    pub scopes: Vec<ScopeResultJson>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ratification: Option<RatificationJson>,
}

/// The verdict of the manifest's ratification rule on the results.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RatificationJson {
    /// `ratified`, `rejected`, or `per-region` (each region's outcome heads its lines in `report`).
    pub outcome: String,
    /// Version 1: the verdict as `convene ratify` prints it, line by line (English, compared as
    /// text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub report: Vec<String>,
    /// Version 2: each condition with its exact figures and no words; readers render it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ConditionJson>,
}

/// One condition of a verdict (version 2): its kind (`approval`, `quorum`, `regions`,
/// `blocking`), whether it holds, for a per-region rule the region, and its figures: counts as
/// integers, shares and weights as exact fractions (`"1/2"`, `"3"`), terms from a fixed
/// vocabulary, region lists.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ConditionJson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub kind: String,
    pub holds: bool,
    #[serde(deserialize_with = "unique_keys")]
    pub figures: std::collections::BTreeMap<String, FigureJson>,
}

/// One figure of a [`ConditionJson`].
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(untagged)]
pub enum FigureJson {
    Flag(bool),
    Count(u64),
    /// An exact fraction or a term.
    Text(String),
    Regions(Vec<String>),
}

impl FigureJson {
    pub fn from_figure(f: &convene_core::ratify::Figure) -> FigureJson {
        use convene_core::ratify::Figure;
        match f {
            Figure::Count(n) => FigureJson::Count(*n),
            Figure::Ratio(r) => FigureJson::Text(r.to_string()),
            Figure::Term(t) => FigureJson::Text((*t).to_string()),
            Figure::Regions(r) => FigureJson::Regions(r.clone()),
            Figure::Flag(b) => FigureJson::Flag(*b),
        }
    }
}

impl ConditionJson {
    pub fn from_condition(region: Option<&str>, c: &convene_core::ratify::Condition) -> ConditionJson {
        ConditionJson {
            region: region.map(String::from),
            kind: c.name.to_string(),
            holds: c.holds,
            figures: c.figures.iter().map(|(k, f)| (k.to_string(), FigureJson::from_figure(f))).collect(),
        }
    }
}

/// The name of the national scope in tallies and results.
pub const NATIONAL: &str = "national";

/// The name of the scope that merges the regions with too few ballots.
pub const MERGED: &str = "merged";

/// The bytes that bind a partial decryption to its tally slot (protocol note §7):
/// `frame(scope) ‖ u32(question) ‖ u32(slot)`.
pub fn slot_location(scope: &str, question: usize, slot: usize, log: Option<&LogHead>) -> Vec<u8> {
    let mut out = Vec::with_capacity(scope.len() + 52);
    convene_crypto::encoding::push_frame(&mut out, scope.as_bytes());
    out.extend_from_slice(&(question as u32).to_le_bytes());
    out.extend_from_slice(&(slot as u32).to_le_bytes());
    // Version 2: the tally's log, so that a partial decryption cannot move to another log's.
    if let Some(log) = log {
        out.extend_from_slice(&log.size.to_le_bytes());
        out.extend_from_slice(&log.root);
    }
    out
}

/// The log a tally was computed from: its final checkpoint's size and root (version 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogHead {
    pub size: u64,
    pub root: [u8; 32],
}

/// [`LogHead`] in `tally.json`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LogHeadJson {
    pub size: u64,
    pub root: String,
}

impl LogHead {
    pub fn to_json(&self) -> LogHeadJson {
        LogHeadJson { size: self.size, root: to_hex(&self.root) }
    }
}

impl LogHeadJson {
    pub fn decode(&self) -> Result<LogHead, RecordError> {
        Ok(LogHead { size: self.size, root: hash("log.root", &self.root)? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The fuzz targets' property, run in every test pass: any bytes decode or fail cleanly.
        #[test]
        fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = LogEntry::parse(&data);
            let _ = Manifest::parse(&data);
            if let Ok(c) = serde_json::from_slice::<CeremonyJson>(&data) {
                let _ = c.decode_messages();
            }
        }

        #[test]
        fn json_shaped_garbage_never_panics(kind in "cast|spoiled|x", hex in "[0-9a-fA-F]{0,70}", m in any::<u64>()) {
            let line = format!(
                r#"{{"kind":"{kind}","ballot":{{"credential":"{hex}","region":"r","answers":[{{"slots":[{{"alpha":"{hex}","beta":"{hex}","proof":[]}}]}}],"signature":{{"R":"{hex}","s":"{hex}"}}}},"reveal":[[{{"m":{m},"r":"{hex}"}}]]}}"#
            );
            let _ = LogEntry::parse(line.as_bytes());
        }
    }

    #[test]
    fn a_manifest_rule_must_name_a_yes_no_question_and_parse() {
        let base = r#"{"version":1,"election_id":"e","title":"t","questions":[{"kind":"yes-no","id":"q","text":"?","blank":true},
            {"kind":"choose","id":"c","text":"?","options":["a","b"],"min":1,"max":1,"max_per_option":1}],
            "regions":["r"],"trustees":{"n":1,"t":1},
            "log_key":"e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76","ratification":RULE}"#;
        let with = |rule: &str| Manifest::parse(base.replace("RULE", rule).as_bytes());
        assert!(with(r#"{"question":"q","rule":"[approval]\nmore_than = \"1/2\"\n"}"#).is_ok());
        let cases = [
            (r#"{"question":"x","rule":"[approval]\nmore_than = \"1/2\"\n"}"#, "there is no question \"x\""),
            (r#"{"question":"c","rule":"[approval]\nmore_than = \"1/2\"\n"}"#, "is not a yes/no question"),
            (r#"{"question":"q","rule":"[approval]\n"}"#, "exactly one of more_than or at_least"),
            (
                r#"{"question":"q","rule":"[approval]\nmore_than = \"1/2\"\n","region_weights":{"z":"1"}}"#,
                "not a region",
            ),
        ];
        for (rule, expected) in cases {
            let error = with(rule).unwrap_err().to_string();
            assert!(error.contains(expected), "{rule}: {error}");
        }
        // With blank votes, the rule sees yes, no and blank apart.
        let manifest = with(r#"{"question":"q","rule":"[approval]\nbase = \"cast\"\nmore_than = \"1/2\"\n"}"#).unwrap();
        let results = vec![ScopeResultJson {
            scope: "r".into(),
            counted: 10,
            weight: None,
            regions: vec![],
            questions: vec![vec![5, 2], vec![6, 4]],
        }];
        let verdict = crate::results::ratify(&manifest, &results, &[20]).unwrap().unwrap();
        assert_eq!(verdict.outcome, "rejected", "5 yes of 10 cast (3 blank) is not more than half");
        assert!(verdict.report.iter().any(|l| l.contains("yes 5 of 10 cast")), "{:?}", verdict.report);
    }

    #[test]
    fn unknown_manifest_version_is_a_clear_error() {
        let text = r#"{"version":9,"election_id":"e","title":"t","questions":[],"regions":[],"trustees":{"n":1,"t":1},"log_key":""}"#;
        let error = Manifest::parse(text.as_bytes()).unwrap_err().to_string();
        assert_eq!(error, "record format version 9 is not supported (this verifier reads versions 1 to 4)");
    }
}

/// Reads a JSON object keyed by name, refusing a key given twice (`docs/equality.md`): serde
/// would keep the last, and another reader might keep the first.
pub fn unique_keys<'de, D, V>(deserializer: D) -> Result<std::collections::BTreeMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Keys<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Keys<V> {
        type Value = std::collections::BTreeMap<String, V>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = std::collections::BTreeMap::new();
            while let Some((key, value)) = map.next_entry::<String, V>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!("the key {key:?} is given twice")));
                }
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    deserializer.deserialize_map(Keys(std::marker::PhantomData))
}

#[cfg(test)]
mod unique_keys_tests {
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)] // only parsed
    struct Counts {
        #[serde(deserialize_with = "super::unique_keys")]
        tally: std::collections::BTreeMap<String, u64>,
    }

    #[test]
    fn a_key_given_twice_is_refused() {
        assert!(serde_json::from_str::<Counts>(r#"{"tally":{"a":1,"b":2}}"#).is_ok());
        let e = serde_json::from_str::<Counts>(r#"{"tally":{"a":1,"a":2}}"#).unwrap_err();
        assert!(e.to_string().contains("given twice"), "{e}");
        let e = serde_json::from_str::<Counts>(r#"{"tally":{"a":1},"tally":{"b":1}}"#).unwrap_err();
        assert!(e.to_string().contains("duplicate field"), "{e}");
    }
}
