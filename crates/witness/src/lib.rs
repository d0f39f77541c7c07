//! An independent witness (c2sp.org/tlog-witness, `add-checkpoint`): configured with the logs it
//! witnesses (origin and verifier key), it keeps the latest checkpoint it cosigned for each in
//! its own SQLite file, and cosigns a new checkpoint (c2sp.org/tlog-cosignature, timestamped
//! Ed25519) only if the log signed it and a consistency proof ties it to that latest one. A
//! party, an observer mission or a newspaper can run one; it shares no code with the Convene
//! server beyond the format libraries (`convene-note`, and `convene-record`'s Merkle proofs).

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use convene_note::{Checkpoint, Note, NoteSigner, Verifier};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use std::path::Path;
use std::sync::Arc;

/// The most consistency proof lines a request may carry (the spec's limit).
pub const MAX_PROOF_LINES: usize = 63;
/// The largest request read.
pub const MAX_REQUEST: usize = 64 * 1024;

/// Why a submission is refused, with the spec's status for each.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{0}")]
    BadRequest(String),
    #[error("the log's signature is missing or does not verify: {0}")]
    Forbidden(String),
    #[error("this witness does not witness the log {0:?}")]
    UnknownLog(String),
    /// The size of the latest checkpoint this witness cosigned for the log.
    #[error("the old size is not the latest cosigned size {0}")]
    Conflict(u64),
    #[error("{0}")]
    Inconsistent(String),
    #[error("the witness's store failed: {0}")]
    Store(String),
}

impl Refusal {
    pub fn status(&self) -> StatusCode {
        match self {
            Refusal::BadRequest(_) => StatusCode::BAD_REQUEST,
            Refusal::Forbidden(_) => StatusCode::FORBIDDEN,
            Refusal::UnknownLog(_) => StatusCode::NOT_FOUND,
            Refusal::Conflict(_) => StatusCode::CONFLICT,
            Refusal::Inconsistent(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// An `add-checkpoint` request body: `old N\n`, proof lines, a blank line, the checkpoint.
#[derive(Debug)]
pub struct AddCheckpoint {
    pub old: u64,
    pub proof: Vec<[u8; 32]>,
    pub note: Vec<u8>,
}

fn decimal(text: &str) -> Option<u64> {
    let canonical =
        !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) && (text == "0" || !text.starts_with('0'));
    canonical.then(|| text.parse().ok()).flatten()
}

impl AddCheckpoint {
    pub fn parse(body: &[u8]) -> Result<AddCheckpoint, Refusal> {
        let bad = |m: &str| Refusal::BadRequest(m.to_string());
        if body.len() > MAX_REQUEST {
            return Err(bad("the request is larger than 64 KiB"));
        }
        let text = std::str::from_utf8(body).map_err(|_| bad("the request is not UTF-8"))?;
        let (head, note) = text.split_once("\n\n").ok_or_else(|| bad("no blank line before the checkpoint"))?;
        let mut lines = head.split('\n');
        let old = lines
            .next()
            .and_then(|l| l.strip_prefix("old "))
            .and_then(decimal)
            .ok_or_else(|| bad("the first line is `old SIZE`"))?;
        let mut proof = Vec::new();
        for line in lines {
            if proof.len() == MAX_PROOF_LINES {
                return Err(bad("more than 63 consistency proof lines"));
            }
            let hash = BASE64.decode(line).map_err(|_| bad("a proof line is not base64"))?;
            proof.push(hash.try_into().map_err(|_| bad("a proof line is not a 32-byte hash"))?);
        }
        Ok(AddCheckpoint { old, proof, note: note.as_bytes().to_vec() })
    }
}

/// A witness: its cosigning key, and its store (the logs it witnesses, by verifier key, and the
/// latest checkpoint it cosigned of each).
pub struct Witness {
    signer: NoteSigner,
    store: SqlitePool,
    /// The logs as last read from the store: a submission for a log not among them (or whose
    /// signature none of them verifies) reads the store again, so a log another process added
    /// is witnessed at once, without a query on every submission.
    known: std::sync::RwLock<Vec<Verifier>>,
    /// Checking the old size and recording the new checkpoint happen under this lock (and in
    /// one transaction), so two submissions can never roll the log back.
    lock: tokio::sync::Mutex<()>,
}

impl Witness {
    /// Opens (or creates) the witness's SQLite file at `path`, and adds `logs` to those it
    /// witnesses (the file remembers them).
    pub async fn open(path: &Path, signer: NoteSigner, logs: Vec<Verifier>) -> Result<Witness, Refusal> {
        // WAL with a full sync: a cosigned checkpoint is on disk before its cosignature is
        // answered, at one fsync a commit.
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sqlx::sqlite::SqliteSynchronous::Full);
        let store = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .map_err(|e| Refusal::Store(e.to_string()))?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS latest (origin TEXT PRIMARY KEY, size INTEGER NOT NULL, root BLOB NOT NULL, note BLOB NOT NULL)",
        )
        .execute(&store)
        .await
        .map_err(|e| Refusal::Store(e.to_string()))?;
        sqlx::query("CREATE TABLE IF NOT EXISTS logs (vkey TEXT PRIMARY KEY, origin TEXT NOT NULL)")
            .execute(&store)
            .await
            .map_err(|e| Refusal::Store(e.to_string()))?;
        let witness = Witness { signer, store, known: Default::default(), lock: tokio::sync::Mutex::new(()) };
        for log in &logs {
            witness.add_log(log).await?;
        }
        Ok(witness)
    }

    /// Adds a log to those this witness witnesses (at once, for a running witness too: a
    /// submission for a log it does not know reads the logs from the file again).
    pub async fn add_log(&self, log: &Verifier) -> Result<(), Refusal> {
        sqlx::query("INSERT OR IGNORE INTO logs (vkey, origin) VALUES (?, ?)")
            .bind(log.to_vkey())
            .bind(&log.name)
            .execute(&self.store)
            .await
            .map_err(|e| Refusal::Store(e.to_string()))?;
        Ok(())
    }

    /// The logs this witness witnesses, in the order of their verifier keys.
    pub async fn logs(&self) -> Result<Vec<Verifier>, Refusal> {
        let rows: Vec<(String,)> = sqlx::query_as("SELECT vkey FROM logs ORDER BY vkey")
            .fetch_all(&self.store)
            .await
            .map_err(|e| Refusal::Store(e.to_string()))?;
        // Written by `add_log` from a parsed key; a row that no longer parses is not a key.
        Ok(rows.iter().filter_map(|(vkey,)| Verifier::parse(vkey).ok()).collect())
    }

    pub fn verifier(&self) -> Verifier {
        self.signer.verifier()
    }

    /// The latest checkpoint this witness cosigned for `origin`: its size and root.
    pub async fn latest(&self, origin: &str) -> Result<Option<(u64, [u8; 32])>, Refusal> {
        let row: Option<(i64, Vec<u8>)> = sqlx::query_as("SELECT size, root FROM latest WHERE origin = ?")
            .bind(origin)
            .fetch_optional(&self.store)
            .await
            .map_err(|e| Refusal::Store(e.to_string()))?;
        Ok(row.map(|(size, root)| (size as u64, root.try_into().unwrap_or([0; 32]))))
    }

    /// The latest note this witness cosigned for `origin`, with its cosignature.
    pub async fn latest_note(&self, origin: &str) -> Result<Option<String>, Refusal> {
        let row: Option<(Vec<u8>,)> = sqlx::query_as("SELECT note FROM latest WHERE origin = ?")
            .bind(origin)
            .fetch_optional(&self.store)
            .await
            .map_err(|e| Refusal::Store(e.to_string()))?;
        Ok(row.map(|(note,)| String::from_utf8_lossy(&note).into_owned()))
    }

    /// Checks a submission and cosigns it at `now` (POSIX seconds): the cosignature line.
    pub async fn add_checkpoint(&self, request: &AddCheckpoint, now: u64) -> Result<String, Refusal> {
        let note = Note::parse(&request.note).map_err(|e| Refusal::BadRequest(e.to_string()))?;
        let checkpoint = Checkpoint::parse(&note.text).map_err(|e| Refusal::BadRequest(e.to_string()))?;
        let known = |origin: &str| -> Vec<Verifier> {
            let known = self.known.read().unwrap_or_else(|e| e.into_inner());
            known.iter().filter(|v| v.name == origin).cloned().collect()
        };
        let keys = known(&checkpoint.origin);
        if keys.is_empty() || note.verify(&keys).is_err() {
            let logs = self.logs().await?;
            *self.known.write().unwrap_or_else(|e| e.into_inner()) = logs;
            let keys = known(&checkpoint.origin);
            if keys.is_empty() {
                return Err(Refusal::UnknownLog(checkpoint.origin));
            }
            note.verify(&keys).map_err(|e| Refusal::Forbidden(e.to_string()))?;
        }
        if request.old > checkpoint.size {
            return Err(Refusal::BadRequest(format!(
                "the old size {} is larger than the checkpoint's {}",
                request.old, checkpoint.size
            )));
        }
        if checkpoint.size == 0 && checkpoint.root != convene_record::log::empty_root() {
            return Err(Refusal::Inconsistent("a checkpoint of size 0 has the empty tree's root".into()));
        }
        let _guard = self.lock.lock().await;
        let latest = self.latest(&checkpoint.origin).await?;
        let (old_size, old_root) = latest.unwrap_or((0, convene_record::log::empty_root()));
        if request.old != old_size {
            return Err(Refusal::Conflict(old_size));
        }
        let consistent = match (request.old, request.proof.is_empty()) {
            (0, true) => true,
            (0, false) => return Err(Refusal::Inconsistent("from size 0 the proof is empty".into())),
            (old, _) if old == checkpoint.size => request.proof.is_empty() && old_root == checkpoint.root,
            (old, _) => convene_record::log::verify_consistency(
                old,
                checkpoint.size,
                &old_root,
                &checkpoint.root,
                &request.proof,
            ),
        };
        if !consistent {
            tracing::warn!(origin = %checkpoint.origin, old = request.old, size = checkpoint.size, "inconsistent checkpoint refused");
            return Err(Refusal::Inconsistent(format!(
                "the checkpoint of size {} is not consistent with the one of size {} this witness cosigned",
                checkpoint.size, request.old
            )));
        }
        let mut cosigned = note.clone();
        cosigned.cosign(&self.signer, now).map_err(|e| Refusal::BadRequest(e.to_string()))?;
        let line = cosigned.render().lines().last().map(|l| format!("{l}\n")).unwrap_or_default();
        let mut tx = self.store.begin().await.map_err(|e| Refusal::Store(e.to_string()))?;
        sqlx::query("INSERT INTO latest (origin, size, root, note) VALUES (?, ?, ?, ?) ON CONFLICT(origin) DO UPDATE SET size = excluded.size, root = excluded.root, note = excluded.note")
            .bind(&checkpoint.origin)
            .bind(checkpoint.size as i64)
            .bind(checkpoint.root.to_vec())
            .bind(cosigned.render().into_bytes())
            .execute(&mut *tx)
            .await
            .map_err(|e| Refusal::Store(e.to_string()))?;
        tx.commit().await.map_err(|e| Refusal::Store(e.to_string()))?;
        Ok(line)
    }
}

/// Serves `witness` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    witness: Arc<Witness>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(witness)).with_graceful_shutdown(shutdown).await
}

/// The witness's HTTP interface: `POST /add-checkpoint` (c2sp.org/tlog-witness), and
/// `GET /checkpoint/ORIGIN`, the latest checkpoint it cosigned for that log with its
/// cosignature, so that a voter can compare a receipt with what the witness saw
/// (`docs/protocol.md` §13.4).
pub fn router(witness: Arc<Witness>) -> Router {
    Router::new().route("/add-checkpoint", post(add)).route("/checkpoint/*origin", get(latest_note)).with_state(witness)
}

async fn latest_note(State(witness): State<Arc<Witness>>, UrlPath(origin): UrlPath<String>) -> Response {
    match witness.latest_note(&origin).await {
        // Public, and read by voters' browsers from the booth's origin.
        Ok(Some(note)) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")],
            note,
        )
            .into_response(),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            [(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")],
            format!("no checkpoint of {origin} cosigned yet\n"),
        )
            .into_response(),
        Err(e) => (e.status(), format!("{e}\n")).into_response(),
    }
}

async fn add(State(witness): State<Arc<Witness>>, body: Bytes) -> Response {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let answer = match AddCheckpoint::parse(&body) {
        Ok(request) => witness.add_checkpoint(&request, now).await,
        Err(e) => Err(e),
    };
    match answer {
        Ok(line) => (StatusCode::OK, line).into_response(),
        Err(Refusal::Conflict(size)) => {
            (StatusCode::CONFLICT, [(header::CONTENT_TYPE, "text/x.tlog.size")], format!("{size}\n")).into_response()
        }
        Err(e) => (e.status(), format!("{e}\n")).into_response(),
    }
}
