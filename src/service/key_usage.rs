//! When and from where API keys were last used, kept in memory and written in batches, so that
//! authenticating a request costs no database write.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::db::api_keys::record_api_key_use;
use crate::db::{Db, DbError};

/// Uses noted since the last flush: key id → (time, address). Flushes take turns, so the
/// final one at shutdown waits for a periodic one that is still writing.
#[derive(Debug, Default)]
pub struct KeyUsage(
    Mutex<HashMap<String, (i64, String)>>,
    tokio::sync::Mutex<()>,
);

impl KeyUsage {
    /// Notes a use; only the latest per key is kept.
    pub fn note(&self, key_id: &str, at: i64, from: &str) {
        let mut pending = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        pending.insert(key_id.to_owned(), (at, from.to_owned()));
    }

    /// Writes the noted uses (one update per key used since the last flush). Uses that fail to
    /// be written are noted again for the next flush.
    pub async fn flush(&self, db: &Db) -> Result<usize, DbError> {
        let _turn = self.1.lock().await;
        let batch: Vec<(String, (i64, String))> = {
            let mut pending = self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            pending.drain().collect()
        };
        let count = batch.len();
        let mut iter = batch.into_iter();
        while let Some((id, (at, from))) = iter.next() {
            if let Err(e) = record_api_key_use(db.pool(), &id, at, &from).await {
                self.note(&id, at, &from);
                for (id, (at, from)) in iter {
                    self.note(&id, at, &from);
                }
                return Err(e);
            }
        }
        Ok(count)
    }
}
