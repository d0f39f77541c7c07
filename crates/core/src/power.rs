//! Voting power in a weighted voting rule: the Banzhaf index (normalized) and the
//! Shapley–Shubik index, exactly. A coalition wins when its weight reaches the quota and, with
//! `min_members`, when it has at least that many members.
//!
//! Counting is exact, in big integers: a table `T[s][v]` counts coalitions by size `s` and weight
//! `v` (capped at the quota) for all players; removing one player is an exact deconvolution of
//! that table, done once per distinct weight (players of equal weight have equal power). Cost is
//! O(n²·q) additions for the table and O(n·q) per distinct weight.

use num_bigint::BigUint;
use num_integer::Integer;
use num_traits::{One, ToPrimitive, Zero};

#[derive(Clone, Debug, PartialEq)]
pub struct Power {
    /// Raw Banzhaf counts: coalitions of the others that each player turns from losing to winning.
    pub swings: Vec<BigUint>,
    /// Normalized Banzhaf index (swings / all swings), for display.
    pub banzhaf: Vec<f64>,
    /// Shapley–Shubik index, for display.
    pub shapley_shubik: Vec<f64>,
    /// Shapley–Shubik numerators: orderings in which each player is pivotal (out of n!).
    pub pivotal_orderings: Vec<BigUint>,
}

/// `num/den` in lowest terms (`0` for a zero numerator, a whole number when `den` divides it).
fn fraction(num: &BigUint, den: &BigUint) -> String {
    if num.is_zero() || den.is_zero() {
        return "0".into();
    }
    let g = num.gcd(den);
    let (n, d) = (num / &g, den / &g);
    if d.is_one() {
        n.to_string()
    } else {
        format!("{n}/{d}")
    }
}

impl Power {
    /// Member `i`'s normalized Banzhaf index, exactly: its swings over everyone's, in lowest
    /// terms (`convene power --exact`).
    pub fn banzhaf_exact(&self, i: usize) -> String {
        fraction(&self.swings[i], &self.swings.iter().sum())
    }

    /// Member `i`'s Shapley–Shubik index, exactly: the orderings in which it is pivotal over
    /// all `n!` orderings, in lowest terms.
    pub fn shapley_shubik_exact(&self, i: usize) -> String {
        let n = self.swings.len() as u64;
        fraction(&self.pivotal_orderings[i], &(1..=n).map(BigUint::from).product())
    }
}

fn ratio_to_f64(num: &BigUint, den: &BigUint) -> f64 {
    if den.is_zero() {
        return 0.0;
    }
    let scale = BigUint::from(10u64).pow(15);
    (num * &scale / den).to_f64().unwrap_or(0.0) / 1e15
}

/// Computes both indices for `weights`, `quota` (≥ 1) and `min_members`.
pub fn power(weights: &[u64], quota: u64, min_members: usize) -> Result<Power, String> {
    let n = weights.len();
    if n == 0 {
        return Err("there are no members".into());
    }
    if quota == 0 {
        return Err("the quota must be at least 1".into());
    }
    if quota > 10_000_000 {
        return Err("a quota above 10,000,000 is more than this tool computes exactly; scale the weights down".into());
    }
    let total: u128 = weights.iter().map(|&w| w as u128).sum();
    if total < quota as u128 {
        return Err(format!("the weights add up to {total}, below the quota {quota}: no coalition can win"));
    }
    if min_members > n {
        return Err(format!("--min-members {min_members} is more than the {n} members"));
    }
    let q = quota as usize;
    let cap = |v: usize, w: u64| (v as u128 + w as u128).min(q as u128) as usize;
    // T[s][v]: coalitions of all players with s members and capped weight v.
    let mut table = vec![vec![BigUint::zero(); q + 1]; n + 1];
    table[0][0] = BigUint::one();
    for (added, &w) in weights.iter().enumerate() {
        for s in (0..=added).rev() {
            for v in 0..=q {
                if !table[s][v].is_zero() {
                    let value = table[s][v].clone();
                    table[s + 1][cap(v, w)] += value;
                }
            }
        }
    }
    let factorial = |k: usize| (1..=k).fold(BigUint::one(), |acc, i| acc * BigUint::from(i as u64));
    let orderings = factorial(n);
    let coefficient: Vec<BigUint> = (0..n).map(|s| factorial(s) * factorial(n - 1 - s)).collect();
    let mut swings = vec![BigUint::zero(); n];
    let mut pivotal = vec![BigUint::zero(); n];
    let mut done: Vec<(u64, usize)> = Vec::new();
    for (i, &w) in weights.iter().enumerate() {
        if let Some(&(_, j)) = done.iter().find(|(weight, _)| *weight == w) {
            swings[i] = swings[j].clone();
            pivotal[i] = pivotal[j].clone();
            continue;
        }
        // Remove one player of weight w: R[s][v] for the others.
        let mut removed = vec![vec![BigUint::zero(); q + 1]; n];
        removed[0] = table[0].clone();
        for s in 1..n {
            for v in 0..=q {
                let mut value = table[s][v].clone();
                if v < q {
                    if v as u64 >= w {
                        value -= &removed[s - 1][v - w as usize];
                    }
                } else {
                    let from = (q as u64).saturating_sub(w) as usize;
                    for earlier in &removed[s - 1][from..=q] {
                        value -= earlier;
                    }
                }
                removed[s][v] = value;
            }
        }
        let (mut eta, mut phi) = (BigUint::zero(), BigUint::zero());
        for (s, row) in removed.iter().enumerate() {
            let mut at_size = BigUint::zero();
            for (v, count) in row.iter().enumerate() {
                let wins_with = v as u128 + w as u128 >= q as u128 && s + 1 >= min_members;
                let loses_without = v < q || s < min_members;
                if wins_with && loses_without {
                    at_size += count;
                }
            }
            phi += &at_size * &coefficient[s];
            eta += at_size;
        }
        swings[i] = eta;
        pivotal[i] = phi;
        done.push((w, i));
    }
    let all_swings: BigUint = swings.iter().sum();
    Ok(Power {
        banzhaf: swings.iter().map(|s| ratio_to_f64(s, &all_swings)).collect(),
        shapley_shubik: pivotal.iter().map(|p| ratio_to_f64(p, &orderings)).collect(),
        swings,
        pivotal_orderings: pivotal,
    })
}

/// Parses `name,weight` CSV (header required; whole, non-negative weights).
pub fn parse_members_csv(text: &str) -> Result<(Vec<String>, Vec<u64>), String> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| format!("cannot read the header: {e}"))?.clone();
    let (Some(name_col), Some(weight_col)) =
        (headers.iter().position(|h| h == "name"), headers.iter().position(|h| h == "weight"))
    else {
        return Err("the header must name the columns name and weight".into());
    };
    let (mut names, mut weights) = (Vec::new(), Vec::new());
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("line {line}: {e}"))?;
        let name = record.get(name_col).unwrap_or("").to_string();
        let raw = record.get(weight_col).unwrap_or("");
        let weight: u64 =
            raw.parse().map_err(|_| format!("line {line}: weight {raw:?} is not a whole number (and not negative)"))?;
        if name.is_empty() {
            return Err(format!("line {line}: the name is empty"));
        }
        names.push(name);
        weights.push(weight);
    }
    if names.is_empty() {
        return Err("no members".into());
    }
    if names.len() > 5000 {
        return Err("more than 5,000 members is more than this tool computes exactly".into());
    }
    Ok((names, weights))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn big(v: &[u64]) -> Vec<BigUint> {
        v.iter().map(|&x| BigUint::from(x)).collect()
    }

    /// Weights 2, 1, 1 and quota 3, enumerated by hand: winning {A,B}, {A,C}, {A,B,C}; A swings
    /// in all three, B only in {A,B}, C only in {A,C}: Banzhaf 3/5, 1/5, 1/5. Of the six
    /// orderings, A is pivotal in four (BAC, BCA, CAB, CBA), B in ABC, C in ACB: 4/6, 1/6, 1/6.
    #[test]
    fn a_small_game_enumerated_by_hand() {
        let p = power(&[2, 1, 1], 3, 0).unwrap();
        assert_eq!(p.swings, big(&[3, 1, 1]));
        assert_eq!(p.pivotal_orderings, big(&[4, 1, 1]));
        assert!((p.banzhaf[0] - 0.6).abs() < 1e-12 && (p.shapley_shubik[0] - 4.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn dictators_dummies_and_member_counts() {
        // A alone reaches the quota: a dictator; B is a dummy.
        let p = power(&[3, 1], 3, 0).unwrap();
        assert_eq!((p.swings.clone(), p.pivotal_orderings.clone()), (big(&[2, 0]), big(&[2, 0])));
        // Any 3 of 4 equal members: symmetric, 1/4 each.
        let p = power(&[1, 1, 1, 1], 1, 3).unwrap();
        assert!(p.banzhaf.iter().chain(&p.shapley_shubik).all(|x| (x - 0.25).abs() < 1e-12));
        // With --min-members, a heavy member can no longer decide alone: weights 5,1,1, quota 5,
        // at least 2 members: winning = {A,B}, {A,C}, {A,B,C}, as in the first game.
        let p = power(&[5, 1, 1], 5, 2).unwrap();
        assert_eq!(p.swings, big(&[3, 1, 1]));
    }

    #[test]
    fn bad_games_say_what_is_wrong() {
        assert!(power(&[1, 1], 3, 0).unwrap_err().contains("below the quota"));
        assert!(power(&[1, 1], 0, 0).unwrap_err().contains("at least 1"));
        assert!(power(&[1], 1, 2).unwrap_err().contains("more than the 1 members"));
        assert!(parse_members_csv("name,weight\na,-1\n").unwrap_err().contains("not a whole number"));
        assert!(parse_members_csv("name,votes\na,1\n").unwrap_err().contains("name and weight"));
    }

    /// Brute force over every coalition and every ordering, for small games.
    fn brute(weights: &[u64], quota: u64, k: usize) -> (Vec<u64>, Vec<u64>) {
        let n = weights.len();
        let wins = |mask: u32| {
            let w: u64 = (0..n).filter(|i| mask >> i & 1 == 1).map(|i| weights[i]).sum();
            w >= quota && mask.count_ones() as usize >= k
        };
        let swings = (0..n)
            .map(|i| (0..1u32 << n).filter(|m| m >> i & 1 == 0 && !wins(*m) && wins(m | 1 << i)).count() as u64)
            .collect();
        let mut pivotal = vec![0u64; n];
        let mut order: Vec<usize> = (0..n).collect();
        fn permute(order: &mut Vec<usize>, at: usize, f: &mut dyn FnMut(&[usize])) {
            if at == order.len() {
                f(order);
                return;
            }
            for j in at..order.len() {
                order.swap(at, j);
                permute(order, at + 1, f);
                order.swap(at, j);
            }
        }
        permute(&mut order, 0, &mut |o: &[usize]| {
            let mut mask = 0u32;
            for &p in o {
                let before = wins(mask);
                mask |= 1 << p;
                if !before && wins(mask) {
                    pivotal[p] += 1;
                    break;
                }
            }
        });
        (swings, pivotal)
    }

    proptest! {
        #[test]
        fn agrees_with_brute_force(weights in proptest::collection::vec(0u64..7, 1..7), quota_part in 1u64..100, k in 0usize..4) {
            let total: u64 = weights.iter().sum();
            prop_assume!(total >= 1);
            let quota = 1 + (total - 1) * quota_part / 100;
            let k = k.min(weights.len());
            let p = power(&weights, quota, k).unwrap();
            let (swings, pivotal) = brute(&weights, quota, k);
            prop_assert_eq!(p.swings, big(&swings));
            prop_assert_eq!(p.pivotal_orderings, big(&pivotal));
        }
    }
}
