//! An election that takes ballots: its checking context, its electorate, its Merkle tree and
//! the group-commit appender whose hook signs a checkpoint after every commit. Built from the
//! store (so any server process, after any restart, rebuilds the same state), cached in memory.

use crate::admitting::{replay_row, CheckpointHook, Staged};
use crate::error::{AppError, AppResult};
use crate::witnessing::{Checkpointer, Checkpoints, TreeState};
use crate::AppState;
use axum::http::StatusCode;
use convene_crypto::ballot::ElectionContext;
use convene_crypto::elgamal::ElectionKey;
use convene_crypto::encoding::{hash256, hex32, to_hex};
use convene_crypto::Scalar;
use convene_record::admission::LogOrder;
use convene_record::electorate::ElectorateBuilder;
use convene_record::format::{point_non_identity, CeremonyJson, ElectionJson, LogEntry, Manifest};
use convene_record::log::MerkleTree;
use convene_record::tally::{Electorate, Voter};
use convene_record::writer::manifest_hash;
use convene_store::{Appender, NewEntry, Phase, Store, StoreError};
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

/// Everything needed to check and accept ballots for one election.
pub struct Live {
    pub context: ElectionContext,
    pub electorate: Arc<Electorate>,
    /// The record format version (version 3 binds ballots to one-time keys).
    pub version: u32,
    pub session_key: Vec<u8>,
    pub tree: Arc<Mutex<TreeState>>,
    /// The log's checkpoints, signed and (in format 4) witnessed.
    pub checkpoints: Arc<Checkpoints>,
    appender: Appender,
    /// Checked entries on their way to the log writer, whose hook applies the order-dependent
    /// checks (`admitting.rs`).
    staged: Staged,
    /// Entries appended per session (by its token), against `Config::max_ballots_per_session`.
    sessions: std::sync::Mutex<std::collections::HashMap<String, u32>>,
    /// The phase as last read, and when: casting reads it again only after
    /// `Config::phase_fresh`, instead of reading the election for every ballot.
    phase: std::sync::Mutex<(std::time::Instant, Phase)>,
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
        // Sorted as the verifier sorts it: beyond SORT_IN_MEMORY credentials, on disk, with a key
        // per 128 in memory (convene_record::electorate), so the process's memory does not grow
        // with the electorate. Parsing and sorting a national list takes seconds: off the
        // request threads.
        let document = store.document(id, convene_record::files::CREDENTIALS).await?;
        let parsed = manifest.clone();
        let sorted = tokio::task::spawn_blocking(move || -> Result<_, String> {
            let mut listing = ElectorateBuilder::new(parsed.regions.clone());
            let sort_failed = |e: std::io::Error| format!("cannot sort the credential list in TMPDIR: {e}");
            let lines: Vec<&[u8]> = document.split(|b| *b == b'\n').filter(|l| !l.is_empty()).collect();
            if let Some((line, why)) = listing.push_lines(&lines, &parsed).map_err(sort_failed)?.first() {
                return Err(format!("the stored credential list's line {line}: {why}"));
            }
            listing.finish().map_err(sort_failed)
        });
        let (electorate, duplicates) = sorted.await.map_err(AppError::internal)?.map_err(AppError::internal)?;
        if let Some(line) = duplicates.first() {
            return Err(AppError::internal(format!("the stored credential list repeats a credential (line {line})")));
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
        let order = Self::order_of_log(store, id, size, &electorate, manifest.max_ballots_per_credential).await?;
        let electorate = Arc::new(electorate);
        let staged = Staged::default();
        let hook = CheckpointHook::new(checkpoints.clone(), electorate.clone(), order, staged.clone());
        let appender = Appender::spawn(
            state.store.clone(),
            id.to_string(),
            Phase::Open.as_str(),
            Box::new(hook),
            state.config.max_batch,
            size,
        );
        let session_key = state.secret(id, SESSION_KEY).await?;
        let version = manifest.version;
        let phase =
            Phase::parse(&row.phase).ok_or_else(|| AppError::internal(format!("unknown phase {:?}", row.phase)))?;
        Ok(Live {
            context,
            electorate,
            version,
            session_key,
            tree,
            checkpoints,
            appender,
            staged,
            sessions: Default::default(),
            phase: std::sync::Mutex::new((std::time::Instant::now(), phase)),
        })
    }

    /// The election's phase, read again from the store if the last read is older than `fresh`
    /// (`Config::phase_fresh`).
    pub async fn phase(&self, store: &dyn Store, fresh: std::time::Duration) -> AppResult<Phase> {
        let (read, phase) = *self.phase.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if read.elapsed() < fresh {
            return Ok(phase);
        }
        let row = store.election(&self.checkpoints.id).await?;
        let phase =
            Phase::parse(&row.phase).ok_or_else(|| AppError::internal(format!("unknown phase {:?}", row.phase)))?;
        self.set_phase(phase);
        Ok(phase)
    }

    /// What this process just did to the phase (opening, closing), seen by its next sign-in or
    /// cast at once.
    pub fn set_phase(&self, phase: Phase) {
        *self.phase.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = (std::time::Instant::now(), phase);
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
                replay_row(&mut order, electorate, &row).map_err(AppError::internal)?;
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

    /// Appends a checked entry (its voter, none for a version-3 challenged ballot): resolves
    /// with its index once durably committed, or with the order-dependent checks' refusal
    /// (`StoreError::Refused`), made in the log writer against every entry before it.
    pub async fn append(&self, voter: Option<Voter>, entry: LogEntry, new: NewEntry) -> Result<u64, StoreError> {
        self.staged
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entry(new.leaf)
            .or_default()
            .push((voter, entry));
        self.appender.append(new).await
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

    /// The live state, with the newest checkpoint any process stored (for receipts, tiles and
    /// proofs, which a process other than the one that took a ballot may be asked for).
    pub(crate) async fn live_current(&self, id: &str) -> AppResult<Arc<Live>> {
        let live = self.live(id).await?;
        live.checkpoints.adopt_stored().await?;
        Ok(live)
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
