//! Ranked votes among alternatives (for example unitary / federal / confederation / partition),
//! counted by the Schulze method and by instant runoff. Exact integer counting; ties are
//! reported, never broken silently.
//!
//! A ballot ranks candidates in groups, most preferred first; candidates in one group are
//! ranked equal, and candidates a ballot leaves out are ranked equal below all it names.

use std::fmt::Write;

/// A ranking cast by `count` voters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RankedBallot {
    pub ranking: Vec<Vec<usize>>,
    pub count: u64,
}

impl RankedBallot {
    /// Where the ballot ranks `candidate` (0 is best); unranked candidates share the last rank.
    fn rank(&self, candidate: usize) -> usize {
        self.ranking.iter().position(|group| group.contains(&candidate)).unwrap_or(self.ranking.len())
    }
}

/// Checks ballots against `candidates`: known candidates, none twice on a ballot.
pub fn check_ballots(candidates: usize, ballots: &[RankedBallot]) -> Result<(), String> {
    for (b, ballot) in ballots.iter().enumerate() {
        let mut seen = vec![false; candidates];
        for &c in ballot.ranking.iter().flatten() {
            if c >= candidates {
                return Err(format!("ballot {b} ranks candidate {c}, but there are only {candidates}"));
            }
            if std::mem::replace(&mut seen[c], true) {
                return Err(format!("ballot {b} ranks candidate {c} twice"));
            }
        }
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schulze {
    /// `pairwise[i][j]`: voters who prefer `i` to `j`.
    pub pairwise: Vec<Vec<u64>>,
    /// `strongest[i][j]`: the strength of the strongest path from `i` to `j`.
    pub strongest: Vec<Vec<u64>>,
    /// The Schulze ranking, best first; candidates in one group are tied.
    pub ranking: Vec<Vec<usize>>,
}

impl Schulze {
    /// The winners: one, or several tied.
    pub fn winners(&self) -> &[usize] {
        self.ranking.first().map(Vec::as_slice).unwrap_or(&[])
    }
}

/// The Schulze method (strongest paths; link strength = winning votes).
pub fn schulze(candidates: usize, ballots: &[RankedBallot]) -> Schulze {
    let n = candidates;
    let mut d = vec![vec![0u64; n]; n];
    for ballot in ballots {
        let ranks: Vec<usize> = (0..n).map(|c| ballot.rank(c)).collect();
        for i in 0..n {
            for j in 0..n {
                if ranks[i] < ranks[j] {
                    d[i][j] += ballot.count;
                }
            }
        }
    }
    let mut p = vec![vec![0u64; n]; n];
    for i in 0..n {
        for j in 0..n {
            if i != j && d[i][j] > d[j][i] {
                p[i][j] = d[i][j];
            }
        }
    }
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            for k in 0..n {
                if i != k && j != k {
                    p[j][k] = p[j][k].max(p[j][i].min(p[i][k]));
                }
            }
        }
    }
    // Rank by how many others each candidate beats on strongest paths; equal standing ties.
    let beats = |a: usize, b: usize| p[a][b] > p[b][a];
    let mut remaining: Vec<usize> = (0..n).collect();
    let mut ranking = Vec::new();
    while !remaining.is_empty() {
        let top: Vec<usize> =
            remaining.iter().copied().filter(|&a| remaining.iter().all(|&b| a == b || !beats(b, a))).collect();
        // The Schulze relation is transitive, so `top` is never empty; guard all the same.
        let top = if top.is_empty() { remaining.clone() } else { top };
        remaining.retain(|c| !top.contains(c));
        ranking.push(top);
    }
    Schulze { pairwise: d, strongest: p, ranking }
}

/// One round of instant runoff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Round {
    /// Votes of each continuing candidate this round (`None` once eliminated).
    pub votes: Vec<Option<u64>>,
    /// Ballots with no continuing candidate ranked alone at the top.
    pub exhausted: u64,
    pub eliminated: Option<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Runoff {
    pub rounds: Vec<Round>,
    /// `None` when the last two are tied.
    pub winner: Option<usize>,
    /// Ties met on the way, and how they were resolved, in words.
    pub ties: Vec<String>,
}

/// Instant runoff. Each round, a ballot counts for its most preferred continuing candidate if
/// that candidate is ranked alone; otherwise it is exhausted. A candidate with more than half of
/// the round's counted votes wins; else the last is eliminated. A tie for last goes to the
/// earlier round with different counts; if none differs, it is reported and the first listed of
/// the tied is eliminated.
pub fn instant_runoff(candidates: usize, ballots: &[RankedBallot]) -> Runoff {
    let mut continuing = vec![true; candidates];
    let mut rounds: Vec<Round> = Vec::new();
    let mut ties = Vec::new();
    loop {
        let mut votes = vec![0u64; candidates];
        let mut exhausted = 0;
        for ballot in ballots {
            let top = ballot
                .ranking
                .iter()
                .map(|g| g.iter().copied().filter(|&c| continuing[c]).collect::<Vec<_>>())
                .find(|g| !g.is_empty());
            match top.as_deref() {
                Some([single]) => votes[*single] += ballot.count,
                _ => exhausted += ballot.count,
            }
        }
        let alive: Vec<usize> = (0..candidates).filter(|&c| continuing[c]).collect();
        let counted: u64 = alive.iter().map(|&c| votes[c]).sum();
        let shown = (0..candidates).map(|c| continuing[c].then_some(votes[c])).collect();
        if let Some(&w) = alive.iter().find(|&&c| 2 * votes[c] > counted) {
            rounds.push(Round { votes: shown, exhausted, eliminated: None });
            return Runoff { rounds, winner: Some(w), ties };
        }
        if alive.len() <= 1 {
            rounds.push(Round { votes: shown, exhausted, eliminated: None });
            return Runoff { rounds, winner: alive.first().copied(), ties };
        }
        let fewest = alive.iter().map(|&c| votes[c]).min().unwrap_or(0);
        let mut last: Vec<usize> = alive.iter().copied().filter(|&c| votes[c] == fewest).collect();
        if last.len() == alive.len() {
            ties.push(format!("candidates {last:?} are tied with {fewest} votes each; there is no majority winner"));
            rounds.push(Round { votes: shown, exhausted, eliminated: None });
            return Runoff { rounds, winner: None, ties };
        }
        if last.len() > 1 {
            // Look back: the tied candidate with fewer votes in the latest earlier round that
            // tells them apart goes.
            for earlier in rounds.iter().rev() {
                let least = last.iter().filter_map(|&c| earlier.votes[c]).min();
                let fewer: Vec<usize> = last.iter().copied().filter(|&c| earlier.votes[c] == least).collect();
                if fewer.len() < last.len() {
                    last = fewer;
                    if last.len() == 1 {
                        break;
                    }
                }
            }
            if last.len() > 1 {
                ties.push(format!("candidates {last:?} tie for last place in round {}; the first listed is eliminated — decide by lot or by law", rounds.len() + 1));
            }
        }
        let out = last[0];
        continuing[out] = false;
        rounds.push(Round { votes: shown, exhausted, eliminated: Some(out) });
    }
}

/// A plain-text account of both counts, with candidate names.
pub fn describe(names: &[String], schulze: &Schulze, runoff: &Runoff) -> String {
    let mut out = String::new();
    let group = |g: &[usize]| g.iter().map(|&c| names[c].as_str()).collect::<Vec<_>>().join(" = ");
    let ranking: Vec<String> = schulze.ranking.iter().map(|g| group(g)).collect();
    let _ = writeln!(out, "Schulze ranking: {}", ranking.join(" > "));
    for (r, round) in runoff.rounds.iter().enumerate() {
        let counts: Vec<String> =
            round.votes.iter().enumerate().filter_map(|(c, v)| v.map(|v| format!("{} {v}", names[c]))).collect();
        let _ = write!(out, "Instant runoff round {}: {} (exhausted {})", r + 1, counts.join(", "), round.exhausted);
        if let Some(e) = round.eliminated {
            let _ = write!(out, "; {} eliminated", names[e]);
        }
        out.push('\n');
    }
    match runoff.winner {
        Some(w) => {
            let _ = writeln!(out, "Instant runoff winner: {}", names[w]);
        }
        None => out.push_str("Instant runoff: no winner (tie)\n"),
    }
    for tie in &runoff.ties {
        let _ = writeln!(out, "TIE: {tie}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ballots(spec: &[(u64, &str)]) -> Vec<RankedBallot> {
        spec.iter()
            .map(|(count, order)| RankedBallot {
                ranking: order.bytes().map(|b| vec![(b - b'A') as usize]).collect(),
                count: *count,
            })
            .collect()
    }

    /// The standard 45-voter example of the Schulze method: 5 ACBED, 5 ADECB, 8 BEDAC, 3 CABED,
    /// 7 CAEBD, 2 CBADE, 7 DCEBA, 8 EBADC. 20 voters prefer A to B and 25 B to A; the published
    /// strongest-path matrix has E→A 25 (A→E only 24), and the ranking is E > A > C > B > D.
    #[test]
    fn schulze_worked_example() {
        let b = ballots(&[
            (5, "ACBED"),
            (5, "ADECB"),
            (8, "BEDAC"),
            (3, "CABED"),
            (7, "CAEBD"),
            (2, "CBADE"),
            (7, "DCEBA"),
            (8, "EBADC"),
        ]);
        let s = schulze(5, &b);
        assert_eq!(s.pairwise[0][1], 20); // A over B
        assert_eq!(s.pairwise[1][0], 25);
        assert_eq!((s.strongest[4][0], s.strongest[0][4]), (25, 24));
        assert_eq!((s.strongest[0][1], s.strongest[1][0]), (28, 25));
        assert_eq!(s.ranking, vec![vec![4], vec![0], vec![2], vec![1], vec![3]]);
        assert_eq!(s.winners(), &[4]);
    }

    /// Tennessee's capital: 42 Memphis>Nashville>Chattanooga>Knoxville, 26 N>C>K>M,
    /// 15 C>K>N>M, 17 K>C>N>M. Instant runoff: Chattanooga out, then Nashville; Knoxville wins
    /// 58:42. Schulze picks Nashville, the Condorcet winner.
    #[test]
    fn tennessee_runoff_and_condorcet_differ() {
        // A = Memphis, B = Nashville, C = Chattanooga, D = Knoxville.
        let b = ballots(&[(42, "ABCD"), (26, "BCDA"), (15, "CDBA"), (17, "DCBA")]);
        let r = instant_runoff(4, &b);
        assert_eq!(r.rounds.iter().map(|x| x.eliminated).collect::<Vec<_>>(), vec![Some(2), Some(1), None]);
        assert_eq!(r.winner, Some(3));
        assert_eq!(r.rounds[2].votes, vec![Some(42), None, None, Some(58)]);
        assert_eq!(schulze(4, &b).winners(), &[1]);
    }

    use proptest::prelude::*;

    proptest! {
        #[test]
        fn condorcet_winners_win_and_runoffs_end_in_a_majority_or_a_tie(
            orders in proptest::collection::vec((1u64..20, Just(vec![0usize, 1, 2, 3]).prop_shuffle()), 1..12)
        ) {
            let b: Vec<RankedBallot> = orders.iter().map(|(count, order)| RankedBallot { ranking: order.iter().map(|&c| vec![c]).collect(), count: *count }).collect();
            let s = schulze(4, &b);
            let condorcet = (0..4).find(|&a| (0..4).all(|c| c == a || s.pairwise[a][c] > s.pairwise[c][a]));
            if let Some(a) = condorcet {
                prop_assert_eq!(s.winners(), &[a][..]);
            }
            let r = instant_runoff(4, &b);
            let last = r.rounds.last().unwrap();
            match r.winner {
                Some(w) => {
                    let counted: u64 = last.votes.iter().flatten().sum();
                    prop_assert!(2 * last.votes[w].unwrap() > counted || last.votes.iter().flatten().count() == 1);
                }
                None => prop_assert!(!r.ties.is_empty()),
            }
        }
    }

    #[test]
    fn ties_are_reported() {
        let b = ballots(&[(1, "AB"), (1, "BA")]);
        assert_eq!(schulze(2, &b).winners(), &[0, 1]);
        let r = instant_runoff(2, &b);
        assert_eq!(r.winner, None);
        assert!(!r.ties.is_empty());
        // Equal rankings and unranked candidates.
        let unequal = vec![
            RankedBallot { ranking: vec![vec![0, 1]], count: 3 },
            RankedBallot { ranking: vec![vec![2]], count: 1 },
        ];
        let s = schulze(3, &unequal);
        assert_eq!(s.pairwise[0][2], 3);
        assert_eq!(s.pairwise[0][1], 0);
        assert_eq!(instant_runoff(3, &unequal).rounds[0].exhausted, 3);
        assert!(check_ballots(2, &[RankedBallot { ranking: vec![vec![0], vec![0]], count: 1 }])
            .unwrap_err()
            .contains("twice"));
        assert!(check_ballots(2, &[RankedBallot { ranking: vec![vec![5]], count: 1 }]).unwrap_err().contains("only 2"));
    }
}
