//! actix-session's `SessionStore` over the context's session store (the `sessions` table, or
//! Redis), so every node shares sessions and a person's sessions can be ended together. Only
//! the SHA-256 of a session key is stored.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;

use super::session::PERSON_KEY;
use crate::domain::{PersonId, PlainToken, TokenHash, TokenKind};
use crate::service::Context;

/// Sessions kept where every node sees them.
#[derive(Debug, Clone)]
pub struct SharedSessionStore {
    ctx: Context,
}

impl SharedSessionStore {
    /// A store over the context's sessions, reading time from its clock.
    pub fn new(ctx: Context) -> Self {
        Self { ctx }
    }

    fn now(&self) -> i64 {
        self.ctx.clock.now()
    }

    fn expiry(&self, ttl: &Duration) -> i64 {
        self.now().saturating_add(ttl.whole_seconds())
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

impl SessionStore for SharedSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<HashMap<String, String>>, LoadError> {
        let state = self
            .ctx
            .sessions
            .load(&hash(key), self.now())
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
        let token =
            PlainToken::generate(TokenKind::Session).map_err(|e| SaveError::Other(e.into()))?;
        let key = SessionKey::try_from(token.expose().to_owned())
            .map_err(|e| SaveError::Other(e.into()))?;
        self.ctx
            .sessions
            .insert(
                &hash(&key),
                person_of(&state).as_ref(),
                &text,
                self.now(),
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
        let updated = self
            .ctx
            .sessions
            .update(
                &hash(&key),
                person_of(&state).as_ref(),
                &text,
                self.now(),
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
        self.ctx
            .sessions
            .touch(&hash(key), self.now(), self.expiry(ttl))
            .await?;
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        self.ctx.sessions.delete(&hash(key)).await?;
        Ok(())
    }
}
