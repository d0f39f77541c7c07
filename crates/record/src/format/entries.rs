//! Ballots and log entries: their JSON, and the bytes they are hashed and signed as.

use super::*;

/// One slot of an answer: its ciphertext and its range proof, in hex.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct SlotJson<'a> {
    /// `α`.
    #[serde(borrow)]
    pub alpha: Hex<'a>,
    /// `β`.
    #[serde(borrow)]
    pub beta: Hex<'a>,
    /// The range proof's branches.
    #[serde(borrow)]
    pub proof: Vec<BranchJson<'a>>,
}

/// One question's answer.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct AnswerJson<'a> {
    /// Its slots.
    #[serde(borrow)]
    pub slots: Vec<SlotJson<'a>>,
    /// Its sum proof's branches, when its shape needs one.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub sum_proof: Option<Vec<BranchJson<'a>>>,
}

/// A ballot (protocol note §6), as the log's lines carry it.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct BallotJson<'a> {
    /// Version 3: the one-time key the proofs are bound to (protocol note §11).
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub one_time_key: Option<Hex<'a>>,
    /// The voter's credential; absent in a version-3 challenged ballot, signed by its one-time key.
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<Hex<'a>>,
    /// The voter's region.
    #[serde(borrow)]
    pub region: Cow<'a, str>,
    /// One answer per question.
    #[serde(borrow)]
    pub answers: Vec<AnswerJson<'a>>,
    /// The signer's signature.
    pub signature: SignatureJson<'a>,
}

impl BallotJson<'_> {
    /// The ballot as JSON.
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

    /// The ballot, decoded (strictly: a malformed field is an error).
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

/// One revealed slot of a challenged ballot: its value and randomness.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct RevealJson<'a> {
    /// The value `m`.
    pub m: u64,
    /// The randomness `r`, hex.
    #[serde(borrow)]
    pub r: Hex<'a>,
}

/// One line of `log.jsonl`.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum EntryJson<'a> {
    /// A cast ballot.
    Cast {
        /// The ballot.
        #[serde(borrow)]
        ballot: BallotJson<'a>,
    },
    /// A challenged ballot and what opens it (§4.5).
    Spoiled {
        /// The ballot.
        #[serde(borrow)]
        ballot: BallotJson<'a>,
        /// Per question, per slot: the value and randomness.
        #[serde(borrow)]
        reveal: Vec<Vec<RevealJson<'a>>>,
    },
}

/// A decoded log entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogEntry {
    /// A cast ballot.
    Cast(Ballot),
    /// A challenged ballot and its secrets.
    Spoiled(Ballot, BallotSecrets),
}

impl LogEntry {
    /// The entry's ballot.
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
        if !one_time_keys(version) {
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

    /// The entry as one line of `log.jsonl`.
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
