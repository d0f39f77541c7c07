//! Revenue sharing: a formula in stages — deductions off the top (a stabilization
//! fund, say), a derivation share returned to the producing localities, a split between the
//! centre and the localities, distribution keys (population, equal shares, need, area), and
//! floors and caps per head. It computes what every locality receives, in total and per head.
//!
//! Money is counted in whole minor units (cents). Every stage divides exactly by largest
//! remainders, so each stage's parts add up to the amount it divides, to the unit.
//!
//! A formula is TOML — data that a constitution can carry:
//!
//! ```toml
//! derivation = "13%"   # of what is left after deductions, to producers by production
//! centre = "50%"       # of what is left after derivation
//! [[deduction]]        # in order, each a share of the whole revenue
//! name = "stabilization fund"
//! share = "10%"
//! [keys]               # how the localities' pool is divided; the shares add up to 1
//! population = "60%"
//! equal = "20%"
//! need = "10%"
//! area = "10%"
//! [limits]             # optional, in minor units per head
//! floor_per_head = 100
//! cap_per_head = 100000
//! ```

use crate::ratio::Ratio;
use serde::Deserialize;
use std::fmt::Write;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Locality {
    pub name: String,
    /// The region the locality belongs to (the convention's delegations and the referendum's
    /// regions); empty when the CSV has no `region` column.
    pub region: String,
    pub population: u64,
    /// Production of the shared resource (for the derivation share).
    pub production: u64,
    pub area: u64,
    /// A need index (any non-negative whole number; only proportions matter).
    pub need: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Formula {
    pub deductions: Vec<(String, Ratio)>,
    pub derivation: Ratio,
    pub centre: Ratio,
    /// Shares of the localities' pool by population, equal shares, need and area.
    pub keys: [Ratio; 4],
    pub floor_per_head: Option<u64>,
    pub cap_per_head: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeduction {
    name: String,
    share: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeys {
    population: Option<String>,
    equal: Option<String>,
    need: Option<String>,
    area: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    floor_per_head: Option<u64>,
    cap_per_head: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFormula {
    #[serde(default)]
    deduction: Vec<RawDeduction>,
    derivation: Option<String>,
    centre: Option<String>,
    keys: RawKeys,
    limits: Option<RawLimits>,
}

impl Formula {
    /// Parses a formula; errors say what is wrong and how to write it.
    pub fn parse(text: &str) -> Result<Formula, String> {
        let raw: RawFormula = toml::from_str(text).map_err(|e| format!("the formula is not valid: {}", e.message()))?;
        let share = |what: &str, v: &Option<String>| -> Result<Ratio, String> {
            match v {
                None => Ok(Ratio::ZERO),
                Some(v) => {
                    let r = Ratio::parse(v).map_err(|e| format!("{what}: {e}"))?;
                    if r > Ratio::ONE {
                        return Err(format!("{what}: a share cannot exceed 1 (got {r})"));
                    }
                    Ok(r)
                }
            }
        };
        let mut deductions = Vec::new();
        let mut deducted = Ratio::ZERO;
        for d in &raw.deduction {
            let r = share(&format!("deduction {:?}", d.name), &Some(d.share.clone()))?;
            deducted = deducted.checked_add(&r).ok_or("the deductions are too fine to add exactly")?;
            deductions.push((d.name.clone(), r));
        }
        if deducted > Ratio::ONE {
            return Err(format!("the deductions take {deducted} of the revenue, more than all of it"));
        }
        let keys = [
            share("keys.population", &raw.keys.population)?,
            share("keys.equal", &raw.keys.equal)?,
            share("keys.need", &raw.keys.need)?,
            share("keys.area", &raw.keys.area)?,
        ];
        let total =
            keys.iter().try_fold(Ratio::ZERO, |a, k| a.checked_add(k)).ok_or("the keys are too fine to add exactly")?;
        if total != Ratio::ONE {
            return Err(format!("the distribution keys must add up to 1; they add up to {total}"));
        }
        let limits = raw.limits.unwrap_or(RawLimits { floor_per_head: None, cap_per_head: None });
        if let (Some(f), Some(c)) = (limits.floor_per_head, limits.cap_per_head) {
            if f > c {
                return Err(format!("the floor per head ({f}) is above the cap per head ({c})"));
            }
        }
        Ok(Formula {
            deductions,
            derivation: share("derivation", &raw.derivation)?,
            centre: share("centre", &raw.centre)?,
            keys,
            floor_per_head: limits.floor_per_head,
            cap_per_head: limits.cap_per_head,
        })
    }
}

/// Divides `amount` in proportion to `weights`, exactly: floors, then largest remainders (the
/// first listed on equal remainders). All-zero weights divide nothing (everything is returned
/// as undivided).
fn divide(amount: u64, weights: &[u128]) -> (Vec<u64>, u64) {
    let total: u128 = weights.iter().sum();
    if total == 0 {
        return (vec![0; weights.len()], amount);
    }
    let amount = amount as u128;
    let mut parts: Vec<u64> = weights.iter().map(|w| (amount * w / total) as u64).collect();
    let mut left = amount as u64 - parts.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(amount * weights[i] % total), i));
    for &i in order.iter() {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    (parts, 0)
}

fn take(amount: u64, share: &Ratio) -> u64 {
    (amount as u128 * share.num() / share.den()) as u64
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allocation {
    pub revenue: u64,
    pub deductions: Vec<(String, u64)>,
    pub derivation: Vec<u64>,
    pub centre: u64,
    /// What each locality receives from the distribution keys (after floors and caps).
    pub keyed: Vec<u64>,
    /// Each locality's total: derivation + keyed.
    pub totals: Vec<u64>,
    /// What the keys could not give: every locality at its cap, or keys whose measures are all
    /// zero. It stays with whoever holds the revenue; the report shows it.
    pub undistributed: u64,
}

/// Applies `formula` to `revenue` (minor units) for `localities`.
pub fn allocate(formula: &Formula, localities: &[Locality], revenue: u64) -> Result<Allocation, String> {
    if localities.is_empty() {
        return Err("there are no localities".into());
    }
    if revenue > 1 << 62 {
        return Err("the revenue is larger than this tool handles".into());
    }
    let mut left = revenue;
    let mut deductions = Vec::new();
    for (name, share) in &formula.deductions {
        let amount = take(revenue, share).min(left);
        left -= amount;
        deductions.push((name.clone(), amount));
    }
    let derivation_pool = take(left, &formula.derivation);
    let production: Vec<u128> = localities.iter().map(|l| l.production as u128).collect();
    let (derivation, undivided) = divide(derivation_pool, &production);
    // With no producer, the derivation share stays in the pool.
    left -= derivation_pool - undivided;
    let centre = take(left, &formula.centre);
    let pool = left - centre;
    let (keyed, undistributed) = distribute(formula, localities, pool)?;
    let totals = derivation.iter().zip(&keyed).map(|(d, k)| d + k).collect();
    Ok(Allocation { revenue, deductions, derivation, centre, keyed, totals, undistributed })
}

/// The localities' pool by the keys, then floors and caps per head: localities held at a floor
/// or cap keep it, and the rest of the pool is divided again among the others, until none moves.
/// Returns each locality's part and what could not be given (every locality capped, or keys
/// whose measures are all zero).
fn distribute(formula: &Formula, localities: &[Locality], pool: u64) -> Result<(Vec<u64>, u64), String> {
    let n = localities.len();
    let measure = |l: &Locality, k: usize| -> u128 {
        match k {
            0 => l.population as u128,
            1 => 1,
            2 => l.need as u128,
            _ => l.area as u128,
        }
    };
    // A member's weight is Σ_k key_k · measure_k / (the members' total measure_k), put on one
    // common denominator so that the division stays exact.
    let weights_of = |members: &[usize]| -> Vec<u128> {
        let totals: Vec<u128> = (0..4).map(|k| members.iter().map(|&i| measure(&localities[i], k)).sum()).collect();
        let key_den = formula.keys.iter().fold(1u128, |acc, k| lcm(acc, k.den()));
        let measure_den = totals.iter().filter(|&&t| t > 0).fold(1u128, |acc, &t| lcm(acc, t));
        members
            .iter()
            .map(|&i| {
                (0..4)
                    .filter(|&k| totals[k] > 0)
                    .map(|k| {
                        formula.keys[k].num()
                            * (key_den / formula.keys[k].den())
                            * measure(&localities[i], k)
                            * (measure_den / totals[k])
                    })
                    .sum()
            })
            .collect()
    };
    let floor_of = |i: usize| formula.floor_per_head.map(|f| f.saturating_mul(localities[i].population));
    let cap_of = |i: usize| formula.cap_per_head.map(|c| c.saturating_mul(localities[i].population));
    let floors: u64 = (0..n).filter_map(floor_of).sum();
    if floors > pool {
        return Err(format!("the floors per head need {floors}, more than the localities' pool of {pool}"));
    }
    let mut held: Vec<Option<u64>> = vec![None; n];
    loop {
        let free: Vec<usize> = (0..n).filter(|&i| held[i].is_none()).collect();
        let held_total: u64 = held.iter().flatten().sum();
        let (parts, undivided) = divide(pool - held_total, &weights_of(&free));
        let mut moved = false;
        for (&part, &i) in parts.iter().zip(&free) {
            if let Some(floor) = floor_of(i).filter(|f| part < *f) {
                held[i] = Some(floor);
                moved = true;
            } else if let Some(cap) = cap_of(i).filter(|c| part > *c) {
                held[i] = Some(cap);
                moved = true;
            }
        }
        if !moved {
            let mut out: Vec<u64> = held.iter().map(|h| h.unwrap_or(0)).collect();
            for (&part, &i) in parts.iter().zip(&free) {
                out[i] = part;
            }
            let undistributed = if free.is_empty() { pool - held_total } else { undivided };
            return Ok((out, undistributed));
        }
    }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn lcm(a: u128, b: u128) -> u128 {
    a / gcd(a, b).max(1) * b
}

/// Parses the localities CSV: a header with `name` and `population`, and optionally `region`,
/// `production`, `area`, `need` (whole numbers; missing means 0).
pub fn parse_localities_csv(text: &str) -> Result<Vec<Locality>, String> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| format!("cannot read the header: {e}"))?.clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (Some(name_col), Some(pop_col)) = (column("name"), column("population")) else {
        return Err("the header must name at least the columns name and population".into());
    };
    let mut out: Vec<Locality> = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("line {line}: {e}"))?;
        let number = |col: Option<usize>, what: &str| -> Result<u64, String> {
            match col.and_then(|c| record.get(c)).filter(|v| !v.is_empty()) {
                None => Ok(0),
                Some(v) => v
                    .parse::<u64>()
                    .map_err(|_| format!("line {line}: {what} {v:?} is not a whole number (and not negative)")),
            }
        };
        let name = record.get(name_col).unwrap_or("").to_string();
        if name.is_empty() || out.iter().any(|l| l.name == name) {
            return Err(format!("line {line}: the name is empty or repeated"));
        }
        let locality = Locality {
            name,
            region: column("region").and_then(|c| record.get(c)).unwrap_or("").to_string(),
            population: number(Some(pop_col), "population")?,
            production: number(column("production"), "production")?,
            area: number(column("area"), "area")?,
            need: number(column("need"), "need")?,
        };
        if [locality.population, locality.production, locality.area, locality.need].iter().any(|&v| v > 1 << 40) {
            return Err(format!("line {line}: a value is larger than this tool handles"));
        }
        out.push(locality);
    }
    if out.is_empty() {
        return Err("no localities".into());
    }
    Ok(out)
}

/// Scenarios side by side as CSV: per locality, each scenario's total and per head; then the
/// centre's and the deductions' amounts.
pub fn compare_csv(names: &[String], localities: &[Locality], allocations: &[Allocation]) -> String {
    let mut out = String::from("locality,population");
    for n in names {
        let _ = write!(out, ",{n} total,{n} per head");
    }
    out.push('\n');
    for (i, l) in localities.iter().enumerate() {
        let _ = write!(out, "{},{}", l.name, l.population);
        for a in allocations {
            let per_head = if l.population == 0 {
                "-".to_string()
            } else {
                format!("{:.2}", a.totals[i] as f64 / l.population as f64)
            };
            let _ = write!(out, ",{},{per_head}", a.totals[i]);
        }
        out.push('\n');
    }
    let _ = write!(out, "(centre),");
    for a in allocations {
        let _ = write!(out, ",{},", a.centre);
    }
    out.push('\n');
    let _ = write!(out, "(deductions),");
    for a in allocations {
        let _ = write!(out, ",{},", a.deductions.iter().map(|d| d.1).sum::<u64>());
    }
    out.push('\n');
    let _ = write!(out, "(undistributed),");
    for a in allocations {
        let _ = write!(out, ",{},", a.undistributed);
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn locality(name: &str, population: u64, production: u64, area: u64, need: u64) -> Locality {
        Locality { name: name.into(), region: String::new(), population, production, area, need }
    }

    const CPA: &str = "derivation = \"2%\"\ncentre = \"50%\"\n[[deduction]]\nname = \"stabilization fund\"\nshare = \"10%\"\n[keys]\npopulation = \"1\"\n";

    /// A worked example by hand: 1,000,000 units; 10% to a fund (100,000); 2% of the 900,000 to
    /// the only producer (18,000); half of the 882,000 to the centre (441,000); the localities'
    /// 441,000 by population 1:2 → 147,000 and 294,000.
    #[test]
    fn worked_example_in_the_manner_of_the_sudan_cpa() {
        let f = Formula::parse(CPA).unwrap();
        let ls = vec![locality("north", 100, 0, 0, 0), locality("south", 200, 50, 0, 0)];
        let a = allocate(&f, &ls, 1_000_000).unwrap();
        assert_eq!(a.deductions, vec![("stabilization fund".to_string(), 100_000)]);
        assert_eq!(a.derivation, vec![0, 18_000]);
        assert_eq!(a.centre, 441_000);
        assert_eq!(a.keyed, vec![147_000, 294_000]);
        assert_eq!(a.totals, vec![147_000, 312_000]);
    }

    #[test]
    fn keys_mix_and_floors_and_caps_bind() {
        let f = Formula::parse("[keys]\npopulation = \"1/2\"\nequal = \"1/2\"\n").unwrap();
        let ls = vec![locality("a", 100, 0, 0, 0), locality("b", 300, 0, 0, 0)];
        // 1,000: half by population (125, 375), half equally (250, 250).
        assert_eq!(allocate(&f, &ls, 1000).unwrap().keyed, vec![375, 625]);
        // 2,000 half by population, half equally: a 750 (7.50 a head), b 1,250 (4.17 a head).
        // A floor of 5 a head lifts b to 1,500; a keeps the rest, 500.
        let f =
            Formula::parse("[keys]\npopulation = \"1/2\"\nequal = \"1/2\"\n[limits]\nfloor_per_head = 5\n").unwrap();
        assert_eq!(allocate(&f, &ls, 2000).unwrap().keyed, vec![500, 1500]);
        // 1,000 the same way: a 375 (3.75 a head); a cap of 3 a head holds a at 300, b gets 700.
        let f = Formula::parse("[keys]\npopulation = \"1/2\"\nequal = \"1/2\"\n[limits]\ncap_per_head = 3\n").unwrap();
        assert_eq!(allocate(&f, &ls, 1000).unwrap().keyed, vec![300, 700]);
        // Everyone capped: what is left is undistributed, and shown.
        let f = Formula::parse("[keys]\nequal = \"1\"\n[limits]\ncap_per_head = 1\n").unwrap();
        let a = allocate(&f, &ls, 1000).unwrap();
        assert_eq!((a.keyed.clone(), a.undistributed), (vec![100, 300], 600));
        let f = Formula::parse("[keys]\npopulation = \"1\"\n[limits]\nfloor_per_head = 10\n").unwrap();
        assert!(allocate(&f, &ls, 1000).unwrap_err().contains("floors per head need 4000"));
    }

    #[test]
    fn bad_formulas_and_files_say_what_is_wrong() {
        for (text, expected) in [
            ("[keys]\npopulation = \"1/2\"\n", "must add up to 1"),
            ("[keys]\npopulation = \"2\"\n", "cannot exceed 1"),
            ("derivation = \"x\"\n[keys]\nequal = \"1\"\n", "not a fraction"),
            ("[keys]\nequal = \"1\"\n[limits]\nfloor_per_head = 5\ncap_per_head = 2\n", "above the cap"),
            ("[[deduction]]\nname = \"a\"\nshare = \"60%\"\n[[deduction]]\nname = \"b\"\nshare = \"60%\"\n[keys]\nequal = \"1\"\n", "more than all of it"),
            ("[keys]\nequal = \"1\"\nbonus = \"1\"\n", "not valid"),
        ] {
            let e = Formula::parse(text).unwrap_err();
            assert!(e.contains(expected), "{text:?}: {e}");
        }
        for (csv, expected) in [
            ("name,population\na,-1\n", "not a whole number"),
            ("name\na\n", "name and population"),
            ("name,population\n", "no localities"),
        ] {
            let e = parse_localities_csv(csv).unwrap_err();
            assert!(e.contains(expected), "{csv:?}: {e}");
        }
    }

    proptest! {
        #[test]
        fn every_unit_is_accounted_for(
            pops in proptest::collection::vec((1u64..10_000, 0u64..1000, 0u64..500, 0u64..50), 1..8),
            revenue in 0u64..10_000_000,
            keys in (0u64..4, 0u64..4, 0u64..4, 0u64..4),
        ) {
            let sum = keys.0 + keys.1 + keys.2 + keys.3;
            prop_assume!(sum > 0);
            let text = format!(
                "derivation = \"13%\"\ncentre = \"1/3\"\n[[deduction]]\nname = \"fund\"\nshare = \"7%\"\n[keys]\npopulation = \"{}/{sum}\"\nequal = \"{}/{sum}\"\nneed = \"{}/{sum}\"\narea = \"{}/{sum}\"\n",
                keys.0, keys.1, keys.2, keys.3
            );
            let f = Formula::parse(&text).unwrap();
            let ls: Vec<Locality> = pops.iter().enumerate().map(|(i, p)| locality(&format!("l{i}"), p.0, p.1, p.2, p.3)).collect();
            let a = allocate(&f, &ls, revenue).unwrap();
            let deducted: u64 = a.deductions.iter().map(|d| d.1).sum();
            let localities: u64 = a.totals.iter().sum();
            prop_assert_eq!(deducted + a.centre + localities + a.undistributed, revenue);
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,200}") {
            let _ = Formula::parse(&text);
            let _ = parse_localities_csv(&text);
        }
    }
}
