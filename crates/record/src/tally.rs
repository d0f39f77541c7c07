//! The electorate and the running tally, shared by whoever writes a record and by the verifier so
//! that both count the same way: one credential, one region; the last cast ballot per credential
//! counts (protocol note §7); per-region sums, and the national sum as the sum of the regions.
//!
//! Memory is O(registered voters): per credential its number and region, and its last counted
//! ballot's ciphertexts (compressed), never the ballots themselves.

use convene_crypto::ballot::{Ballot, QuestionShape};
use convene_crypto::elgamal::{Ciphertext, CiphertextSum};
use convene_crypto::encoding::Point;
use std::collections::HashMap;

/// The per-question, per-slot sums of one scope (a region, or the nation), with its count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopeSum {
    pub counted: u64,
    /// The total weight of the counted ballots (their number when every weight is 1).
    pub weight: u64,
    pub sums: Vec<Vec<CiphertextSum>>,
}

impl ScopeSum {
    fn new(shapes: &[QuestionShape]) -> ScopeSum {
        ScopeSum {
            counted: 0,
            weight: 0,
            sums: shapes.iter().map(|s| vec![CiphertextSum::default(); s.slots as usize]).collect(),
        }
    }

    pub fn ciphertexts(&self) -> Vec<Vec<Ciphertext>> {
        self.sums.iter().map(|q| q.iter().map(CiphertextSum::to_ciphertext).collect()).collect()
    }
}

/// Why a ballot cannot be counted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CountError {
    #[error("the credential is not on the published credential list")]
    UnknownCredential,
    #[error("the ballot says region {found:?}; the credential list says {expected:?}")]
    RegionMismatch { expected: String, found: String },
}

/// The published credential list: who may vote, and in which region. Read-only once built, so
/// the verifying threads share it while the tally is counted elsewhere.
#[derive(Default)]
pub struct Electorate {
    regions: Vec<String>,
    voters: HashMap<[u8; 32], (u32, u16, u32)>,
}

/// A listed voter: its number in the list, its region's index, its public weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Voter {
    pub number: u32,
    pub region: u16,
    pub weight: u32,
}

impl Electorate {
    pub fn new(regions: Vec<String>) -> Electorate {
        Electorate { regions, voters: HashMap::new() }
    }

    /// Registers a credential in a region (by index) with its weight; false if it was already
    /// registered.
    pub fn register(&mut self, credential: [u8; 32], region: u16, weight: u32) -> bool {
        let number = self.voters.len() as u32;
        match self.voters.entry(credential) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert((number, region, weight));
                true
            }
        }
    }

    pub fn len(&self) -> u64 {
        self.voters.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.voters.is_empty()
    }

    /// The registered weight of each region (its number of credentials when every weight is
    /// 1), in manifest order.
    pub fn registered_by_region(&self) -> Vec<u64> {
        let mut counts = vec![0u64; self.regions.len()];
        for (_, region, weight) in self.voters.values() {
            counts[*region as usize] += *weight as u64;
        }
        counts
    }

    pub fn regions(&self) -> &[String] {
        &self.regions
    }

    /// The eligibility checks of a ballot: its credential is listed, and in the ballot's region.
    pub fn check(&self, ballot: &Ballot) -> Result<Voter, CountError> {
        let &(number, region, weight) =
            self.voters.get(ballot.credential.bytes()).ok_or(CountError::UnknownCredential)?;
        let expected = &self.regions[region as usize];
        if *expected != ballot.region {
            return Err(CountError::RegionMismatch { expected: expected.clone(), found: ballot.region.clone() });
        }
        Ok(Voter { number, region, weight })
    }
}

pub struct TallyAccumulator {
    shapes: Vec<QuestionShape>,
    regions: Vec<String>,
    /// Per voter number: the log index and compressed `(α, β)` of every slot of its last
    /// counted ballot.
    last: Vec<Option<(u64, Box<[u8]>)>>,
    scopes: Vec<ScopeSum>,
    superseded: u64,
}

impl TallyAccumulator {
    pub fn new(shapes: Vec<QuestionShape>, electorate: &Electorate) -> TallyAccumulator {
        let scopes = electorate.regions.iter().map(|_| ScopeSum::new(&shapes)).collect();
        let mut last = Vec::new();
        last.resize_with(electorate.voters.len(), || None);
        TallyAccumulator { shapes, regions: electorate.regions.clone(), last, scopes, superseded: 0 }
    }

    /// Counts a verified cast ballot of an eligible `voter` at log index `index`; returns the
    /// index of the ballot it supersedes, if any.
    pub fn count(&mut self, index: u64, voter: Voter, ballot: &Ballot) -> Option<u64> {
        let scope = &mut self.scopes[voter.region as usize];
        let last = &mut self.last[voter.number as usize];
        let mut superseded = None;
        if let Some((previous, bytes)) = last.take() {
            let mut chunks = bytes.chunks_exact(64);
            for q in scope.sums.iter_mut() {
                for sum in q.iter_mut() {
                    let chunk = chunks.next().expect("stored ballots match the shapes");
                    let alpha =
                        Point::decode(chunk[..32].try_into().expect("32 bytes")).expect("stored from a valid point");
                    let beta =
                        Point::decode(chunk[32..].try_into().expect("32 bytes")).expect("stored from a valid point");
                    sum.sub_times(&Ciphertext { alpha, beta }, voter.weight as u64);
                }
            }
            scope.counted -= 1;
            scope.weight -= voter.weight as u64;
            self.superseded += 1;
            superseded = Some(previous);
        }
        let mut stored = Vec::with_capacity(64 * self.shapes.iter().map(|s| s.slots as usize).sum::<usize>());
        for (q, answer) in scope.sums.iter_mut().zip(&ballot.answers) {
            for (sum, slot) in q.iter_mut().zip(&answer.slots) {
                if voter.weight == 1 {
                    sum.add(&slot.ct);
                } else {
                    sum.add_times(&slot.ct, voter.weight as u64);
                }
                stored.extend_from_slice(slot.ct.alpha.bytes());
                stored.extend_from_slice(slot.ct.beta.bytes());
            }
        }
        scope.counted += 1;
        scope.weight += voter.weight as u64;
        *last = Some((index, stored.into_boxed_slice()));
        superseded
    }

    pub fn superseded(&self) -> u64 {
        self.superseded
    }

    /// The per-region sums, in manifest order, then the national sum.
    pub fn scopes(&self) -> Vec<(String, ScopeSum)> {
        let mut national = ScopeSum::new(&self.shapes);
        for scope in &self.scopes {
            national.counted += scope.counted;
            national.weight += scope.weight;
            for (nq, q) in national.sums.iter_mut().zip(&scope.sums) {
                for (n, s) in nq.iter_mut().zip(q) {
                    n.add_sum(s);
                }
            }
        }
        let mut out: Vec<(String, ScopeSum)> = self.regions.iter().cloned().zip(self.scopes.iter().cloned()).collect();
        out.push((crate::format::NATIONAL.to_string(), national));
        out
    }
}
