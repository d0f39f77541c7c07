//! The electorate and the running tally, shared by whoever writes a record and by the verifier so
//! that both count the same way: one credential, one region; the last cast ballot per credential
//! counts (protocol note §7); per-region sums, and the national sum as the sum of the regions.
//!
//! Memory grows with the voters who cast, not with the registered: per voter who cast, its last
//! counted ballot's ciphertexts (compressed), never the ballots themselves.

use convene_crypto::ballot::{Ballot, QuestionShape};
use convene_crypto::elgamal::{Ciphertext, CiphertextSum};
use convene_crypto::encoding::Point;
use std::collections::HashMap;

/// The per-question, per-slot sums of one scope (a region, or the nation), with its count.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopeSum {
    /// How many ballots are counted in it.
    pub counted: u64,
    /// The total weight of the counted ballots (their number when every weight is 1).
    pub weight: u64,
    /// For the merged scope: the regions it merges (empty otherwise).
    pub members: Vec<String>,
    /// Per question, per slot: the sum of the counted ballots' ciphertexts, each times its weight.
    pub sums: Vec<Vec<CiphertextSum>>,
}

impl ScopeSum {
    fn new(shapes: &[QuestionShape]) -> ScopeSum {
        ScopeSum {
            counted: 0,
            weight: 0,
            members: Vec::new(),
            sums: shapes.iter().map(|s| vec![CiphertextSum::default(); s.slots as usize]).collect(),
        }
    }

    /// An empty sum of the same shape.
    pub fn empty_like(&self) -> ScopeSum {
        ScopeSum {
            counted: 0,
            weight: 0,
            members: Vec::new(),
            sums: self.sums.iter().map(|q| vec![CiphertextSum::default(); q.len()]).collect(),
        }
    }

    /// Adds another scope's ballots, weights and sums.
    pub fn add_scope(&mut self, other: &ScopeSum) {
        self.counted += other.counted;
        self.weight += other.weight;
        for (mine, theirs) in self.sums.iter_mut().zip(&other.sums) {
            for (m, t) in mine.iter_mut().zip(theirs) {
                m.add_sum(t);
            }
        }
    }

    /// The sums, compressed to ciphertexts.
    pub fn ciphertexts(&self) -> Vec<Vec<Ciphertext>> {
        self.sums.iter().map(|q| q.iter().map(CiphertextSum::to_ciphertext).collect()).collect()
    }
}

pub use crate::electorate::{CountError, Electorate, Voter};

/// The running tally of a log: each credential's last cast ballot counts, per region (protocol note §7, re-voting).
pub struct TallyAccumulator {
    shapes: Vec<QuestionShape>,
    regions: Vec<String>,
    /// Per voter number of a voter who cast: the log index and compressed `(α, β)` of every
    /// slot of its last counted ballot.
    last: HashMap<u32, (u64, Box<[u8]>)>,
    scopes: Vec<ScopeSum>,
    superseded: u64,
}

impl TallyAccumulator {
    /// An empty tally of ballots of `shapes` by `electorate`.
    pub fn new(shapes: Vec<QuestionShape>, electorate: &Electorate) -> TallyAccumulator {
        let scopes = electorate.regions().iter().map(|_| ScopeSum::new(&shapes)).collect();
        TallyAccumulator { shapes, regions: electorate.regions().to_vec(), last: HashMap::new(), scopes, superseded: 0 }
    }

    /// Counts a verified cast ballot of an eligible `voter` at log index `index`; returns the
    /// index of the ballot it supersedes, if any.
    pub fn count(&mut self, index: u64, voter: Voter, ballot: &Ballot) -> Option<u64> {
        let scope = &mut self.scopes[voter.region as usize];
        let mut superseded = None;
        if let Some((previous, bytes)) = self.last.remove(&voter.number) {
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
        self.last.insert(voter.number, (index, stored.into_boxed_slice()));
        superseded
    }

    /// How many counted ballots a later one has superseded so far.
    pub fn superseded(&self) -> u64 {
        self.superseded
    }

    /// The published scopes, for the privacy of small regions: each region with at least
    /// `min_region_ballots` counted ballots, in manifest order; then the others merged into one
    /// scope named `merged` — and while that has fewer than `min_region_ballots` ballots, the
    /// smallest remaining region (the first in manifest order on a tie) joins it; then the
    /// national sum of all regions.
    pub fn scopes(&self, min_region_ballots: u64) -> Vec<(String, ScopeSum)> {
        let mut national = ScopeSum::new(&self.shapes);
        self.scopes.iter().for_each(|s| national.add_scope(s));
        let mut merged: Vec<usize> =
            (0..self.regions.len()).filter(|&r| self.scopes[r].counted < min_region_ballots).collect();
        if !merged.is_empty() {
            let total = |m: &[usize]| m.iter().map(|&r| self.scopes[r].counted).sum::<u64>();
            while total(&merged) < min_region_ballots {
                let smallest = (0..self.regions.len())
                    .filter(|r| !merged.contains(r))
                    .min_by_key(|&r| (self.scopes[r].counted, r));
                match smallest {
                    Some(r) => merged.push(r),
                    None => break,
                }
            }
            merged.sort();
        }
        let mut out: Vec<(String, ScopeSum)> = (0..self.regions.len())
            .filter(|r| !merged.contains(r))
            .map(|r| (self.regions[r].clone(), self.scopes[r].clone()))
            .collect();
        if !merged.is_empty() {
            let mut group = ScopeSum::new(&self.shapes);
            for &r in &merged {
                group.add_scope(&self.scopes[r]);
                group.members.push(self.regions[r].clone());
            }
            out.push((crate::format::MERGED.to_string(), group));
        }
        out.push((crate::format::NATIONAL.to_string(), national));
        out
    }
}

/// The tally document from the sums and back: its scopes are [`ScopeSum`]s.
impl crate::format::TallyJson {
    /// `tally.json` of these scopes, at record format `version`.
    pub fn from_scopes(version: u32, scopes: &[(String, ScopeSum)]) -> crate::format::TallyJson {
        crate::format::TallyJson {
            version,
            log: None,
            scopes: scopes
                .iter()
                .map(|(scope, sum)| crate::format::ScopeTallyJson {
                    scope: scope.clone(),
                    counted: sum.counted,
                    weight: (sum.weight != sum.counted).then_some(sum.weight),
                    regions: sum.members.clone(),
                    questions: sum
                        .ciphertexts()
                        .iter()
                        .map(|q| q.iter().map(crate::format::CiphertextJson::from_ciphertext).collect())
                        .collect(),
                })
                .collect(),
        }
    }

    /// The published sums, decoded; the error names the first bad slot.
    pub fn decode_scopes(&self) -> Result<Vec<(String, ScopeSum)>, (String, crate::format::RecordError)> {
        crate::format::check_version(self.version).map_err(|e| ("tally.json".to_string(), e))?;
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
                    ScopeSum {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn scope_names(counts: &[u64], min: u64) -> Vec<(String, Vec<String>)> {
        let regions: Vec<String> = (0..counts.len()).map(|r| format!("r{r}")).collect();
        let mut electorate = Electorate::new(regions);
        electorate.register([1; 32], 0, 1);
        let mut tally = TallyAccumulator::new(vec![QuestionShape::yes_no()], &electorate);
        for (scope, &n) in tally.scopes.iter_mut().zip(counts) {
            scope.counted = n;
            scope.weight = n;
        }
        tally.scopes(min).into_iter().map(|(name, s)| (name, s.members)).collect()
    }

    #[test]
    fn small_regions_merge_and_the_merged_group_is_never_small() {
        let named = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        // No threshold: every region alone.
        assert_eq!(scope_names(&[1, 2], 0).len(), 3);
        // r1 and r3 are small; together they reach the threshold.
        let s = scope_names(&[9, 3, 9, 4], 5);
        assert_eq!(s.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(), vec!["r0", "r2", "merged", "national"]);
        assert_eq!(s[2].1, named(&["r1", "r3"]));
        // One small region alone would be no cover: the smallest other region joins it.
        let s = scope_names(&[5, 9, 8], 6);
        assert_eq!(s.iter().map(|x| x.0.as_str()).collect::<Vec<_>>(), vec!["r1", "merged", "national"]);
        assert_eq!(s[1].1, named(&["r0", "r2"]));
        // Too few ballots anywhere: everything merges.
        let s = scope_names(&[1, 1], 10);
        assert_eq!(s[0].1, named(&["r0", "r1"]));
    }
}
