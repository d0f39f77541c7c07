//! The loaded elections and conventions, by id. The map's lock is held only to find or insert an
//! id's cell; the load itself runs outside it, once per id (concurrent requests for the same id
//! wait for the one load, requests for other ids do not wait at all). A load that fails leaves
//! the cell empty, and the next request loads again.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use tokio::sync::{Mutex, OnceCell};

pub struct Cache<T> {
    cells: Mutex<HashMap<String, Arc<OnceCell<Arc<T>>>>>,
}

impl<T> Default for Cache<T> {
    fn default() -> Self {
        Cache { cells: Mutex::new(HashMap::new()) }
    }
}

impl<T> Cache<T> {
    /// The value for `id`, loaded by `load` on first use.
    pub async fn get_or_load<E, F>(&self, id: &str, load: impl FnOnce() -> F) -> Result<Arc<T>, E>
    where
        F: Future<Output = Result<T, E>>,
    {
        let cell = self.cells.lock().await.entry(id.to_string()).or_default().clone();
        cell.get_or_try_init(|| async { load().await.map(Arc::new) }).await.cloned()
    }
}
