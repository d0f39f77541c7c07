//! The arguments of the officials' commands (clap): the registrar, the code issuer, the
//! authority, and the key files they sign with.

use std::path::PathBuf;

/// The arguments of `convene registrar`.
#[derive(clap::Args)]
pub(crate) struct RegistrarArgs {
    /// The election (its manifest gives the regions).
    #[arg(long)]
    pub(crate) election: String,
    /// The server to read the manifest from (and upload to, with --admin-token-file).
    #[arg(long)]
    pub(crate) server: String,
    /// The voter list (CSV: voter,region).
    #[arg(long)]
    pub(crate) voters: PathBuf,
    /// Where to write the upload and the sheets (a new or empty directory).
    #[arg(long)]
    pub(crate) out: PathBuf,
    #[arg(long, default_value_t = 3)]
    pub(crate) codes_per_voter: usize,
    /// Upload the public list with the supervisor's token from this file.
    #[arg(long)]
    pub(crate) admin_token_file: Option<PathBuf>,
    /// The registrar's identity file (`convene keygen`), whose key the manifest names: the
    /// list is signed with it and uploaded (record format version 2; no token needed).
    #[arg(long)]
    pub(crate) identity: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) printed: Printed,
}

/// How the documents a voter is handed are printed (`convene registrar`, `convene codes`).
#[derive(clap::Args)]
pub(crate) struct Printed {
    /// The booth's address printed on the documents and held by their QR codes (default:
    /// SERVER/vote/ELECTION).
    #[arg(long)]
    pub(crate) booth: Option<String>,
    /// The documents' language (for the registrar's sheets, where the voter list has no
    /// language column): en, ar or ckb.
    #[arg(long, default_value = "en", value_parser = parse_lang)]
    pub(crate) language: convene::registrar::Lang,
}

/// A language the sheets are printed in.
fn parse_lang(tag: &str) -> Result<convene::registrar::Lang, String> {
    convene::registrar::Lang::parse(tag).ok_or_else(|| format!("{tag:?} is not en, ar or ckb"))
}

/// The arguments of `convene keygen`.
#[derive(clap::Args)]
pub(crate) struct KeygenArgs {
    /// The name the manifest will show.
    #[arg(long)]
    pub(crate) name: String,
    /// The identity file to create.
    #[arg(long)]
    pub(crate) out: PathBuf,
}

/// The arguments of `convene registrar-check`.
#[derive(clap::Args)]
pub(crate) struct RegistrarCheckArgs {
    #[arg(long)]
    pub(crate) server: String,
    #[arg(long)]
    pub(crate) election: String,
    /// The upload `convene registrar` wrote (OUT/credentials-upload.json).
    #[arg(long)]
    pub(crate) issued: PathBuf,
}

/// The arguments of `convene codes`.
#[derive(clap::Args)]
pub(crate) struct CodesArgs {
    #[arg(long)]
    pub(crate) server: String,
    #[arg(long)]
    pub(crate) election: String,
    /// The code issuer's identity file (`convene keygen`).
    #[arg(long)]
    pub(crate) identity: PathBuf,
    #[arg(long, default_value_t = 3)]
    pub(crate) codes_per_voter: usize,
    /// Where to write the slips (a new or empty directory).
    #[arg(long)]
    pub(crate) out: PathBuf,
    #[command(flatten)]
    pub(crate) printed: Printed,
}

/// The arguments of `convene authority`.
#[derive(clap::Args)]
pub(crate) struct AuthorityArgs {
    #[arg(long)]
    pub(crate) server: String,
    #[arg(long)]
    pub(crate) election: String,
    /// The authority's identity file (`convene keygen`).
    #[arg(long)]
    pub(crate) identity: PathBuf,
}
