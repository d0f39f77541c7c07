//! `convene check-booth`: is the booth a server hands voters the booth the election's manifest
//! names, and the one its source builds? Every page and asset the manifest lists
//! (`booth_assets`, SHA-256 by file name) is fetched from the server as a browser would and
//! hashed; the web pages are built again from `web/` (the build is reproducible) and hashed; each
//! file that differs is named.

use crate::client::Client;
use anyhow::{bail, Context, Result};
use convene_crypto::encoding::to_hex;
use convene_record::format::Manifest;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// One file of the booth: its hash in the manifest, as served, and as built from source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoothFile {
    pub file: String,
    pub manifest: String,
    pub served: Result<String, String>,
    pub source: Option<String>,
}

impl BoothFile {
    pub fn holds(&self) -> bool {
        self.served.as_ref().is_ok_and(|s| *s == self.manifest)
            && self.source.as_ref().is_none_or(|s| *s == self.manifest)
    }
}

/// Where the server serves a built file: pages at their routes, assets under `/assets/`.
pub fn route_of(file: &str, election: &str) -> Option<String> {
    // A page in another language (`vote.ar.html`) is the same route with `?lang=`.
    if let Some((page, lang)) =
        file.strip_suffix(".html").and_then(|f| f.rsplit_once('.')).filter(|(p, _)| !p.contains('/'))
    {
        let route = route_of(&format!("{page}.html"), election)?;
        return Some(format!("{route}?lang={lang}"));
    }
    Some(match file {
        "index.html" => "/".into(),
        "vote.html" => format!("/vote/{election}"),
        "results.html" => format!("/results/{election}"),
        "assembly.html" => format!("/assembly/{election}"),
        "check.html" => "/check".into(),
        "receipt.html" => "/receipt".into(),
        other if other.starts_with("assets/") => format!("/{other}"),
        _ => return None,
    })
}

fn sha256_hex(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

/// Builds the web pages from `web` (running `npm ci` first if its packages are missing) into a
/// temporary directory; the SHA-256 of every file built.
pub fn build_from_source(web: &Path) -> Result<BTreeMap<String, String>> {
    let out = tempfile::tempdir()?;
    let npm = |args: &[&str]| -> Result<()> {
        let status = std::process::Command::new("npm")
            .args(args)
            .current_dir(web)
            .env("CONVENE_WEB_OUT", out.path())
            .stdout(std::process::Stdio::null())
            .status()
            .with_context(|| format!("cannot run npm in {} (install Node.js and npm)", web.display()))?;
        if !status.success() {
            bail!("`npm {}` in {} failed", args.join(" "), web.display());
        }
        Ok(())
    };
    if !web.join("node_modules/esbuild").is_dir() {
        npm(&["ci", "--no-audit", "--no-fund"])?;
    }
    npm(&["run", "build", "--silent"])?;
    let mut built = BTreeMap::new();
    for dir in [out.path().to_path_buf(), out.path().join("assets")] {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_file() {
                let name = path.strip_prefix(out.path())?.to_string_lossy().replace('\\', "/");
                built.insert(name, sha256_hex(&std::fs::read(&path)?));
            }
        }
    }
    Ok(built)
}

/// Checks the booth of `election` on the server `client` talks to against its manifest and,
/// given `source` (the hashes `build_from_source` gave), against the source.
pub async fn check_booth(
    client: &Client,
    election: &str,
    source: Option<&BTreeMap<String, String>>,
) -> Result<Vec<BoothFile>> {
    let bytes = client.get_bytes(&format!("/api/elections/{election}/record/manifest.json")).await?;
    let manifest = Manifest::parse(&bytes).context("the election's manifest")?;
    if manifest.booth_assets.is_empty() {
        bail!("the manifest of {election} names no booth assets (record format 4 names them); nothing to compare");
    }
    let mut files = Vec::new();
    for (file, hash) in &manifest.booth_assets {
        let Some(route) = route_of(file, election) else { continue };
        let served = client.get_bytes(&route).await.map(|b| sha256_hex(&b)).map_err(|e| e.to_string());
        files.push(BoothFile {
            file: file.clone(),
            manifest: hash.clone(),
            served,
            source: source.map(|s| s.get(file).cloned().unwrap_or_else(|| "absent".into())),
        });
    }
    Ok(files)
}
