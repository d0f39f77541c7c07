//! The log's order-dependent checks (`convene_record::admission::LogOrder`: no repeated ballot,
//! no reuse of a revealed ciphertext, a credential's cap), applied where ballots are appended:
//! in the one task that commits an election's ballots (`convene_store::Appender`), batch by
//! batch, against every entry of the log this process knows — its own and, on a shared
//! PostgreSQL, those that other processes appended first, which the task reads and replays
//! before the batch may follow them. After each durable commit the tree grows and a checkpoint
//! is signed (without witnesses, at once; with them, by the witnessing task).

use crate::ops::Metrics;
use crate::witnessing::Checkpoints;
use convene_record::admission::LogOrder;
use convene_record::format::LogEntry;
use convene_record::tally::{Electorate, Voter};
use convene_store::{CommitHook, EntryRow, NewEntry, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A checked entry waiting for its batch: its voter and the entry, by leaf (the route stages
/// it; the committing task takes it). Identical entries share a leaf, hence the list.
pub(crate) type Staged = Arc<Mutex<HashMap<[u8; 32], Vec<(Option<Voter>, LogEntry)>>>>;

pub(crate) struct CheckpointHook {
    pub checkpoints: Arc<Checkpoints>,
    pub electorate: Arc<Electorate>,
    pub order: LogOrder,
    pub staged: Staged,
    /// The batch in hand, admitted, in the order of the entries still in it.
    current: Vec<(Option<Voter>, LogEntry)>,
}

impl CheckpointHook {
    pub fn new(checkpoints: Arc<Checkpoints>, electorate: Arc<Electorate>, order: LogOrder, staged: Staged) -> Self {
        CheckpointHook { checkpoints, electorate, order, staged, current: Vec::new() }
    }

    /// Admits each of `entries` in turn; keeps those admitted in `current`.
    fn admit_all(&mut self, entries: Vec<Option<(Option<Voter>, LogEntry)>>) -> Vec<Result<(), StoreError>> {
        self.current.clear();
        entries
            .into_iter()
            .map(|checked| {
                let (voter, entry) =
                    checked.ok_or_else(|| StoreError::Other("an entry reached the log writer unchecked".into()))?;
                self.order.admit(None, voter, &entry).map_err(|refusal| StoreError::Refused {
                    code: crate::error::refusal_code(&refusal),
                    message: refusal.to_string(),
                })?;
                self.current.push((voter, entry));
                Ok(())
            })
            .collect()
    }

    fn withdraw_current(&mut self) {
        for (voter, entry) in std::mem::take(&mut self.current) {
            self.order.withdraw(voter, &entry);
        }
    }
}

/// The voter an entry read from the log belongs to (none for a version-3 challenged ballot).
pub(crate) fn voter_of(electorate: &Electorate, entry: &LogEntry) -> Result<Option<Voter>, String> {
    match (entry, electorate.check(entry.ballot())) {
        (_, Ok(voter)) => Ok(Some(voter)),
        (LogEntry::Spoiled(ballot, _), Err(_)) if ballot.one_time.is_some() => Ok(None),
        (_, Err(e)) => Err(e.to_string()),
    }
}

/// An entry read back from the log (checked when it was appended), remembered by the checks.
pub(crate) fn replay_row(order: &mut LogOrder, electorate: &Electorate, row: &EntryRow) -> Result<(), String> {
    let entry = LogEntry::parse(&row.line).map_err(|e| format!("stored entry {}: {e}", row.index))?;
    order.replay(voter_of(electorate, &entry)?, &entry, row.index);
    Ok(())
}

#[async_trait::async_trait]
impl CommitHook for CheckpointHook {
    async fn admit(&mut self, batch: &[NewEntry]) -> Vec<Result<(), StoreError>> {
        let entries: Vec<_> = {
            let mut staged = self.staged.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            batch
                .iter()
                .map(|e| {
                    let list = staged.get_mut(&e.leaf)?;
                    let taken = list.pop();
                    if list.is_empty() {
                        staged.remove(&e.leaf);
                    }
                    taken
                })
                .collect()
        };
        self.admit_all(entries)
    }

    /// Another process appended `rows` first: the batch is checked again after them (a ballot
    /// cast there meanwhile may make one here a repeat, or over its credential's cap).
    async fn moved(&mut self, rows: &[EntryRow], batch: &[NewEntry]) -> Vec<Result<(), StoreError>> {
        let metrics = &self.checkpoints.checkpointer.metrics;
        Metrics::inc(&metrics.appends_moved);
        metrics.entries_reread.increment(rows.len() as u64);
        {
            let mut state = self.checkpoints.tree.lock().await;
            for row in rows {
                if row.index == state.tree.len() {
                    state.tree.push(row.leaf);
                }
            }
        }
        debug_assert_eq!(batch.len(), self.current.len());
        let entries: Vec<_> = self.current.iter().cloned().map(Some).collect();
        self.withdraw_current();
        if let Some(e) = rows.iter().find_map(|row| replay_row(&mut self.order, &self.electorate, row).err()) {
            return batch.iter().map(|_| Err(StoreError::Other(e.clone()))).collect();
        }
        self.admit_all(entries)
    }

    async fn failed(&mut self, _batch: &[NewEntry]) {
        // Perhaps committed after all (an answer lost with the connection): then the next
        // append finds the log moved, and reads it back from there.
        self.withdraw_current();
    }

    async fn committed(&mut self, first_index: u64, entries: &[NewEntry]) -> Result<(), StoreError> {
        for (k, (_, entry)) in std::mem::take(&mut self.current).into_iter().enumerate() {
            self.order.placed(&entry, first_index + k as u64);
        }
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
