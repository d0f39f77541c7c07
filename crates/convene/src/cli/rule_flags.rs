//! The arguments of the rules on their own (clap): `apportion`, `count`, `power`, `revenue` and
//! `ratify`, and the house a convention's apportionment shares.

use std::path::PathBuf;

/// A house to apportion: the method, its size, and the seats each unit may have.
#[derive(clap::Args)]
pub(crate) struct House {
    /// hamilton, jefferson, dhondt, webster, sainte-lague, huntington-hill, adams or dean.
    #[arg(long)]
    pub(crate) method: String,
    /// The house size.
    #[arg(long)]
    pub(crate) seats: u64,
    /// At least this many seats per unit.
    #[arg(long, default_value_t = 0)]
    pub(crate) min_seats: u64,
    /// At most this many seats per unit.
    #[arg(long)]
    pub(crate) max_seats: Option<u64>,
}

/// The arguments of `convene apportion`.
#[derive(clap::Args)]
pub(crate) struct ApportionArgs {
    #[command(flatten)]
    pub(crate) house: House,
    /// Units with less than this share of all votes get no seats (e.g. 5% or 1/20).
    #[arg(long)]
    pub(crate) threshold: Option<String>,
    #[arg(long)]
    pub(crate) json: bool,
    pub(crate) file: PathBuf,
}

/// The arguments of `convene count`.
#[derive(clap::Args)]
pub(crate) struct CountArgs {
    /// Which count to print: schulze, irv (instant runoff) or both.
    #[arg(long, default_value = "both", value_parser = ["schulze", "irv", "both"])]
    pub(crate) method: String,
    /// Break ties that decide a winner by a lot drawn from this seed (and say so).
    #[arg(long)]
    pub(crate) seed: Option<String>,
    /// One JSON document instead of text.
    #[arg(long)]
    pub(crate) json: bool,
    /// The ballots (CSV).
    pub(crate) file: PathBuf,
}

/// The arguments of `convene power`.
#[derive(clap::Args)]
pub(crate) struct PowerArgs {
    /// The weight a coalition needs to win.
    #[arg(long)]
    pub(crate) quota: u64,
    /// The members a coalition needs to win, besides the weight.
    #[arg(long, default_value_t = 0)]
    pub(crate) min_members: usize,
    /// Print each index as an exact fraction in lowest terms (such as 5/12) instead of six
    /// decimals.
    #[arg(long)]
    pub(crate) exact: bool,
    pub(crate) file: PathBuf,
}

/// The arguments of `convene revenue`.
#[derive(clap::Args)]
pub(crate) struct RevenueArgs {
    /// A formula file (TOML); repeat to compare scenarios.
    #[arg(long = "formula", required = true)]
    pub(crate) formulas: Vec<PathBuf>,
    /// The revenue to share, in minor units.
    #[arg(long)]
    pub(crate) revenue: u64,
    pub(crate) localities: PathBuf,
}

/// The arguments of `convene ratify`.
#[derive(clap::Args)]
pub(crate) struct RatifyArgs {
    /// The rule file (TOML).
    #[arg(long)]
    pub(crate) rule: PathBuf,
    /// The results file (CSV).
    pub(crate) results: PathBuf,
    /// Print machine-readable JSON with an `outcome` field instead of text.
    #[arg(long)]
    pub(crate) json: bool,
}
