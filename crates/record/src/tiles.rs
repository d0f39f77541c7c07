//! The log as static tiles (c2sp.org/tlog-tiles): `checkpoint`, the Merkle tree as tiles of 256
//! hashes per level (`tile/L/N[.p/W]`), and the entries as bundles (`tile/entries/N[.p/W]`) of
//! big-endian uint16 length-prefixed entries, each hashing (RFC 6962, `SHA-256(0x00 ‖ entry)`)
//! to its leaf. A Convene entry in a bundle is its exact bytes (protocol note §7), the ones its
//! leaf hashes. Pure: paths and bytes in, paths and bytes out (`docs/protocol.md` §13.6).

use crate::log::{leaf_hash, Hash, MerkleTree};

/// Hashes per full tile.
pub const TILE_WIDTH: u64 = 256;

/// `N` as tlog-tiles writes it: 3-digit groups, every group but the last prefixed by `x`.
pub fn index_path(n: u64) -> String {
    let digits = format!("{n}");
    let padded = format!("{}{digits}", "0".repeat((3 - digits.len() % 3) % 3));
    let groups: Vec<&str> = (0..padded.len()).step_by(3).map(|i| &padded[i..i + 3]).collect();
    let last = groups.len() - 1;
    groups
        .iter()
        .enumerate()
        .map(|(i, g)| if i < last { format!("x{g}") } else { g.to_string() })
        .collect::<Vec<_>>()
        .join("/")
}

/// A tile's path: `tile/L/N` or, partial, `tile/L/N.p/W`; level `None` for an entry bundle.
pub fn tile_path(level: Option<u8>, n: u64, width: u64) -> String {
    let level = level.map_or("entries".to_string(), |l| l.to_string());
    let partial = if width == TILE_WIDTH { String::new() } else { format!(".p/{width}") };
    format!("tile/{level}/{}{partial}", index_path(n))
}

/// Reads a tile path after `tile/` (`L/N[.p/W]` or `entries/N[.p/W]`): the level (`None` for an
/// entry bundle), the index and the width; `None` for anything else.
pub fn parse_tile_path(path: &str) -> Option<(Option<u8>, u64, u64)> {
    let (head, rest) = path.split_once('/')?;
    let level = match head {
        "entries" => None,
        l if !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()) && (l == "0" || !l.starts_with('0')) => {
            Some(l.parse::<u8>().ok().filter(|l| *l <= 63)?)
        }
        _ => return None,
    };
    let (index, width) = match rest.split_once(".p/") {
        Some((index, width)) => {
            let w: u64 = width.parse().ok()?;
            (width == w.to_string() && (1..TILE_WIDTH).contains(&w)).then_some((index, w))?
        }
        None => (rest, TILE_WIDTH),
    };
    let groups: Vec<&str> = index.split('/').collect();
    let mut n: u64 = 0;
    for (i, group) in groups.iter().enumerate() {
        let digits = if i + 1 < groups.len() { group.strip_prefix('x')? } else { group };
        if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        n = n.checked_mul(1000)?.checked_add(digits.parse::<u64>().ok()?)?;
    }
    (index_path(n) == index).then_some((level, n, width))
}

/// The tiles a tree of `size` needs, each `(level, index, width)`: at each level, the full
/// tiles and the partial one (`floor(size / 256^l) mod 256` wide, when not 0).
pub fn tiles_for(size: u64) -> Vec<(u8, u64, u64)> {
    let mut out = Vec::new();
    let mut level = 0u8;
    let mut span = 1u64; // leaves per hash at this level
    while size / span > 0 {
        let hashes = size / span;
        for n in 0..hashes / TILE_WIDTH {
            out.push((level, n, TILE_WIDTH));
        }
        if !hashes.is_multiple_of(TILE_WIDTH) {
            out.push((level, hashes / TILE_WIDTH, hashes % TILE_WIDTH));
        }
        level += 1;
        match span.checked_mul(TILE_WIDTH) {
            Some(next) => span = next,
            None => break,
        }
    }
    out
}

/// The bytes of tile `(level, n, width)` of `tree`: the Merkle Tree Hashes of its subtrees of
/// `256^level` leaves each.
pub fn tile_bytes(tree: &MerkleTree, level: u8, n: u64, width: u64) -> Option<Vec<u8>> {
    let span = TILE_WIDTH.checked_pow(level as u32)?;
    let mut out = Vec::with_capacity(width as usize * 32);
    for i in 0..width {
        let start = (n * TILE_WIDTH + i) * span;
        out.extend_from_slice(&tree.subtree_root(start, span)?);
    }
    Some(out)
}

/// An entry bundle: each entry as `u16be(length) ‖ entry`.
pub fn bundle(entries: &[Vec<u8>]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for (k, entry) in entries.iter().enumerate() {
        let length = u16::try_from(entry.len()).map_err(|_| {
            format!("entry {k} of the bundle is {} bytes; a bundle entry is at most 65,535", entry.len())
        })?;
        out.extend_from_slice(&length.to_be_bytes());
        out.extend_from_slice(entry);
    }
    Ok(out)
}

/// Reads an entry bundle of `width` entries; refuses one that is cut short or too long.
pub fn parse_bundle(bytes: &[u8], width: u64) -> Result<Vec<Vec<u8>>, String> {
    let mut entries = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let [a, b, tail @ ..] = rest else { return Err("a bundle entry's length is cut short".into()) };
        let length = u16::from_be_bytes([*a, *b]) as usize;
        if tail.len() < length {
            return Err("a bundle entry is cut short".into());
        }
        entries.push(tail[..length].to_vec());
        rest = &tail[length..];
        if entries.len() as u64 > width {
            return Err(format!("the bundle holds more than its {width} entries"));
        }
    }
    if entries.len() as u64 != width {
        return Err(format!("the bundle holds {} entries, not {width}", entries.len()));
    }
    Ok(entries)
}

/// Checks a level-0 tile's bytes against `leaves` (the leaf hashes its entries give).
pub fn check_leaf_tile(bytes: &[u8], leaves: &[Hash]) -> bool {
    bytes.len() == leaves.len() * 32 && bytes.chunks(32).zip(leaves).all(|(a, b)| a == b)
}

/// The leaf hashes of a bundle's entries.
pub fn leaves_of(entries: &[Vec<u8>]) -> Vec<Hash> {
    entries.iter().map(|e| leaf_hash(e)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_the_spec_s() {
        assert_eq!(index_path(1234067), "x001/x234/067");
        assert_eq!(index_path(0), "000");
        assert_eq!(index_path(1000), "x001/000");
        assert_eq!(tile_path(Some(0), 1234067, 256), "tile/0/x001/x234/067");
        assert_eq!(tile_path(Some(1), 5, 17), "tile/1/005.p/17");
        assert_eq!(tile_path(None, 273, 112), "tile/entries/273.p/112");
    }

    #[test]
    fn tile_paths_parse_back() {
        for (level, n, width) in [(Some(0), 1234067, 256), (Some(1), 5, 17), (None, 273, 112), (Some(63), 0, 1)] {
            assert_eq!(parse_tile_path(&tile_path(level, n, width)["tile/".len()..]), Some((level, n, width)));
        }
        for bad in
            ["0/x001", "00/000", "64/000", "0/000.p/256", "0/000.p/0", "0/1", "x/000", "0/001/002", "entries/000.p/07"]
        {
            assert_eq!(parse_tile_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_tree_of_70000_has_the_spec_s_tiles() {
        // "273 full level 0 tiles, one partial level 0 tile of width 112, one full level 1
        // tile, one partial level 1 tile of width 17, and one partial level 2 tile of width 1".
        let tiles = tiles_for(70_000);
        let level = |l: u8| tiles.iter().filter(|t| t.0 == l).map(|t| t.2).collect::<Vec<_>>();
        assert_eq!(level(0).len(), 274);
        assert_eq!(level(0).iter().filter(|w| **w == 256).count(), 273);
        assert_eq!(level(0).last(), Some(&112));
        assert_eq!(level(1), vec![256, 17]);
        assert_eq!(level(2), vec![1]);
        assert_eq!(tiles_for(256), vec![(0, 0, 256), (1, 0, 1)]);
    }

    #[test]
    fn tiles_rebuild_the_tree_and_bundles_their_entries() {
        let entries: Vec<Vec<u8>> = (0..600u32).map(|i| i.to_le_bytes().repeat(1 + i as usize % 5)).collect();
        let mut tree = MerkleTree::default();
        for e in &entries {
            tree.push(leaf_hash(e));
        }
        let top = tile_bytes(&tree, 1, 0, 2).unwrap();
        assert_eq!(&top[..32], &tree.subtree_root(0, 256).unwrap());
        assert_eq!(&top[32..], &crate::log::root_of(&leaves_of(&entries[256..512])));
        let bytes = bundle(&entries[512..600]).unwrap();
        let parsed = parse_bundle(&bytes, 88).unwrap();
        assert_eq!(parsed, entries[512..600]);
        assert!(check_leaf_tile(&tile_bytes(&tree, 0, 2, 88).unwrap(), &leaves_of(&parsed)));
        assert!(parse_bundle(&bytes[..bytes.len() - 1], 88).is_err());
        assert!(parse_bundle(&bytes, 87).is_err());
        assert!(bundle(&[vec![0; 70_000]]).is_err());
    }
}
