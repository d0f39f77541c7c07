//! Group commit. Ballots for one election queue up for a single committing task; it takes every
//! ballot waiting (up to a batch limit), appends them in one transaction, commits durably, runs
//! the [`CommitHook`] (the server signs a checkpoint there), and only then acknowledges each. If
//! the hook fails, each entry is still told its index ([`StoreError::Uncovered`]): it is in the log.
//! Under load, batches grow by themselves; when idle, a ballot commits alone at once.

use crate::{NewEntry, Store, StoreError};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// What to do after each durable commit, before the acknowledgements go out.
#[async_trait::async_trait]
pub trait CommitHook: Send + 'static {
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
    /// Starts the committing task: entries are appended only while the election is in `phase`.
    /// `max_batch` bounds one transaction.
    pub fn spawn(
        store: Arc<dyn Store>,
        election: String,
        phase: &str,
        mut hook: Box<dyn CommitHook>,
        max_batch: usize,
    ) -> Appender {
        let phase = phase.to_string();
        let (sender, mut receiver) = mpsc::channel::<Request>(max_batch * 4);
        tokio::spawn(async move {
            while let Some(first) = receiver.recv().await {
                let mut batch = vec![first];
                while batch.len() < max_batch {
                    match receiver.try_recv() {
                        Ok(r) => batch.push(r),
                        Err(_) => break,
                    }
                }
                let entries: Vec<NewEntry> = batch.iter().map(|r| r.entry.clone()).collect();
                let outcome = match store.append_entries(&election, &phase, &entries).await {
                    Ok(first_index) => match hook.committed(first_index, &entries).await {
                        Ok(()) => Ok(first_index),
                        // Committed all the same: each entry is told its index.
                        Err(e) => Err(StoreError::Uncovered { index: first_index, why: e.to_string() }),
                    },
                    Err(e) => Err(e),
                };
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
