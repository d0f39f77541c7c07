//! Ratification rules (`docs/rules.md`): approval on a base, turnout quorum, double majority of
//! weighted regions, blocking minority, and per-region scope — evaluated exactly.
//!
//! A rule is TOML:
//!
//! ```toml
//! scope = "national"    # or "per-region": each region decides for itself
//! [approval]            # required: the yes side wins
//! base = "valid"        # valid = yes+no; cast = yes+no+blank+invalid; registered
//! more_than = "1/2"     # exactly one of more_than / at_least
//! [quorum]              # optional: turnout = cast / registered
//! at_least = "3/5"
//! [regions]             # optional double majority: the weight of regions whose own results
//! more_than = "1/2"     # pass [approval] must exceed this share of the total region weight
//! [blocking]            # optional: rejected if in `count` or more regions the no share on
//! count = 3             # `base` reaches the bar
//! base = "cast"
//! at_least = "2/3"
//! ```
//!
//! A tie is never a majority: approval also requires strictly more yes than no.

use crate::ratio::Ratio;
use serde::Deserialize;
use std::fmt::Write;

/// What a share is taken of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Base {
    /// yes + no
    Valid,
    /// yes + no + blank + invalid
    Cast,
    /// registered voters
    Registered,
}

impl Base {
    fn name(self) -> &'static str {
        match self {
            Base::Valid => "valid",
            Base::Cast => "cast",
            Base::Registered => "registered",
        }
    }
}

/// `> bar` or `≥ bar`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bar {
    MoreThan(Ratio),
    AtLeast(Ratio),
}

impl Bar {
    /// Whether `part / whole` clears the bar. An empty whole clears nothing.
    pub fn cleared(&self, part: Ratio, whole: Ratio) -> bool {
        if whole == Ratio::ZERO {
            return false;
        }
        // part/whole > r  ⇔  part > r·whole, done by cross-multiplication in Ratio's ordering.
        let share = Ratio::new(part.num() * whole.den(), part.den() * whole.num());
        match (self, share) {
            (_, None) => false,
            (Bar::MoreThan(r), Some(s)) => s > *r,
            (Bar::AtLeast(r), Some(s)) => s >= *r,
        }
    }

    fn describe(&self) -> String {
        match self {
            Bar::MoreThan(r) => format!("> {} ({})", r, percent(r.to_f64())),
            Bar::AtLeast(r) => format!("≥ {} ({})", r, percent(r.to_f64())),
        }
    }
}

fn percent(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    National,
    PerRegion,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocking {
    pub count: u32,
    pub base: Base,
    pub bar: Bar,
}

/// A parsed, checked rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub scope: Scope,
    pub approval_base: Base,
    pub approval: Bar,
    pub quorum: Option<Bar>,
    pub regions: Option<Bar>,
    pub blocking: Option<Blocking>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBar {
    base: Option<Base>,
    more_than: Option<String>,
    at_least: Option<String>,
    count: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    scope: Option<String>,
    approval: Option<RawBar>,
    quorum: Option<RawBar>,
    regions: Option<RawBar>,
    blocking: Option<RawBar>,
}

impl RawBar {
    fn bar(&self, table: &str) -> Result<Bar, String> {
        let parse = |key: &str, v: &str| Ratio::parse(v).map_err(|e| format!("[{table}] {key}: {e}"));
        let bar = match (&self.more_than, &self.at_least) {
            (Some(v), None) => Bar::MoreThan(parse("more_than", v)?),
            (None, Some(v)) => Bar::AtLeast(parse("at_least", v)?),
            _ => return Err(format!("[{table}] needs exactly one of more_than or at_least")),
        };
        match bar {
            Bar::MoreThan(r) | Bar::AtLeast(r) if r > Ratio::ONE => {
                Err(format!("[{table}]: a share cannot exceed 1 (got {r})"))
            }
            _ => Ok(bar),
        }
    }

    fn only(&self, table: &str, base: bool, count: bool) -> Result<(), String> {
        if !base && self.base.is_some() {
            return Err(format!("[{table}] takes no base"));
        }
        if !count && self.count.is_some() {
            return Err(format!("[{table}] takes no count"));
        }
        Ok(())
    }
}

impl Rule {
    /// Parses a rule from TOML text; the error says what is wrong and how to write it.
    pub fn parse(text: &str) -> Result<Rule, String> {
        let raw: RawRule = toml::from_str(text).map_err(|e| format!("the rule is not valid: {}", e.message()))?;
        let scope = match raw.scope.as_deref() {
            None | Some("national") => Scope::National,
            Some("per-region") => Scope::PerRegion,
            Some(other) => return Err(format!("scope {other:?} is unknown: use \"national\" or \"per-region\"")),
        };
        let approval = raw.approval.ok_or("the rule needs an [approval] table (base and more_than or at_least)")?;
        approval.only("approval", true, false)?;
        let quorum = raw.quorum.map(|q| q.only("quorum", false, false).and_then(|_| q.bar("quorum"))).transpose()?;
        let regions =
            raw.regions.map(|r| r.only("regions", false, false).and_then(|_| r.bar("regions"))).transpose()?;
        if regions.is_some() && scope == Scope::PerRegion {
            return Err("[regions] (double majority) makes no sense when each region decides for itself".into());
        }
        let blocking = raw
            .blocking
            .map(|b| {
                let count =
                    b.count.filter(|c| *c > 0).ok_or("[blocking] needs count = a number of regions (1 or more)")?;
                Ok::<_, String>(Blocking { count, base: b.base.unwrap_or(Base::Cast), bar: b.bar("blocking")? })
            })
            .transpose()?;
        if blocking.is_some() && scope == Scope::PerRegion {
            return Err("[blocking] makes no sense when each region decides for itself".into());
        }
        Ok(Rule {
            scope,
            approval_base: approval.base.unwrap_or(Base::Valid),
            approval: approval.bar("approval")?,
            quorum,
            regions,
            blocking,
        })
    }

    fn needs_registered(&self) -> bool {
        self.quorum.is_some()
            || self.approval_base == Base::Registered
            || self.blocking.as_ref().is_some_and(|b| b.base == Base::Registered)
    }
}

/// One region's plain results.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegionResult {
    pub region: String,
    pub registered: Option<u64>,
    pub yes: u64,
    pub no: u64,
    pub blank: u64,
    pub invalid: u64,
    pub weight: Ratio,
}

impl RegionResult {
    fn base(&self, base: Base) -> Ratio {
        match base {
            Base::Valid => Ratio::integer(self.yes + self.no),
            Base::Cast => Ratio::integer(self.yes + self.no + self.blank + self.invalid),
            Base::Registered => Ratio::integer(self.registered.unwrap_or(0)),
        }
    }

    fn cast(&self) -> u64 {
        self.yes + self.no + self.blank + self.invalid
    }
}

/// Parses `region,registered,yes,no,blank,invalid,weight` CSV (a header is required; only
/// region, yes and no must be present; a missing weight is 1). Counts are whole numbers;
/// weights are fractions as in [`Ratio::parse`].
pub fn parse_results_csv(text: &str) -> Result<Vec<RegionResult>, String> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| format!("cannot read the header: {e}"))?.clone();
    let known = ["region", "registered", "yes", "no", "blank", "invalid", "weight"];
    for h in headers.iter() {
        if !known.contains(&h) {
            return Err(format!("unknown column {h:?}: the columns are {}", known.join(",")));
        }
    }
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (Some(region_col), Some(yes_col), Some(no_col)) = (column("region"), column("yes"), column("no")) else {
        return Err("the header must name at least the columns region, yes and no".into());
    };
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = record.map_err(|e| format!("line {line}: {e}"))?;
        let field = |col: Option<usize>| col.and_then(|c| record.get(c)).filter(|v| !v.is_empty());
        let count = |name: &str, col: Option<usize>| -> Result<Option<u64>, String> {
            field(col)
                .map(|v| v.parse::<u64>().map_err(|_| format!("line {line}: {name} {v:?} is not a whole number")))
                .transpose()
        };
        let region = field(Some(region_col)).ok_or_else(|| format!("line {line}: the region is empty"))?.to_string();
        if out.iter().any(|r: &RegionResult| r.region == region) {
            return Err(format!("line {line}: region {region:?} appears twice"));
        }
        let weight = match field(column("weight")) {
            None => Ratio::ONE,
            Some(w) => Ratio::parse(w).map_err(|e| format!("line {line}: weight: {e}"))?,
        };
        let result = RegionResult {
            region,
            registered: count("registered", column("registered"))?,
            yes: count("yes", Some(yes_col))?.ok_or_else(|| format!("line {line}: yes is empty"))?,
            no: count("no", Some(no_col))?.ok_or_else(|| format!("line {line}: no is empty"))?,
            blank: count("blank", column("blank"))?.unwrap_or(0),
            invalid: count("invalid", column("invalid"))?.unwrap_or(0),
            weight,
        };
        let too_big = result
            .yes
            .checked_add(result.no)
            .and_then(|s| s.checked_add(result.blank))
            .and_then(|s| s.checked_add(result.invalid))
            .is_none_or(|s| s > 1 << 50);
        if too_big {
            return Err(format!("line {line}: the counts are implausibly large"));
        }
        out.push(result);
    }
    if out.is_empty() {
        return Err("no regions: the file has a header but no rows".into());
    }
    Ok(out)
}

/// One condition of a rule, with its figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    /// `approval`, `quorum`, `regions` or `blocking`.
    pub name: &'static str,
    pub holds: bool,
    /// The figures, in words (English, for `convene ratify`).
    pub detail: String,
    /// The same figures, exact and without words: what a record carries and compares, and what
    /// each reader renders in their language.
    pub figures: Vec<(&'static str, Figure)>,
}

/// One exact figure of a condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Figure {
    Count(u64),
    Ratio(Ratio),
    /// A word from a fixed vocabulary: a base (`valid`, `cast`, `registered`) or a bar's kind
    /// (`more_than`, `at_least`).
    Term(&'static str),
    Regions(Vec<String>),
    Flag(bool),
}

impl Bar {
    /// `("more_than" | "at_least", its share)`.
    pub fn figures(&self) -> [(&'static str, Figure); 2] {
        let (kind, r) = match self {
            Bar::MoreThan(r) => ("more_than", r),
            Bar::AtLeast(r) => ("at_least", r),
        };
        [("bar", Figure::Term(kind)), ("bar_share", Figure::Ratio(*r))]
    }
}

impl Base {
    pub fn term(self) -> &'static str {
        self.name()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evaluation {
    pub ratified: bool,
    pub conditions: Vec<Condition>,
}

/// The verdict: one evaluation nationally, or one per region.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    National(Evaluation),
    PerRegion(Vec<(String, Evaluation)>),
}

fn approval(rule: &Rule, r: &RegionResult) -> Condition {
    let base = r.base(rule.approval_base);
    let cleared = rule.approval.cleared(Ratio::integer(r.yes), base);
    let holds = cleared && r.yes > r.no;
    let mut detail = format!(
        "yes {} of {} {} = {} {} {}",
        r.yes,
        base,
        rule.approval_base.name(),
        if base == Ratio::ZERO { "-".to_string() } else { percent(r.yes as f64 / base.to_f64()) },
        if cleared { "clears" } else { "does not clear" },
        rule.approval.describe()
    );
    if cleared && r.yes <= r.no {
        let _ = write!(detail, ", but yes {} does not exceed no {}: a tie is never a majority", r.yes, r.no);
    }
    let [bar, share] = rule.approval.figures();
    let figures = vec![
        ("yes", Figure::Count(r.yes)),
        ("no", Figure::Count(r.no)),
        ("base", Figure::Ratio(base)),
        ("base_kind", Figure::Term(rule.approval_base.term())),
        bar,
        share,
        ("cleared", Figure::Flag(cleared)),
    ];
    Condition { name: "approval", holds, detail, figures }
}

fn quorum(bar: &Bar, r: &RegionResult) -> Condition {
    let registered = Ratio::integer(r.registered.unwrap_or(0));
    let holds = bar.cleared(Ratio::integer(r.cast()), registered);
    let turnout = if registered == Ratio::ZERO { "-".into() } else { percent(r.cast() as f64 / registered.to_f64()) };
    let [b, share] = bar.figures();
    Condition {
        name: "quorum",
        holds,
        figures: vec![("cast", Figure::Count(r.cast())), ("registered", Figure::Ratio(registered)), b, share],
        detail: format!(
            "turnout {} cast of {} registered = {} {} {}",
            r.cast(),
            registered,
            turnout,
            if holds { "clears" } else { "does not clear" },
            bar.describe()
        ),
    }
}

fn total(results: &[RegionResult]) -> RegionResult {
    let sum = |f: fn(&RegionResult) -> u64| results.iter().map(f).sum();
    RegionResult {
        region: "national".into(),
        registered: results.iter().map(|r| r.registered).sum(),
        yes: sum(|r| r.yes),
        no: sum(|r| r.no),
        blank: sum(|r| r.blank),
        invalid: sum(|r| r.invalid),
        weight: Ratio::ONE,
    }
}

fn evaluate_one(rule: &Rule, r: &RegionResult) -> Vec<Condition> {
    let mut conditions = vec![approval(rule, r)];
    if let Some(bar) = &rule.quorum {
        conditions.push(quorum(bar, r));
    }
    conditions
}

/// Evaluates `rule` on `results`. Errors name missing data the rule needs.
pub fn evaluate(rule: &Rule, results: &[RegionResult]) -> Result<Verdict, String> {
    if rule.needs_registered() {
        if let Some(r) = results.iter().find(|r| r.registered.is_none()) {
            return Err(format!("the rule needs registered voters (quorum or a registered base), but region {:?} has none: add a registered column", r.region));
        }
    }
    if rule.scope == Scope::PerRegion {
        let verdicts = results
            .iter()
            .map(|r| {
                let conditions = evaluate_one(rule, r);
                (r.region.clone(), Evaluation { ratified: conditions.iter().all(|c| c.holds), conditions })
            })
            .collect();
        return Ok(Verdict::PerRegion(verdicts));
    }
    let national = total(results);
    let mut conditions = evaluate_one(rule, &national);
    if let Some(bar) = &rule.regions {
        let mut passing = Ratio::ZERO;
        let mut all = Ratio::ZERO;
        let mut names = Vec::new();
        for r in results {
            all = all.checked_add(&r.weight).ok_or("the region weights are too fine to add exactly")?;
            if approval(rule, r).holds {
                passing = passing.checked_add(&r.weight).ok_or("the region weights are too fine to add exactly")?;
                names.push(r.region.as_str());
            }
        }
        let holds = bar.cleared(passing, all);
        let [b, share] = bar.figures();
        conditions.push(Condition {
            name: "regions",
            holds,
            figures: vec![
                ("passing", Figure::Ratio(passing)),
                ("total", Figure::Ratio(all)),
                b,
                share,
                ("approving", Figure::Regions(names.iter().map(|n| n.to_string()).collect())),
            ],
            detail: format!(
                "regions approving weigh {} of {} = {} {} {} ({})",
                passing,
                all,
                if all == Ratio::ZERO { "-".into() } else { percent(passing.to_f64() / all.to_f64()) },
                if holds { "clears" } else { "does not clear" },
                bar.describe(),
                if names.is_empty() { "none".to_string() } else { names.join(", ") }
            ),
        });
    }
    if let Some(b) = &rule.blocking {
        let blocking: Vec<&str> = results
            .iter()
            .filter(|r| b.bar.cleared(Ratio::integer(r.no), r.base(b.base)))
            .map(|r| r.region.as_str())
            .collect();
        let blocked = blocking.len() as u64 >= b.count as u64;
        let [bar, share] = b.bar.figures();
        conditions.push(Condition {
            name: "blocking",
            holds: !blocked,
            figures: vec![
                ("blocking", Figure::Regions(blocking.iter().map(|n| n.to_string()).collect())),
                ("count", Figure::Count(b.count as u64)),
                ("base_kind", Figure::Term(b.base.term())),
                bar,
                share,
            ],
            detail: format!(
                "no {} of {} in {} region(s){}; {} or more block",
                b.bar.describe(),
                b.base.name(),
                blocking.len(),
                if blocking.is_empty() { String::new() } else { format!(" ({})", blocking.join(", ")) },
                b.count
            ),
        });
    }
    Ok(Verdict::National(Evaluation { ratified: conditions.iter().all(|c| c.holds), conditions }))
}

impl Verdict {
    /// The text `convene ratify` prints: `ratified` or `rejected` first, then each condition.
    /// Per region, each region's block starts with its own outcome.
    pub fn to_text(&self) -> String {
        let word = |ok: bool| if ok { "ratified" } else { "rejected" };
        let mut out = String::new();
        let conditions = |out: &mut String, e: &Evaluation, indent: &str| {
            for c in &e.conditions {
                let _ = writeln!(out, "{indent}{}: {} — {}", c.name, if c.holds { "holds" } else { "fails" }, c.detail);
            }
        };
        match self {
            Verdict::National(e) => {
                let _ = writeln!(out, "{}", word(e.ratified));
                conditions(&mut out, e, "");
            }
            Verdict::PerRegion(regions) => {
                for (region, e) in regions {
                    let _ = writeln!(out, "{} {region}", word(e.ratified));
                    conditions(&mut out, e, "  ");
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(rule: &str, csv: &str, expected_first_line: &str, expected_failing: &[&str]) {
        let rule = Rule::parse(rule).unwrap();
        let results = parse_results_csv(csv).unwrap();
        let verdict = evaluate(&rule, &results).unwrap();
        let text = verdict.to_text();
        assert_eq!(text.lines().next().unwrap(), expected_first_line, "{text}");
        let Verdict::National(e) = &verdict else { panic!("national expected") };
        let failing: Vec<&str> = e.conditions.iter().filter(|c| !c.holds).map(|c| c.name).collect();
        assert_eq!(failing, expected_failing, "{text}");
    }

    const SIMPLE: &str = "[approval]\nbase = \"valid\"\nmore_than = \"1/2\"\n";

    #[test]
    fn a_tie_is_never_a_majority() {
        check(SIMPLE, "region,yes,no\na,50,50\n", "rejected", &["approval"]);
        check("[approval]\nat_least = \"1/2\"\n", "region,yes,no\na,50,50\n", "rejected", &["approval"]);
        check(SIMPLE, "region,yes,no\na,51,50\n", "ratified", &[]);
        check(SIMPLE, "region,yes,no\na,0,0\n", "rejected", &["approval"]);
    }

    #[test]
    fn bases_change_the_outcome() {
        // 60 yes, 40 no, 30 blank: 60% of valid, 46% of cast.
        let csv = "region,yes,no,blank\na,60,40,30\n";
        check(SIMPLE, csv, "ratified", &[]);
        check("[approval]\nbase = \"cast\"\nmore_than = \"1/2\"\n", csv, "rejected", &["approval"]);
    }

    #[test]
    fn turnout_quorum_like_south_sudan() {
        let rule = "[approval]\nmore_than = \"1/2\"\n[quorum]\nat_least = \"60%\"\n";
        check(rule, "region,registered,yes,no\na,1000,590,9\n", "rejected", &["quorum"]);
        check(rule, "region,registered,yes,no\na,1000,590,10\n", "ratified", &[]);
        let missing = evaluate(&Rule::parse(rule).unwrap(), &parse_results_csv("region,yes,no\na,1,0\n").unwrap());
        assert!(missing.unwrap_err().contains("add a registered column"));
    }

    #[test]
    fn double_majority_with_half_weight_regions_like_switzerland() {
        let rule = "[approval]\nmore_than = \"1/2\"\n[regions]\nmore_than = \"1/2\"\n";
        // People say yes; full regions a, b say no; half regions c, d and full e say yes:
        // regions approving weigh 1/2 + 1/2 + 1 = 2 of 4: a tie of regions is not a majority.
        let csv = "region,yes,no,weight\na,10,20,1\nb,10,20,1\nc,100,1,1/2\nd,100,1,0.5\ne,30,10,1\n";
        check(rule, csv, "rejected", &["regions"]);
        // One more half region approving tips it: 2.5 of 4.5.
        let csv_more = format!("{csv}f,5,1,1/2\n");
        check(rule, &csv_more, "ratified", &[]);
    }

    #[test]
    fn blocking_minority_like_iraq_2005() {
        let rule = "[approval]\nmore_than = \"1/2\"\n[blocking]\ncount = 3\nbase = \"cast\"\nat_least = \"2/3\"\n";
        // Two governorates reject by two thirds or more: not enough to block.
        let two = "region,yes,no\nanbar,30,970\nsalahaddin,180,820\nninawa,440,560\nbaghdad,800,200\nbasra,2950,50\n";
        check(rule, two, "ratified", &[]);
        // Exactly two thirds in a third governorate reaches the bar.
        let three = "region,yes,no\nanbar,30,970\nsalahaddin,180,820\nninawa,100,200\nbaghdad,800,200\nbasra,2950,50\n";
        check(rule, three, "rejected", &["blocking"]);
    }

    #[test]
    fn per_region_scope_decides_each_region_alone() {
        let rule = Rule::parse("scope = \"per-region\"\n[approval]\nmore_than = \"1/2\"\n").unwrap();
        let results = parse_results_csv("region,yes,no\nnorth,70,30\nsouth,50,50\n").unwrap();
        let verdict = evaluate(&rule, &results).unwrap();
        let text = verdict.to_text();
        assert!(text.starts_with("ratified north\n"), "{text}");
        assert!(text.contains("\nrejected south\n"), "{text}");
    }

    #[test]
    fn bad_rules_and_bad_results_say_what_is_wrong() {
        let cases = [
            ("[approval]\nmore_than = \"1/2\"\nat_least = \"1/2\"\n", "exactly one of more_than or at_least"),
            ("[quorum]\nat_least = \"1/2\"\n", "needs an [approval] table"),
            ("[approval]\nmore_than = \"3/2\"\n", "cannot exceed 1"),
            ("[approval]\nmore_than = \"half\"\n", "is not a fraction"),
            ("scope = \"galactic\"\n[approval]\nmore_than = \"1/2\"\n", "scope \"galactic\" is unknown"),
            ("[approval]\nmore_than = \"1/2\"\n[blocking]\nat_least = \"2/3\"\n", "needs count"),
            ("[approval]\nmore_than = \"1/2\"\nextra = 1\n", "not valid"),
        ];
        for (rule, expected) in cases {
            let error = Rule::parse(rule).unwrap_err();
            assert!(error.contains(expected), "{rule:?}: {error}");
        }
        let csv_cases = [
            ("region,yes\na,1\n", "at least the columns region, yes and no"),
            ("region,yes,no,colour\na,1,2,red\n", "unknown column \"colour\""),
            ("region,yes,no\na,1,x\n", "line 2: no \"x\" is not a whole number"),
            ("region,yes,no\na,1,2\na,3,4\n", "appears twice"),
            ("region,yes,no\n", "no rows"),
            ("region,yes,no,weight\na,1,2,0/0\n", "weight"),
        ];
        for (csv, expected) in csv_cases {
            let error = parse_results_csv(csv).unwrap_err();
            assert!(error.contains(expected), "{csv:?}: {error}");
        }
    }
}
