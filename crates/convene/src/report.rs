//! Printing results and verification reports for people.

use convene_core::apportion::{Apportionment, Diagnostics, Method, Problem};
use convene_core::ranked::{Count, RankedBallot, Show};
use convene_core::ratify::{Evaluation, Verdict};
use convene_record::format::{Manifest, Question, ResultsJson};
use convene_record::verify::Report;
use serde_json::{json, Value};
use std::fmt::Write;

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        "-".into()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

/// A table per question: one row per region, then the national row; then the ratification
/// verdict, if the manifest has a rule.
pub fn results_table(manifest: &Manifest, results: &ResultsJson) -> String {
    let mut out = String::new();
    for (q, question) in manifest.questions.iter().enumerate() {
        let (text, labels) = match question {
            Question::YesNo { text, blank, .. } => {
                let mut labels = vec!["yes".to_string(), "no".to_string()];
                if *blank {
                    labels.push("blank".into());
                }
                (text, labels)
            }
            Question::Choose { text, options, .. } => (text, options.clone()),
        };
        let _ = writeln!(out, "{text}");
        let _ = write!(out, "  {:<12} {:>10}", "scope", "counted");
        for label in &labels {
            let _ = write!(out, " {:>14}", label);
        }
        out.push('\n');
        for scope in &results.scopes {
            let Some(counts) = scope.questions.get(q) else { continue };
            let total = scope.weight.unwrap_or(scope.counted);
            let values = match question.yes_no_blank(total, counts) {
                Some((yes, no, blank)) => [yes, no, blank][..labels.len()].to_vec(),
                None => counts.clone(),
            };
            match scope.weight {
                Some(weight) => {
                    let _ = write!(out, "  {:<12} {:>10}", scope.scope, format!("{} (w {weight})", scope.counted));
                }
                None => {
                    let _ = write!(out, "  {:<12} {:>10}", scope.scope, scope.counted);
                }
            }
            for v in values {
                let _ = write!(out, " {:>7} {:>6}", v, percent(v, total));
            }
            out.push('\n');
        }
    }
    if let Some(r) = &results.ratification {
        let _ = writeln!(out, "\nRatification rule: {}", r.outcome);
        for line in &r.report {
            let _ = writeln!(out, "  {line}");
        }
        for c in &r.conditions {
            let _ = writeln!(out, "  {}", condition_words(c));
        }
    }
    out
}

/// A structured condition (record format version 2) in English words, with its figures.
pub fn condition_words(c: &convene_record::format::ConditionJson) -> String {
    use convene_record::format::FigureJson;
    let text = |k: &str| match c.figures.get(k) {
        Some(FigureJson::Count(n)) => n.to_string(),
        Some(FigureJson::Text(t)) => t.clone(),
        Some(FigureJson::Flag(b)) => b.to_string(),
        Some(FigureJson::Regions(r)) if r.is_empty() => "none".into(),
        Some(FigureJson::Regions(r)) => r.join(", "),
        None => "?".into(),
    };
    let ratio = |k: &str| -> Option<f64> {
        let t = text(k);
        let mut parts = t.split('/');
        let num: f64 = parts.next()?.parse().ok()?;
        let den: f64 = parts.next().map_or(Some(1.0), |d| d.parse().ok())?;
        (den != 0.0).then_some(num / den)
    };
    let share = |part: &str, whole: &str| match (ratio(part), ratio(whole)) {
        (Some(p), Some(w)) if w > 0.0 => format!("{:.2}%", 100.0 * p / w),
        _ => "-".into(),
    };
    let bar = || {
        let sign = if text("bar") == "at_least" { "≥" } else { ">" };
        format!(
            "{sign} {} ({})",
            text("bar_share"),
            ratio("bar_share").map_or("-".into(), |r| format!("{:.2}%", 100.0 * r))
        )
    };
    let detail = match c.kind.as_str() {
        "approval" => format!(
            "yes {} of {} {} = {} {} {}",
            text("yes"),
            text("base"),
            text("base_kind"),
            share("yes", "base"),
            if text("cleared") == "true" { "clears" } else { "does not clear" },
            bar()
        ),
        "quorum" => format!(
            "turnout {} cast of {} registered = {}, bar {}",
            text("cast"),
            text("registered"),
            share("cast", "registered"),
            bar()
        ),
        "regions" => format!(
            "regions approving weigh {} of {} = {}, bar {} ({})",
            text("passing"),
            text("total"),
            share("passing", "total"),
            bar(),
            text("approving")
        ),
        "blocking" => format!(
            "no {} of {} in the regions {}; {} or more block",
            bar(),
            text("base_kind"),
            text("blocking"),
            text("count")
        ),
        _ => format!("{:?}", c.figures),
    };
    let region = c.region.as_ref().map(|r| format!("{r}: ")).unwrap_or_default();
    format!("{region}{}: {} — {detail}", c.kind, if c.holds { "holds" } else { "fails" })
}

/// The verifier's report: summary, notes, results, then every failure.
/// What `convene verify` prints of a convention record.
pub fn convention_report(report: &Report, state: Option<&convene_record::convention::ConventionState>) -> String {
    let mut out = String::new();
    if let Some(state) = state {
        use convene_record::convention::Role;
        let with = |role: Role| state.members().iter().filter(|m| m.role == role).count();
        let seated = match &state.charter().conference {
            Some(conference) => format!(
                "conference of {} states; heads of delegation: {}; delegation members: {}; observers: {}",
                conference.states.len(),
                with(Role::Head),
                with(Role::Delegate),
                with(Role::Observer)
            ),
            None => format!("localities versions: {}; delegates: {}", state.localities().len(), with(Role::Delegate)),
        };
        let adopted = if state.charter().conference.is_some() { "paragraphs of the communiqué" } else { "articles" };
        let _ = writeln!(
            out,
            "convention: {}
log entries: {} (every signature and sequence number checked)
{seated}; motions: {}; amendments: {}; votes: {}
adopted {adopted}: {}{}",
            state.charter().title,
            report.entries,
            state.motions().len(),
            state.amendments().len(),
            state.votes().len(),
            state.articles().len(),
            state.ratified().as_ref().map(|r| format!("; handed to referendum {}", r.referendum)).unwrap_or_default()
        );
    }
    for note in &report.notes {
        let _ = writeln!(out, "recomputed: {note}");
    }
    out.push('\n');
    out.push_str(&verdict_lines(report));
    out
}

fn verdict_lines(report: &Report) -> String {
    let mut out = String::new();
    if report.ok() {
        let _ = writeln!(out, "VERIFIED: every check holds.");
    } else {
        let _ = writeln!(out, "FAILED: {} check(s) do not hold:", report.failures.len());
        for f in &report.failures {
            let _ = writeln!(out, "  {f}");
        }
    }
    out
}

pub fn verification_report(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "registered credentials: {}\nlog entries: {} ({} cast, {} spoiled by challenge)\nsuperseded by re-votes: {}\ncounted ballots: {}",
        report.registered, report.entries, report.cast, report.spoiled, report.superseded, report.counted
    );
    if let Some(m) = &report.manifest {
        let _ = writeln!(out, "record format version: {}", m.version);
    }
    for who in &report.who {
        let _ = writeln!(out, "{who}");
    }
    for note in &report.notes {
        let _ = writeln!(out, "note: {note}");
    }
    if let (Some(manifest), Some(results)) = (&report.manifest, &report.results) {
        out.push('\n');
        out.push_str(&results_table(manifest, results));
    }
    out.push('\n');
    out.push_str(&verdict_lines(report));
    out
}

/// `convene verify --json`: one checked record's failures (with their stable codes), notes and
/// counts.
pub fn verification_json(kind: &str, report: &Report) -> Value {
    json!({
        "kind": kind,
        "verified": report.ok(),
        "failures": report.failures,
        "notes": report.notes,
        "who": report.who,
        "version": report.manifest.as_ref().map(|m| m.version),
        "registered": report.registered,
        "entries": report.entries,
        "cast": report.cast,
        "spoiled": report.spoiled,
        "superseded": report.superseded,
        "counted": report.counted,
        "results": report.results,
    })
}

fn evaluation_json(e: &Evaluation) -> Value {
    json!({
        "outcome": if e.ratified { "ratified" } else { "rejected" },
        "conditions": e.conditions.iter().map(|c| json!({"name": c.name, "holds": c.holds, "detail": c.detail})).collect::<Vec<_>>(),
    })
}

/// `convene ratify --json`: `outcome` is `ratified`, `rejected`, or `per-region` with each
/// region's own outcome.
pub fn verdict_json(verdict: &Verdict) -> Value {
    match verdict {
        Verdict::National(e) => {
            let mut v = evaluation_json(e);
            v["scope"] = json!("national");
            v
        }
        Verdict::PerRegion(regions) => json!({
            "scope": "per-region",
            "outcome": "per-region",
            "regions": regions.iter().map(|(r, e)| {
                let mut v = evaluation_json(e);
                v["region"] = json!(r);
                v
            }).collect::<Vec<_>>(),
        }),
    }
}

/// `convene count --json` (docs/counting.md, "JSON"): options by name; the
/// methods `show` leaves out are absent.
pub fn ranked_json(names: &[String], ballots: &[RankedBallot], count: &Count, show: Show) -> Value {
    let name = |c: &usize| json!(names[*c]);
    let list = |v: &[usize]| v.iter().map(name).collect::<Vec<_>>();
    let Count { schulze, runoff, schulze_winner, schulze_by_lot, lot } = count;
    let mut out = json!({
        "options": names,
        "ballots": ballots.iter().map(|b| b.count).sum::<u64>(),
        "rankings": ballots.len(),
    });
    if let Some(lot) = lot {
        out["lot"] = json!({ "seed": lot.seed, "order": list(&lot.order) });
    }
    if show.schulze() {
        let tied = schulze.winners();
        out["schulze"] = json!({
            "pairwise": schulze.pairwise,
            "strongest": schulze.strongest,
            "ranking": schulze.ranking.iter().map(|g| list(g)).collect::<Vec<_>>(),
            "winner": schulze_winner.as_ref().map(name),
            "tied": if tied.len() > 1 { list(tied) } else { Vec::new() },
            "by_lot": schulze_by_lot,
        });
    }
    if show.runoff() {
        out["instant_runoff"] = json!({
            "rounds": runoff.rounds.iter().map(|r| json!({
                "votes": r.votes.iter().enumerate().filter_map(|(c, v)| v.map(|v| json!({"option": names[c], "votes": v}))).collect::<Vec<_>>(),
                "exhausted": r.exhausted,
                "eliminated": r.eliminated.as_ref().map(name),
            })).collect::<Vec<_>>(),
            "winner": runoff.winner.as_ref().map(name),
            "possible_winners": runoff.possible_winners.as_deref().map(list),
            "ties": runoff.ties.iter().map(|t| json!({
                "round": t.round,
                "tied": list(&t.tied),
                "decisive": t.decisive,
                "by_lot": t.by_lot,
            })).collect::<Vec<_>>(),
        });
    }
    out
}

/// `convene apportion`'s diagnostics, for stderr.
pub fn apportionment_diagnostics(method: Method, result: &Apportionment, d: &Diagnostics) -> String {
    let mut out = format!("method: {}\n", method.name());
    if let Some(divisor) = &result.divisor {
        let _ = writeln!(out, "divisor: {divisor}");
    }
    for tie in &result.ties {
        let _ = writeln!(
            out,
            "TIE: {} have equal claims to the last {} seat(s); given in input order here — decide by lot or by law",
            tie.units.join(", "),
            tie.seats
        );
    }
    if !result.excluded.is_empty() {
        let _ = writeln!(out, "below the threshold (no seats): {}", result.excluded.join(", "));
    }
    let line = |label: &str, units: &[String], none: &str| {
        if units.is_empty() {
            format!("{label}: {none}\n")
        } else {
            format!("{label}: {}\n", units.join(", "))
        }
    };
    out.push_str(&line(
        "quota rule violated by",
        &d.quota_violations,
        "none (every unit has its quota rounded down or up)",
    ));
    out.push_str(&line("Alabama paradox (lose a seat in a house one seat larger)", &d.alabama, "none"));
    out.push_str(&line("population paradox (lose a seat when growing 1%)", &d.population, "none"));
    out
}

/// `convene apportion --json`.
pub fn apportionment_json(method: Method, problem: &Problem, result: &Apportionment, d: &Diagnostics) -> Value {
    json!({
        "method": method.name(),
        "seats": problem.seats,
        "units": (0..problem.names.len()).map(|i| json!({
            "name": problem.names[i],
            "population": problem.populations[i],
            "quota": result.quotas[i].to_string(),
            "quota_decimal": result.quotas[i].to_f64(),
            "seats": result.seats[i],
        })).collect::<Vec<_>>(),
        "divisor": result.divisor,
        "ties": result.ties.iter().map(|t| json!({"units": t.units, "seats": t.seats})).collect::<Vec<_>>(),
        "excluded": result.excluded,
        "diagnostics": {"quota_violations": d.quota_violations, "alabama": d.alabama, "population": d.population},
    })
}
