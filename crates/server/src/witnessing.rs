//! Checkpoints that count: the log key signs the tree, and — in record format version 4 — the
//! manifest's witnesses cosign it before any receipt relies on it (`docs/protocol.md` §13.3).
//! Each witness is sent the checkpoint with a consistency proof from the size it last cosigned;
//! a `409` tells that size and the proof is sent again; other failures are retried with backoff
//! until the quorum is reached or the attempt times out.

use crate::ops::Metrics;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use convene_crypto::encoding::to_hex;
use convene_note::Verifier;
use convene_record::checkpoint::{add_cosignature, LogSigner, LogVerifier};
use convene_record::format::{CheckpointJson, Manifest, WitnessJson};
use convene_record::log::Hash;
use convene_record::log::MerkleTree;
use convene_record::writer::Receipt;
use convene_store::{Store, StoreError};
use rand_core::OsRng;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// The first retry's delay; each later one doubles, up to [`MAX_BACKOFF`].
pub const FIRST_BACKOFF: Duration = Duration::from_millis(50);
pub const MAX_BACKOFF: Duration = Duration::from_secs(2);

struct WitnessClient {
    verifier: Verifier,
    url: String,
    /// The size this witness last cosigned (0 until it says otherwise).
    size: std::sync::Mutex<u64>,
}

/// Signs an election's checkpoints and gathers its witnesses' cosignatures.
pub struct Checkpointer {
    signer: LogSigner,
    witnesses: Vec<WitnessClient>,
    quorum: usize,
    http: reqwest::Client,
    timeout: Duration,
    pub(crate) metrics: Arc<Metrics>,
}

/// The outcome of sending one checkpoint to one witness.
enum Sent {
    Cosigned(String),
    /// The witness cosigned another size; send again from it.
    Conflict(u64),
    Failed(String),
}

impl Checkpointer {
    /// For a referendum: its manifest's log key and witnesses, and the host's log secret.
    pub fn new(
        manifest: &Manifest,
        manifest_hash: &Hash,
        secret: &[u8; 32],
        timeout: Duration,
        metrics: Arc<Metrics>,
    ) -> Result<Checkpointer, String> {
        let signer = LogSigner::new(manifest, manifest_hash, secret)?;
        let verifier = LogVerifier::of(manifest, manifest_hash).map_err(|e| e.to_string())?;
        Checkpointer::for_log(signer, verifier, &manifest.witnesses, timeout, metrics)
    }

    /// For any log (a referendum's, a convention's): its signer, its verifier, and where its
    /// witnesses answer (in the verifier's order).
    pub fn for_log(
        signer: LogSigner,
        verifier: LogVerifier,
        urls: &[WitnessJson],
        timeout: Duration,
        metrics: Arc<Metrics>,
    ) -> Result<Checkpointer, String> {
        let (witnesses, quorum) = match verifier {
            LogVerifier::Note(w) => (
                w.witnesses
                    .into_iter()
                    .zip(urls)
                    .map(|(verifier, json)| WitnessClient {
                        verifier,
                        url: json.url.clone(),
                        size: std::sync::Mutex::new(0),
                    })
                    .collect(),
                w.quorum,
            ),
            LogVerifier::Schnorr { .. } => (Vec::new(), 0),
        };
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(2))
            .timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Checkpointer { signer, witnesses, quorum, http, timeout, metrics })
    }

    /// Whether checkpoints wait for witnesses.
    pub fn witnessed(&self) -> bool {
        self.quorum > 0
    }

    /// Signs a checkpoint of the tree as it stands and, with witnesses, returns it only once a
    /// quorum of them cosigned it (with every cosignature that arrived by then). The tree is
    /// locked only to sign and to make consistency proofs, never while a witness answers, so
    /// commits go on meanwhile.
    pub async fn checkpoint(self: &Arc<Self>, tree: &Arc<Mutex<TreeState>>) -> Result<CheckpointJson, String> {
        let mut checkpoint = self.signer.sign(&tree.lock().await.tree, &mut OsRng);
        if self.quorum == 0 {
            return Ok(checkpoint);
        }
        let started = Instant::now();
        let deadline = started + self.timeout;
        let note = checkpoint.note.clone().ok_or("a witnessed log signs notes")?;
        let size = checkpoint.size;
        // Each witness is asked in a task of its own, which runs to its end even once the quorum
        // is reached: the slower witness still learns the checkpoint and keeps its connection.
        let (answers, mut answered) = tokio::sync::mpsc::unbounded_channel();
        for k in 0..self.witnesses.len() {
            let (this, tree, note, answers) = (self.clone(), tree.clone(), note.clone(), answers.clone());
            tokio::spawn(async move {
                let outcome = this.until_cosigned(&this.witnesses[k], &tree, size, &note, deadline).await;
                let _ = answers.send((k, outcome));
            });
        }
        drop(answers);
        let mut cosigned = 0;
        let mut failures = Vec::new();
        while let Some((k, outcome)) = answered.recv().await {
            let witness = &self.witnesses[k];
            match outcome.and_then(|line| add_cosignature(&mut checkpoint, &witness.verifier, &line)) {
                Ok(()) => cosigned += 1,
                Err(e) => failures.push(format!("{}: {e}", witness.verifier.name)),
            }
            if cosigned >= self.quorum {
                break;
            }
        }
        let elapsed = started.elapsed();
        Metrics::inc(&self.metrics.witness_rounds);
        self.metrics.witness_seconds.record(elapsed.as_secs_f64());
        if cosigned < self.quorum {
            Metrics::inc(&self.metrics.witness_failures);
            return Err(format!(
                "only {cosigned} of the {} witnesses cosigned checkpoint {} (the quorum is {}): {}",
                self.witnesses.len(),
                checkpoint.size,
                self.quorum,
                failures.join("; ")
            ));
        }
        Ok(checkpoint)
    }

    /// Sends the checkpoint to `witness` until it cosigns or `deadline` passes.
    async fn until_cosigned(
        &self,
        witness: &WitnessClient,
        tree: &Mutex<TreeState>,
        size: u64,
        note: &str,
        deadline: Instant,
    ) -> Result<String, String> {
        let mut backoff = FIRST_BACKOFF;
        loop {
            let old = *witness.size.lock().unwrap_or_else(|e| e.into_inner());
            if old > size {
                return Err(format!("it has cosigned size {old}, beyond this checkpoint's {size}"));
            }
            let last = match self.send(witness, tree, old, size, note).await {
                Sent::Cosigned(line) => {
                    *witness.size.lock().unwrap_or_else(|e| e.into_inner()) = size;
                    return Ok(line);
                }
                Sent::Conflict(theirs) if theirs != old && Instant::now() < deadline => {
                    *witness.size.lock().unwrap_or_else(|e| e.into_inner()) = theirs;
                    continue;
                }
                Sent::Conflict(theirs) => format!("conflict at size {theirs}"),
                Sent::Failed(why) => why,
            };
            if Instant::now() + backoff > deadline {
                return Err(last);
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    async fn send(&self, witness: &WitnessClient, tree: &Mutex<TreeState>, old: u64, size: u64, note: &str) -> Sent {
        let proof = if old == 0 || old == size {
            Vec::new()
        } else {
            // The tree only grows: a proof between two of its sizes stays computable.
            match tree.lock().await.tree.consistency_proof(old, size) {
                Some(p) => p,
                None => return Sent::Failed(format!("no consistency proof from {old}")),
            }
        };
        let mut body = format!("old {old}\n");
        for hash in &proof {
            body.push_str(&BASE64.encode(hash));
            body.push('\n');
        }
        body.push('\n');
        body.push_str(note);
        let answer = self.http.post(format!("{}/add-checkpoint", witness.url)).body(body).send().await;
        let answer = match answer {
            Ok(a) => a,
            Err(e) => return Sent::Failed(format!("unreachable: {e}")),
        };
        let status = answer.status();
        let text = answer.text().await.unwrap_or_default();
        match status.as_u16() {
            200 => Sent::Cosigned(text),
            409 => match text.trim_end().parse() {
                Ok(size) => Sent::Conflict(size),
                Err(_) => Sent::Failed("409 without a size".into()),
            },
            code => Sent::Failed(format!("HTTP {code}: {}", text.trim_end())),
        }
    }
}

/// The log's Merkle tree and its latest signed checkpoint.
pub struct TreeState {
    pub tree: MerkleTree,
    pub latest: Option<CheckpointJson>,
}

impl TreeState {
    /// Brings the tree up to `size` entries from the store (another process may have appended).
    pub async fn catch_up(&mut self, store: &dyn Store, id: &str, size: u64) -> Result<(), StoreError> {
        while self.tree.len() < size {
            let rows = store.entries(id, self.tree.len(), (size - self.tree.len()).min(10_000)).await?;
            if rows.is_empty() {
                return Err(StoreError::Other(format!("the log has a gap at entry {}", self.tree.len())));
            }
            for row in rows {
                self.tree.push(row.leaf);
            }
        }
        Ok(())
    }

    /// The receipt of entry `index` against the latest checkpoint.
    pub fn receipt(&self, index: u64) -> Option<Receipt> {
        let checkpoint = self.latest.clone().filter(|c| c.size > index)?;
        let inclusion = self.tree.inclusion_proof(index, checkpoint.size)?.iter().map(|h| to_hex(h)).collect();
        Some(Receipt { version: 1, index, tracking_code: to_hex(&self.tree.leaf(index)?), checkpoint, inclusion })
    }
}

/// The checkpoints of one election's log that receipts rely on: signed by the log key and, in
/// record format 4, cosigned by a quorum of witnesses (`docs/protocol.md` §13.3). Without
/// witnesses a checkpoint is signed after every commit, before its ballots are acknowledged;
/// with them, a task of its own takes the tree as it stands, has it witnessed and stores it, while
/// commits go on, and each cast waits until a witnessed checkpoint covers it.
pub struct Checkpoints {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) id: String,
    pub(crate) checkpointer: Arc<Checkpointer>,
    pub tree: Arc<Mutex<TreeState>>,
    /// The size the latest stored checkpoint covers.
    pub(crate) covered: tokio::sync::watch::Sender<u64>,
    /// One signing round at a time (the task, or `close`).
    pub(crate) round: Mutex<()>,
    pub(crate) grown: tokio::sync::Notify,
}

impl Checkpoints {
    /// Signs (and has witnessed) a checkpoint of the whole tree, stores it and makes it the
    /// latest: receipts are issued under it from now on.
    pub async fn checkpoint_now(&self) -> Result<(), StoreError> {
        let _round = self.round.lock().await;
        // On a shared PostgreSQL, one process signs at a time, and first takes the log as it
        // stands: another's checkpoint may already cover it, or cover more than this one knows.
        let _signer = match self.store.shared() {
            true => Some(self.store.lock_log(&self.id).await?),
            false => None,
        };
        if self.store.shared() {
            self.adopt_stored().await?;
            let size = self.store.log_size(&self.id).await?;
            let mut tree = self.tree.lock().await;
            tree.catch_up(self.store.as_ref(), &self.id, size).await?;
            if tree.latest.as_ref().is_some_and(|c| c.size >= tree.tree.len()) {
                return Ok(());
            }
        }
        let checkpoint = self.checkpointer.checkpoint(&self.tree).await.map_err(StoreError::Other)?;
        let bytes = serde_json::to_vec(&checkpoint).map_err(|e| StoreError::Other(e.to_string()))?;
        match self.store.put_checkpoint(&self.id, checkpoint.size, &bytes).await {
            // Another process signed this very size first: one checkpoint a size is enough.
            Ok(()) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
        let size = checkpoint.size;
        let mut tree = self.tree.lock().await;
        if tree.latest.as_ref().is_none_or(|c| c.size < size) {
            tree.latest = Some(checkpoint);
        }
        drop(tree);
        self.covered.send_modify(|covered| *covered = (*covered).max(size));
        Ok(())
    }

    /// A newer checkpoint that another process stored becomes this one's latest (its entries
    /// read into the tree first), so that receipts, tiles and proofs are as current here as
    /// there. Nothing to do on SQLite, where this process stores every checkpoint.
    pub async fn adopt_stored(&self) -> Result<(), StoreError> {
        if !self.store.shared() {
            return Ok(());
        }
        let Some((size, bytes)) = self.store.last_checkpoint(&self.id).await? else { return Ok(()) };
        let mut tree = self.tree.lock().await;
        if tree.latest.as_ref().is_some_and(|c| c.size >= size) {
            return Ok(());
        }
        let checkpoint = serde_json::from_slice(&bytes).map_err(|e| StoreError::Other(e.to_string()))?;
        tree.catch_up(self.store.as_ref(), &self.id, size).await?;
        tree.latest = Some(checkpoint);
        drop(tree);
        self.covered.send_modify(|covered| *covered = (*covered).max(size));
        Ok(())
    }

    /// Waits until a stored checkpoint covers entry `index`, at most `timeout`.
    pub async fn covering(&self, index: u64, timeout: std::time::Duration) -> Result<(), StoreError> {
        let mut covered = self.covered.subscribe();
        let reached =
            tokio::time::timeout(timeout, covered.wait_for(|size| *size > index)).await.is_ok_and(|r| r.is_ok());
        if reached {
            return Ok(());
        }
        Err(StoreError::Uncovered {
            index,
            why: "the witnesses have not cosigned a checkpoint that covers it in time".into(),
        })
    }

    /// The witnessing task: whenever the tree has grown beyond the latest checkpoint, one round.
    pub(crate) async fn witness_forever(self: Arc<Self>) {
        loop {
            let (size, covered) = (self.tree.lock().await.tree.len(), *self.covered.borrow());
            if size <= covered {
                self.grown.notified().await;
                continue;
            }
            if let Err(e) = self.checkpoint_now().await {
                tracing::warn!(election = %self.id, error = %e, "checkpoint not witnessed; trying again");
                tokio::time::sleep(FIRST_BACKOFF).await;
            }
        }
    }
}
