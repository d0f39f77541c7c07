//! What several processes on one database share, and what keeps a second process off SQLite:
//! the data directory's process lock, and the notices every process hears (PostgreSQL's
//! `LISTEN`/`NOTIFY`; in-process on SQLite).

use crate::{Notice, StoreError};
use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};
use tokio::sync::broadcast;

/// The one channel every Convene process listens on.
pub(crate) const CHANNEL: &str = "convene";

/// An exclusive lock on a SQLite data directory (`convene.lock`, an advisory file lock the
/// operating system drops when the process ends, however it ends). Stores of one process share
/// it; a second process is refused.
#[derive(Clone)]
pub struct ProcessLock {
    _file: Arc<File>,
}

static HELD: Mutex<Option<HashMap<PathBuf, Weak<File>>>> = Mutex::new(None);

impl ProcessLock {
    /// Takes the lock on `dir`, or says which process holds it and what to do instead.
    pub fn take(dir: &Path) -> Result<ProcessLock, StoreError> {
        let path = dir.join("convene.lock");
        let key = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let mut held = HELD.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let held = held.get_or_insert_with(HashMap::new);
        if let Some(file) = held.get(&key).and_then(Weak::upgrade) {
            return Ok(ProcessLock { _file: file });
        }
        let cannot = |e: std::io::Error| StoreError::Other(format!("cannot open {}: {e}", path.display()));
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path).map_err(cannot)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = std::fs::read_to_string(&path).unwrap_or_default();
                let holder = holder.trim();
                let who = if holder.is_empty() { String::new() } else { format!(" (process {holder})") };
                return Err(StoreError::Other(format!(
                    "another convene process{who} is using the data directory {}: the embedded SQLite database \
                     serves one process. Stop that process, or run several processes on PostgreSQL \
                     (--database postgres://…)",
                    dir.display()
                )));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(cannot(e)),
        }
        // Who holds it, for the next one's message (the lock, not this text, is what excludes).
        let _ = file.set_len(0);
        let _ = std::io::Write::write_all(&mut &file, format!("{}\n", std::process::id()).as_bytes());
        let file = Arc::new(file);
        held.insert(key, Arc::downgrade(&file));
        Ok(ProcessLock { _file: file })
    }
}

/// A notice as sent: the topic, a newline, the payload.
pub(crate) fn encode(topic: &str, payload: &str) -> Result<String, StoreError> {
    if topic.contains('\n') || payload.len() > crate::MAX_NOTICE {
        return Err(StoreError::Other(format!("a notice about {topic:?} is too long or has a newline in its topic")));
    }
    Ok(format!("{topic}\n{payload}"))
}

fn decode(text: &str) -> Notice {
    match text.split_once('\n') {
        Some((topic, payload)) => Notice::Message { topic: topic.to_string(), payload: payload.to_string() },
        // Not ours (someone else's NOTIFY on the channel): treat as a reason to look again.
        None => Notice::Lost,
    }
}

/// Stops a background task when its owner is dropped.
pub(crate) struct AbortOnDrop(pub tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Listens on PostgreSQL's channel for the life of the store, passing every notice on to `bus`.
/// A dropped connection is reconnected; what was sent meanwhile is lost, so listeners are told
/// [`Notice::Lost`] and read the state again.
pub(crate) async fn listen(url: &str, bus: broadcast::Sender<Notice>) -> Result<AbortOnDrop, StoreError> {
    let mut listener = sqlx::postgres::PgListener::connect(url)
        .await
        .map_err(|e| StoreError::Other(format!("cannot listen for other processes' notices: {e}")))?;
    listener.listen(CHANNEL).await.map_err(|e| StoreError::Other(format!("cannot LISTEN {CHANNEL}: {e}")))?;
    Ok(AbortOnDrop(tokio::spawn(async move {
        let mut connected = true;
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => {
                    connected = true;
                    let _ = bus.send(decode(notification.payload()));
                }
                // The connection dropped; the next call reconnects.
                Ok(None) => {
                    let _ = bus.send(Notice::Lost);
                }
                Err(_) => {
                    if connected {
                        let _ = bus.send(Notice::Lost);
                    }
                    connected = false;
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
            }
        }
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_reads_back_and_a_foreign_one_means_look_again() {
        let text = encode("c-1", "{\"index\":3}").unwrap();
        assert_eq!(decode(&text), Notice::Message { topic: "c-1".into(), payload: "{\"index\":3}".into() });
        assert_eq!(decode("hello"), Notice::Lost);
        assert!(encode("a\nb", "x").is_err());
        assert!(encode("a", &"x".repeat(crate::MAX_NOTICE + 1)).is_err());
    }

    #[test]
    fn one_process_shares_its_lock_and_the_lock_file_names_it() {
        let dir = tempfile::tempdir().unwrap();
        let first = ProcessLock::take(dir.path()).unwrap();
        let _second = ProcessLock::take(dir.path()).expect("the same process shares its lock");
        let text = std::fs::read_to_string(dir.path().join("convene.lock")).unwrap();
        assert_eq!(text.trim(), std::process::id().to_string());
        drop(first);
    }
}
