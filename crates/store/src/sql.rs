//! [`SqlStore`]: the [`Store`] on sqlx's `Any` pool. The queries are written once, in SQL that
//! SQLite and PostgreSQL both accept (`$n` placeholders, `RETURNING`); only the migrations and
//! two statements differ (SQLite's pragmas, PostgreSQL's table lock for log indexes).

use crate::shared::{AbortOnDrop, ProcessLock, CHANNEL};
use crate::{ElectionRow, EntryRow, NewEntry, Notice, Step, Store, StoreError};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor, Row};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
    /// SQLite has one writer: this process's writes queue here rather than meet SQLite's busy
    /// handler, whose sleeps (up to tens of milliseconds) would delay every commit behind another.
    writes: tokio::sync::Mutex<()>,
    /// Every process's notices (fed by PostgreSQL's `LISTEN`, or by this process on SQLite).
    bus: tokio::sync::broadcast::Sender<Notice>,
    _listener: Option<AbortOnDrop>,
    /// SQLite: the data directory is this process's alone.
    _lock: Option<ProcessLock>,
}

impl SqlStore {
    /// This process's turn to write (SQLite only; PostgreSQL takes concurrent writers).
    async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.backend {
            Backend::Sqlite => Some(self.writes.lock().await),
            Backend::Postgres => None,
        }
    }
}

fn other(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(db.message().to_string()),
        // SQLite's SQLITE_FULL (13, and its extended codes), PostgreSQL's disk_full (53100).
        sqlx::Error::Database(db) if db.code().is_some_and(|c| c == "13" || c.ends_with("|13") || c == "53100") => {
            StoreError::Full(db.message().to_string())
        }
        sqlx::Error::Io(io) if io.raw_os_error() == Some(28) => StoreError::Full(io.to_string()),
        // PostgreSQL shutting down or starting (57P01–57P03), a connection failure (08…).
        sqlx::Error::Database(db) if db.code().is_some_and(|c| c.starts_with("57P") || c.starts_with("08")) => {
            StoreError::Unavailable(db.message().to_string())
        }
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Tls(_) => {
            StoreError::Unavailable(e.to_string())
        }
        sqlx::Error::RowNotFound => StoreError::NotFound("no such row".into()),
        _ => StoreError::Other(e.to_string()),
    }
}

fn hash32(row: &AnyRow, column: &str) -> Result<[u8; 32], StoreError> {
    let bytes: Vec<u8> = row.try_get(column).map_err(other)?;
    bytes.try_into().map_err(|_| StoreError::Other(format!("column {column} does not hold 32 bytes")))
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

impl SqlStore {
    /// Opens (creating if needed) the embedded SQLite database in `dir`.
    pub async fn open_sqlite(dir: &Path) -> Result<SqlStore, StoreError> {
        let new_dir = !dir.exists();
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Other(format!("cannot create {}: {e}", dir.display())))?;
        let path = dir.join("convene.sqlite3");
        owner_only(new_dir.then_some(dir), &path)
            .map_err(|e| StoreError::Other(format!("cannot restrict {}: {e}", path.display())))?;
        let lock = ProcessLock::take(dir)?;
        let mut store = SqlStore::connect(&format!("sqlite://{}?mode=rwc", path.display())).await?;
        store._lock = Some(lock);
        Ok(store)
    }

    /// Connects to `sqlite://…` or `postgres://…` and runs that backend's migrations.
    pub async fn connect(url: &str) -> Result<SqlStore, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(StoreError::Other(format!(
                "unsupported database URL {url:?}: use postgres://user@host/db, or leave --database out for SQLite"
            )));
        };
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            // A database that is away is said at once (503, try again), not after half a minute.
            .acquire_timeout(std::time::Duration::from_secs(3))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Durable commits (fsync of the WAL at each commit), concurrent readers.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                    }
                    Ok(())
                })
            })
            // A SQLite write that failed on a full disk could hand its connection back still
            // inside a transaction, holding the write lock (every later write then waited and
            // failed as "database is locked", and could have committed the failed writes with
            // its own). A connection that had a transaction to roll back is closed, not reused.
            .after_release(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite && conn.execute("ROLLBACK").await.is_ok() {
                        tracing::warn!("a database connection came back inside a transaction: rolled back and closed");
                        return Ok(false);
                    }
                    Ok(true)
                })
            })
            .connect(url)
            .await
            .map_err(|e| StoreError::Other(format!("cannot open the database: {e}")))?;
        let migrator = match backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("migrations/postgres"),
        };
        migrator.run(&pool).await.map_err(|e| StoreError::Other(format!("migrating the database failed: {e}")))?;
        let bus = tokio::sync::broadcast::channel(4096).0;
        let listener = match backend {
            Backend::Postgres => Some(crate::shared::listen(url, bus.clone()).await?),
            Backend::Sqlite => None,
        };
        Ok(SqlStore { pool, backend, writes: tokio::sync::Mutex::new(()), bus, _listener: listener, _lock: None })
    }
}

async fn insert_documents(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: &str,
    documents: &[(String, Vec<u8>)],
) -> Result<(), StoreError> {
    for (name, bytes) in documents {
        sqlx::query("INSERT INTO documents (election_id, name, bytes) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(name.as_str())
            .bind(bytes.clone())
            .execute(&mut **tx)
            .await
            .map_err(|e| match other(e) {
                StoreError::Conflict(_) => StoreError::Conflict(format!("{name} was already published")),
                e => e,
            })?;
    }
    Ok(())
}

/// Inside an append's transaction (after its first write, so under the log's write lock): the
/// election must be in `phase`, or nothing is appended.
async fn require_phase(tx: &mut sqlx::Transaction<'_, sqlx::Any>, id: &str, phase: &str) -> Result<(), StoreError> {
    let current: String = sqlx::query("SELECT phase FROM elections WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await
        .map_err(other)?
        .try_get("phase")
        .map_err(other)?;
    if current != phase {
        return Err(StoreError::Conflict(format!(
            "election {id:?} is in phase {current:?}, not {phase:?}: nothing was appended"
        )));
    }
    Ok(())
}

fn election_row(row: &AnyRow) -> Result<ElectionRow, StoreError> {
    Ok(ElectionRow {
        id: row.try_get("id").map_err(other)?,
        kind: row.try_get("kind").map_err(other)?,
        manifest: row.try_get("manifest").map_err(other)?,
        phase: row.try_get("phase").map_err(other)?,
    })
}

#[async_trait::async_trait]
impl Store for SqlStore {
    fn backend(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    async fn create_election(
        &self,
        id: &str,
        kind: &str,
        manifest: &[u8],
        phase: &str,
        documents: &[(String, Vec<u8>)],
    ) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await.map_err(other)?;
        sqlx::query("INSERT INTO elections (id, kind, manifest, phase, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(kind)
            .bind(manifest.to_vec())
            .bind(phase)
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(|e| match other(e) {
                StoreError::Conflict(_) => StoreError::Conflict(format!("election {id:?} already exists")),
                e => e,
            })?;
        insert_documents(&mut tx, id, documents).await?;
        tx.commit().await.map_err(other)
    }

    async fn election(&self, id: &str) -> Result<ElectionRow, StoreError> {
        let row = sqlx::query("SELECT id, kind, manifest, phase FROM elections WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(other)?
            .ok_or_else(|| StoreError::NotFound(format!("no election {id:?}")))?;
        election_row(&row)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ()).map_err(other)
    }

    async fn elections(&self) -> Result<Vec<ElectionRow>, StoreError> {
        let rows = sqlx::query("SELECT id, kind, manifest, phase FROM elections ORDER BY created_at, id")
            .fetch_all(&self.pool)
            .await
            .map_err(other)?;
        rows.iter().map(election_row).collect()
    }

    async fn commit_step(&self, id: &str, step: Step) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await.map_err(other)?;
        if let Some((from, to)) = &step.phase {
            let done = sqlx::query("UPDATE elections SET phase = $3 WHERE id = $1 AND phase = $2")
                .bind(id)
                .bind(from)
                .bind(to)
                .execute(&mut *tx)
                .await
                .map_err(other)?;
            if done.rows_affected() != 1 {
                drop(tx);
                let current = self.election(id).await?.phase;
                return Err(StoreError::Conflict(format!("election {id:?} is in phase {current:?}, not {from:?}")));
            }
        }
        insert_documents(&mut tx, id, &step.documents).await?;
        for (code_hash, credential) in &step.codes {
            sqlx::query("INSERT INTO voter_codes (election_id, code_hash, credential, spent) VALUES ($1, $2, $3, 0)")
                .bind(id)
                .bind(code_hash.to_vec())
                .bind(credential.to_vec())
                .execute(&mut *tx)
                .await
                .map_err(|e| match other(e) {
                    StoreError::Conflict(_) => {
                        StoreError::Conflict("a voter code is listed twice or already registered".into())
                    }
                    e => e,
                })?;
        }
        tx.commit().await.map_err(other)
    }

    async fn document(&self, id: &str, name: &str) -> Result<Vec<u8>, StoreError> {
        let row = sqlx::query("SELECT bytes FROM documents WHERE election_id = $1 AND name = $2")
            .bind(id)
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(other)?
            .ok_or_else(|| StoreError::NotFound(format!("{name} has not been published")))?;
        row.try_get("bytes").map_err(other)
    }

    async fn documents(&self, id: &str, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let rows = sqlx::query("SELECT name, bytes FROM documents WHERE election_id = $1 ORDER BY name")
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .map_err(other)?;
        let mut out = Vec::new();
        for row in rows {
            let name: String = row.try_get("name").map_err(other)?;
            if name.starts_with(prefix) {
                out.push((name, row.try_get("bytes").map_err(other)?));
            }
        }
        Ok(out)
    }

    async fn spend_code(&self, id: &str, code_hash: &[u8; 32]) -> Result<[u8; 32], StoreError> {
        let _turn = self.write_turn().await;
        let row = sqlx::query(
            "UPDATE voter_codes SET spent = 1 WHERE election_id = $1 AND code_hash = $2 AND spent = 0 RETURNING credential",
        )
        .bind(id)
        .bind(code_hash.to_vec())
        .fetch_optional(&self.pool)
        .await
        .map_err(other)?;
        if let Some(row) = row {
            return hash32(&row, "credential");
        }
        let known = sqlx::query("SELECT COUNT(*) AS n FROM voter_codes WHERE election_id = $1 AND code_hash = $2")
            .bind(id)
            .bind(code_hash.to_vec())
            .fetch_one(&self.pool)
            .await
            .map_err(other)?;
        if known.try_get::<i64, _>("n").map_err(other)? > 0 {
            Err(StoreError::Conflict("this voter code has already been used".into()))
        } else {
            Err(StoreError::NotFound("unknown voter code".into()))
        }
    }

    async fn code_credential(&self, id: &str, code_hash: &[u8; 32]) -> Result<Option<[u8; 32]>, StoreError> {
        let row =
            sqlx::query("SELECT credential FROM voter_codes WHERE election_id = $1 AND code_hash = $2 AND spent = 0")
                .bind(id)
                .bind(code_hash.to_vec())
                .fetch_optional(&self.pool)
                .await
                .map_err(other)?;
        row.map(|row| hash32(&row, "credential")).transpose()
    }

    async fn append_entries(
        &self,
        id: &str,
        phase: &str,
        after: Option<u64>,
        entries: &[NewEntry],
    ) -> Result<u64, StoreError> {
        let _turn = self.write_turn().await;
        if entries.is_empty() {
            return self.log_size(id).await;
        }
        let mut tx = self.pool.begin().await.map_err(other)?;
        if self.backend == Backend::Postgres {
            // Serializes index assignment across server processes sharing one database.
            sqlx::query("LOCK TABLE log_entries IN SHARE ROW EXCLUSIVE MODE").execute(&mut *tx).await.map_err(other)?;
        }
        // The first statement writes, so SQLite takes its write lock at once.
        let first = &entries[0];
        let row = sqlx::query(
            "INSERT INTO log_entries (election_id, idx, leaf, credential, line) \
             VALUES ($1, (SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entries WHERE election_id = $1), $2, $3, $4) \
             RETURNING idx",
        )
        .bind(id)
        .bind(first.leaf.to_vec())
        .bind(first.credential.to_vec())
        .bind(first.line.clone())
        .fetch_one(&mut *tx)
        .await
        .map_err(other)?;
        let first_index: i64 = row.try_get("idx").map_err(other)?;
        if after.is_some_and(|size| size != first_index as u64) {
            // Dropping the transaction rolls the first insert back.
            return Err(StoreError::Moved { size: first_index as u64 });
        }
        // Under the write lock, the election must still be taking entries.
        require_phase(&mut tx, id, phase).await?;
        // The rest in multi-row statements: one round trip per 100 entries, not per entry.
        for (chunk_no, chunk) in entries[1..].chunks(100).enumerate() {
            let mut sql = String::from("INSERT INTO log_entries (election_id, idx, leaf, credential, line) VALUES ");
            for k in 0..chunk.len() {
                let p = 1 + 5 * k;
                if k > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("(${}, ${}, ${}, ${}, ${})", p, p + 1, p + 2, p + 3, p + 4));
            }
            let mut query = sqlx::query(&sql);
            for (k, entry) in chunk.iter().enumerate() {
                let index = first_index + 1 + (chunk_no * 100 + k) as i64;
                query = query
                    .bind(id)
                    .bind(index)
                    .bind(entry.leaf.to_vec())
                    .bind(entry.credential.to_vec())
                    .bind(entry.line.clone());
            }
            query.execute(&mut *tx).await.map_err(other)?;
        }
        tx.commit().await.map_err(other)?;
        Ok(first_index as u64)
    }

    async fn append_at(&self, id: &str, phase: &str, index: u64, entry: &NewEntry) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await.map_err(other)?;
        // The primary key (election, index) refuses a second entry at one index.
        sqlx::query("INSERT INTO log_entries (election_id, idx, leaf, credential, line) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(index as i64)
            .bind(entry.leaf.to_vec())
            .bind(entry.credential.to_vec())
            .bind(entry.line.clone())
            .execute(&mut *tx)
            .await
            .map_err(|e| match other(e) {
                StoreError::Conflict(_) => StoreError::Conflict(format!("the log of {id:?} has moved past {index}")),
                e => e,
            })?;
        // Entries are only ever appended at the end, so the log is whole if this one is its last
        // and its predecessor is there: MAX over the primary key, not a count of the whole log.
        let last: i64 = sqlx::query("SELECT MAX(idx) AS last FROM log_entries WHERE election_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(other)?
            .try_get("last")
            .map_err(other)?;
        let previous = if index == 0 {
            true
        } else {
            sqlx::query("SELECT idx FROM log_entries WHERE election_id = $1 AND idx = $2")
                .bind(id)
                .bind(index as i64 - 1)
                .fetch_optional(&mut *tx)
                .await
                .map_err(other)?
                .is_some()
        };
        if last as u64 != index || !previous {
            return Err(StoreError::Conflict(format!(
                "the log of {id:?} does not end at {index}: nothing was appended"
            )));
        }
        require_phase(&mut tx, id, phase).await?;
        tx.commit().await.map_err(other)
    }

    async fn drain_appends(&self, id: &str) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await.map_err(other)?;
        match self.backend {
            // The lock appends hold: taking it waits for them.
            Backend::Postgres => {
                sqlx::query("LOCK TABLE log_entries IN SHARE ROW EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await
                    .map_err(other)?;
            }
            // SQLite has one writer: any write waits for the append in progress.
            Backend::Sqlite => {
                sqlx::query("UPDATE elections SET phase = phase WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(other)?;
            }
        }
        tx.commit().await.map_err(other)
    }

    async fn entries(&self, id: &str, from: u64, limit: u64) -> Result<Vec<EntryRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT idx, leaf, credential, line FROM log_entries WHERE election_id = $1 AND idx >= $2 ORDER BY idx LIMIT $3",
        )
        .bind(id)
        .bind(from.min(i64::MAX as u64) as i64)
        .bind(limit.min(i64::MAX as u64) as i64)
        .fetch_all(&self.pool)
        .await
        .map_err(other)?;
        rows.iter()
            .map(|row| {
                Ok(EntryRow {
                    index: row.try_get::<i64, _>("idx").map_err(other)? as u64,
                    leaf: hash32(row, "leaf")?,
                    credential: hash32(row, "credential")?,
                    line: row.try_get("line").map_err(other)?,
                })
            })
            .collect()
    }

    async fn log_size(&self, id: &str) -> Result<u64, StoreError> {
        let row = sqlx::query("SELECT COALESCE(MAX(idx) + 1, 0) AS n FROM log_entries WHERE election_id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .map_err(other)?;
        Ok(row.try_get::<i64, _>("n").map_err(other)? as u64)
    }

    async fn put_checkpoint(&self, id: &str, size: u64, bytes: &[u8]) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query("INSERT INTO checkpoints (election_id, size, bytes) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(size as i64)
            .bind(bytes.to_vec())
            .execute(&self.pool)
            .await
            .map_err(other)?;
        Ok(())
    }

    async fn checkpoints(&self, id: &str) -> Result<Vec<(u64, Vec<u8>)>, StoreError> {
        let rows = sqlx::query("SELECT size, bytes FROM checkpoints WHERE election_id = $1 ORDER BY size")
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .map_err(other)?;
        rows.iter()
            .map(|r| Ok((r.try_get::<i64, _>("size").map_err(other)? as u64, r.try_get("bytes").map_err(other)?)))
            .collect()
    }

    async fn last_checkpoint(&self, id: &str) -> Result<Option<(u64, Vec<u8>)>, StoreError> {
        let row = sqlx::query("SELECT size, bytes FROM checkpoints WHERE election_id = $1 ORDER BY size DESC LIMIT 1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(other)?;
        row.map(|r| Ok((r.try_get::<i64, _>("size").map_err(other)? as u64, r.try_get("bytes").map_err(other)?)))
            .transpose()
    }

    fn shared(&self) -> bool {
        self.backend == Backend::Postgres
    }

    async fn lock_log(&self, id: &str) -> Result<Box<dyn Send>, StoreError> {
        if self.backend == Backend::Sqlite {
            return Ok(Box::new(()));
        }
        let mut tx = self.pool.begin().await.map_err(other)?;
        // The advisory lock ends with the transaction: at the guard's drop, or the process's end.
        sqlx::query("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext('convene/log ' || $1))) AS l")
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(other)?;
        Ok(Box::new(tx))
    }

    async fn publish(&self, topic: &str, payload: &str) -> Result<(), StoreError> {
        let text = crate::shared::encode(topic, payload)?;
        match self.backend {
            Backend::Sqlite => {
                let _ = self.bus.send(Notice::Message { topic: topic.into(), payload: payload.into() });
                Ok(())
            }
            Backend::Postgres => sqlx::query("SELECT 1 AS sent FROM (SELECT pg_notify($1, $2)) AS n")
                .bind(CHANNEL)
                .bind(text)
                .fetch_one(&self.pool)
                .await
                .map(|_| ())
                .map_err(other),
        }
    }

    fn notices(&self) -> tokio::sync::broadcast::Receiver<Notice> {
        self.bus.subscribe()
    }

    async fn count_event(&self, key: &str, window: i64, now_ms: i64) -> Result<u64, StoreError> {
        let _turn = self.write_turn().await;
        let row = sqlx::query(
            "INSERT INTO signin_counts (key, window_start, count, last_ms) VALUES ($1, $2, 1, $3) \
             ON CONFLICT (key, window_start) DO UPDATE SET count = signin_counts.count + 1, last_ms = $3 \
             RETURNING count",
        )
        .bind(key)
        .bind(window)
        .bind(now_ms)
        .fetch_one(&self.pool)
        .await
        .map_err(other)?;
        Ok(row.try_get::<i64, _>("count").map_err(other)? as u64)
    }

    async fn counted(&self, key: &str, window: i64) -> Result<Option<(u64, i64)>, StoreError> {
        let row = sqlx::query("SELECT count, last_ms FROM signin_counts WHERE key = $1 AND window_start = $2")
            .bind(key)
            .bind(window)
            .fetch_optional(&self.pool)
            .await
            .map_err(other)?;
        row.map(|r| {
            Ok((r.try_get::<i64, _>("count").map_err(other)? as u64, r.try_get::<i64, _>("last_ms").map_err(other)?))
        })
        .transpose()
    }

    async fn forget_counts(&self, before_ms: i64) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query("DELETE FROM signin_counts WHERE last_ms < $1")
            .bind(before_ms)
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(other)
    }
}

/// Copies the embedded SQLite database of data directory `data` into a new file `out`, whole and
/// consistent, while a server may be running on it and writing (SQLite's `VACUUM INTO`, which
/// reads one snapshot). The copy holds no secret in the clear: the log and session keys in it are
/// sealed under `DATA/server-key`, which is not copied. Its size in bytes.
pub async fn backup_sqlite(data: &Path, out: &Path) -> Result<u64, StoreError> {
    use sqlx::ConnectOptions;
    let database = data.join("convene.sqlite3");
    if !database.exists() {
        return Err(StoreError::NotFound(format!("{} has no database (convene.sqlite3)", data.display())));
    }
    if out.exists() {
        return Err(StoreError::Conflict(format!("{} exists: give a new file", out.display())));
    }
    let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&database)
        .read_only(true)
        .busy_timeout(std::time::Duration::from_secs(10))
        .connect()
        .await
        .map_err(|e| StoreError::Other(format!("cannot open {}: {e}", database.display())))?;
    let target = out.to_str().ok_or_else(|| StoreError::Other("the backup's path is not UTF-8".into()))?;
    // Made empty and 0600 first (VACUUM INTO fills an empty file), so the copy is never readable
    // by others, even for a moment.
    owner_only(None, out).map_err(|e| StoreError::Other(format!("cannot create {}: {e}", out.display())))?;
    if let Err(e) = sqlx::query("VACUUM INTO $1").bind(target).execute(&mut conn).await {
        let _ = std::fs::remove_file(out);
        return Err(other(e));
    }
    std::fs::metadata(out).map(|m| m.len()).map_err(|e| StoreError::Other(e.to_string()))
}

/// The database (which holds the log's signing key and the session key) is readable by its owner
/// only: 0600, created so before SQLite opens it (its `-wal` and `-shm` files take the database's
/// mode), and a data directory made here is 0700 (one the user gave is left as it is).
fn owner_only(new_dir: Option<&Path>, database: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        if let Some(dir) = new_dir {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        }
        std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(database)?;
        std::fs::set_permissions(database, std::fs::Permissions::from_mode(0o600))?;
        for suffix in ["-wal", "-shm"] {
            let side = database.with_file_name(format!("convene.sqlite3{suffix}"));
            if side.exists() {
                std::fs::set_permissions(&side, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    let _ = (new_dir, database);
    Ok(())
}
