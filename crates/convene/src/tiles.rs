//! The log as static files (c2sp.org/tlog-tiles, `docs/protocol.md` §13.6): `convene
//! export-tiles` writes a record's checkpoint, tiles and entry bundles, with the record's own
//! documents under `record/`, so that any web server or CDN can serve them; `convene fetch
//! --tiles URL` reads them back from such a host and checks that the tiles' tree is the
//! checkpoint's, cosigned by the manifest's witnesses, and that the record's log is that tree.

use crate::client::Client;
use anyhow::{bail, Context, Result};
use convene_record::checkpoint::{LogVerifier, WITNESSED_VERSION};
use convene_record::files;
use convene_record::format::{CheckpointsJson, ElectionJson, LogEntry, Manifest};
use convene_record::log::{leaf_hash, MerkleTree};
use convene_record::tiles::{
    bundle, check_leaf_tile, leaves_of, parse_bundle, tile_bytes, tile_path, tiles_for, TILE_WIDTH,
};
use convene_record::writer::{manifest_hash, write_atomic};
use std::path::Path;

/// The record's log: each entry's exact bytes (the ones its leaf hashes), and its tree.
fn log_of(record: &Path) -> Result<(Manifest, Vec<Vec<u8>>, MerkleTree)> {
    let manifest_bytes = std::fs::read(record.join(files::MANIFEST)).context("the record's manifest")?;
    let manifest = Manifest::parse(&manifest_bytes)?;
    if manifest.version < WITNESSED_VERSION {
        bail!(
            "tiles need a record of format version 4 (its checkpoints are signed notes); this one is version {}",
            manifest.version
        );
    }
    let election: ElectionJson = serde_json::from_slice(&std::fs::read(record.join(files::ELECTION))?)?;
    let base = convene_record::format::hash("base_hash", &election.base_hash)?;
    let mut entries = Vec::new();
    let mut tree = MerkleTree::default();
    for (k, line) in
        std::fs::read(record.join(files::LOG))?.split(|b| *b == b'\n').filter(|l| !l.is_empty()).enumerate()
    {
        let bytes = LogEntry::parse(line).with_context(|| format!("log entry {k}"))?.entry_bytes(&base);
        tree.push(leaf_hash(&bytes));
        entries.push(bytes);
    }
    Ok((manifest, entries, tree))
}

/// Writes the tiles of the record in `record` into `out`; the number of files written.
pub fn export(record: &Path, out: &Path) -> Result<usize> {
    let (_, entries, tree) = log_of(record)?;
    let checkpoints: CheckpointsJson = serde_json::from_slice(&std::fs::read(record.join(files::CHECKPOINTS))?)?;
    let last = checkpoints.checkpoints.last().context("the record has no checkpoint")?;
    if last.size != tree.len() {
        bail!("the record's last checkpoint covers {} entries, its log has {}", last.size, tree.len());
    }
    let note = last.note.as_deref().context("the last checkpoint has no note")?;
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        bail!("{} exists and is not empty; give a new directory", out.display());
    }
    let write = |path: &str, bytes: &[u8]| -> Result<()> {
        let file = out.join(path);
        std::fs::create_dir_all(file.parent().expect("a path under OUT"))?;
        write_atomic(&file, bytes).with_context(|| format!("writing {}", file.display()))
    };
    let mut written = 0;
    write("checkpoint", note.as_bytes())?;
    for (level, n, width) in tiles_for(tree.len()) {
        write(&tile_path(Some(level), n, width), &tile_bytes(&tree, level, n, width).expect("within the tree"))?;
        written += 1;
    }
    for (n, chunk) in entries.chunks(TILE_WIDTH as usize).enumerate() {
        write(&tile_path(None, n as u64, chunk.len() as u64), &bundle(chunk).map_err(anyhow::Error::msg)?)?;
        written += 1;
    }
    for entry in std::fs::read_dir(record)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            write(&format!("record/{}", entry.file_name().to_string_lossy()), &std::fs::read(entry.path())?)?;
            written += 1;
        }
    }
    Ok(written + 1)
}

/// What `fetch_tiles` found: the log's size and how many witnesses cosigned its checkpoint.
pub struct Fetched {
    pub size: u64,
    pub cosigned: usize,
}

/// Reads a record and its tiles from the static host `url` into `dir`, and checks them.
pub async fn fetch_tiles(url: &str, dir: &Path) -> Result<Fetched> {
    let host = Client::new(url, None);
    let manifest_bytes = host.get_bytes("/record/manifest.json").await.context("record/manifest.json")?;
    let manifest = Manifest::parse(&manifest_bytes)?;
    let mut wanted = convene_record::files::record_files(&manifest);
    wanted.retain(|f| *f != files::MANIFEST);
    std::fs::create_dir_all(dir)?;
    write_atomic(&dir.join(files::MANIFEST), &manifest_bytes)?;
    host.fetch_files("/record", &wanted, dir).await?;
    // The checkpoint, as the manifest's log key and witnesses must have signed it.
    let note = String::from_utf8(host.get_bytes("/checkpoint").await.context("checkpoint")?)?;
    let LogVerifier::Note(witnessed) = LogVerifier::of(&manifest, &manifest_hash(&manifest_bytes))? else {
        bail!("tiles need a record of format version 4");
    };
    let (checkpoint, cosigned) =
        witnessed.check_note(&note).map_err(|(code, why)| anyhow::anyhow!("the tiles' checkpoint: {why} [{code}]"))?;
    // Every entry bundle, each entry against its level-0 tile, all of them against the root.
    let mut tree = MerkleTree::default();
    let mut entries = Vec::new();
    for n in 0..checkpoint.size.div_ceil(TILE_WIDTH) {
        let width = (checkpoint.size - n * TILE_WIDTH).min(TILE_WIDTH);
        let bytes = host.get_bytes(&format!("/{}", tile_path(None, n, width))).await?;
        let bundle = parse_bundle(&bytes, width).map_err(|e| anyhow::anyhow!("entry bundle {n}: {e}"))?;
        let leaves = leaves_of(&bundle);
        let tile = host.get_bytes(&format!("/{}", tile_path(Some(0), n, width))).await?;
        if !check_leaf_tile(&tile, &leaves) {
            bail!("level-0 tile {n} does not hash the entries of its bundle");
        }
        leaves.iter().for_each(|l| tree.push(*l));
        entries.extend(bundle);
    }
    if tree.root(checkpoint.size) != Some(checkpoint.root) {
        bail!("the tiles' tree does not have the checkpoint's root");
    }
    for (level, n, width) in tiles_for(checkpoint.size).into_iter().filter(|t| t.0 > 0) {
        let bytes = host.get_bytes(&format!("/{}", tile_path(Some(level), n, width))).await?;
        if Some(bytes) != tile_bytes(&tree, level, n, width) {
            bail!("tile {} is not the tree's", tile_path(Some(level), n, width));
        }
    }
    // The record's log is exactly that tree's entries.
    let (_, published, _) = log_of(dir)?;
    if published != entries {
        bail!(
            "the record's log.jsonl is not the log the tiles hold ({} entries there, {} in the tiles)",
            published.len(),
            entries.len()
        );
    }
    Ok(Fetched { size: checkpoint.size, cosigned: cosigned.len() })
}
