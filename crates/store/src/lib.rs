//! # convene-store: persistence
//!
//! One [`Store`] trait; one implementation, [`SqlStore`], on sqlx's `Any` pool that runs the same
//! queries on SQLite (embedded, the default: a file in the data directory, zero set-up) and on
//! PostgreSQL (`--database postgres://…`). Each backend has its own migrations
//! (`migrations/sqlite`, `migrations/postgres`), embedded in the binary.
//!
//! The store knows rows, not the domain: bytes, strings and integers in, the same out. It never
//! updates or deletes a log entry or a checkpoint; the database refuses to as well (triggers).
//! Ballots reach the log through [`Appender`], which commits them in groups: a ballot is
//! acknowledged only after the transaction that holds it is durably committed, and concurrent
//! ballots share one commit.

mod appender;
mod phase;
mod shared;
mod sql;
pub mod testing;

pub use appender::{Appender, CommitHook};
pub use phase::Phase;
pub use shared::ProcessLock;
pub use sql::{backup_sqlite, SqlStore};

/// The three kinds of failure a caller must tell apart.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("not found: {0}")]
    NotFound(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("storage error: {0}")]
    Other(String),
    /// The entry is durably in the log at `index`, but what had to follow the commit (the
    /// server's witnessed checkpoint) failed: it must not be withdrawn, and it has no receipt yet.
    #[error("committed as log entry {index}, but {why}")]
    Uncovered { index: u64, why: String },
    /// The database cannot be reached now (stopped, restarting, out of connections): nothing was
    /// written; try again shortly.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// The database's disk is full (SQLite's `SQLITE_FULL`, PostgreSQL's `53100`, or `ENOSPC`):
    /// the transaction was rolled back, nothing was written; it can succeed once space is back.
    #[error("the database's disk is full: {0}")]
    Full(String),
    /// An append that named the log size it expected found the log longer: another process
    /// appended first. Nothing was written.
    #[error("the log has moved on to {size} entries")]
    Moved { size: u64 },
    /// The [`CommitHook`] refused this entry once it saw what other processes had appended
    /// first (a repeated ballot, a credential over its cap): `code` is the hook's stable name.
    #[error("{message}")]
    Refused { code: &'static str, message: String },
}

/// A notice published to every server process on one database ([`Store::publish`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// `payload` about `topic` (a convention's id, say).
    Message { topic: String, payload: String },
    /// Notices may have been lost (the listening connection dropped): listeners should resync.
    Lost,
}

/// An election's stored row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElectionRow {
    pub id: String,
    /// `referendum` or `convention`.
    pub kind: String,
    /// The manifest's exact bytes (its hash binds every proof).
    pub manifest: Vec<u8>,
    pub phase: String,
}

/// A log entry to append: its Merkle leaf, the credential that signed it, its JSON line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub leaf: [u8; 32],
    pub credential: [u8; 32],
    pub line: Vec<u8>,
}

/// A stored log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    pub index: u64,
    pub leaf: [u8; 32],
    pub credential: [u8; 32],
    pub line: Vec<u8>,
}

/// Several writes that succeed or fail together: an optional phase move (checked first), new
/// documents, new voter codes.
#[derive(Debug, Default, Clone)]
pub struct Step {
    /// `(from, to)`: the election must be in `from`.
    pub phase: Option<(String, String)>,
    pub documents: Vec<(String, Vec<u8>)>,
    pub codes: Vec<([u8; 32], [u8; 32])>,
}

#[async_trait::async_trait]
pub trait Store: Send + Sync {
    /// Which backend, for logs and metrics: `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// Creates an election (or a convention: `kind`) with its first documents, atomically;
    /// `Conflict` if the id exists, whatever its kind.
    async fn create_election(
        &self,
        id: &str,
        kind: &str,
        manifest: &[u8],
        phase: &str,
        documents: &[(String, Vec<u8>)],
    ) -> Result<(), StoreError>;
    async fn election(&self, id: &str) -> Result<ElectionRow, StoreError>;
    async fn elections(&self) -> Result<Vec<ElectionRow>, StoreError>;
    /// Whether the database answers a trivial query now (readiness).
    async fn ping(&self) -> Result<(), StoreError>;
    /// Applies a [`Step`] in one transaction: `Conflict` (and nothing written) if the phase is
    /// not `from` or a document or code already exists.
    async fn commit_step(&self, id: &str, step: Step) -> Result<(), StoreError>;

    /// Moves the phase from `from` to `to`; `Conflict` if the election is not in `from`.
    async fn advance_phase(&self, id: &str, from: &str, to: &str) -> Result<(), StoreError> {
        self.commit_step(id, Step { phase: Some((from.into(), to.into())), ..Step::default() }).await
    }

    /// Stores a document once; `Conflict` if it exists (documents are never rewritten).
    async fn put_document(&self, id: &str, name: &str, bytes: &[u8]) -> Result<(), StoreError> {
        self.commit_step(id, Step { documents: vec![(name.into(), bytes.to_vec())], ..Step::default() }).await
    }
    async fn document(&self, id: &str, name: &str) -> Result<Vec<u8>, StoreError>;
    /// Every document whose name starts with `prefix`, by name.
    async fn documents(&self, id: &str, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, StoreError>;

    /// Registers voter codes (by hash) for credentials, all or nothing.
    async fn add_codes(&self, id: &str, codes: &[([u8; 32], [u8; 32])]) -> Result<(), StoreError> {
        self.commit_step(id, Step { codes: codes.to_vec(), ..Step::default() }).await
    }
    /// Spends a code: returns its credential. `NotFound` if unknown, `Conflict` if spent.
    async fn spend_code(&self, id: &str, code_hash: &[u8; 32]) -> Result<[u8; 32], StoreError>;

    /// The credential an unspent code signs in, without spending it (`None`: unknown or spent).
    async fn code_credential(&self, id: &str, code_hash: &[u8; 32]) -> Result<Option<[u8; 32]>, StoreError>;

    /// Appends entries in one transaction, at the end of the log, only while the election is in
    /// `phase` (checked under the log's write lock: `Conflict` otherwise); returns the first index.
    /// With `after`, the log must have exactly that many entries (`Moved` with its size, and
    /// nothing written, if another process appended first).
    async fn append_entries(
        &self,
        id: &str,
        phase: &str,
        after: Option<u64>,
        entries: &[NewEntry],
    ) -> Result<u64, StoreError>;
    /// Waits until every append that began before this call has committed or failed (after a
    /// phase change, so that nothing lands behind a tally).
    async fn drain_appends(&self, id: &str) -> Result<(), StoreError>;
    /// Appends one entry at exactly `index` while the election is in `phase`: `Conflict` if the
    /// log has moved on (another process appended first) or the phase differs. The convention
    /// validates each event against the state the log had at `index`, so it appends this way.
    async fn append_at(&self, id: &str, phase: &str, index: u64, entry: &NewEntry) -> Result<(), StoreError>;
    async fn entries(&self, id: &str, from: u64, limit: u64) -> Result<Vec<EntryRow>, StoreError>;
    async fn log_size(&self, id: &str) -> Result<u64, StoreError>;

    /// Stores a signed checkpoint (its JSON) for a log size.
    async fn put_checkpoint(&self, id: &str, size: u64, bytes: &[u8]) -> Result<(), StoreError>;
    async fn checkpoints(&self, id: &str) -> Result<Vec<(u64, Vec<u8>)>, StoreError>;
    /// The checkpoint of the largest size, if any (one row, not the whole list).
    async fn last_checkpoint(&self, id: &str) -> Result<Option<(u64, Vec<u8>)>, StoreError>;

    /// Whether other processes may write to this database (PostgreSQL), so that what this
    /// process remembers of a log may be behind it. SQLite is one process's alone.
    fn shared(&self) -> bool;
    /// Takes the lock on signing `id`'s checkpoints, across every process on the database, until
    /// the guard is dropped (PostgreSQL: a transaction-scoped advisory lock, released by the
    /// database if the process dies). On SQLite, one process: the guard holds nothing.
    async fn lock_log(&self, id: &str) -> Result<Box<dyn Send>, StoreError>;
    /// Sends a notice to every process's [`Store::notices`] (this one's included): PostgreSQL's
    /// `NOTIFY`, or in-process on SQLite. A payload is at most [`MAX_NOTICE`] bytes.
    async fn publish(&self, topic: &str, payload: &str) -> Result<(), StoreError>;
    /// The notices every process publishes, from now on.
    fn notices(&self) -> tokio::sync::broadcast::Receiver<Notice>;

    /// Counts one event under `key` in the window `window` at `now_ms` (milliseconds since 1970),
    /// for every process on the database at once: the count with this one.
    async fn count_event(&self, key: &str, window: i64, now_ms: i64) -> Result<u64, StoreError>;
    /// The count under `key` in `window` and when the last was counted, if any was.
    async fn counted(&self, key: &str, window: i64) -> Result<Option<(u64, i64)>, StoreError>;
    /// Forgets the counts last counted before `before_ms`.
    async fn forget_counts(&self, before_ms: i64) -> Result<(), StoreError>;
}

/// The longest notice payload (PostgreSQL's `NOTIFY` takes under 8000 bytes with its topic).
pub const MAX_NOTICE: usize = 7000;
