//! The published credential list as every check consults it: who may vote, in which region,
//! with which weight.
//!
//! Two ways to hold it, one interface:
//! - built one credential at a time ([`Electorate::register`]) in a hash map, for the door and
//!   the record writer, which already hold the list;
//! - built by the verifier from a list of any length ([`ElectorateBuilder`]): up to
//!   [`SORT_IN_MEMORY`] credentials in memory; beyond, an external sort — sorted runs on disk,
//!   merged into one sorted file of fixed-size records, of which the process keeps only every
//!   [`BLOCK`]-th key (0.25 bytes per credential). A lookup reads one block of the file. So the
//!   verifier's memory does not grow with the electorate (BENCHMARKS.md, 2026-12-03, 20,000,000
//!   credentials); its temporary files (46 bytes per credential, in `TMPDIR`) are removed when
//!   it is done.

use crate::format::{parse_credential_line, Manifest};
use convene_crypto::ballot::Ballot;
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{BufReader, BufWriter, Read, Write};

/// Why a ballot cannot be counted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CountError {
    /// The ballot's credential is not on the list.
    #[error("the credential is not on the published credential list")]
    UnknownCredential,
    /// The ballot names another region than the list gives its credential.
    #[error("the ballot says region {found:?}; the credential list says {expected:?}")]
    RegionMismatch {
        /// The list's region.
        expected: String,
        /// The ballot's.
        found: String,
    },
}

/// A listed voter: its number in the list, its region's index, its public weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Voter {
    /// Its number: distinct for each credential (the door's: its place among the registered;
    /// the verifier's: its line's, from 0).
    pub number: u32,
    /// Its region's index in the manifest.
    pub region: u16,
    /// Its public weight.
    pub weight: u32,
}

/// The published credential list. Read-only once built, so the verifying threads share it while
/// the tally is counted elsewhere.
#[derive(Default)]
pub struct Electorate {
    regions: Vec<String>,
    listing: Listing,
    credentials: Vec<u64>,
    registered: Vec<u64>,
    heaviest: u32,
    len: u64,
}

#[derive(Default)]
enum Listing {
    #[default]
    Empty,
    Map(HashMap<[u8; 32], Voter>),
    Disk(SortedFile),
}

impl Electorate {
    /// An empty electorate over `regions` (the manifest's).
    pub fn new(regions: Vec<String>) -> Electorate {
        let n = regions.len();
        Electorate { regions, credentials: vec![0; n], registered: vec![0; n], ..Electorate::default() }
    }

    /// Registers a credential in a region (by index) with its weight; false if it was already
    /// registered.
    pub fn register(&mut self, credential: [u8; 32], region: u16, weight: u32) -> bool {
        let number = self.len as u32;
        if matches!(self.listing, Listing::Empty) {
            self.listing = Listing::Map(HashMap::new());
        }
        let Listing::Map(map) = &mut self.listing else {
            unreachable!("an electorate on disk is built by ElectorateBuilder, not registered into")
        };
        match map.entry(credential) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(v) => {
                let voter = Voter { number, region, weight };
                v.insert(voter);
                self.counted(voter);
                true
            }
        }
    }

    fn counted(&mut self, voter: Voter) {
        self.len += 1;
        self.credentials[voter.region as usize] += 1;
        self.registered[voter.region as usize] += voter.weight as u64;
        self.heaviest = self.heaviest.max(voter.weight);
    }

    /// How many credentials are registered.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The registered weight of each region (its number of credentials when every weight is
    /// 1), in manifest order.
    pub fn registered_by_region(&self) -> Vec<u64> {
        self.registered.clone()
    }

    /// How many credentials each region lists (whatever their weights), in the regions' order.
    pub fn credentials_by_region(&self) -> Vec<u64> {
        self.credentials.clone()
    }

    /// The largest weight of any credential (0 for an empty list).
    pub fn heaviest(&self) -> u32 {
        self.heaviest
    }

    /// The regions, in the manifest's order.
    pub fn regions(&self) -> &[String] {
        &self.regions
    }

    /// The listed voter holding `credential`, if any.
    pub fn voter(&self, credential: &[u8; 32]) -> Option<Voter> {
        match &self.listing {
            Listing::Empty => None,
            Listing::Map(map) => map.get(credential).copied(),
            Listing::Disk(file) => file.get(credential),
        }
    }

    /// The voter `ballot` is cast by, checked: listed, and in the region the list gives.
    pub fn check(&self, ballot: &Ballot) -> Result<Voter, CountError> {
        let voter = self.voter(ballot.credential.bytes()).ok_or(CountError::UnknownCredential)?;
        let expected = &self.regions[voter.region as usize];
        if *expected != ballot.region {
            return Err(CountError::RegionMismatch { expected: expected.clone(), found: ballot.region.clone() });
        }
        Ok(voter)
    }
}

/// How many credentials the verifier sorts in memory at once (46 MiB of them) unless
/// `CONVENE_SORT_IN_MEMORY` says otherwise; a longer list is sorted on disk.
pub const SORT_IN_MEMORY: usize = 1 << 20;

/// The variable that sets how many credentials are sorted in memory at once (a positive
/// integer): lower on a machine with little memory; tests set it low to sort small lists on disk.
pub const SORT_IN_MEMORY_VARIABLE: &str = "CONVENE_SORT_IN_MEMORY";

/// `CONVENE_SORT_IN_MEMORY` if it is a positive integer, otherwise why not.
pub fn sort_in_memory() -> Result<usize, String> {
    match std::env::var(SORT_IN_MEMORY_VARIABLE) {
        Err(_) => Ok(SORT_IN_MEMORY),
        Ok(v) => match v.trim().parse::<usize>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(format!("{SORT_IN_MEMORY_VARIABLE}={v:?} is not a positive integer (credentials sorted in memory at once; unset, {SORT_IN_MEMORY})")),
        },
    }
}

/// Credentials per block of the sorted file: the process keeps the first key of each.
pub const BLOCK: usize = 128;

/// One credential line as sorted: the key, its line (from 1), its region and weight.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    credential: [u8; 32],
    line: u64,
    region: u16,
    weight: u32,
}

/// A row's bytes, on disk: credential ‖ line (u64 LE) ‖ region (u16 LE) ‖ weight (u32 LE).
const ROW: usize = 32 + 8 + 2 + 4;

impl Row {
    fn bytes(&self) -> [u8; ROW] {
        let mut out = [0u8; ROW];
        out[..32].copy_from_slice(&self.credential);
        out[32..40].copy_from_slice(&self.line.to_le_bytes());
        out[40..42].copy_from_slice(&self.region.to_le_bytes());
        out[42..].copy_from_slice(&self.weight.to_le_bytes());
        out
    }

    fn from_bytes(b: &[u8]) -> Row {
        let le = |r: std::ops::Range<usize>| -> [u8; 8] {
            let mut v = [0u8; 8];
            v[..r.len()].copy_from_slice(&b[r]);
            v
        };
        Row {
            credential: b[..32].try_into().expect("a row starts with 32 bytes"),
            line: u64::from_le_bytes(le(32..40)),
            region: u64::from_le_bytes(le(40..42)) as u16,
            weight: u64::from_le_bytes(le(42..46)) as u32,
        }
    }

    /// The voter of this row: its number is its line's, so numbers are distinct.
    fn voter(&self) -> Voter {
        Voter { number: (self.line - 1) as u32, region: self.region, weight: self.weight }
    }
}

/// Builds an [`Electorate`] from a credential list of any length, in its order. Duplicates are
/// found when it is finished: each line that lists a credential an earlier line listed.
pub struct ElectorateBuilder {
    regions: Vec<String>,
    rows: Vec<Row>,
    runs: Vec<std::fs::File>,
    sort_in_memory: usize,
    lines: u64,
    /// Lines given to [`ElectorateBuilder::push_lines`], listing a credential or not.
    read: u64,
}

impl ElectorateBuilder {
    /// An empty list over `regions` (the manifest's), sorting [`sort_in_memory`] credentials in
    /// memory at once ([`SORT_IN_MEMORY`] if the variable is not a positive integer: `convene
    /// verify` refuses to start then).
    pub fn new(regions: Vec<String>) -> ElectorateBuilder {
        ElectorateBuilder::sorting(regions, sort_in_memory().unwrap_or(SORT_IN_MEMORY))
    }

    /// The same, sorting at most `sort_in_memory` credentials in memory at once.
    pub fn sorting(regions: Vec<String>, sort_in_memory: usize) -> ElectorateBuilder {
        ElectorateBuilder {
            regions,
            rows: Vec::new(),
            runs: Vec::new(),
            sort_in_memory: sort_in_memory.max(1),
            lines: 0,
            read: 0,
        }
    }

    /// The credential listed on `line` (from 1, increasing; at most `u32::MAX`).
    pub fn push(&mut self, line: u64, credential: [u8; 32], region: u16, weight: u32) -> std::io::Result<()> {
        debug_assert!(line > self.lines && line <= u32::MAX as u64 + 1);
        self.lines = line;
        self.rows.push(Row { credential, line, region, weight });
        if self.rows.len() >= self.sort_in_memory {
            self.spill()?;
        }
        Ok(())
    }

    /// The next lines of a `credentials.jsonl`, parsed in parallel (a point decompression each)
    /// and each credential pushed; the lines that list none, by number (from 1), with why.
    pub fn push_lines<L: AsRef<[u8]> + Sync>(
        &mut self,
        lines: &[L],
        manifest: &Manifest,
    ) -> std::io::Result<Vec<(u64, String)>> {
        let parsed: Vec<_> = lines.par_iter().map(|line| parse_credential_line(line.as_ref(), manifest)).collect();
        let mut bad = Vec::new();
        for listed in parsed {
            self.read = self.read.max(self.lines) + 1;
            match listed {
                Ok(listed) => self.push(self.read, *listed.credential.bytes(), listed.region as u16, listed.weight)?,
                Err(why) => bad.push((self.read, why)),
            }
        }
        Ok(bad)
    }

    /// Sorts the rows in memory and writes them as one run.
    fn spill(&mut self) -> std::io::Result<()> {
        self.rows.sort_unstable();
        let mut run = BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
        for row in self.rows.drain(..) {
            run.write_all(&row.bytes())?;
        }
        let mut file = run.into_inner().map_err(|e| e.into_error())?;
        std::io::Seek::rewind(&mut file)?;
        self.runs.push(file);
        Ok(())
    }

    /// The electorate, and the lines that list a credential an earlier line listed, in order.
    pub fn finish(mut self) -> std::io::Result<(Electorate, Vec<u64>)> {
        let mut electorate = Electorate::new(std::mem::take(&mut self.regions));
        let mut duplicates = Vec::new();
        if self.runs.is_empty() {
            // Short enough to be held in memory, as the door holds it.
            self.rows.sort_unstable();
            let mut map = HashMap::with_capacity(self.rows.len());
            let mut previous: Option<[u8; 32]> = None;
            for row in &self.rows {
                if previous == Some(row.credential) {
                    duplicates.push(row.line);
                    continue;
                }
                previous = Some(row.credential);
                map.insert(row.credential, row.voter());
                electorate.counted(row.voter());
            }
            electorate.listing = Listing::Map(map);
        } else {
            if !self.rows.is_empty() {
                self.spill()?;
            }
            let sorted = merge_runs(std::mem::take(&mut self.runs), |row, first| {
                if first {
                    electorate.counted(row.voter());
                } else {
                    duplicates.push(row.line);
                }
            })?;
            electorate.listing = Listing::Disk(sorted);
        }
        duplicates.sort_unstable();
        Ok((electorate, duplicates))
    }
}

/// The sorted runs merged into one file of the first row of each credential; `seen` is told of
/// every row, and whether it is its credential's first.
fn merge_runs(runs: Vec<std::fs::File>, mut seen: impl FnMut(&Row, bool)) -> std::io::Result<SortedFile> {
    let mut readers: Vec<BufReader<std::fs::File>> =
        runs.into_iter().map(|f| BufReader::with_capacity(1 << 16, f)).collect();
    let next = |reader: &mut BufReader<std::fs::File>| -> std::io::Result<Option<Row>> {
        let mut buf = [0u8; ROW];
        match reader.read_exact(&mut buf) {
            Ok(()) => Ok(Some(Row::from_bytes(&buf))),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
            Err(e) => Err(e),
        }
    };
    let mut heap = std::collections::BinaryHeap::new();
    for (k, reader) in readers.iter_mut().enumerate() {
        if let Some(row) = next(reader)? {
            heap.push(std::cmp::Reverse((row, k)));
        }
    }
    let mut out = BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
    let mut keys = Vec::new();
    let mut count = 0u64;
    let mut previous: Option<[u8; 32]> = None;
    while let Some(std::cmp::Reverse((row, k))) = heap.pop() {
        let first = previous != Some(row.credential);
        seen(&row, first);
        if first {
            if count.is_multiple_of(BLOCK as u64) {
                keys.push(row.credential);
            }
            out.write_all(&row.bytes())?;
            count += 1;
            previous = Some(row.credential);
        }
        if let Some(row) = next(&mut readers[k])? {
            heap.push(std::cmp::Reverse((row, k)));
        }
    }
    let file = out.into_inner().map_err(|e| e.into_error())?;
    Ok(SortedFile { file, keys, count })
}

/// Distinct credentials' rows sorted by credential, on disk, and the first key of each block.
struct SortedFile {
    file: std::fs::File,
    keys: Vec<[u8; 32]>,
    count: u64,
}

impl SortedFile {
    fn get(&self, credential: &[u8; 32]) -> Option<Voter> {
        let block = self.keys.partition_point(|k| k <= credential).checked_sub(1)?;
        let start = (block * BLOCK) as u64;
        let n = (self.count - start).min(BLOCK as u64) as usize;
        let mut buf = [0u8; BLOCK * ROW];
        // The verifier's own temporary file: failing to read it back is the machine's failure
        // (like running out of memory), not the record's.
        read_at(&self.file, &mut buf[..n * ROW], start * ROW as u64)
            .expect("the verifier's temporary credential index cannot be read back");
        let rows = &buf[..n * ROW];
        let (mut lo, mut hi) = (0usize, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let key = &rows[mid * ROW..mid * ROW + 32];
            match key.cmp(credential.as_slice()) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(Row::from_bytes(&rows[mid * ROW..(mid + 1) * ROW]).voter()),
            }
        }
        None
    }
}

#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &std::fs::File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Sorted on disk in runs of any length, the list answers every lookup, counts and
        /// duplicate as one held in memory does.
        #[test]
        fn the_list_sorted_on_disk_answers_as_the_one_in_memory(
            keys in proptest::collection::vec((0u8..40, 0u16..3, 1u32..4), 0..300),
            run in 1usize..50,
        ) {
            let regions: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
            let key = |k: u8| { let mut c = [k; 32]; c[31] = k.wrapping_mul(7); c };
            let mut memory = Electorate::new(regions.clone());
            let mut expected_duplicates = Vec::new();
            let mut builder = ElectorateBuilder::sorting(regions.clone(), run);
            for (i, (k, region, weight)) in keys.iter().enumerate() {
                let line = i as u64 + 1;
                if !memory.register(key(*k), *region, *weight) {
                    expected_duplicates.push(line);
                }
                builder.push(line, key(*k), *region, *weight).unwrap();
            }
            let (sorted, duplicates) = builder.finish().unwrap();
            prop_assert_eq!(&duplicates, &expected_duplicates);
            prop_assert_eq!(sorted.len(), memory.len());
            prop_assert_eq!(sorted.registered_by_region(), memory.registered_by_region());
            prop_assert_eq!(sorted.credentials_by_region(), memory.credentials_by_region());
            prop_assert_eq!(sorted.heaviest(), memory.heaviest());
            for k in 0..45u8 {
                let (a, b) = (sorted.voter(&key(k)), memory.voter(&key(k)));
                prop_assert_eq!(a.map(|v| (v.region, v.weight)), b.map(|v| (v.region, v.weight)));
            }
        }
    }

    #[test]
    fn a_list_longer_than_memory_is_sorted_on_disk() {
        let mut builder = ElectorateBuilder::sorting(vec!["r".into()], 2);
        for line in 1..=5u64 {
            builder.push(line, [line as u8; 32], 0, 1).unwrap();
        }
        builder.push(6, [3; 32], 0, 1).unwrap();
        let (electorate, duplicates) = builder.finish().unwrap();
        assert!(matches!(electorate.listing, Listing::Disk(_)));
        assert_eq!((electorate.len(), duplicates), (5, vec![6]));
        assert_eq!(electorate.voter(&[3; 32]).map(|v| v.number), Some(2));
        assert_eq!(electorate.voter(&[9; 32]), None);
    }
}
