//! Group commit. Ballots for one election queue up for a single committing task; it takes every
//! ballot waiting (up to a batch limit), appends them in one transaction, commits durably, runs
//! the [`CommitHook`] (the server signs a checkpoint there), and only then acknowledges each. If
//! the hook fails, each entry is still told its index ([`StoreError::Uncovered`]): it is in the log.
//! Under load, batches grow by themselves; when idle, a ballot commits alone at once.
//!
//! Each append names the log size this process knows. When another process (on one PostgreSQL)
//! appended first, the append is refused as `Moved` and nothing is written; the task reads what
//! the others appended, gives it to [`CommitHook::moved`] (which may now refuse entries of the
//! batch: a ballot cast meanwhile elsewhere), and appends the rest after it.

use crate::{EntryRow, NewEntry, Store, StoreError};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// What to do after each durable commit, before the acknowledgements go out.
#[async_trait::async_trait]
pub trait CommitHook: Send + 'static {
    /// A new batch, before its first append: returns, for each entry, whether it may go in
    /// (`Err`: that entry's answer, typically [`StoreError::Refused`]). Then come `moved` (any
    /// number of times), and `committed` or `failed`, for the entries still in the batch.
    async fn admit(&mut self, _batch: &[NewEntry]) -> Vec<Result<(), StoreError>> {
        _batch.iter().map(|_| Ok(())).collect()
    }
    /// The batch was not appended, or whether it was is unknown (the database's answer lost).
    async fn failed(&mut self, _batch: &[NewEntry]) {}
    /// Other processes appended `rows` (the log's entries from the size this process knew) before
    /// `batch` could go in. Returns, for each entry of the batch, whether it may still be
    /// appended after them (`Err`: that entry's answer, typically [`StoreError::Refused`]).
    async fn moved(&mut self, rows: &[EntryRow], batch: &[NewEntry]) -> Vec<Result<(), StoreError>>;
    async fn committed(&mut self, first_index: u64, entries: &[NewEntry]) -> Result<(), StoreError>;
}

struct Request {
    entry: NewEntry,
    reply: oneshot::Sender<Result<u64, StoreError>>,
}

/// The handle through which ballots reach the log of one election.
#[derive(Clone)]
pub struct Appender {
    sender: mpsc::Sender<Request>,
}

impl Appender {
    /// Starts the committing task: entries are appended only while the election is in `phase`,
    /// after the `size` entries the log has now. `max_batch` bounds one transaction.
    pub fn spawn(
        store: Arc<dyn Store>,
        election: String,
        phase: &str,
        mut hook: Box<dyn CommitHook>,
        max_batch: usize,
        size: u64,
    ) -> Appender {
        let phase = phase.to_string();
        let (sender, mut receiver) = mpsc::channel::<Request>(max_batch * 4);
        let mut known = size;
        tokio::spawn(async move {
            while let Some(first) = receiver.recv().await {
                let mut batch = vec![first];
                while batch.len() < max_batch {
                    match receiver.try_recv() {
                        Ok(r) => batch.push(r),
                        Err(_) => break,
                    }
                }
                commit(store.as_ref(), &election, &phase, hook.as_mut(), &mut known, batch).await;
            }
        });
        Appender { sender }
    }

    /// Appends one entry; resolves with its log index once it is durably committed.
    pub async fn append(&self, entry: NewEntry) -> Result<u64, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.sender
            .send(Request { entry, reply })
            .await
            .map_err(|_| StoreError::Other("the log writer has stopped".into()))?;
        answer.await.map_err(|_| StoreError::Other("the log writer has stopped".into()))?
    }
}

/// Appends one batch after the `known` entries, catching up with other processes' appends as
/// often as they come first, and answers every request.
async fn commit(
    store: &dyn Store,
    election: &str,
    phase: &str,
    hook: &mut dyn CommitHook,
    known: &mut u64,
    batch: Vec<Request>,
) {
    let entries: Vec<NewEntry> = batch.iter().map(|r| r.entry.clone()).collect();
    let verdicts = hook.admit(&entries).await;
    let Some(mut batch) = keep(batch, verdicts) else { return };
    loop {
        let entries: Vec<NewEntry> = batch.iter().map(|r| r.entry.clone()).collect();
        let outcome = match store.append_entries(election, phase, Some(*known), &entries).await {
            Err(StoreError::Moved { size }) => match others(store, election, *known, size).await {
                Ok(rows) => {
                    let verdicts = hook.moved(&rows, &entries).await;
                    *known = size;
                    match keep(batch, verdicts) {
                        Some(kept) => batch = kept,
                        None => return,
                    }
                    continue;
                }
                Err(e) => Err(e),
            },
            Ok(first_index) => {
                *known = first_index + entries.len() as u64;
                match hook.committed(first_index, &entries).await {
                    Ok(()) => Ok(first_index),
                    // Committed all the same: each entry is told its index.
                    Err(e) => Err(StoreError::Uncovered { index: first_index, why: e.to_string() }),
                }
            }
            // Whether it committed or not is then unknown to this process; the next append
            // finds out (`Moved`), and reads the log from `known` again.
            Err(e) => Err(e),
        };
        if matches!(&outcome, Err(e) if !matches!(e, StoreError::Uncovered { .. })) {
            hook.failed(&entries).await;
        }
        for (k, request) in batch.into_iter().enumerate() {
            let answer = match &outcome {
                Ok(first) => Ok(first + k as u64),
                Err(StoreError::Uncovered { index, why }) => {
                    Err(StoreError::Uncovered { index: index + k as u64, why: why.clone() })
                }
                Err(e) => Err(e.clone()),
            };
            let _ = request.reply.send(answer);
        }
        return;
    }
}

/// The requests whose verdict is `Ok`; the others are answered with theirs. `None` if none is left.
fn keep(batch: Vec<Request>, verdicts: Vec<Result<(), StoreError>>) -> Option<Vec<Request>> {
    let mut kept = Vec::with_capacity(batch.len());
    for (request, verdict) in batch.into_iter().zip(verdicts) {
        match verdict {
            Ok(()) => kept.push(request),
            Err(e) => {
                let _ = request.reply.send(Err(e));
            }
        }
    }
    (!kept.is_empty()).then_some(kept)
}

/// The entries from `from` to `to` (appended by other processes).
async fn others(store: &dyn Store, election: &str, from: u64, to: u64) -> Result<Vec<EntryRow>, StoreError> {
    let mut rows = Vec::new();
    while from + (rows.len() as u64) < to {
        let start = from + rows.len() as u64;
        let more = store.entries(election, start, (to - start).min(10_000)).await?;
        if more.is_empty() {
            return Err(StoreError::Other(format!("the log of {election:?} has a gap at entry {start}")));
        }
        rows.extend(more);
    }
    Ok(rows)
}
