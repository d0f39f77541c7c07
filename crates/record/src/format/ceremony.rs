//! The key ceremony document (`ceremony.json`).

use super::*;

/// A trustee's round-1 message (protocol note §5.1), in hex.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct Round1Json {
    /// The trustee's index `i`.
    pub trustee: u32,
    /// `E_i`.
    pub communication_key: String,
    /// The proof of knowledge of `e_i`.
    pub communication_proof: SignatureJson<'static>,
    /// The Feldman commitments `C_ik`.
    pub commitments: Vec<String>,
    /// The proofs of knowledge of their coefficients.
    pub commitment_proofs: Vec<SignatureJson<'static>>,
    /// Version 2: the trustee's signature of this message (protocol note §9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SignatureJson<'static>>,
}

/// An encrypted share (§5.2), in hex.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ShareJson {
    /// The dealer `i`.
    pub dealer: u32,
    /// The recipient `j`.
    pub recipient: u32,
    /// `R_ij`.
    #[serde(rename = "R")]
    pub r: String,
    /// `u_ij`.
    pub u: String,
}

/// A complaint (§5.3), in hex.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct ComplaintJson {
    /// The dealer complained against.
    pub dealer: u32,
    /// The trustee who complains.
    pub accuser: u32,
    /// `S = e_j·R_ij`.
    #[serde(rename = "S")]
    pub s: String,
    /// The proof that `S` is `e_j·R_ij`.
    pub proof: DleqJson<'static>,
}

/// A qualified trustee's verification key `X_j`.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct VerificationKeyJson {
    /// The trustee `j`.
    pub trustee: u32,
    /// `X_j`, hex.
    pub key: String,
}

/// The ceremony's outcome (§5.4), as `ceremony.json` claims it.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct OutcomeJson {
    /// The qualified set, in increasing order.
    pub qualified: Vec<u32>,
    /// `K`, hex.
    pub election_key: String,
    /// Each qualified trustee's verification key.
    pub verification_keys: Vec<VerificationKeyJson>,
}

/// The public messages of a key ceremony: round 1, the encrypted shares, the complaints.
pub type CeremonyMessages = (Vec<Round1>, Vec<EncryptedShare>, Vec<Complaint>);

impl OutcomeJson {
    /// The outcome as JSON.
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
    /// The record format version.
    pub version: u32,
    /// Every round-1 message.
    pub round1: Vec<Round1Json>,
    /// Every encrypted share.
    pub shares: Vec<ShareJson>,
    /// Every complaint.
    pub complaints: Vec<ComplaintJson>,
    /// The outcome claimed.
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
    /// The trustee.
    pub trustee: u32,
    /// Its signature.
    pub signature: SignatureJson<'static>,
}

impl Round1Json {
    /// The message as JSON.
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
    /// The share as JSON.
    pub fn from_share(x: &EncryptedShare) -> ShareJson {
        ShareJson { dealer: x.dealer, recipient: x.recipient, r: x.R.to_hex(), u: to_hex(x.u.as_bytes()) }
    }
}

impl ComplaintJson {
    /// The complaint as JSON.
    pub fn from_complaint(c: &Complaint) -> ComplaintJson {
        ComplaintJson { dealer: c.dealer, accuser: c.accuser, s: c.S.to_hex(), proof: DleqJson::from_proof(&c.proof) }
    }
}

impl CeremonyJson {
    /// `ceremony.json` of these messages and this outcome.
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

    /// The messages, decoded (strictly: a malformed field is an error).
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
