//! The `convene` command line: a thin layer over the libraries.
//!
//! Exit codes: 0 success; 1 the record does not verify (or the receipt does not check);
//! 2 bad usage or unreadable input.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use convene::client::Client;
use convene::demo::{self, DemoConfig};
use convene::report;
use convene_record::verify::Progress;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

mod actor_flags;
mod actors;
mod assembly;
mod election;
mod flags;
mod progress;
mod record;
mod rule_flags;
mod rules;
mod witness;

use flags::*;
use progress::*;

/// Parses the arguments and runs the command on one tokio runtime; the exit code.
pub fn main() -> ExitCode {
    let ran = tokio::runtime::Runtime::new().map_err(anyhow::Error::from).and_then(|runtime| runtime.block_on(run()));
    match ran {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    if let Some(path) = &cli.ca_file {
        let pem = std::fs::read(path).with_context(|| format!("--ca-file: cannot read {}", path.display()))?;
        convene::client::trust_ca(&pem).with_context(|| format!("--ca-file {}", path.display()))?;
    }
    match cli.command {
        Command::Verify(args) => record::run_verify(args).await,
        Command::Fetch(args) => record::run_fetch(args).await,
        Command::Receipt(args) => record::run_receipt(args).await,
        Command::Timeline(args) => record::run_timeline(args).await,
        Command::ExportTiles(args) => record::run_export_tiles(args).await,
        Command::CheckBooth(args) => record::run_check_booth(args).await,
        Command::ExportBooth(args) => record::run_export_booth(args).await,
        Command::Demo(args) => election::run_demo(args).await,
        Command::Serve(args) => election::run_serve(args).await,
        Command::Backup(args) => election::run_backup(args).await,
        Command::Vote(args) => election::run_vote(args).await,
        Command::Loadtest(args) => election::run_loadtest(args).await,
        Command::Registrar(args) => actors::run_registrar(args).await,
        Command::RegistrarCheck(args) => actors::run_registrar_check(args).await,
        Command::Codes(args) => actors::run_codes(args).await,
        Command::Authority(args) => actors::run_authority(args).await,
        Command::Keygen(args) => actors::run_keygen(args).await,
        Command::Trustee(args) => actors::run_trustee(args).await,
        Command::Assembly(args) => assembly::run_assembly(args).await,
        Command::Witness(args) => witness::run_witness(args).await,
        Command::Apportion(args) => rules::run_apportion(args).await,
        Command::Power(args) => rules::run_power(args).await,
        Command::Count(args) => rules::run_count(args).await,
        Command::Revenue(args) => rules::run_revenue(args).await,
        Command::Ratify(args) => rules::run_ratify(args).await,
    }
}

/// Completes on SIGTERM (a service manager's stop) or Ctrl-C: a server or a witness then stops
/// accepting, finishes what is in flight, and exits 0.
pub(crate) async fn stop_requested() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let term = async move {
        match term.as_mut() {
            Some(term) => term.recv().await.map_or((), |_| ()),
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        () = term => {},
    }
}
