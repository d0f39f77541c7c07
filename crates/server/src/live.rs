//! An election that takes ballots: its checking context, its electorate, its Merkle tree and
//! the group-commit appender whose hook signs a checkpoint after every commit. Built from the
//! store (so any server process, after any restart, rebuilds the same state), cached in memory.

use crate::error::{AppError, AppResult};
use crate::witnessing::Checkpointer;
use crate::AppState;
use axum::http::StatusCode;
use convene_crypto::ballot::ElectionContext;
use convene_crypto::elgamal::ElectionKey;
use convene_crypto::encoding::{hash256, hex32, to_hex};
use convene_crypto::Scalar;
use convene_record::admission::LogOrder;
use convene_record::format::{
    parse_credential_line, point_non_identity, CeremonyJson, CheckpointJson, ElectionJson, LogEntry, Manifest,
};
use convene_record::log::MerkleTree;
use convene_record::tally::Electorate;
use convene_record::writer::{manifest_hash, Receipt};
use convene_store::{Appender, CommitHook, NewEntry, Store, StoreError};
use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use sha2::Sha256;
use std::sync::Arc;
use tokio::sync::Mutex;

pub const LOG_KEY: &str = "secret/log-key";
pub const SESSION_KEY: &str = "secret/session-key";

/// The hash under which a voter code is stored: `H256("convene/voter-code v1"; election, code)`,
/// with the code upper-cased and stripped of dashes and spaces.
pub fn voter_code_hash(election: &str, code: &str) -> [u8; 32] {
    let normal: String = code.chars().filter(|c| !matches!(c, '-' | ' ')).flat_map(char::to_uppercase).collect();
    hash256("convene/voter-code v1", &[election.as_bytes(), normal.as_bytes()])
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

    /// Signs a checkpoint of the whole tree, has it witnessed, stores it and makes it the
    /// latest (receipts are issued under it from now on).
    pub async fn checkpoint(
        &mut self,
        store: &dyn Store,
        id: &str,
        checkpointer: &Checkpointer,
    ) -> Result<(), StoreError> {
        let checkpoint = checkpointer.checkpoint(&self.tree).await.map_err(StoreError::Other)?;
        let bytes = serde_json::to_vec(&checkpoint).map_err(|e| StoreError::Other(e.to_string()))?;
        match store.put_checkpoint(id, checkpoint.size, &bytes).await {
            // Another process signed this very size first: one checkpoint a size is enough.
            Ok(()) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
        self.latest = Some(checkpoint);
        Ok(())
    }

    /// The receipt of entry `index` against the latest checkpoint.
    pub fn receipt(&self, index: u64) -> Option<Receipt> {
        let checkpoint = self.latest.clone().filter(|c| c.size > index)?;
        let inclusion = self.tree.inclusion_proof(index, checkpoint.size)?.iter().map(|h| to_hex(h)).collect();
        Some(Receipt { version: 1, index, tracking_code: to_hex(&self.tree.leaf(index)?), checkpoint, inclusion })
    }
}

/// The host's 32 secret bytes of an election's (or convention's) log key.
pub async fn log_secret(store: &dyn Store, id: &str) -> AppResult<[u8; 32]> {
    store.document(id, LOG_KEY).await?.try_into().map_err(|_| AppError::internal("stored log key is not 32 bytes"))
}

/// Signs (and has witnessed) a checkpoint after every durable commit, before the ballots are
/// acknowledged: a receipt is only ever issued under a checkpoint with its witnesses' quorum.
struct CheckpointHook {
    store: Arc<dyn Store>,
    id: String,
    checkpointer: Arc<Checkpointer>,
    tree: Arc<Mutex<TreeState>>,
}

#[async_trait::async_trait]
impl CommitHook for CheckpointHook {
    async fn committed(&mut self, first_index: u64, entries: &[NewEntry]) -> Result<(), StoreError> {
        let mut state = self.tree.lock().await;
        state.catch_up(self.store.as_ref(), &self.id, first_index).await?;
        let end = first_index + entries.len() as u64;
        if state.tree.len() == first_index {
            for entry in entries {
                state.tree.push(entry.leaf);
            }
        } else {
            // Someone got the tree lock first and already read these committed entries from the
            // store (`close`, taking its final checkpoint, or a catch-up): they must be these.
            state.catch_up(self.store.as_ref(), &self.id, end).await?;
            let same = entries.iter().enumerate().all(|(k, e)| state.tree.leaf(first_index + k as u64) == Some(e.leaf));
            if !same {
                return Err(StoreError::Other(format!(
                    "the log's entries from {first_index} are not the ones committed"
                )));
            }
        }
        if state.latest.as_ref().is_some_and(|c| c.size >= end) {
            // A checkpoint covering this batch was signed meanwhile; receipts use it.
            return Ok(());
        }
        state.checkpoint(self.store.as_ref(), &self.id, &self.checkpointer).await
    }
}

/// Everything needed to check and accept ballots for one election.
pub struct Live {
    pub context: ElectionContext,
    pub electorate: Electorate,
    /// The record format version (version 3 binds ballots to one-time keys).
    pub version: u32,
    pub session_key: Vec<u8>,
    pub tree: Arc<Mutex<TreeState>>,
    /// Signs the log's checkpoints and gathers their witnesses' cosignatures.
    pub checkpointer: Arc<Checkpointer>,
    pub appender: Appender,
    /// The record's order-dependent checks (no repeated ballot, no reuse of a revealed
    /// ciphertext), over every entry this process has seen or reserved.
    order: std::sync::Mutex<LogOrder>,
    /// Entries appended per session (by its token), against `Config::max_ballots_per_session`.
    sessions: std::sync::Mutex<std::collections::HashMap<String, u32>>,
}

impl Live {
    async fn load(state: &AppState, id: &str) -> AppResult<Live> {
        let store = state.store.as_ref();
        let row = store.election(id).await?;
        let manifest = Manifest::parse(&row.manifest).map_err(AppError::internal)?;
        let manifest_hash = manifest_hash(&row.manifest);
        let ceremony: CeremonyJson =
            serde_json::from_slice(&store.document(id, "ceremony.json").await?).map_err(AppError::internal)?;
        let key = point_non_identity("election_key", &ceremony.outcome.election_key).map_err(AppError::internal)?;
        let election: ElectionJson =
            serde_json::from_slice(&store.document(id, "election.json").await?).map_err(AppError::internal)?;
        let base = hex32(&election.base_hash).map_err(AppError::internal)?;
        let mut electorate = Electorate::new(manifest.regions.clone());
        for line in store.document(id, "credentials.jsonl").await?.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            let listed = parse_credential_line(line, &manifest).map_err(AppError::internal)?;
            electorate.register(*listed.credential.bytes(), listed.region as u16, listed.weight);
        }
        let context = ElectionContext {
            base,
            key: ElectionKey::new(key).map_err(AppError::internal)?,
            questions: manifest.shapes(),
        };
        let mut tree = TreeState { tree: MerkleTree::default(), latest: None };
        let size = store.log_size(id).await?;
        tree.catch_up(store, id, size).await?;
        if let Some((_, bytes)) = store.checkpoints(id).await?.pop() {
            tree.latest = Some(serde_json::from_slice(&bytes).map_err(AppError::internal)?);
        }
        let tree = Arc::new(Mutex::new(tree));
        let checkpointer = Arc::new(
            Checkpointer::new(
                &manifest,
                &manifest_hash,
                &log_secret(store, id).await?,
                state.config.witness_timeout,
                state.metrics.clone(),
            )
            .map_err(AppError::internal)?,
        );
        let hook = CheckpointHook {
            store: state.store.clone(),
            id: id.to_string(),
            checkpointer: checkpointer.clone(),
            tree: tree.clone(),
        };
        let appender =
            Appender::spawn(state.store.clone(), id.to_string(), "open", Box::new(hook), state.config.max_batch);
        let session_key = store.document(id, SESSION_KEY).await?;
        let order = std::sync::Mutex::new(
            Self::order_of_log(store, id, size, &electorate, manifest.max_ballots_per_credential).await?,
        );
        let version = manifest.version;
        Ok(Live {
            context,
            electorate,
            version,
            session_key,
            tree,
            checkpointer,
            appender,
            order,
            sessions: Default::default(),
        })
    }

    /// The order-dependent checks' memory of the log's first `size` entries, which were checked
    /// when they were appended.
    async fn order_of_log(
        store: &dyn Store,
        id: &str,
        size: u64,
        electorate: &Electorate,
        cap: Option<u32>,
    ) -> AppResult<LogOrder> {
        let mut order = LogOrder::new(cap);
        let mut from = 0;
        while from < size {
            let rows = store.entries(id, from, (size - from).min(5000)).await?;
            let Some(last) = rows.last() else { break };
            from = last.index + 1;
            for row in rows {
                let entry = LogEntry::parse(&row.line).map_err(AppError::internal)?;
                // A version-3 challenged ballot belongs to no credential.
                let voter = match (&entry, electorate.check(entry.ballot())) {
                    (_, Ok(voter)) => Some(voter),
                    (LogEntry::Spoiled(ballot, _), Err(_)) if ballot.one_time.is_some() => None,
                    (_, Err(e)) => return Err(AppError::internal(e)),
                };
                order.replay(voter, &entry, row.index);
            }
        }
        Ok(order)
    }

    /// Counts one more entry for the session `token`; false once it has cast `cap`.
    pub fn spend_session(&self, token: &str, cap: u32) -> bool {
        let mut sessions = self.sessions.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let used = sessions.entry(token.to_string()).or_default();
        if *used >= cap {
            return false;
        }
        *used += 1;
        true
    }

    /// The order-dependent checks; held only for a check, never across an `.await`.
    pub fn order(&self) -> std::sync::MutexGuard<'_, LogOrder> {
        self.order.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A session token for `credential`, valid until `expiry` (seconds since the epoch):
    /// `credential.expiry.HMAC(session key; election ‖ credential ‖ expiry)`.
    pub fn session_token(&self, id: &str, credential: &[u8; 32], expiry: u64) -> String {
        format!("{}.{expiry}.{}", to_hex(credential), to_hex(&self.session_mac(id, credential, expiry)))
    }

    fn session_mac(&self, id: &str, credential: &[u8; 32], expiry: u64) -> [u8; 32] {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.session_key).expect("HMAC takes any key length");
        mac.update(id.as_bytes());
        mac.update(credential);
        mac.update(&expiry.to_le_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The credential a session token was issued for, if it is genuine and unexpired.
    pub fn check_session(&self, id: &str, token: &str, now: u64) -> AppResult<[u8; 32]> {
        let unauthorized = |m: &str| AppError::new(StatusCode::UNAUTHORIZED, "bad_session", m.to_string());
        let mut parts = token.split('.');
        let (Some(credential), Some(expiry), Some(mac), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(unauthorized("the session token is malformed; sign in again with a voter code"));
        };
        let credential = hex32(credential).map_err(|_| unauthorized("the session token is malformed"))?;
        let expiry: u64 = expiry.parse().map_err(|_| unauthorized("the session token is malformed"))?;
        let mac = hex32(mac).map_err(|_| unauthorized("the session token is malformed"))?;
        let expected = self.session_mac(id, &credential, expiry);
        if !crate::constant_time_eq(&mac, &expected) {
            return Err(unauthorized("the session token is not genuine; sign in again"));
        }
        if now > expiry {
            return Err(unauthorized("the session has expired; sign in again with another voter code"));
        }
        Ok(credential)
    }
}

/// New random secrets for an election: its (Schnorr) log key and its session key.
pub fn new_secrets() -> (Scalar, [u8; 32]) {
    let mut session = [0u8; 32];
    OsRng.fill_bytes(&mut session);
    (Scalar::random(&mut OsRng), session)
}

impl AppState {
    /// The live state of an election that has its credentials (cached after the first call).
    pub(crate) async fn live(&self, id: &str) -> AppResult<Arc<Live>> {
        let mut cache = self.live.lock().await;
        if let Some(live) = cache.get(id) {
            return Ok(live.clone());
        }
        let live = Arc::new(Live::load(self, id).await?);
        cache.insert(id.to_string(), live.clone());
        Ok(live)
    }
}
