//! The `convene` command line: a thin layer over the libraries.
//!
//! Exit codes: 0 success; 1 the record does not verify (or the receipt does not check);
//! 2 bad usage or unreadable input.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use convene::demo::{self, DemoConfig};
use convene::report;
use convene_record::verify::{verify_record, Progress};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

#[derive(Parser)]
#[command(
    name = "convene",
    version,
    about = "Apportion, convene, and ratify by a referendum that anyone can verify.",
    long_about = "Convene runs a constitutional process in the open. Its referendum is end-to-end \
verifiable: ballots are encrypted on the voter's device, any t of n trustees are needed to \
decrypt, and the public record lets anyone check every step without trusting the host.\n\n\
Start with `convene demo`, then check what it wrote with `convene verify`.",
    after_help = "Exit codes: 0 success; 1 verification failed; 2 bad usage or unreadable input."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a whole demonstration referendum and write its public record.
    #[command(long_about = "Run a whole demonstration referendum at ballot level and write its public record.\n\n\
A 3-of-5 trustee key ceremony (trustee 5 deals a bad share; trustee 2's public complaint gets it \
excluded), a registrar issuing one credential per voter across five regions, N simulated voters \
(every 20th re-votes; the last ballot counts), one challenged ballot that is revealed and \
spoiled, signed checkpoints, the encrypted tally, decryption by three trustees, and the results.\n\n\
Example:\n  convene demo --voters 1000 --out demo-record\n  convene verify demo-record")]
    Demo {
        /// How many voters to simulate.
        #[arg(long, default_value_t = 1000)]
        voters: u64,
        /// Where to write the record (a new or empty directory).
        #[arg(long, default_value = "convene-demo-record")]
        out: PathBuf,
        /// Also ask which structure of the state voters prefer (choose one of four).
        #[arg(long)]
        structure_question: bool,
        /// Make the record reproducible from this seed (for tests; never for a real vote).
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Check every proof, signature, sum and result of a record; list every failure.
    #[command(long_about = "Check a record independently: the parameters and the key ceremony \
(complaints included); every ballot's proofs, signature, credential, region and supersession; \
spoiled ballots' reveals; the log's tree against every signed checkpoint and the consistency \
proofs; every tally sum; every partial decryption; and the published results.\n\n\
It reports every failure with its location and exits 0 only if every check holds.")]
    Verify {
        /// The record's directory (as written by `convene demo`).
        dir: PathBuf,
    },
    /// Evaluate a ratification rule on plain results.
    #[command(long_about = "Evaluate a ratification rule (TOML) on plain results (CSV), exactly.\n\n\
RESULTS.csv has a header and the columns region,registered,yes,no,blank,invalid,weight; only \
region, yes and no are required, and a missing weight counts as 1. Prints `ratified` or \
`rejected` on the first line, then each condition with its figures. With scope = \"per-region\" \
each region's block starts with its own outcome. A tie is never a majority.\n\n\
Example rule (a double majority with a turnout quorum):\n\n\
  [approval]\n  base = \"valid\"\n  more_than = \"1/2\"\n  [quorum]\n  at_least = \"3/5\"\n  \
[regions]\n  more_than = \"1/2\"\n\n\
Exit codes: 0 ratified (or, per region, evaluated); 1 rejected; 2 bad rule or results.")]
    Ratify {
        /// The rule file (TOML).
        #[arg(long)]
        rule: PathBuf,
        /// The results file (CSV).
        results: PathBuf,
        /// Print machine-readable JSON with an `outcome` field instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Check a voter's receipt: the checkpoint is signed by the log and includes the ballot.
    Receipt {
        /// The record's directory (its manifest holds the log's public key).
        dir: PathBuf,
        /// The receipt file (JSON).
        receipt: PathBuf,
    },
}

struct Bar(Mutex<Option<ProgressBar>>);

impl Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template("{msg:>14} [{bar:40}] {percent:>3}% {elapsed_precise} eta {eta}")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        bar.set_message(name.to_string());
        if let Some(old) = self.0.lock().expect("progress lock").replace(bar) {
            old.finish_and_clear();
        }
    }
    fn advance(&self, done: u64) {
        if let Some(bar) = &*self.0.lock().expect("progress lock") {
            bar.inc(done);
        }
    }
}

impl Bar {
    fn done(&self) {
        if let Some(bar) = self.0.lock().expect("progress lock").take() {
            bar.finish_and_clear();
        }
    }
}

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Demo { voters, out, structure_question, seed } => {
            let mut config = DemoConfig::new(voters, out.clone());
            config.structure_question = structure_question;
            config.seed = seed;
            let bar = Bar(Mutex::new(None));
            let current = Mutex::new(String::new());
            let outcome = demo::run(&config, &|stage, done, total| {
                let mut name = current.lock().expect("stage lock");
                if *name != stage {
                    *name = stage.to_string();
                    bar.stage(stage, total);
                }
                if let Some(b) = &*bar.0.lock().expect("progress lock") {
                    b.set_position(done);
                }
            })?;
            bar.done();
            println!("Wrote the record of {} log entries to {}", outcome.entries, out.display());
            println!(
                "Trustee {} dealt a bad share, was named in a public complaint, and was excluded; trustees 1-3 decrypted.",
                outcome.excluded_trustee
            );
            println!(
                "{} ballots were superseded by re-votes. One ballot was challenged and spoiled: tracking code {}.",
                outcome.superseded, outcome.challenged_tracking_code
            );
            println!();
            print!("{}", report::results_table(&outcome.manifest, &outcome.results));
            println!("\nCheck it yourself: convene verify {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify { dir } => {
            if !dir.is_dir() {
                anyhow::bail!(
                    "{} is not a directory; give the directory that `convene demo --out` wrote",
                    dir.display()
                );
            }
            let bar = Bar(Mutex::new(None));
            let report = verify_record(&dir, &bar);
            bar.done();
            print!("{}", report::verification_report(&report));
            Ok(if report.ok() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Ratify { rule, results, json } => {
            use convene_core::ratify::{evaluate, parse_results_csv, Rule, Verdict};
            let rule_text =
                std::fs::read_to_string(&rule).with_context(|| format!("cannot read {}", rule.display()))?;
            let rule = Rule::parse(&rule_text)
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("in {}", rule.display()))?;
            let csv =
                std::fs::read_to_string(&results).with_context(|| format!("cannot read {}", results.display()))?;
            let rows = parse_results_csv(&csv)
                .map_err(anyhow::Error::msg)
                .with_context(|| format!("in {}", results.display()))?;
            let verdict = evaluate(&rule, &rows).map_err(anyhow::Error::msg)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&report::verdict_json(&verdict))?);
            } else {
                print!("{}", verdict.to_text());
            }
            let rejected = matches!(&verdict, Verdict::National(e) if !e.ratified);
            Ok(if rejected { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Receipt { dir, receipt } => {
            let manifest = std::fs::read(dir.join(convene_record::files::MANIFEST))
                .with_context(|| format!("cannot read the manifest in {}", dir.display()))?;
            let text = std::fs::read(&receipt).with_context(|| format!("cannot read {}", receipt.display()))?;
            let receipt: convene_record::writer::Receipt =
                serde_json::from_slice(&text).context("the receipt is not valid JSON of a receipt")?;
            match convene_record::verify::verify_receipt(&manifest, &receipt) {
                Ok(()) => {
                    println!("The ballot with tracking code {} is entry {} of the log, under a checkpoint of {} entries signed by the log key.", receipt.tracking_code, receipt.index, receipt.checkpoint.size);
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    println!("The receipt does not check: {e}");
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
