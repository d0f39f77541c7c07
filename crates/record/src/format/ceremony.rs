//! The key ceremony document (`ceremony.json`).

use super::*;

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
