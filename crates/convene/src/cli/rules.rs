//! The rules on their own: `apportion`, `power`, `revenue`, `ratify`.

use super::*;

/// `convene apportion`.
pub(super) async fn run_apportion(args: ApportionArgs) -> Result<ExitCode> {
    let ApportionArgs { house: House { method, seats, min_seats, max_seats }, threshold, json, file } = args;
    use convene_core::apportion::{apportion, diagnose, parse_units_csv, to_csv, Method, Problem};
    let method = Method::parse(&method).map_err(anyhow::Error::msg)?;
    let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let (names, populations) =
        parse_units_csv(&text).map_err(anyhow::Error::msg).with_context(|| format!("in {}", file.display()))?;
    let threshold = threshold
        .map(|t| convene_core::Ratio::parse(&t))
        .transpose()
        .map_err(anyhow::Error::msg)
        .context("--threshold")?;
    let problem = Problem { names, populations, seats, min_seats, max_seats, threshold };
    let result = apportion(method, &problem).map_err(anyhow::Error::msg)?;
    let diagnostics = diagnose(method, &problem, &result);
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report::apportionment_json(method, &problem, &result, &diagnostics))?
        );
    } else {
        print!("{}", to_csv(&problem, &result));
        eprint!("{}", report::apportionment_diagnostics(method, &result, &diagnostics));
    }
    Ok(ExitCode::SUCCESS)
}

/// `convene power`.
pub(super) async fn run_power(args: PowerArgs) -> Result<ExitCode> {
    let PowerArgs { quota, min_members, exact, file } = args;
    use convene_core::power::{parse_members_csv, power};
    let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let (names, weights) =
        parse_members_csv(&text).map_err(anyhow::Error::msg).with_context(|| format!("in {}", file.display()))?;
    let p = power(&weights, quota, min_members).map_err(anyhow::Error::msg)?;
    println!("name,weight,banzhaf,shapley_shubik");
    for i in 0..names.len() {
        let name = convene_core::csv::field(&names[i]);
        if exact {
            println!("{name},{},{},{}", weights[i], p.banzhaf_exact(i), p.shapley_shubik_exact(i));
        } else {
            println!("{name},{},{:.6},{:.6}", weights[i], p.banzhaf[i], p.shapley_shubik[i]);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `convene count`.
pub(super) async fn run_count(args: CountArgs) -> Result<ExitCode> {
    let CountArgs { method, seed, json, file } = args;
    use convene_core::ranked::{count, describe, parse_ballots_csv, Lot, Show};
    let text = std::fs::read_to_string(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let (names, ballots) =
        parse_ballots_csv(&text).map_err(anyhow::Error::msg).with_context(|| format!("in {}", file.display()))?;
    let show = Show::parse(&method).map_err(anyhow::Error::msg)?;
    let counted = count(names.len(), &ballots, seed.map(|s| Lot::draw(&s, &names)));
    if json {
        println!("{}", serde_json::to_string_pretty(&report::ranked_json(&names, &ballots, &counted, show))?);
    } else {
        print!("{}", describe(&names, &counted, show));
    }
    let schulze_tied = show.schulze() && counted.schulze_winner.is_none();
    let runoff_tied = show.runoff() && counted.runoff.winner.is_none();
    Ok(if schulze_tied || runoff_tied { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `convene revenue`.
pub(super) async fn run_revenue(args: RevenueArgs) -> Result<ExitCode> {
    let RevenueArgs { formulas, revenue, localities } = args;
    use convene_core::revenue::{allocate, compare_csv, parse_localities_csv, Formula};
    let text = std::fs::read_to_string(&localities).with_context(|| format!("cannot read {}", localities.display()))?;
    let places = parse_localities_csv(&text)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("in {}", localities.display()))?;
    let mut names = Vec::new();
    let mut allocations = Vec::new();
    for file in &formulas {
        let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        let formula =
            Formula::parse(&text).map_err(anyhow::Error::msg).with_context(|| format!("in {}", file.display()))?;
        allocations.push(
            allocate(&formula, &places, revenue)
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("under {}", file.display()))?,
        );
        names.push(file.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default());
    }
    print!("{}", compare_csv(&names, &places, &allocations));
    Ok(ExitCode::SUCCESS)
}

/// `convene ratify`.
pub(super) async fn run_ratify(args: RatifyArgs) -> Result<ExitCode> {
    let RatifyArgs { rule, results, json } = args;
    use convene_core::ratify::{evaluate, parse_results_csv, Rule, Verdict};
    let rule_text = std::fs::read_to_string(&rule).with_context(|| format!("cannot read {}", rule.display()))?;
    let rule = Rule::parse(&rule_text).map_err(anyhow::Error::msg).with_context(|| format!("in {}", rule.display()))?;
    let csv = std::fs::read_to_string(&results).with_context(|| format!("cannot read {}", results.display()))?;
    let rows =
        parse_results_csv(&csv).map_err(anyhow::Error::msg).with_context(|| format!("in {}", results.display()))?;
    let verdict = evaluate(&rule, &rows).map_err(anyhow::Error::msg)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report::verdict_json(&verdict))?);
    } else {
        print!("{}", verdict.to_text());
    }
    let rejected = matches!(&verdict, Verdict::National(e) if !e.ratified);
    Ok(if rejected { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
