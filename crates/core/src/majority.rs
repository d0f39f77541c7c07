//! The rules of an assembly's named votes (`docs/convention.md` §4), fixed when a vote opens: a simple,
//! absolute or qualified majority of the members present or of the members in office; a quorum
//! of members present; concurrent majorities in every regional delegation; votes weighted
//! equally, by population, or by the square root of population.
//!
//! Comparisons are exact. Square-root weights are compared by bracketing every root between
//! integers at growing precision (`⌊√(p·10^2k)⌋`) until the two sides separate; sums equal to 60
//! digits are treated as equal (and said so).

use crate::ratio::Ratio;
use num_bigint::BigUint;
use std::cmp::Ordering;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Yes,
    No,
    Abstain,
}

/// A member of the assembly for one vote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub region: String,
    /// The population the member represents (for weighted votes).
    pub population: u64,
    /// `None`: absent.
    pub vote: Option<Choice>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Majority {
    /// More yes than no.
    Simple,
    /// Yes is more than half of the base.
    Absolute,
    /// Yes is at least this share of the base (e.g. 2/3).
    Qualified(Ratio),
    /// No member present votes no, and at least one votes yes: abstentions do not prevent it
    /// (as in the Council of the EU, TFEU art. 238(4)).
    Unanimity,
    /// Adopted unless a member objects: no standing "no" (an objection), whatever else is cast.
    Consensus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Base {
    Present,
    InOffice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weighting {
    Equal,
    Population,
    SquareRootOfPopulation,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoteRule {
    pub majority: Majority,
    pub base: Base,
    /// Members present, as a share of members in office, at least (a headcount).
    pub quorum: Option<Ratio>,
    /// The majority must also hold within every region's delegation.
    pub concurrent: bool,
    pub weighting: Weighting,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub adopted: bool,
    /// Each condition and whether it holds, as data (its words are the caller's to say).
    pub conditions: Vec<(Condition, bool)>,
}

/// Whom a condition counts: the whole assembly, or one regional delegation (a concurrent
/// majority).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Assembly,
    Delegation(String),
}

/// What a majority must reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bar {
    /// More yes than no.
    MoreYesThanNo,
    /// More than half of the members (present or in office).
    MoreThanHalf,
    /// At least this share of the members (present or in office).
    AtLeast(Ratio),
    /// No one against and someone for (abstaining does not prevent it).
    NoOneAgainst,
}

/// One condition of a vote's rule, with its figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    /// `present` of `in_office` members present; at least `needed` of them must be.
    Quorum { present: u64, in_office: u64, needed: Ratio },
    /// The weights of yes, no and the base (exact integers, or sums of square roots to three
    /// decimals), against `bar`.
    Majority { scope: Scope, yes: String, no: String, base: String, base_kind: Base, bar: Bar },
    /// A consensus: `standing` objections; it needs none.
    Objections { scope: Scope, standing: u64 },
}

/// A sum of weights: integers, or square roots of integers.
#[derive(Clone, Debug, Default)]
struct WeightSum {
    integer: u128,
    roots: Vec<u64>,
}

impl WeightSum {
    fn add(&mut self, weighting: Weighting, population: u64) {
        match weighting {
            Weighting::Equal => self.integer += 1,
            Weighting::Population => self.integer += population as u128,
            Weighting::SquareRootOfPopulation => self.roots.push(population),
        }
    }

    /// `[lo, hi]` bracketing `10^k ·` the sum.
    fn bracket(&self, k: u32) -> (BigUint, BigUint) {
        let scale = BigUint::from(10u32).pow(k);
        let square = &scale * &scale;
        let mut lo = BigUint::from(self.integer) * &scale;
        let mut hi = lo.clone();
        for &p in &self.roots {
            let root = (BigUint::from(p) * &square).sqrt();
            let exact = &root * &root == BigUint::from(p) * &square;
            hi += &root + if exact { 0u32 } else { 1u32 };
            lo += root;
        }
        (lo, hi)
    }
}

/// Compares `a · x` with `b · y` for non-negative integers `a`, `b`, exactly (to 60 digits for
/// sums of square roots, beyond which they count as equal).
fn compare(a: u128, x: &WeightSum, b: u128, y: &WeightSum) -> Ordering {
    for k in [0u32, 6, 15, 30, 60] {
        let (x_lo, x_hi) = x.bracket(k);
        let (y_lo, y_hi) = y.bracket(k);
        let (a, b) = (BigUint::from(a), BigUint::from(b));
        if &a * &x_lo > &b * &y_hi {
            return Ordering::Greater;
        }
        if &a * &x_hi < &b * &y_lo {
            return Ordering::Less;
        }
        if x_lo == x_hi && y_lo == y_hi {
            return (a * x_lo).cmp(&(b * y_lo));
        }
    }
    Ordering::Equal
}

fn describe(w: &WeightSum, weighting: Weighting) -> String {
    match weighting {
        Weighting::SquareRootOfPopulation => {
            let (lo, _) = w.bracket(6);
            format!("{:.3}", lo.to_string().parse::<f64>().unwrap_or(0.0) / 1e6)
        }
        _ => w.integer.to_string(),
    }
}

/// Whether `members` (all in office) adopt the motion under `rule`.
pub fn decide(rule: &VoteRule, members: &[Member]) -> Decision {
    let mut conditions = Vec::new();
    let in_office = members.len() as u128;
    let present = members.iter().filter(|m| m.vote.is_some()).count() as u128;
    if let Some(q) = rule.quorum {
        let holds = present * q.den() >= q.num() * in_office && in_office > 0;
        conditions.push((Condition::Quorum { present: present as u64, in_office: in_office as u64, needed: q }, holds));
    }
    let mut check = |scope: Scope, group: &[&Member]| {
        let (mut yes, mut no, mut base) = (WeightSum::default(), WeightSum::default(), WeightSum::default());
        for m in group {
            match m.vote {
                Some(Choice::Yes) => yes.add(rule.weighting, m.population),
                Some(Choice::No) => no.add(rule.weighting, m.population),
                _ => {}
            }
            if rule.base == Base::InOffice || m.vote.is_some() {
                base.add(rule.weighting, m.population);
            }
        }
        let (holds, bar) = match rule.majority {
            Majority::Simple => (compare(1, &yes, 1, &no) == Ordering::Greater, Bar::MoreYesThanNo),
            Majority::Absolute => (compare(2, &yes, 1, &base) == Ordering::Greater, Bar::MoreThanHalf),
            Majority::Qualified(r) => (compare(r.den(), &yes, r.num(), &base) != Ordering::Less, Bar::AtLeast(r)),
            Majority::Unanimity => (
                no.integer == 0 && no.roots.is_empty() && (yes.integer > 0 || !yes.roots.is_empty()),
                Bar::NoOneAgainst,
            ),
            Majority::Consensus => {
                let standing = group.iter().filter(|m| m.vote == Some(Choice::No)).count() as u64;
                conditions.push((Condition::Objections { scope, standing }, standing == 0));
                return;
            }
        };
        let condition = Condition::Majority {
            scope,
            yes: describe(&yes, rule.weighting),
            no: describe(&no, rule.weighting),
            base: describe(&base, rule.weighting),
            base_kind: rule.base,
            bar,
        };
        conditions.push((condition, holds));
    };
    let everyone: Vec<&Member> = members.iter().collect();
    check(Scope::Assembly, &everyone);
    if rule.concurrent {
        let mut regions: Vec<&str> = members.iter().map(|m| m.region.as_str()).collect();
        regions.sort();
        regions.dedup();
        for region in regions {
            let group: Vec<&Member> = members.iter().filter(|m| m.region == region).collect();
            check(Scope::Delegation(region.to_string()), &group);
        }
    }
    Decision { adopted: conditions.iter().all(|(_, h)| *h), conditions }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unanimity: no one against and someone for; abstaining does not block. Consensus: no
    /// standing objection (a "no"), whatever else.
    #[test]
    fn unanimity_and_consensus() {
        let rule = |majority| VoteRule {
            majority,
            base: Base::Present,
            quorum: None,
            concurrent: false,
            weighting: Weighting::Equal,
        };
        let ms = |votes: &[Option<Choice>]| members(&votes.iter().map(|v| ("r", 1, *v)).collect::<Vec<_>>());
        use Choice::*;
        for (votes, unanimous, consensus) in [
            (vec![Some(Yes), Some(Yes), None], true, true),
            (vec![Some(Yes), Some(Abstain), Some(Yes)], true, true),
            (vec![Some(Yes), Some(No), Some(Yes)], false, false),
            (vec![Some(Abstain), Some(Abstain)], false, true),
            (vec![None, None], false, true),
        ] {
            assert_eq!(decide(&rule(Majority::Unanimity), &ms(&votes)).adopted, unanimous, "{votes:?}");
            assert_eq!(decide(&rule(Majority::Consensus), &ms(&votes)).adopted, consensus, "{votes:?}");
        }
        let d = decide(&rule(Majority::Consensus), &ms(&[Some(No), Some(No), None]));
        assert_eq!(d.conditions, vec![(Condition::Objections { scope: Scope::Assembly, standing: 2 }, false)]);
    }

    fn members(spec: &[(&str, u64, Option<Choice>)]) -> Vec<Member> {
        spec.iter()
            .enumerate()
            .map(|(i, (region, population, vote))| Member {
                name: format!("m{i}"),
                region: region.to_string(),
                population: *population,
                vote: *vote,
            })
            .collect()
    }

    fn rule(majority: Majority, base: Base) -> VoteRule {
        VoteRule { majority, base, quorum: None, concurrent: false, weighting: Weighting::Equal }
    }

    use Choice::*;

    #[test]
    fn simple_absolute_and_qualified_majorities_differ_as_they_should() {
        // 10 in office: 5 yes, 3 no, 1 abstains, 1 absent.
        let mut spec = vec![("r", 1, Some(Yes)); 5];
        spec.extend([("r", 1, Some(No)); 3]);
        spec.push(("r", 1, Some(Abstain)));
        spec.push(("r", 1, None));
        let m = members(&spec);
        assert!(decide(&rule(Majority::Simple, Base::Present), &m).adopted);
        // Absolute of present: 5 of 9 > 4.5 ✓; of in office: 5 of 10 is not more than half.
        assert!(decide(&rule(Majority::Absolute, Base::Present), &m).adopted);
        assert!(!decide(&rule(Majority::Absolute, Base::InOffice), &m).adopted);
        // Two thirds of members in office (Chile 2021): 5 of 10 < 2/3.
        let two_thirds = Majority::Qualified(Ratio::new(2, 3).unwrap());
        assert!(!decide(&rule(two_thirds, Base::InOffice), &m).adopted);
        // Exactly two thirds present meets "at least 2/3": 6 yes of 9 present.
        let mut spec = vec![("r", 1, Some(Yes)); 6];
        spec.extend([("r", 1, Some(No)); 3]);
        assert!(decide(&rule(two_thirds, Base::Present), &members(&spec)).adopted);
        // A tie is never a simple majority.
        assert!(
            !decide(&rule(Majority::Simple, Base::Present), &members(&[("r", 1, Some(Yes)), ("r", 1, Some(No))]))
                .adopted
        );
    }

    #[test]
    fn quorum_and_concurrent_majorities() {
        let m = members(&[("a", 1, Some(Yes)), ("a", 1, Some(Yes)), ("b", 1, Some(No)), ("b", 1, None)]);
        let mut r = rule(Majority::Simple, Base::Present);
        r.quorum = Some(Ratio::new(3, 4).unwrap());
        assert!(decide(&r, &m).adopted);
        r.quorum = Some(Ratio::ONE);
        assert!(!decide(&r, &m).adopted);
        r.quorum = None;
        r.concurrent = true;
        let d = decide(&r, &m);
        assert!(!d.adopted, "region b's delegation did not approve: {:?}", d.conditions);
        assert_eq!(d.conditions.len(), 3);
    }

    #[test]
    fn weighted_votes_by_population_and_by_its_square_root() {
        // One delegate of 900 says yes; two of 400 each say no.
        let m = members(&[("a", 900, Some(Yes)), ("b", 400, Some(No)), ("c", 400, Some(No))]);
        let mut r = rule(Majority::Simple, Base::Present);
        assert!(!decide(&r, &m).adopted, "one against two");
        r.weighting = Weighting::Population;
        assert!(decide(&r, &m).adopted, "900 against 800");
        // √900 = 30 against √400 + √400 = 40.
        r.weighting = Weighting::SquareRootOfPopulation;
        assert!(!decide(&r, &m).adopted);
        // √2 + √3 ≈ 3.146 against √10 ≈ 3.162: close, decided exactly.
        let m = members(&[("a", 2, Some(Yes)), ("b", 3, Some(Yes)), ("c", 10, Some(No))]);
        assert!(!decide(&r, &m).adopted);
        // √4 + √9 = √25 exactly: a tie, which is no majority.
        let m = members(&[("a", 4, Some(Yes)), ("b", 9, Some(Yes)), ("c", 25, Some(No))]);
        assert!(!decide(&r, &m).adopted);
        // And at least 1/2 of √-weights present is met by exactly half.
        let mut half = rule(Majority::Qualified(Ratio::new(1, 2).unwrap()), Base::Present);
        half.weighting = Weighting::SquareRootOfPopulation;
        assert!(decide(&half, &m).adopted);
    }
}
