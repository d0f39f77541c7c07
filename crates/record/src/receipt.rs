//! A voter's receipt checked against what the public sees (`docs/protocol.md` §13.4): the
//! published record (the entry at the receipt's index, the tree at its size, later ballots under
//! the same credential) and each witness's latest cosigned checkpoint. Reads files only; the
//! caller fetches the witnesses' notes.

use crate::checkpoint::LogVerifier;
use crate::files;
use crate::format::{hash, ElectionJson, LogEntry, Manifest};
use crate::log::{leaf_hash, verify_consistency, Hash, MerkleTree};
use crate::writer::{manifest_hash, Receipt};
use convene_crypto::encoding::{hex32, to_hex};
use convene_note::{Checkpoint, Note, NoteError};
use std::io::BufRead;
use std::path::Path;

/// Why a receipt does not hold, in the words a voter is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReceiptFailure {
    /// The receipt itself does not check, or the published log does not hold this ballot where
    /// the receipt puts it.
    NotInLog(String),
    /// The log key signed two trees that cannot both be this log.
    Equivocation(String),
    /// A later cast ballot under the same credential counts instead.
    Superseded {
        /// The later ballot's log index.
        later: u64,
    },
    /// A witness cosigned more of the log than the published record holds.
    Withheld {
        /// The witness's name.
        witness: String,
        /// The size it cosigned.
        witnessed: u64,
        /// The size the record publishes.
        published: u64,
    },
}

impl std::fmt::Debug for PublishedLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublishedLog {{ election: {:?}, entries: {} }}", self.manifest.election_id, self.tree.len())
    }
}

impl std::fmt::Display for ReceiptFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReceiptFailure::NotInLog(why) => write!(f, "not in the log: {why}"),
            ReceiptFailure::Equivocation(why) => {
                write!(f, "two trees of the same size signed (keep this receipt: it proves equivocation): {why}")
            }
            ReceiptFailure::Superseded { later } => {
                write!(f, "superseded by a later ballot under your credential (log entry {later})")
            }
            ReceiptFailure::Withheld { witness, witnessed, published } => write!(
                f,
                "the published record stops at {published} entries, but witness {witness} cosigned {witnessed}: \
                 the record withholds part of the log the witnesses saw"
            ),
        }
    }
}

/// The published record as a receipt check read it: its manifest and the log's tree.
pub struct PublishedLog {
    /// The manifest.
    pub manifest: Manifest,
    /// Its exact bytes (their hash binds the checkpoints).
    pub manifest_bytes: Vec<u8>,
    /// The Merkle tree of the published log.
    pub tree: MerkleTree,
}

fn io(what: &str, e: impl std::fmt::Display) -> ReceiptFailure {
    ReceiptFailure::NotInLog(format!("cannot read the record's {what}: {e}"))
}

/// Checks `receipt` against the record in `dir`: the receipt on its own (signature, quorum,
/// inclusion), then the published log (§13.4 steps 1 and 3, and the tree at the receipt's size).
pub fn check_against_record(dir: &Path, receipt: &Receipt) -> Result<PublishedLog, ReceiptFailure> {
    let manifest_bytes = std::fs::read(dir.join(files::MANIFEST)).map_err(|e| io(files::MANIFEST, e))?;
    let manifest = Manifest::parse(&manifest_bytes).map_err(|e| io(files::MANIFEST, e))?;
    let verifier = LogVerifier::of(&manifest, &manifest_hash(&manifest_bytes)).map_err(|e| io(files::MANIFEST, e))?;
    crate::verify::check_receipt_under(&verifier, receipt).map_err(ReceiptFailure::NotInLog)?;
    let election: ElectionJson =
        serde_json::from_slice(&std::fs::read(dir.join(files::ELECTION)).map_err(|e| io(files::ELECTION, e))?)
            .map_err(|e| io(files::ELECTION, e))?;
    let base = hex32(&election.base_hash).map_err(|e| io(files::ELECTION, e))?;
    let code = hash("tracking_code", &receipt.tracking_code).map_err(|e| ReceiptFailure::NotInLog(e.to_string()))?;
    let log = std::fs::File::open(dir.join(files::LOG)).map_err(|e| io(files::LOG, e))?;
    let mut tree = MerkleTree::default();
    let mut credential = None;
    let mut superseded = None;
    for (index, line) in std::io::BufReader::new(log).split(b'\n').enumerate() {
        let line = line.map_err(|e| io(files::LOG, e))?;
        if line.is_empty() {
            continue;
        }
        let index = index as u64;
        let entry = LogEntry::parse(&line).map_err(|e| io(&format!("log entry {index}"), e))?;
        let leaf = leaf_hash(&entry.entry_bytes(&base));
        tree.push(leaf);
        if index == receipt.index {
            if leaf != code {
                return Err(ReceiptFailure::NotInLog(format!(
                    "entry {index} of the published log has tracking code {}, not {}",
                    to_hex(&leaf),
                    receipt.tracking_code
                )));
            }
            if let LogEntry::Cast(ballot) = &entry {
                credential = Some(*ballot.credential.bytes());
            }
        } else if index > receipt.index && superseded.is_none() {
            if let (LogEntry::Cast(ballot), Some(mine)) = (&entry, &credential) {
                if ballot.credential.bytes() == mine {
                    superseded = Some(index);
                }
            }
        }
    }
    if tree.len() <= receipt.index || tree.len() < receipt.checkpoint.size {
        return Err(ReceiptFailure::NotInLog(format!(
            "the published log has {} entries; the receipt's checkpoint has {}",
            tree.len(),
            receipt.checkpoint.size
        )));
    }
    let root = tree.root(receipt.checkpoint.size).expect("the size is within the tree");
    if to_hex(&root) != receipt.checkpoint.root {
        return Err(ReceiptFailure::Equivocation(format!(
            "the published log's tree of {} entries has root {}; the receipt's checkpoint, signed by the log key, has {}",
            receipt.checkpoint.size,
            to_hex(&root),
            receipt.checkpoint.root
        )));
    }
    if let Some(later) = superseded {
        return Err(ReceiptFailure::Superseded { later });
    }
    Ok(PublishedLog { manifest, manifest_bytes, tree })
}

/// What one witness's latest checkpoint says about a receipt.
#[derive(Debug, PartialEq, Eq)]
pub enum WitnessView {
    /// The witness cosigned a checkpoint consistent with the receipt's, of this size.
    Consistent(u64),
    /// The witness has not cosigned this log yet.
    Unseen,
}

/// Checks witness `k`'s latest cosigned checkpoint (`note`, as `GET URL/checkpoint/ORIGIN` gives
/// it) against the receipt (§13.4 step 2). `proof(from, to)` gives a consistency proof between
/// two sizes (computed from the published log, or asked of the host).
pub fn check_against_witness(
    manifest: &Manifest,
    k: usize,
    note: &str,
    receipt: &Receipt,
    proof: impl Fn(u64, u64) -> Option<Vec<Hash>>,
) -> Result<WitnessView, ReceiptFailure> {
    let Some(witnessed) = crate::checkpoint::Witnessed::of_manifest(manifest) else {
        return Ok(WitnessView::Unseen);
    };
    let witness = &witnessed.witnesses[k];
    let bad =
        |why: String| ReceiptFailure::NotInLog(format!("witness {}'s checkpoint does not check: {why}", witness.name));
    let parsed = Note::parse(note.as_bytes()).map_err(|e| bad(e.to_string()))?;
    parsed.verify(std::slice::from_ref(&witnessed.log)).map_err(|e| bad(format!("log signature: {e}")))?;
    match parsed.verify(std::slice::from_ref(witness)) {
        Ok(_) => {}
        Err(NoteError::Unverified) => return Err(bad("it does not carry the witness's cosignature".into())),
        Err(e) => return Err(bad(e.to_string())),
    }
    let theirs = Checkpoint::parse(&parsed.text).map_err(|e| bad(e.to_string()))?;
    if theirs.origin != witnessed.log.name {
        return Err(bad(format!("it is of log {:?}", theirs.origin)));
    }
    let mine_root = hash("root", &receipt.checkpoint.root).map_err(|e| bad(e.to_string()))?;
    let mine = receipt.checkpoint.size;
    let equivocation = |why: String| ReceiptFailure::Equivocation(format!("witness {}: {why}", witness.name));
    if theirs.size == mine {
        if theirs.root != mine_root {
            return Err(equivocation(format!(
                "it cosigned a tree of {mine} entries with root {}; your receipt's has {}",
                to_hex(&theirs.root),
                receipt.checkpoint.root
            )));
        }
        return Ok(WitnessView::Consistent(theirs.size));
    }
    let (from, to, from_root, to_root) = if theirs.size > mine {
        (mine, theirs.size, mine_root, theirs.root)
    } else {
        (theirs.size, mine, theirs.root, mine_root)
    };
    let consistent =
        from == 0 || proof(from, to).is_some_and(|p| verify_consistency(from, to, &from_root, &to_root, &p));
    if !consistent {
        return Err(equivocation(format!(
            "its checkpoint of {} entries and your receipt's of {mine} are not one log",
            theirs.size
        )));
    }
    Ok(WitnessView::Consistent(theirs.size))
}
