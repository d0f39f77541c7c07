//! Proofs and signatures as JSON.

use super::*;

/// A Schnorr signature `(R, s)` (protocol note §4.2), in hex.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SignatureJson<'a> {
    /// `R`.
    #[serde(rename = "R")]
    pub r: Hex<'a>,
    /// `s`.
    pub s: Hex<'a>,
}

impl SignatureJson<'_> {
    /// The signature as JSON.
    pub fn from_signature(s: &Signature) -> SignatureJson<'static> {
        SignatureJson { r: hex(s.R.bytes()), s: hex(s.s.as_bytes()) }
    }
    /// The signature, decoded.
    pub fn decode(&self) -> Result<Signature, RecordError> {
        Ok(Signature { R: point("signature.R", &self.r)?, s: scalar("signature.s", &self.s)? })
    }
}

/// A Chaum–Pedersen proof (§4.3), in hex.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct DleqJson<'a> {
    /// `T1`.
    #[serde(rename = "T1")]
    pub t1: Hex<'a>,
    /// `T2`.
    #[serde(rename = "T2")]
    pub t2: Hex<'a>,
    /// `z`.
    pub z: Hex<'a>,
}

impl DleqJson<'_> {
    /// The proof as JSON.
    pub fn from_proof(p: &DleqProof) -> DleqJson<'static> {
        DleqJson { t1: hex(p.T1.bytes()), t2: hex(p.T2.bytes()), z: hex(p.z.as_bytes()) }
    }
    /// The proof, decoded.
    pub fn decode(&self) -> Result<DleqProof, RecordError> {
        Ok(DleqProof {
            T1: point("proof.T1", &self.t1)?,
            T2: point("proof.T2", &self.t2)?,
            z: scalar("proof.z", &self.z)?,
        })
    }
}

/// One branch of a range proof (§4.4), in hex.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct BranchJson<'a> {
    /// `A_j`.
    #[serde(borrow, rename = "A")]
    pub a: Hex<'a>,
    /// `B_j`.
    #[serde(borrow, rename = "B")]
    pub b: Hex<'a>,
    /// `c_j`.
    #[serde(borrow)]
    pub c: Hex<'a>,
    /// `z_j`.
    #[serde(borrow)]
    pub z: Hex<'a>,
}

pub(super) fn range_to_json(p: &RangeProof) -> Vec<BranchJson<'static>> {
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

pub(super) fn range_from_json(branches: &[BranchJson]) -> Result<RangeProof, RecordError> {
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

/// An ElGamal ciphertext `(α, β)`, in hex.
#[derive(Serialize, Deserialize, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct CiphertextJson<'a> {
    /// `α`.
    pub alpha: Hex<'a>,
    /// `β`.
    pub beta: Hex<'a>,
}

impl CiphertextJson<'_> {
    /// The ciphertext as JSON.
    pub fn from_ciphertext(ct: &Ciphertext) -> CiphertextJson<'static> {
        CiphertextJson { alpha: hex(ct.alpha.bytes()), beta: hex(ct.beta.bytes()) }
    }
    /// The ciphertext, decoded.
    pub fn decode(&self) -> Result<Ciphertext, RecordError> {
        Ok(Ciphertext { alpha: point("alpha", &self.alpha)?, beta: point("beta", &self.beta)? })
    }
}
