//! actix-session's `SessionStore` over the `sessions` table, so every node shares sessions and
//! a person's sessions can be ended together. Only the SHA-256 of a session key is stored.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;

use super::session::PERSON_KEY;
use crate::clock::SharedClock;
use crate::db::Db;
use crate::db::sessions::{
    delete_session, insert_session, load_session, touch_session, update_session,
};
use crate::domain::{PersonId, PlainToken, TokenHash, TokenKind};

/// Sessions kept in the application's database.
#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: Db,
    clock: SharedClock,
}

impl DbSessionStore {
    /// A store over the given database, reading time from the given clock.
    pub fn new(db: Db, clock: SharedClock) -> Self {
        Self { db, clock }
    }

    fn expiry(&self, ttl: &Duration) -> i64 {
        self.clock.now().saturating_add(ttl.whole_seconds())
    }
}

fn hash(key: &SessionKey) -> TokenHash {
    TokenHash::of(key.as_ref())
}

/// The signed-in person recorded in a session's state (values are JSON-encoded).
fn person_of(state: &HashMap<String, String>) -> Option<PersonId> {
    state
        .get(PERSON_KEY)
        .and_then(|v| serde_json::from_str::<String>(v).ok())
        .map(PersonId::from_stored)
}

impl SessionStore for DbSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<HashMap<String, String>>, LoadError> {
        let state = load_session(self.db.pool(), &hash(key), self.clock.now())
            .await
            .map_err(|e| LoadError::Other(e.into()))?;
        state
            .map(|s| serde_json::from_str(&s).map_err(|e| LoadError::Deserialization(e.into())))
            .transpose()
    }

    async fn save(
        &self,
        state: HashMap<String, String>,
        ttl: &Duration,
    ) -> Result<SessionKey, SaveError> {
        let text = serde_json::to_string(&state).map_err(|e| SaveError::Serialization(e.into()))?;
        let token = PlainToken::generate(TokenKind::Session)
            .map_err(|e| SaveError::Other(anyhow::anyhow!("{e}")))?;
        let key = SessionKey::try_from(token.expose().to_owned())
            .map_err(|e| SaveError::Other(e.into()))?;
        insert_session(
            self.db.pool(),
            &hash(&key),
            person_of(&state).as_ref(),
            &text,
            self.clock.now(),
            self.expiry(ttl),
        )
        .await
        .map_err(|e| SaveError::Other(e.into()))?;
        Ok(key)
    }

    async fn update(
        &self,
        key: SessionKey,
        state: HashMap<String, String>,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        let text =
            serde_json::to_string(&state).map_err(|e| UpdateError::Serialization(e.into()))?;
        let updated = update_session(
            self.db.pool(),
            &hash(&key),
            person_of(&state).as_ref(),
            &text,
            self.clock.now(),
            self.expiry(ttl),
        )
        .await
        .map_err(|e| UpdateError::Other(e.into()))?;
        if updated {
            Ok(key)
        } else {
            // The session ended meanwhile (expired, or signed out elsewhere): start a new,
            // empty one. Carrying the old state over would sign a signed-out person back in.
            drop(state);
            self.save(HashMap::new(), ttl).await.map_err(|e| match e {
                SaveError::Serialization(e) => UpdateError::Serialization(e),
                SaveError::Other(e) => UpdateError::Other(e),
            })
        }
    }

    async fn update_ttl(&self, key: &SessionKey, ttl: &Duration) -> Result<(), anyhow::Error> {
        touch_session(
            self.db.pool(),
            &hash(key),
            self.clock.now(),
            self.expiry(ttl),
        )
        .await?;
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        delete_session(self.db.pool(), &hash(key)).await?;
        Ok(())
    }
}
