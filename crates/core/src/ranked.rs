//! Ranked votes among alternatives (for example unitary / federal / confederation / partition),
//! counted by the Schulze method and by instant runoff. Exact integer counting; ties are
//! reported, and broken only by a lot drawn from a seed the caller gives (`Lot`), never silently.
//!
//! A ballot ranks candidates in groups, most preferred first; candidates in one group are
//! ranked equal, and candidates a ballot leaves out are ranked equal below all it names.
//! `docs/counting.md` is the specification; `convene count` and the
//! convention's ranked votes both count with `count`.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt::Write;

/// The most candidates a count takes (instant runoff's continuing set is a 64-bit mask).
pub const MAX_CANDIDATES: usize = 64;

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

/// Checks ballots against `candidates`: known candidates, none twice on a ballot, and no more
/// than `MAX_CANDIDATES`.
pub fn check_ballots(candidates: usize, ballots: &[RankedBallot]) -> Result<(), String> {
    if candidates > MAX_CANDIDATES {
        return Err(format!("{candidates} options is more than the {MAX_CANDIDATES} a ranked count takes"));
    }
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

/// A lot drawn from a seed: a ranking of the candidates by lot, which breaks ties in favour of
/// the candidate it ranks higher. Candidate `c`'s ticket is SHA-256(UTF-8 seed ‖ 0x00 ‖ UTF-8
/// name of `c`); tickets in ascending byte order rank the candidates, best first
/// (`docs/counting.md`, "The lot"). Anyone with the seed and the names draws the same lot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lot {
    /// The seed, as given.
    pub seed: String,
    /// Every candidate, the lot's best first.
    pub order: Vec<usize>,
}

impl Lot {
    /// Draws the lot for `names` from `seed`.
    pub fn draw(seed: &str, names: &[String]) -> Lot {
        let mut tickets: Vec<([u8; 32], usize)> = names
            .iter()
            .enumerate()
            .map(|(c, name)| {
                let mut h = Sha256::new();
                h.update(seed.as_bytes());
                h.update([0]);
                h.update(name.as_bytes());
                (h.finalize().into(), c)
            })
            .collect();
        tickets.sort();
        Lot { seed: seed.to_string(), order: tickets.into_iter().map(|(_, c)| c).collect() }
    }

    /// The one of `among` (which must not be empty) the lot ranks highest: it wins a tie.
    pub fn best_of(&self, among: &[usize]) -> usize {
        self.order.iter().copied().find(|c| among.contains(c)).unwrap_or(among[0])
    }

    /// The one of `among` (which must not be empty) the lot ranks lowest: it loses a tie.
    pub fn worst_of(&self, among: &[usize]) -> usize {
        self.order.iter().rev().copied().find(|c| among.contains(c)).unwrap_or(among[0])
    }
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
    /// Ballots that count for no continuing candidate this round: every candidate they rank is
    /// out, or their highest group with a continuing candidate has two or more.
    pub exhausted: u64,
    /// The candidate eliminated at the end of the round (`None` in the last round).
    pub eliminated: Option<usize>,
}

/// A tie for last place in a round of instant runoff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunoffTie {
    /// The round, from 1.
    pub round: usize,
    /// The candidates tied with the fewest votes, in candidate order.
    pub tied: Vec<usize>,
    /// Whether the winner depends on which of them goes (or could not be shown not to).
    pub decisive: bool,
    /// Whether the lot chose which goes. Without a lot, a tie that is not decisive eliminates
    /// the first in candidate order (the winner is the same whichever goes), and a decisive
    /// one ends the count with no winner.
    pub by_lot: bool,
}

/// The whole count of instant runoff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Runoff {
    pub rounds: Vec<Round>,
    /// The winner: the only possible winner, or (with a lot) the lot's. `None` when a decisive
    /// tie was left unbroken.
    pub winner: Option<usize>,
    /// Every candidate who wins under some way of breaking the ties for last place (parallel
    /// universes), in candidate order; `None` if there were too many ways to explore them all.
    pub possible_winners: Option<Vec<usize>>,
    /// Every tie for last place met on the way.
    pub ties: Vec<RunoffTie>,
}

/// What one round of instant runoff ends in.
enum Step {
    Wins(usize),
    /// The candidates with the fewest votes: one of them goes.
    Fewest(Vec<usize>),
}

/// Instant runoff's rounds for one set of ballots (`docs/counting.md`, "Instant runoff").
struct Rounds<'a> {
    candidates: usize,
    ballots: &'a [RankedBallot],
    /// Possible winners (as a mask) of each continuing set (as a mask) explored.
    memo: HashMap<u64, u64>,
    /// How many more continuing sets may be counted while exploring.
    budget: usize,
}

fn members(mask: u64, candidates: usize) -> Vec<usize> {
    (0..candidates).filter(|&c| mask & (1 << c) != 0).collect()
}

impl Rounds<'_> {
    fn round(&self, continuing: u64) -> (Round, Step) {
        let n = self.candidates;
        let mut votes = vec![0u64; n];
        let mut exhausted = 0;
        for ballot in self.ballots {
            let mut top = ballot.ranking.iter().map(|g| g.iter().filter(|&&c| continuing & (1 << c) != 0));
            match top.find_map(|mut g| g.next().map(|first| (first, g.next().is_none()))) {
                Some((&only, true)) => votes[only] += ballot.count,
                _ => exhausted += ballot.count,
            }
        }
        let alive = members(continuing, n);
        let counted: u128 = alive.iter().map(|&c| votes[c] as u128).sum();
        let shown = (0..n).map(|c| (continuing & (1 << c) != 0).then_some(votes[c])).collect();
        let round = Round { votes: shown, exhausted, eliminated: None };
        if let Some(&w) = alive.iter().find(|&&c| 2 * votes[c] as u128 > counted) {
            return (round, Step::Wins(w));
        }
        if let [only] = alive[..] {
            return (round, Step::Wins(only));
        }
        let fewest = alive.iter().map(|&c| votes[c]).min().unwrap_or(0);
        (round, Step::Fewest(alive.into_iter().filter(|&c| votes[c] == fewest).collect()))
    }

    /// Every candidate who wins from `continuing` under some order of breaking ties, as a mask;
    /// `None` once the budget is spent.
    fn possible(&mut self, continuing: u64) -> Option<u64> {
        if continuing == 0 {
            return Some(0);
        }
        if let Some(&m) = self.memo.get(&continuing) {
            return Some(m);
        }
        self.budget = self.budget.checked_sub(1)?;
        let winners = match self.round(continuing).1 {
            Step::Wins(w) => 1 << w,
            Step::Fewest(last) => {
                let mut m = 0;
                for c in last {
                    m |= self.possible(continuing & !(1 << c))?;
                }
                m
            }
        };
        self.memo.insert(continuing, winners);
        Some(winners)
    }
}

/// Instant runoff (`docs/counting.md`, "Instant runoff"). Each round, a ballot counts for the only
/// continuing candidate of its highest group that has one, and a candidate with more than half
/// of the ballots counted for continuing candidates wins; else one with the fewest votes goes.
/// A tie for last place is reported. If the winner does not depend on it, the first tied in
/// candidate order goes; if it does, the lot decides, or without one the count ends with no
/// winner and `possible_winners` says who could win.
pub fn instant_runoff(candidates: usize, ballots: &[RankedBallot], lot: Option<&Lot>) -> Runoff {
    if candidates > MAX_CANDIDATES {
        // `check_ballots` and `parse_ballots_csv` refuse these; never count past the mask.
        return Runoff { rounds: Vec::new(), winner: None, possible_winners: None, ties: Vec::new() };
    }
    let all = if candidates >= 64 { u64::MAX } else { (1u64 << candidates) - 1 };
    // Exploring a continuing set counts every ballot once: bound the work, not the sets.
    let budget = (50_000_000 / (ballots.len() * candidates.max(1) + 1)).max(64);
    let mut rounds = Rounds { candidates, ballots, memo: HashMap::new(), budget };
    let possible = rounds.possible(all).map(|m| members(m, candidates));
    let mut continuing = all;
    let mut done = Vec::new();
    let mut ties = Vec::new();
    loop {
        if continuing == 0 {
            return Runoff { rounds: done, winner: None, possible_winners: possible, ties };
        }
        let (mut round, step) = rounds.round(continuing);
        let last = match step {
            Step::Wins(w) => {
                done.push(round);
                return Runoff { rounds: done, winner: Some(w), possible_winners: possible, ties };
            }
            Step::Fewest(last) => last,
        };
        let out = if let [only] = last[..] {
            only
        } else {
            let branches: Vec<Option<u64>> = last.iter().map(|&c| rounds.possible(continuing & !(1 << c))).collect();
            let decisive = match branches[0] {
                Some(m) if m.count_ones() == 1 => branches.iter().any(|b| *b != Some(m)),
                _ => true,
            };
            ties.push(RunoffTie {
                round: done.len() + 1,
                tied: last.clone(),
                decisive,
                by_lot: decisive && lot.is_some(),
            });
            match (decisive, lot) {
                (false, _) => last[0],
                (true, Some(lot)) => lot.worst_of(&last),
                (true, None) => {
                    done.push(round);
                    return Runoff { rounds: done, winner: None, possible_winners: possible, ties };
                }
            }
        };
        round.eliminated = Some(out);
        continuing &= !(1 << out);
        done.push(round);
    }
}

/// Both counts of one set of ballots, as `convene count` and a convention's ranked vote report
/// them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Count {
    pub schulze: Schulze,
    pub runoff: Runoff,
    /// Schulze's winner: its only first-ranked candidate, or the lot's pick among several.
    pub schulze_winner: Option<usize>,
    /// Whether the lot chose Schulze's winner among several tied.
    pub schulze_by_lot: bool,
    /// The lot, if one was drawn.
    pub lot: Option<Lot>,
}

/// Counts `ballots` both ways; with a `lot`, ties that decide are broken by it.
pub fn count(candidates: usize, ballots: &[RankedBallot], lot: Option<Lot>) -> Count {
    let schulze = schulze(candidates, ballots);
    let runoff = instant_runoff(candidates, ballots, lot.as_ref());
    let (schulze_winner, schulze_by_lot) = match (schulze.winners(), &lot) {
        (_, _) if ballots.iter().all(|b| b.count == 0) => (None, false),
        ([w], _) => (Some(*w), false),
        (tied, Some(lot)) if !tied.is_empty() => (Some(lot.best_of(tied)), true),
        _ => (None, false),
    };
    Count { schulze, runoff, schulze_winner, schulze_by_lot, lot }
}

/// Reads ranked ballots from CSV (`docs/counting.md`, "The ballots file"): a header naming every
/// option, and optionally a `weight` column; then one ballot per row, each option's cell its
/// rank (1 is best; equal ranks tie; an empty cell leaves the option unranked, below every
/// ranked one). Identical rankings are merged, in the order they first appear.
pub fn parse_ballots_csv(text: &str) -> Result<(Vec<String>, Vec<RankedBallot>), String> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| format!("cannot read the header: {e}"))?.clone();
    let weight_col = headers.iter().position(|h| h.eq_ignore_ascii_case("weight"));
    let mut names: Vec<String> = Vec::new();
    let mut columns = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        if Some(i) == weight_col {
            continue;
        }
        if h.is_empty() {
            return Err(format!("column {} of the header has no option name", i + 1));
        }
        if names.iter().any(|n| n == h) {
            return Err(format!("the option {h:?} is named twice in the header"));
        }
        names.push(h.to_string());
        columns.push(i);
    }
    if names.is_empty() {
        return Err("the header names no options: give one column per option, and optionally weight".into());
    }
    if names.len() > MAX_CANDIDATES {
        return Err(format!("{} options is more than the {MAX_CANDIDATES} a ranked count takes", names.len()));
    }
    let mut merged: HashMap<Vec<Vec<usize>>, usize> = HashMap::new();
    let mut ballots: Vec<RankedBallot> = Vec::new();
    let mut total: u64 = 0;
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("line {line}: {e}"))?;
        if record.len() != headers.len() {
            return Err(format!("line {line} has {} fields, but the header has {}", record.len(), headers.len()));
        }
        let count = match weight_col {
            None => 1,
            Some(w) => whole_number(&record[w])
                .ok_or_else(|| format!("line {line}: the weight {:?} is not a whole number", &record[w]))?,
        };
        total = total
            .checked_add(count)
            .ok_or_else(|| format!("line {line}: the weights add up to more than {}", u64::MAX))?;
        let mut ranked: Vec<(u64, usize)> = Vec::new();
        for (option, &col) in columns.iter().enumerate() {
            let cell = &record[col];
            if cell.is_empty() {
                continue;
            }
            match whole_number(cell) {
                Some(rank) if rank >= 1 => ranked.push((rank, option)),
                _ => {
                    return Err(format!(
                        "line {line}: the rank of {:?} is {cell:?}; a rank is a whole number from 1 (best), or empty for unranked",
                        names[option]
                    ))
                }
            }
        }
        ranked.sort();
        let mut ranking: Vec<Vec<usize>> = Vec::new();
        let mut previous = None;
        for (rank, option) in ranked {
            match ranking.last_mut() {
                Some(group) if previous == Some(rank) => group.push(option),
                _ => ranking.push(vec![option]),
            }
            previous = Some(rank);
        }
        match merged.get(&ranking) {
            Some(&b) => ballots[b].count += count,
            None => {
                merged.insert(ranking.clone(), ballots.len());
                ballots.push(RankedBallot { ranking, count });
            }
        }
    }
    if ballots.is_empty() {
        return Err("the file has a header but no ballots".into());
    }
    Ok((names, ballots))
}

/// A whole number in ASCII, Arabic-Indic or Eastern Arabic-Indic digits, at most `u64::MAX`.
fn whole_number(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.chars().try_fold(0u64, |n, ch| {
        let digit = match ch {
            '0'..='9' => ch as u32 - '0' as u32,
            '\u{660}'..='\u{669}' => ch as u32 - 0x660,
            '\u{6F0}'..='\u{6F9}' => ch as u32 - 0x6F0,
            _ => return None,
        };
        n.checked_mul(10)?.checked_add(digit as u64)
    })
}

/// Which counts to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    Schulze,
    InstantRunoff,
    Both,
}

impl Show {
    /// `schulze`, `irv` or `both`.
    pub fn parse(name: &str) -> Result<Show, String> {
        match name {
            "schulze" => Ok(Show::Schulze),
            "irv" => Ok(Show::InstantRunoff),
            "both" => Ok(Show::Both),
            other => Err(format!("unknown method {other:?}: use schulze, irv or both")),
        }
    }

    /// Whether Schulze is shown.
    pub fn schulze(self) -> bool {
        self != Show::InstantRunoff
    }

    /// Whether instant runoff is shown.
    pub fn runoff(self) -> bool {
        self != Show::Schulze
    }
}

/// A plain-text account of the counts `show` asks for, with candidate names: the Schulze
/// ranking with its strongest paths, every instant-runoff round, and every tie with how it was
/// resolved.
pub fn describe(names: &[String], count: &Count, show: Show) -> String {
    let mut out = String::new();
    let list = |g: &[usize], sep: &str| g.iter().map(|&c| names[c].as_str()).collect::<Vec<_>>().join(sep);
    let Count { schulze, runoff, schulze_winner, schulze_by_lot, lot } = count;
    if let Some(lot) = lot {
        let _ = writeln!(
            out,
            "Lot drawn from the seed {:?} (ties go to the earlier): {}",
            lot.seed,
            list(&lot.order, ", ")
        );
    }
    if show.schulze() {
        describe_schulze(&mut out, names, schulze, *schulze_winner, *schulze_by_lot, lot.is_some());
    }
    if show.runoff() {
        describe_runoff(&mut out, names, runoff);
    }
    out
}

fn describe_schulze(
    out: &mut String,
    names: &[String],
    schulze: &Schulze,
    schulze_winner: Option<usize>,
    by_lot: bool,
    lot: bool,
) {
    let list = |g: &[usize], sep: &str| g.iter().map(|&c| names[c].as_str()).collect::<Vec<_>>().join(sep);
    let ranking: Vec<String> = schulze.ranking.iter().map(|g| list(g, " = ")).collect();
    let _ = writeln!(out, "Schulze ranking: {}", ranking.join(" > "));
    let _ = writeln!(out, "Strongest paths (from the row's option to the column's):");
    let cells: Vec<Vec<String>> = (0..names.len())
        .map(|i| {
            (0..names.len()).map(|j| if i == j { "-".into() } else { schulze.strongest[i][j].to_string() }).collect()
        })
        .collect();
    let width = |j: usize| cells.iter().map(|row| row[j].chars().count()).chain([names[j].chars().count()]).max();
    let widths: Vec<usize> = (0..names.len()).map(|j| width(j).unwrap_or(1)).collect();
    let first = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let pad = |text: &str, w: usize| format!("{text:>w$}");
    let header: Vec<String> = names.iter().zip(&widths).map(|(n, &w)| pad(n, w)).collect();
    let _ = writeln!(out, "  {}  {}", pad("", first), header.join("  "));
    for (i, row) in cells.iter().enumerate() {
        let row: Vec<String> = row.iter().zip(&widths).map(|(c, &w)| pad(c, w)).collect();
        let _ = writeln!(out, "  {}  {}", pad(&names[i], first), row.join("  "));
    }
    match (schulze_winner, schulze.winners()) {
        (Some(w), _) if !by_lot => {
            let _ = writeln!(out, "Schulze winner: {}", names[w]);
        }
        (Some(w), tied) => {
            let _ = writeln!(out, "Schulze: TIE between {}; by lot: {}", list(tied, " and "), names[w]);
        }
        (None, tied) if tied.len() > 1 && !lot => {
            let _ =
                writeln!(out, "Schulze: TIE between {}; no winner (give --seed to draw a lot)", list(tied, " and "));
        }
        (None, _) => out.push_str("Schulze: no winner (no ballot counts)\n"),
    }
}

fn describe_runoff(out: &mut String, names: &[String], runoff: &Runoff) {
    let list = |g: &[usize], sep: &str| g.iter().map(|&c| names[c].as_str()).collect::<Vec<_>>().join(sep);
    for (r, round) in runoff.rounds.iter().enumerate() {
        let counts: Vec<String> =
            round.votes.iter().enumerate().filter_map(|(c, v)| v.map(|v| format!("{} {v}", names[c]))).collect();
        let _ = write!(out, "Instant runoff round {}: {} (exhausted {})", r + 1, counts.join(", "), round.exhausted);
        if let Some(e) = round.eliminated {
            let _ = write!(out, "; {} eliminated", names[e]);
        }
        out.push('\n');
        for tie in runoff.ties.iter().filter(|t| t.round == r + 1) {
            let how = match (tie.decisive, tie.by_lot, round.eliminated) {
                (false, _, Some(e)) => {
                    format!("the winner is the same whichever goes; {} goes, first in order", names[e])
                }
                (true, true, Some(e)) => format!("it decides the winner; by lot, {} goes", names[e]),
                _ => "it decides the winner, and the count stops here (give --seed to draw a lot)".into(),
            };
            let _ = writeln!(out, "  TIE for last place between {}: {how}", list(&tie.tied, " and "));
        }
    }
    match (runoff.winner, &runoff.possible_winners) {
        (Some(w), _) => {
            let _ = writeln!(out, "Instant runoff winner: {}", names[w]);
        }
        (None, Some(p)) if !p.is_empty() => {
            let _ = writeln!(out, "Instant runoff: no winner; depending on the tie, {} could win", list(p, " or "));
        }
        (None, _) => out.push_str("Instant runoff: no winner\n"),
    }
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
        let r = instant_runoff(4, &b, None);
        assert_eq!(r.rounds.iter().map(|x| x.eliminated).collect::<Vec<_>>(), vec![Some(2), Some(1), None]);
        assert_eq!(r.winner, Some(3));
        assert_eq!(r.rounds[2].votes, vec![Some(42), None, None, Some(58)]);
        assert_eq!(schulze(4, &b).winners(), &[1]);
    }

    use proptest::prelude::*;

    /// Some order of the four candidates, taken from the first ballot.
    fn order_of(orders: &[(u64, Vec<usize>)]) -> Vec<usize> {
        orders[0].1.clone()
    }

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
            let r = instant_runoff(4, &b, None);
            let last = r.rounds.last().unwrap();
            let possible = r.possible_winners.clone().unwrap();
            match r.winner {
                Some(w) => {
                    let counted: u64 = last.votes.iter().flatten().sum();
                    prop_assert!(2 * last.votes[w].unwrap() > counted || last.votes.iter().flatten().count() == 1);
                    prop_assert_eq!(&possible, &vec![w]);
                }
                None => {
                    prop_assert!(r.ties.last().unwrap().decisive);
                    prop_assert!(possible.len() >= 2);
                }
            }
            // Any lot picks one of the possible winners, and says so when it decides.
            let lot = Lot { seed: String::new(), order: order_of(&orders) };
            let drawn = instant_runoff(4, &b, Some(&lot));
            prop_assert!(possible.contains(&drawn.winner.unwrap()));
            prop_assert_eq!(drawn.ties.iter().any(|t| t.by_lot), r.winner.is_none());
        }
    }

    #[test]
    fn ties_are_reported() {
        let b = ballots(&[(1, "AB"), (1, "BA")]);
        assert_eq!(schulze(2, &b).winners(), &[0, 1]);
        let r = instant_runoff(2, &b, None);
        assert_eq!(r.winner, None);
        assert_eq!(r.possible_winners, Some(vec![0, 1]));
        assert_eq!(r.ties, vec![RunoffTie { round: 1, tied: vec![0, 1], decisive: true, by_lot: false }]);
        // Equal rankings and unranked candidates.
        let unequal = vec![
            RankedBallot { ranking: vec![vec![0, 1]], count: 3 },
            RankedBallot { ranking: vec![vec![2]], count: 1 },
        ];
        let s = schulze(3, &unequal);
        assert_eq!(s.pairwise[0][2], 3);
        assert_eq!(s.pairwise[0][1], 0);
        assert_eq!(instant_runoff(3, &unequal, None).rounds[0].exhausted, 3);
        assert!(check_ballots(2, &[RankedBallot { ranking: vec![vec![0], vec![0]], count: 1 }])
            .unwrap_err()
            .contains("twice"));
        assert!(check_ballots(2, &[RankedBallot { ranking: vec![vec![5]], count: 1 }]).unwrap_err().contains("only 2"));
    }

    /// The tie of issue 14: `C`, `C`, `A>C`, `B>A`. A and B tie for last in round 1; if A goes,
    /// C wins 3:1; if B goes, A and C tie 2:2 and either may win. The tie is reported as
    /// deciding, the count stops, and A or C could win.
    #[test]
    fn a_tie_for_last_that_decides_the_winner_is_reported_not_broken() {
        let b = ballots(&[(2, "C"), (1, "AC"), (1, "BA")]);
        let r = instant_runoff(3, &b, None);
        assert_eq!(r.winner, None);
        assert_eq!(r.possible_winners, Some(vec![0, 2]));
        assert_eq!(r.ties, vec![RunoffTie { round: 1, tied: vec![0, 1], decisive: true, by_lot: false }]);
        assert_eq!(r.rounds.len(), 1);
        assert_eq!(r.rounds[0].eliminated, None);
        // The lot decides, and says so.
        let names: Vec<String> = ["A", "B", "C"].map(String::from).to_vec();
        for seed in ["1", "2", "3", "4", "5", "6"] {
            let lot = Lot::draw(seed, &names);
            let drawn = instant_runoff(3, &b, Some(&lot));
            assert!(drawn.ties[0].by_lot && drawn.ties[0].decisive);
            assert_eq!(drawn.rounds[0].eliminated, Some(lot.worst_of(&[0, 1])));
            assert!(matches!(drawn.winner, Some(0 | 2)));
        }
        // A tie that does not decide: A and B tie for last, and C wins either way.
        let b = ballots(&[(5, "C"), (1, "A"), (1, "B")]);
        let r = instant_runoff(3, &b, None);
        assert_eq!(r.winner, Some(2));
        assert_eq!(r.ties, vec![]);
        let b = ballots(&[(3, "C"), (2, "D"), (1, "AC"), (1, "BC")]);
        let r = instant_runoff(4, &b, None);
        assert_eq!(r.winner, Some(2));
        assert_eq!(r.ties, vec![RunoffTie { round: 1, tied: vec![0, 1], decisive: false, by_lot: false }]);
        assert_eq!(r.rounds[0].eliminated, Some(0));
    }

    /// The lot is SHA-256 of the seed, a zero byte and the name, in ascending order.
    #[test]
    fn the_lot_is_reproducible_from_its_seed() {
        let names: Vec<String> = ["unitary", "federal", "confederation"].map(String::from).to_vec();
        let lot = Lot::draw("2026-12-04 chair", &names);
        let mut expected: Vec<(Vec<u8>, usize)> = names
            .iter()
            .enumerate()
            .map(|(c, n)| (Sha256::digest([b"2026-12-04 chair".as_slice(), &[0], n.as_bytes()].concat()).to_vec(), c))
            .collect();
        expected.sort();
        assert_eq!(lot.order, expected.into_iter().map(|(_, c)| c).collect::<Vec<_>>());
        assert_ne!(Lot::draw("another seed", &names).order, Vec::<usize>::new());
    }

    #[test]
    fn more_candidates_than_the_mask_holds_are_never_counted() {
        let r = instant_runoff(65, &[], None);
        assert_eq!((r.winner, r.possible_winners, r.rounds.len()), (None, None, 0));
        assert!(check_ballots(65, &[]).unwrap_err().contains("more than the 64"));
    }

    #[test]
    fn ballots_are_read_from_csv_with_ties_truncation_and_weights() {
        let (names, b) = parse_ballots_csv("A,B,C,weight\n1,2,,3\n1,1,2,1\n١,٢,,2\n,,,1\n").unwrap();
        assert_eq!(names, ["A", "B", "C"]);
        assert_eq!(
            b,
            vec![
                RankedBallot { ranking: vec![vec![0], vec![1]], count: 5 },
                RankedBallot { ranking: vec![vec![0, 1], vec![2]], count: 1 },
                RankedBallot { ranking: vec![], count: 1 },
            ]
        );
        let (_, b) = parse_ballots_csv("A,B\n5,2\n").unwrap();
        assert_eq!(b[0].ranking, vec![vec![1], vec![0]]);
        for (text, says) in [
            ("A,A\n1,2\n", "named twice"),
            ("A,B\n", "no ballots"),
            ("weight\n1\n", "names no options"),
            ("A,B\n0,1\n", "whole number from 1"),
            ("A,B\nx,1\n", "\"A\" is \"x\""),
            ("A,B\n1,-1\n", "whole number from 1"),
            ("A,B\n1\n", "line 2 has 1 fields"),
            ("A,weight\n1,1.5\n", "weight \"1.5\""),
            ("A,weight\n1,18446744073709551615\n1,1\n", "add up to more"),
            ("A,B\n99999999999999999999,1\n", "whole number"),
        ] {
            let err = parse_ballots_csv(text).unwrap_err();
            assert!(err.contains(says), "{text:?}: {err}");
        }
        let many: Vec<String> = (0..65).map(|i| format!("o{i}")).collect();
        assert!(parse_ballots_csv(&format!("{}\n", many.join(","))).unwrap_err().contains("more than the 64"));
    }
}
