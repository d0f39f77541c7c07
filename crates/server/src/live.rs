//! An election that takes ballots: its checking context, its electorate, its Merkle tree and
//! the group-commit appender whose hook signs a checkpoint after every commit. Built from the
//! store (so any server process, after any restart, rebuilds the same state), cached in memory.

use crate::error::{AppError, AppResult};
use crate::witnessing::{Checkpointer, TreeState};
use crate::AppState;
use axum::http::StatusCode;
use convene_crypto::ballot::ElectionContext;
use convene_crypto::elgamal::ElectionKey;
use convene_crypto::encoding::{hash256, hex32, to_hex};
use convene_crypto::Scalar;
use convene_record::admission::LogOrder;
use convene_record::format::{
    parse_credential_line, point_non_identity, CeremonyJson, ElectionJson, LogEntry, Manifest,
};
use convene_record::log::MerkleTree;
use convene_record::tally::Electorate;
use convene_record::writer::manifest_hash;
use convene_store::{Appender, CommitHook, NewEntry, Phase, Store, StoreError};
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
    // As typed from a sheet: groups, case and an Arabic or Persian keyboard's digits do not matter
    // (`docs/protocol.md` §14.1, and the booth's `typed.ts`).
    let normal = convene_crypto::typed::normalize(code);
    hash256("convene/voter-code v1", &[election.as_bytes(), normal.as_bytes()])
}

/// The host's 32 secret bytes of an election's (or convention's) log key.
pub async fn log_secret(state: &AppState, id: &str) -> AppResult<[u8; 32]> {
    state.secret(id, LOG_KEY).await?.try_into().map_err(|_| AppError::internal("stored log key is not 32 bytes"))
}

/// The checkpoints of one election's log that receipts rely on: signed by the log key and, in
/// record format 4, cosigned by a quorum of witnesses (`docs/protocol.md` §13.3). Without
/// witnesses a checkpoint is signed after every commit, before its ballots are acknowledged;
/// with them, a task of its own takes the tree as it stands, has it witnessed and stores it, while
/// commits go on, and each cast waits until a witnessed checkpoint covers it.
pub struct Checkpoints {
    store: Arc<dyn Store>,
    id: String,
    checkpointer: Arc<Checkpointer>,
    pub tree: Arc<Mutex<TreeState>>,
    /// The size the latest stored checkpoint covers.
    covered: tokio::sync::watch::Sender<u64>,
    /// One signing round at a time (the task, or `close`).
    round: Mutex<()>,
    grown: tokio::sync::Notify,
}

impl Checkpoints {
    /// Signs (and has witnessed) a checkpoint of the whole tree, stores it and makes it the
    /// latest: receipts are issued under it from now on.
    pub async fn checkpoint_now(&self) -> Result<(), StoreError> {
        let _round = self.round.lock().await;
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
    async fn witness_forever(self: Arc<Self>) {
        loop {
            let (size, covered) = (self.tree.lock().await.tree.len(), *self.covered.borrow());
            if size <= covered {
                self.grown.notified().await;
                continue;
            }
            if let Err(e) = self.checkpoint_now().await {
                tracing::warn!(election = %self.id, error = %e, "checkpoint not witnessed; trying again");
                tokio::time::sleep(crate::witnessing::FIRST_BACKOFF).await;
            }
        }
    }
}

/// After every durable commit: the tree grows, and a checkpoint is signed (without witnesses, at
/// once; with them, by the witnessing task).
struct CheckpointHook {
    checkpoints: Arc<Checkpoints>,
}

#[async_trait::async_trait]
impl CommitHook for CheckpointHook {
    async fn committed(&mut self, first_index: u64, entries: &[NewEntry]) -> Result<(), StoreError> {
        let c = &self.checkpoints;
        let mut state = c.tree.lock().await;
        state.catch_up(c.store.as_ref(), &c.id, first_index).await?;
        let end = first_index + entries.len() as u64;
        if state.tree.len() == first_index {
            for entry in entries {
                state.tree.push(entry.leaf);
            }
        } else {
            // Someone got the tree lock first and already read these committed entries from the
            // store (`close`, taking its final checkpoint, or a catch-up): they must be these.
            state.catch_up(c.store.as_ref(), &c.id, end).await?;
            let same = entries.iter().enumerate().all(|(k, e)| state.tree.leaf(first_index + k as u64) == Some(e.leaf));
            if !same {
                return Err(StoreError::Other(format!(
                    "the log's entries from {first_index} are not the ones committed"
                )));
            }
        }
        let covered = state.latest.as_ref().is_some_and(|l| l.size >= end);
        drop(state);
        if c.checkpointer.witnessed() {
            c.grown.notify_one();
            Ok(())
        } else if covered {
            // A checkpoint covering this batch was signed meanwhile; receipts use it.
            Ok(())
        } else {
            c.checkpoint_now().await
        }
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
    /// The log's checkpoints, signed and (in format 4) witnessed.
    pub checkpoints: Arc<Checkpoints>,
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
        let covered = tree.latest.as_ref().map_or(0, |c| c.size);
        let checkpointer = Arc::new(
            Checkpointer::new(
                &manifest,
                &manifest_hash,
                &log_secret(state, id).await?,
                state.config.witness_timeout,
                state.metrics.clone(),
            )
            .map_err(AppError::internal)?,
        );
        let checkpoints = Arc::new(Checkpoints {
            store: state.store.clone(),
            id: id.to_string(),
            checkpointer,
            tree: Arc::new(Mutex::new(tree)),
            covered: tokio::sync::watch::channel(covered).0,
            round: Mutex::new(()),
            grown: tokio::sync::Notify::new(),
        });
        if checkpoints.checkpointer.witnessed() {
            tokio::spawn(checkpoints.clone().witness_forever());
        }
        let tree = checkpoints.tree.clone();
        let hook = CheckpointHook { checkpoints: checkpoints.clone() };
        let appender = Appender::spawn(
            state.store.clone(),
            id.to_string(),
            Phase::Open.as_str(),
            Box::new(hook),
            state.config.max_batch,
        );
        let session_key = state.secret(id, SESSION_KEY).await?;
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
            checkpoints,
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
        self.live.get_or_load(id, || Live::load(self, id)).await
    }
}

#[cfg(test)]
mod tests {
    /// A code typed in groups, in lower case or with an Arabic or Persian keyboard's digits is
    /// the code on the sheet (the booth's `typed.ts` reads it the same way).
    #[test]
    fn a_code_is_the_same_however_it_is_typed() {
        let sheet = super::voter_code_hash("e", "ABCDE-FGH23-45678");
        for typed in ["abcde fgh23 45678", "ABCDEFGH2345678", "abcde\u{2013}fgh٢٣-٤٥٦٧٨", " ABCDE-FGH۲۳-۴۵۶۷۸\u{00A0}"]
        {
            assert_eq!(super::voter_code_hash("e", typed), sheet, "{typed}");
        }
        assert_ne!(super::voter_code_hash("e", "ABCDE-FGH23-45679"), sheet);
        assert_ne!(super::voter_code_hash("f", "ABCDE-FGH23-45678"), sheet, "the election is in the hash");
    }
}
