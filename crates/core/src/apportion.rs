//! Apportionment (`docs/apportionment.md`): Hamilton (largest remainder) and the divisor methods — Jefferson
//! (D'Hondt), Webster (Sainte-Laguë), Huntington–Hill, Adams and Dean — with minimum and maximum
//! seats, a party-list threshold, and diagnostics (quota rule, Alabama paradox, population
//! monotonicity).
//!
//! Everything is exact. Divisor methods are computed as highest averages: seat after seat goes to
//! the unit with the largest `p / b(s)`, where `b(s)` is the method's rounding boundary between
//! `s` and `s + 1` seats; priorities are compared by cross-multiplying integers (squares for
//! Huntington–Hill's `√(s(s+1))`), never with floats. That is the same as finding a divisor: the
//! interval of divisors that give the result is reported. When several units tie for the last
//! seats, the tie is reported (and, so that the output is complete, broken by input order).

use crate::ratio::Ratio;
use std::cmp::Ordering;
use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Hamilton,
    Jefferson,
    Webster,
    HuntingtonHill,
    Adams,
    Dean,
}

impl Method {
    /// Parses a method's name as `convene apportion --method` takes it.
    pub fn parse(name: &str) -> Result<Method, String> {
        Ok(match name.to_ascii_lowercase().as_str() {
            "hamilton" | "largest-remainder" => Method::Hamilton,
            "jefferson" | "dhondt" | "d'hondt" => Method::Jefferson,
            "webster" | "sainte-lague" => Method::Webster,
            "huntington-hill" => Method::HuntingtonHill,
            "adams" => Method::Adams,
            "dean" => Method::Dean,
            _ => {
                return Err(format!(
                    "unknown method {name:?}: use hamilton, jefferson, dhondt, webster, sainte-lague, huntington-hill, adams or dean"
                ))
            }
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Method::Hamilton => "Hamilton (largest remainder)",
            Method::Jefferson => "Jefferson (D'Hondt)",
            Method::Webster => "Webster (Sainte-Laguë)",
            Method::HuntingtonHill => "Huntington–Hill",
            Method::Adams => "Adams",
            Method::Dean => "Dean",
        }
    }

    /// Compares the priorities `p_a / b(s_a)` and `p_b / b(s_b)` exactly.
    fn compare(self, p_a: u64, s_a: u64, p_b: u64, s_b: u64) -> Ordering {
        let (pa, sa, pb, sb) = (p_a as u128, s_a as u128, p_b as u128, s_b as u128);
        // b(s) = num(s) / den(s); p_a/b(s_a) ? p_b/b(s_b) ⇔ p_a·num(s_b)·den(s_a) ? p_b·num(s_a)·den(s_b).
        // A zero boundary (Adams, Dean, Huntington–Hill at s = 0) is an infinite priority.
        let (na, da, nb, db) = match self {
            Method::Jefferson => (sa + 1, 1, sb + 1, 1),
            Method::Webster => (2 * sa + 1, 2, 2 * sb + 1, 2),
            Method::Adams => (sa, 1, sb, 1),
            Method::Dean => (2 * sa * (sa + 1), 2 * sa + 1, 2 * sb * (sb + 1), 2 * sb + 1),
            Method::HuntingtonHill => (sa * (sa + 1), 1, sb * (sb + 1), 1),
            Method::Hamilton => unreachable!("Hamilton is not a divisor method"),
        };
        match (na == 0, nb == 0) {
            (true, true) => return pa.cmp(&pb),
            (true, false) => return Ordering::Greater,
            (false, true) => return Ordering::Less,
            _ => {}
        }
        if self == Method::HuntingtonHill {
            // p/√(s(s+1)): compare squares.
            (pa * pa * nb).cmp(&(pb * pb * na))
        } else {
            (pa * nb * da).cmp(&(pb * na * db))
        }
    }
}

/// The largest total population (or vote count) accepted: 2^40, about 1.1 trillion.
pub const MAX_TOTAL: u64 = 1 << 40;

/// What to apportion.
#[derive(Clone, Debug)]
pub struct Problem {
    pub names: Vec<String>,
    pub populations: Vec<u64>,
    pub seats: u64,
    pub min_seats: u64,
    pub max_seats: Option<u64>,
    /// Units with less than this share of the total get no seats (a party-list threshold).
    pub threshold: Option<Ratio>,
}

/// A tie for the last seats: these units had equal claims to `seats` seats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tie {
    pub units: Vec<String>,
    pub seats: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Apportionment {
    pub seats: Vec<u64>,
    /// Each unit's exact quota `S·p/P` over the units that passed the threshold.
    pub quotas: Vec<Ratio>,
    pub ties: Vec<Tie>,
    /// Units excluded by the threshold.
    pub excluded: Vec<String>,
    /// For divisor methods: the divisors that give this result, in words.
    pub divisor: Option<String>,
}

/// Diagnostics of a result.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Diagnostics {
    /// Units whose seats fall outside `[⌊quota⌋, ⌈quota⌉]`.
    pub quota_violations: Vec<String>,
    /// Units that lose a seat when the house grows by one (the Alabama paradox).
    pub alabama: Vec<String>,
    /// Units that lose a seat when their own population alone grows by 1% (population
    /// monotonicity; the population paradox in its plainest form).
    pub population: Vec<String>,
}

fn check(problem: &Problem) -> Result<Vec<bool>, String> {
    let n = problem.names.len() as u64;
    if n == 0 {
        return Err("there are no units to apportion among".into());
    }
    if problem.names.len() != problem.populations.len() {
        return Err("every unit needs a population".into());
    }
    let total: u128 = problem.populations.iter().map(|&p| p as u128).sum();
    if total == 0 {
        return Err("the populations add up to zero".into());
    }
    // Bounds that keep every exact comparison inside u128: p² · s(s+1) for Huntington–Hill with
    // p < 2^40 and s ≤ 10^6 stays below 2^121.
    if total > MAX_TOTAL as u128 {
        return Err(format!("the populations add up to {total}, more than this tool's limit of {MAX_TOTAL}"));
    }
    // A unit of population 0 has no claim to a seat under any method (its quota is 0, and every
    // divisor d > 0 gives it 0 seats), so it takes no part; a minimum above 0 would contradict it.
    if problem.min_seats > 0 {
        if let Some(i) = problem.populations.iter().position(|&p| p == 0) {
            return Err(format!(
                "{} has a population of 0, so it gets no seat, but --min-seats gives every unit {}: \
                 remove it from the file, or set --min-seats 0",
                problem.names[i], problem.min_seats
            ));
        }
    }
    let eligible: Vec<bool> = match problem.threshold {
        None => problem.populations.iter().map(|&p| p > 0).collect(),
        Some(t) => problem
            .populations
            .iter()
            .map(|&p| p > 0 && Ratio::new(p as u128, total).is_some_and(|share| share >= t))
            .collect(),
    };
    let eligible_count = eligible.iter().filter(|e| **e).count() as u64;
    if eligible_count == 0 {
        return Err("no unit reaches the threshold".into());
    }
    if let Some(max) = problem.max_seats {
        if max < problem.min_seats {
            return Err(format!("the maximum ({max}) is below the minimum ({})", problem.min_seats));
        }
        if max.saturating_mul(eligible_count) < problem.seats {
            return Err(format!(
                "a house of {} seats cannot be filled by {eligible_count} units of at most {max} seats each",
                problem.seats
            ));
        }
    }
    if problem.min_seats.saturating_mul(eligible_count) > problem.seats {
        return Err(format!(
            "a house of {} seats is smaller than the minimums allow: {eligible_count} units × {} seats = {}",
            problem.seats,
            problem.min_seats,
            problem.min_seats * eligible_count
        ));
    }
    if problem.seats > 1_000_000 {
        return Err("a house of more than 1,000,000 seats is not supported".into());
    }
    Ok(eligible)
}

/// Apportions `problem.seats` seats by `method`.
pub fn apportion(method: Method, problem: &Problem) -> Result<Apportionment, String> {
    let eligible = check(problem)?;
    let total: u128 = problem.populations.iter().zip(&eligible).filter(|(_, e)| **e).map(|(&p, _)| p as u128).sum();
    let s = problem.seats as u128;
    let quotas: Vec<Ratio> = problem
        .populations
        .iter()
        .zip(&eligible)
        .map(|(&p, &e)| if e { Ratio::new(s * p as u128, total).unwrap_or(Ratio::ZERO) } else { Ratio::ZERO })
        .collect();
    let excluded = problem.names.iter().zip(&eligible).filter(|(_, e)| !**e).map(|(n, _)| n.clone()).collect();
    let max = problem.max_seats.unwrap_or(u64::MAX);
    let (seats, ties, divisor) = match method {
        Method::Hamilton => {
            let (seats, ties) = capped_largest_remainder(problem, &eligible, max);
            (seats, ties, None)
        }
        _ => highest_averages(method, problem, &eligible, max),
    };
    Ok(Apportionment { seats, quotas, ties, excluded, divisor })
}

/// Hamilton with a maximum (docs/apportionment.md, "Maximum seats"): apportion the house by
/// Hamilton among the units not yet capped; every unit given more than the maximum is capped at
/// it and leaves; the seats left are apportioned again, from fresh quotas, among the others;
/// repeat until no unit is over. This is the quota method applied to the residual house, as a
/// divisor method does by construction: `[1, 3, 6]`, 9 seats, at most 4 gives `[1, 4, 4]`.
fn capped_largest_remainder(problem: &Problem, eligible: &[bool], max: u64) -> (Vec<u64>, Vec<Tie>) {
    let n = eligible.len();
    let mut capped = vec![false; n];
    loop {
        let active: Vec<bool> = (0..n).map(|i| eligible[i] && !capped[i]).collect();
        let house = problem.seats - max.saturating_mul(capped.iter().filter(|c| **c).count() as u64).min(problem.seats);
        let total: u128 = (0..n).filter(|&i| active[i]).map(|i| problem.populations[i] as u128).sum();
        let quotas: Vec<Ratio> = (0..n)
            .map(|i| {
                let p = if active[i] { problem.populations[i] as u128 } else { 0 };
                Ratio::new(house as u128 * p, total.max(1)).unwrap_or(Ratio::ZERO)
            })
            .collect();
        let round = Problem { seats: house, ..problem.clone() };
        let (mut seats, ties) = largest_remainder(&round, &active, &quotas);
        let over: Vec<usize> = (0..n).filter(|&i| active[i] && seats[i] > max).collect();
        if over.is_empty() || total == 0 {
            for i in (0..n).filter(|&i| capped[i]) {
                seats[i] = max;
            }
            return (seats, ties);
        }
        over.into_iter().for_each(|i| capped[i] = true);
    }
}

fn floor(q: &Ratio) -> u64 {
    (q.num() / q.den()) as u64
}

/// Hamilton, with the minimum as the issue specifies: every unit gets the larger of the minimum
/// and its quota rounded down; the seats left go by largest remainder among the units that were
/// not raised to the minimum. (Maxima are `capped_largest_remainder`'s.)
///
/// When raising units to the minimum leaves fewer seats than the others' rounded-down quotas
/// need (a house barely larger than the minimums), that rule would overfill the house; then the
/// quotas of the units not raised are recomputed from the seats left, repeatedly, until every
/// one of them reaches the minimum on its own.
fn largest_remainder(problem: &Problem, eligible: &[bool], quotas: &[Ratio]) -> (Vec<u64>, Vec<Tie>) {
    let n = quotas.len();
    let mut raised: Vec<bool> = (0..n).map(|i| eligible[i] && problem.min_seats > floor(&quotas[i])).collect();
    let mut quotas = quotas.to_vec();
    let overfull = |quotas: &[Ratio], raised: &[bool]| {
        (0..n)
            .filter(|&i| eligible[i])
            .map(|i| if raised[i] { problem.min_seats } else { floor(&quotas[i]) })
            .sum::<u64>()
            > problem.seats
    };
    while overfull(&quotas, &raised) {
        let left = (problem.seats - problem.min_seats * raised.iter().filter(|r| **r).count() as u64) as u128;
        let active: Vec<usize> = (0..n).filter(|&i| eligible[i] && !raised[i]).collect();
        let total: u128 = active.iter().map(|&i| problem.populations[i] as u128).sum();
        for &i in &active {
            quotas[i] = Ratio::new(left * problem.populations[i] as u128, total.max(1)).unwrap_or(Ratio::ZERO);
        }
        let newly: Vec<usize> = active.iter().copied().filter(|&i| floor(&quotas[i]) < problem.min_seats).collect();
        if newly.is_empty() {
            break;
        }
        newly.iter().for_each(|&i| raised[i] = true);
    }
    let mut seats: Vec<u64> = (0..n)
        .map(|i| match (eligible[i], raised[i]) {
            (false, _) => 0,
            (true, true) => problem.min_seats,
            (true, false) => floor(&quotas[i]).max(problem.min_seats),
        })
        .collect();
    let mut left = problem.seats.saturating_sub(seats.iter().sum());
    // Remainders as fractions in [0, 1): (num mod den) / den.
    let remainder = |i: usize| Ratio::new(quotas[i].num() % quotas[i].den(), quotas[i].den()).expect("den > 0");
    let mut round: Vec<usize> = (0..n).filter(|&i| eligible[i] && !raised[i]).collect();
    round.sort_by(|&a, &b| remainder(b).cmp(&remainder(a)).then(a.cmp(&b)));
    let mut ties = Vec::new();
    // Every unit not raised has a remainder below 1 and the seats left are fewer than them.
    let give = (left as usize).min(round.len());
    if give > 0 && give < round.len() && remainder(round[give - 1]) == remainder(round[give]) {
        let r = remainder(round[give]);
        let tied: Vec<usize> = round.iter().copied().filter(|&i| remainder(i) == r).collect();
        let already = round[..give].iter().filter(|&&i| remainder(i) > r).count();
        ties.push(Tie {
            units: tied.iter().map(|&i| problem.names[i].clone()).collect(),
            seats: (give - already) as u64,
        });
    }
    for &i in &round[..give] {
        seats[i] += 1;
    }
    left -= give as u64;
    debug_assert_eq!(left, 0, "largest remainders fill the house");
    (seats, ties)
}

fn highest_averages(
    method: Method,
    problem: &Problem,
    eligible: &[bool],
    max: u64,
) -> (Vec<u64>, Vec<Tie>, Option<String>) {
    let n = problem.populations.len();
    let p = &problem.populations;
    let mut seats: Vec<u64> = (0..n).map(|i| if eligible[i] { problem.min_seats.min(max) } else { 0 }).collect();
    let mut left = problem.seats - seats.iter().sum::<u64>();
    let open = |i: usize, seats: &[u64]| eligible[i] && seats[i] < max;
    let mut ties = Vec::new();
    while left > 0 {
        let Some(best) = (0..n)
            .filter(|&i| open(i, &seats))
            .max_by(|&a, &b| method.compare(p[a], seats[a], p[b], seats[b]).then(b.cmp(&a)))
        else {
            break;
        };
        let tied: Vec<usize> = (0..n)
            .filter(|&i| open(i, &seats) && method.compare(p[i], seats[i], p[best], seats[best]) == Ordering::Equal)
            .collect();
        if tied.len() as u64 > left {
            // More equal claims than seats left: report it, then give them in input order.
            ties.push(Tie { units: tied.iter().map(|&i| problem.names[i].clone()).collect(), seats: left });
            for &i in tied.iter().take(left as usize) {
                seats[i] += 1;
            }
            left = 0;
        } else {
            seats[best] += 1;
            left -= 1;
        }
    }
    let divisor = divisor_interval(method, problem, eligible, &seats, max);
    (seats, ties, divisor)
}

/// The divisors `d` that give `seats`: `max_i p_i/b(s_i) ≤ d ≤ min_i p_i/b(s_i − 1)` over the
/// units not held at their minimum or maximum, in words.
fn divisor_interval(method: Method, problem: &Problem, eligible: &[bool], seats: &[u64], max: u64) -> Option<String> {
    let p = &problem.populations;
    let n = p.len();
    let describe = |i: usize, s: u64| -> Option<String> {
        let (num, den): (u128, u128) = match method {
            Method::Jefferson => (s as u128 + 1, 1),
            Method::Webster => (2 * s as u128 + 1, 2),
            Method::Adams => (s as u128, 1),
            Method::Dean => (2 * s as u128 * (s as u128 + 1), 2 * s as u128 + 1),
            Method::HuntingtonHill => {
                if s == 0 {
                    return None;
                }
                let b = ((s * (s + 1)) as f64).sqrt();
                return Some(format!("{} / √{} ≈ {:.4}", p[i], s * (s + 1), p[i] as f64 / b));
            }
            Method::Hamilton => return None,
        };
        Ratio::new(p[i] as u128 * den, num).map(|r| format!("{r} ≈ {:.4}", r.to_f64()))
    };
    // A claim with a zero boundary (a first seat under Adams, Dean or Huntington–Hill) is
    // infinite: `None` below.
    // Lower bound: the largest next claim among units that could take a seat.
    let lower = (0..n)
        .filter(|&i| eligible[i] && seats[i] < max)
        .max_by(|&a, &b| method.compare(p[a], seats[a], p[b], seats[b]))
        .map(|i| describe(i, seats[i]));
    // Upper bound: the smallest claim that won a seat (units above their minimum).
    let upper = (0..n)
        .filter(|&i| eligible[i] && seats[i] > problem.min_seats)
        .min_by(|&a, &b| method.compare(p[a], seats[a] - 1, p[b], seats[b] - 1))
        .map(|i| describe(i, seats[i] - 1));
    // `Some(None)`: the bound is an infinite claim.
    match (lower, upper) {
        (Some(None), _) => Some(format!(
            "no divisor gives this result: with fewer seats than units, {} gives every unit's first seat an \
             infinite claim, so which units get one is decided by population (largest first), not by a divisor",
            method.name()
        )),
        (Some(Some(l)), Some(Some(u))) => Some(format!("any divisor d with {l} ≤ d ≤ {u}")),
        (None, Some(Some(u))) => Some(format!("any divisor d ≤ {u}")),
        (Some(Some(l)), None | Some(None)) => Some(format!("any divisor d ≥ {l}")),
        (None, None | Some(None)) => None,
    }
}

/// Quota rule, Alabama paradox (against one seat more) and population monotonicity (+1%).
pub fn diagnose(method: Method, problem: &Problem, result: &Apportionment) -> Diagnostics {
    let mut d = Diagnostics::default();
    for (i, q) in result.quotas.iter().enumerate() {
        if result.excluded.contains(&problem.names[i]) {
            continue;
        }
        let lo = floor(q);
        let hi = if q.num() % q.den() == 0 { lo } else { lo + 1 };
        if result.seats[i] < lo || result.seats[i] > hi {
            d.quota_violations.push(problem.names[i].clone());
        }
    }
    let larger = Problem { seats: problem.seats + 1, ..problem.clone() };
    if let Ok(more) = apportion(method, &larger) {
        for i in 0..problem.names.len() {
            if more.seats[i] < result.seats[i] {
                d.alabama.push(problem.names[i].clone());
            }
        }
    }
    for i in 0..problem.names.len() {
        let mut grown = problem.clone();
        grown.populations[i] = grown.populations[i].saturating_add((grown.populations[i] / 100).max(1));
        if let Ok(after) = apportion(method, &grown) {
            if after.seats[i] < result.seats[i] {
                d.population.push(problem.names[i].clone());
            }
        }
    }
    d
}

/// Parses `FILE.csv`: a header; the first column is the name; a column named `population` or
/// `votes` holds the counts (whole numbers, not negative).
pub fn parse_units_csv(text: &str) -> Result<(Vec<String>, Vec<u64>), String> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| format!("cannot read the header: {e}"))?.clone();
    let count_col = headers
        .iter()
        .position(|h| h.eq_ignore_ascii_case("population") || h.eq_ignore_ascii_case("votes"))
        .ok_or("the header must name a population or votes column")?;
    if count_col == 0 {
        return Err("the first column is the name; population or votes must be another column".into());
    }
    let (mut names, mut counts) = (Vec::new(), Vec::new());
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("line {line}: {e}"))?;
        let name = record.get(0).unwrap_or("").to_string();
        if name.is_empty() {
            return Err(format!("line {line}: the name is empty"));
        }
        if names.contains(&name) {
            return Err(format!("line {line}: {name:?} appears twice"));
        }
        let raw = record.get(count_col).unwrap_or("");
        let count: u64 = match raw.parse::<i128>() {
            Ok(v) if v < 0 => return Err(format!("line {line}: {name}'s count {raw} is negative")),
            Ok(v) if v > u64::MAX as i128 => return Err(format!("line {line}: {name}'s count {raw} is too large")),
            Ok(v) => v as u64,
            Err(_) => return Err(format!("line {line}: {name}'s count {raw:?} is not a whole number")),
        };
        names.push(name);
        counts.push(count);
    }
    if names.is_empty() {
        return Err("the file has a header but no units".into());
    }
    Ok((names, counts))
}

/// The CSV `convene apportion` prints: `name,population,quota,seats`, in input order.
pub fn to_csv(problem: &Problem, result: &Apportionment) -> String {
    let mut out = String::from("name,population,quota,seats\n");
    for i in 0..problem.names.len() {
        let name = crate::csv::field(&problem.names[i]);
        let _ =
            writeln!(out, "{},{},{:.4},{}", name, problem.populations[i], result.quotas[i].to_f64(), result.seats[i]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn problem(populations: &[u64], seats: u64) -> Problem {
        Problem {
            names: (0..populations.len()).map(|i| ((b'A' + i as u8) as char).to_string()).collect(),
            populations: populations.to_vec(),
            seats,
            min_seats: 0,
            max_seats: None,
            threshold: None,
        }
    }

    fn seats(method: Method, p: &Problem) -> Vec<u64> {
        apportion(method, p).unwrap().seats
    }

    /// The worked example of parties with 100,000, 80,000, 30,000 and 20,000 votes for 8 seats,
    /// derived by hand for every method (see the comments).
    #[test]
    fn worked_example_for_every_method() {
        let p = problem(&[100_000, 80_000, 30_000, 20_000], 8);
        // D'Hondt: averages 100k, 80k, 50k, 40k, 33.3k, 30k, 26.7k, 25k → A4 B3 C1 D0.
        assert_eq!(seats(Method::Jefferson, &p), vec![4, 3, 1, 0]);
        // Sainte-Laguë: divisors 1, 3, 5, 7: 100k, 80k, 33.3k, 30k, 26.7k, 20k, 20k(!), 16k…
        // seat 7 is a tie between B (80k/3… no: B's second average is 80k/3 = 26.7k) — by hand:
        // A 100k, B 80k, A 33.3k, C 30k, B 26.7k, D 20k, A 20k → A3 B2 C1 D1 after 7, then
        // B 16k vs A 14.3k vs C 10k → B: A3 B3 C1 D1.
        assert_eq!(seats(Method::Webster, &p), vec![3, 3, 1, 1]);
        // Hamilton: quotas 3.478, 2.783, 1.043, 0.696 → floors 3 2 1 0, remainders B .783, D .696.
        assert_eq!(seats(Method::Hamilton, &p), vec![3, 3, 1, 1]);
        // Adams: one each first (zero boundary), then p/s: A 100k, B 80k, A 50k, B 40k → A3 B3 C1 D1.
        assert_eq!(seats(Method::Adams, &p), vec![3, 3, 1, 1]);
        // Dean: one each, then p/b(1) (b(1) = 4/3): A 75k, B 60k; then A 41.7k (b(2) = 2.4), B 33.3k.
        assert_eq!(seats(Method::Dean, &p), vec![3, 3, 1, 1]);
        // Huntington–Hill: one each, then p/√2: A 70.7k, B 56.6k; p/√6: A 40.8k, B 32.7k > C 21.2k.
        assert_eq!(seats(Method::HuntingtonHill, &p), vec![3, 3, 1, 1]);
    }

    /// The textbook Alabama paradox: populations 6, 6, 2 under Hamilton; at 10 seats C has 2,
    /// at 11 seats 1 (quotas 4.29/4.29/1.43 → 4,4,2; 4.71/4.71/1.57 → 5,5,1).
    #[test]
    fn hamilton_shows_the_alabama_paradox_and_it_is_reported() {
        let p = problem(&[6, 6, 2], 10);
        let r = apportion(Method::Hamilton, &p).unwrap();
        assert_eq!(r.seats, vec![4, 4, 2]);
        assert_eq!(seats(Method::Hamilton, &problem(&[6, 6, 2], 11)), vec![5, 5, 1]);
        assert_eq!(diagnose(Method::Hamilton, &p, &r).alabama, vec!["C".to_string()]);
        assert!(diagnose(Method::Jefferson, &p, &apportion(Method::Jefferson, &p).unwrap()).alabama.is_empty());
    }

    #[test]
    fn jefferson_can_break_the_quota_rule_and_it_is_reported() {
        // One large unit: its quota is 7.5 but D'Hondt gives it 8 or more.
        let p = problem(&[7_500, 900, 800, 800], 10);
        let r = apportion(Method::Jefferson, &p).unwrap();
        assert!(r.seats[0] >= 8, "{:?}", r.seats);
        let d = diagnose(Method::Jefferson, &p, &r);
        assert_eq!(d.quota_violations.is_empty(), r.seats[0] <= 8, "{r:?} {d:?}");
    }

    #[test]
    fn minimum_under_largest_remainder_follows_the_rule() {
        // Quotas of 10 seats over 80, 12, 5, 3: 8.0, 1.2, 0.5, 0.3 → with a minimum of 1:
        // A 8, B 1, C raised to 1, D raised to 1 = 11 > 10: infeasible? No: 8+1+1+1 = 11 seats
        // would exceed the house, so use 12 seats: quotas 9.6, 1.44, 0.6, 0.36 → 9, 1, 1*, 1* = 12.
        let mut p = problem(&[80, 12, 5, 3], 12);
        p.min_seats = 1;
        assert_eq!(seats(Method::Hamilton, &p), vec![9, 1, 1, 1]);
        // 13 seats: quotas 10.4, 1.56, 0.65, 0.39 → 10, 1, 1*, 1* = 13: exactly full.
        p.seats = 13;
        assert_eq!(seats(Method::Hamilton, &p), vec![10, 1, 1, 1]);
        // 14 seats: 11.2, 1.68, 0.7, 0.42 → 11, 1, 1*, 1* = 14.
        p.seats = 14;
        assert_eq!(seats(Method::Hamilton, &p), vec![11, 1, 1, 1]);
        // 15: 12, 1.8, .75, .45 → 12, 1, 1*, 1* = 15... and 16: 12.8, 1.92 → 12, 1, 1, 1 = 15; the
        // last seat goes by largest remainder among A and B only: B .92 > A .8.
        p.seats = 16;
        assert_eq!(seats(Method::Hamilton, &p), vec![12, 2, 1, 1]);
    }

    #[test]
    fn ties_are_reported_not_hidden() {
        let r = apportion(Method::Jefferson, &problem(&[100, 100, 100], 2)).unwrap();
        assert_eq!(r.ties, vec![Tie { units: vec!["A".into(), "B".into(), "C".into()], seats: 2 }]);
        assert_eq!(r.seats.iter().sum::<u64>(), 2);
        let r = apportion(Method::Hamilton, &problem(&[1, 1, 1], 2)).unwrap();
        assert_eq!(r.ties.len(), 1, "{r:?}");
    }

    #[test]
    fn threshold_excludes_small_lists() {
        let mut p = problem(&[600, 300, 40, 60], 10);
        p.threshold = Some(Ratio::parse("5%").unwrap());
        let r = apportion(Method::Webster, &p).unwrap();
        assert_eq!(r.excluded, vec!["C".to_string()]);
        assert_eq!(r.seats[2], 0);
        assert_eq!(r.seats.iter().sum::<u64>(), 10);
    }

    #[test]
    fn bad_problems_say_what_is_wrong() {
        let mut p = problem(&[5, 5, 5], 2);
        p.min_seats = 1;
        assert!(apportion(Method::Adams, &p).unwrap_err().contains("smaller than the minimums allow"));
        let mut p = problem(&[5, 5], 10);
        p.max_seats = Some(3);
        assert!(apportion(Method::Webster, &p).unwrap_err().contains("cannot be filled"));
        assert!(apportion(Method::Webster, &problem(&[0, 0], 3)).unwrap_err().contains("zero"));
        assert!(Method::parse("borda").unwrap_err().contains("unknown method"));
        // Found by fuzzing: a population near 2^64 once overflowed Huntington–Hill's squares.
        let huge = apportion(Method::HuntingtonHill, &problem(&[u64::MAX / 2, 3], 4)).unwrap_err();
        assert!(huge.contains("more than this tool's limit"), "{huge}");
        assert_eq!(seats(Method::HuntingtonHill, &problem(&[MAX_TOTAL - 10, 10], 1_000)).iter().sum::<u64>(), 1_000);
        for (csv, expected) in [
            ("name,population\na,-5\n", "negative"),
            ("name,population\na,x\n", "not a whole number"),
            ("name,size\na,1\n", "population or votes"),
            ("name,population\na,1\na,2\n", "appears twice"),
            ("name,population\n", "no units"),
            ("name,population\n\"a,1\n", "line"),
        ] {
            let e = parse_units_csv(csv).unwrap_err();
            assert!(e.contains(expected), "{csv:?}: {e}");
        }
        assert_eq!(
            parse_units_csv("locality,region,population\nx,n,10\ny,s,20\n").unwrap(),
            (vec!["x".into(), "y".into()], vec![10, 20])
        );
    }

    const EVERY_METHOD: [Method; 6] =
        [Method::Hamilton, Method::Jefferson, Method::Webster, Method::HuntingtonHill, Method::Adams, Method::Dean];

    /// Issue 14: `[0, 100, 50]` with 4 seats gave `[1, 2, 1]` under Adams, Dean and
    /// Huntington–Hill. A unit of population 0 has no claim: `[0, 3, 1]` under every method (the
    /// last seat is a tie between B's third and C's second under Adams, reported), and a minimum
    /// above 0 is refused.
    #[test]
    fn a_zero_population_gets_no_seat_under_every_method() {
        let p = problem(&[0, 100, 50], 4);
        for method in EVERY_METHOD {
            assert_eq!(seats(method, &p), [0, 3, 1], "{}", method.name());
        }
        assert_eq!(
            apportion(Method::Adams, &p).unwrap().ties,
            vec![Tie { units: vec!["B".into(), "C".into()], seats: 1 }]
        );
        let mut with_minimum = p.clone();
        with_minimum.min_seats = 1;
        let err = apportion(Method::Webster, &with_minimum).unwrap_err();
        assert!(err.contains("A has a population of 0") && err.contains("--min-seats 0"), "{err}");
        let mut with_threshold = p.clone();
        with_threshold.threshold = Some(Ratio::new(1, 20).unwrap());
        assert_eq!(seats(Method::Dean, &with_threshold), [0, 3, 1]);
    }

    /// Issue 14: Hamilton with `[1, 3, 6]`, 9 seats, at most 4 gave `[2, 3, 4]`: the capped
    /// unit's leftover seats went one per unit in remainder order. Now the capped unit keeps its
    /// cap and the 5 seats left are apportioned by Hamilton among the others (quotas 1.25 and
    /// 3.75): `[1, 4, 4]`, what the divisor methods give too (Adams ties A's second seat with
    /// B's fourth, and reports it). A second round caps again.
    #[test]
    fn hamilton_with_a_maximum_caps_and_apportions_the_rest_again() {
        let mut p = problem(&[1, 3, 6], 9);
        p.max_seats = Some(4);
        for method in EVERY_METHOD.into_iter().filter(|&m| m != Method::Adams) {
            assert_eq!(seats(method, &p), [1, 4, 4], "{}", method.name());
        }
        let adams = apportion(Method::Adams, &p).unwrap();
        assert_eq!(adams.ties, vec![Tie { units: vec!["A".into(), "B".into()], seats: 1 }]);
        // Quotas 1, 1, 4, 4 at most 3: C and D are capped; 4 seats left for A and B: 2 each.
        let mut p = problem(&[10, 10, 40, 40], 10);
        p.max_seats = Some(3);
        assert_eq!(seats(Method::Hamilton, &p), [2, 2, 3, 3]);
        // Capping C (quota 7.2 of 9) leaves 6 seats for 30 and 20: quotas 3.6 and 2.4, so B's
        // 3.6 reaches 4 > 3 and is capped too in the second round; A takes the remaining 3.
        let mut p = problem(&[20, 30, 130], 9);
        p.max_seats = Some(3);
        assert_eq!(seats(Method::Hamilton, &p), [3, 3, 3]);
    }

    /// With fewer seats than units, Adams, Dean and Huntington–Hill give first seats by
    /// population; no divisor describes that, and the line says so rather than "∞ ≤ d ≤ ∞".
    #[test]
    fn the_divisor_line_says_when_no_finite_divisor_exists() {
        for method in [Method::Adams, Method::Dean, Method::HuntingtonHill] {
            let r = apportion(method, &problem(&[100, 50, 30], 2)).unwrap();
            assert_eq!(r.seats, [1, 1, 0]);
            let line = r.divisor.unwrap();
            assert!(line.starts_with("no divisor gives this result"), "{line}");
            assert!(!line.contains('∞'), "{line}");
            // One seat each: any divisor above the largest second-seat claim.
            let line = apportion(method, &problem(&[100, 50, 30], 3)).unwrap().divisor.unwrap();
            assert!(line.starts_with("any divisor d ≥ ") && !line.contains('∞'), "{line}");
        }
    }

    fn any_method() -> impl Strategy<Value = Method> {
        prop_oneof![
            Just(Method::Hamilton),
            Just(Method::Jefferson),
            Just(Method::Webster),
            Just(Method::HuntingtonHill),
            Just(Method::Adams),
            Just(Method::Dean)
        ]
    }

    proptest! {
        #[test]
        fn seats_sum_to_the_house_and_bounds_hold(method in any_method(), pops in proptest::collection::vec(1u64..100_000, 1..12), extra in 0u64..40, min in 0u64..3, max_extra in 0u64..30) {
            let n = pops.len() as u64;
            let seats = n * min + extra;
            let max = (min + max_extra).max(1);
            let mut p = problem(&pops, seats);
            p.min_seats = min;
            p.max_seats = (max * n >= seats).then_some(max);
            let r = apportion(method, &p).unwrap();
            prop_assert_eq!(r.seats.iter().sum::<u64>(), seats);
            prop_assert!(r.seats.iter().all(|&s| s >= min));
            if let Some(max) = p.max_seats {
                prop_assert!(r.seats.iter().all(|&s| s <= max));
            }
        }

        #[test]
        fn divisor_methods_never_show_the_alabama_paradox(method in any_method().prop_filter("divisor", |m| *m != Method::Hamilton), pops in proptest::collection::vec(1u64..10_000, 2..10), seats in 2u64..60) {
            let p = problem(&pops, seats);
            let now = apportion(method, &p).unwrap();
            let more = apportion(method, &Problem { seats: seats + 1, ..p.clone() }).unwrap();
            // With ties at the cutoff the order can differ; without, every unit keeps its seats.
            if now.ties.is_empty() && more.ties.is_empty() {
                for (a, b) in now.seats.iter().zip(&more.seats) {
                    prop_assert!(b >= a, "{:?} → {:?}", now.seats, more.seats);
                }
            }
        }

        #[test]
        fn zero_populations_get_no_seat_and_a_maximum_that_does_not_bind_changes_nothing(method in any_method(), pops in proptest::collection::vec(0u64..1_000, 2..10), seats in 1u64..40, max in 1u64..20) {
            prop_assume!(pops.iter().any(|&p| p > 0));
            let p = problem(&pops, seats);
            let free = apportion(method, &p).unwrap();
            for (i, &pop) in pops.iter().enumerate() {
                prop_assert!(pop > 0 || free.seats[i] == 0, "{:?} → {:?}", pops, free.seats);
            }
            let positive = pops.iter().filter(|&&p| p > 0).count() as u64;
            if max * positive >= seats {
                let capped = apportion(method, &Problem { max_seats: Some(max), ..p.clone() }).unwrap();
                prop_assert_eq!(capped.seats.iter().sum::<u64>(), seats);
                prop_assert!(capped.seats.iter().all(|&s| s <= max));
                if free.seats.iter().all(|&s| s <= max) && free.ties.is_empty() {
                    prop_assert_eq!(&capped.seats, &free.seats);
                }
            }
        }

        #[test]
        fn csv_parsing_never_panics(text in "\\PC{0,200}") {
            let _ = parse_units_csv(&text);
            let _ = parse_units_csv(&format!("name,population\n{text}"));
        }
    }
}
