//! Use cases: each file orchestrates domain decisions, storage and the clock for one flow,
//! inside transactions. Both the command line and the web layer call these.

pub mod account;
pub mod admin;
pub mod api_keys;
pub mod audit;
pub mod authenticator;
pub mod clients;
pub mod credentials;
pub mod delegation;
pub mod email_claim;
pub mod email_links;
pub mod emails;
pub mod factor_admin;
pub mod factor_notice;
pub mod factor_policy;
pub mod handshake;
pub mod hooks;
pub mod key_usage;
pub mod keys;
pub mod link_mail;
pub mod login;
pub mod metrics;
pub mod oidc;
pub mod openid;
pub mod passkeys;
pub mod passwords;
pub mod people;
pub mod recovery_codes;
pub mod second_step;
pub mod security_mail;
pub mod sessions;
pub mod sign_in_target;
pub mod teams;
pub mod throttle;

use crate::clock::SharedClock;
use std::sync::Arc;

use crate::config::{
    ApiKeySettings, AuthDelegationSettings, Lifetimes, LoginSettings, Settings, ThrottleSettings,
};
use crate::db::{CounterStore, Db, DbError, SessionStore};
use crate::domain::HashingParams;
use crate::templates::{RenderError, Templates};

/// What every use case needs: storage, time, the password cost, templates for email, and the
/// settings that shape the flows.
#[derive(Debug, Clone)]
pub struct Context {
    /// The identity store.
    pub db: Db,
    /// The clock every expiry decision reads.
    pub clock: SharedClock,
    /// argon2id parameters for new hashes.
    pub hashing: HashingParams,
    /// Page and email templates.
    pub templates: Templates,
    /// The configured public URL, without a trailing slash: every link uses it.
    pub public_url: String,
    /// Token, code and session lifetimes.
    pub lifetimes: Lifetimes,
    /// Login-form settings.
    pub login: LoginSettings,
    /// Brute-force protection.
    pub throttle: ThrottleSettings,
    /// API-key settings.
    pub api_keys: ApiKeySettings,
    /// Administration-console settings.
    pub admin: crate::config::AdminSettings,
    /// Auth-delegation settings.
    pub delegation: AuthDelegationSettings,
    /// API-key uses waiting to be written.
    pub key_usage: Arc<key_usage::KeyUsage>,
    /// Passwords checked against a hash since start (for `/metrics`).
    pub password_checks: Arc<std::sync::atomic::AtomicU64>,
    /// The lockout counters: in the database unless the server put them in Redis at start.
    pub counters: CounterStore,
    /// The sessions: in the database unless the server put them in Redis at start.
    pub sessions: SessionStore,
    /// The site's key for second-factor secrets, read from the site secrets on first use.
    pub factor_key: Arc<tokio::sync::OnceCell<crate::domain::factor_seal::FactorKey>>,
    /// The WebAuthn relying party, built once from the public URL; `None` when passkeys are off
    /// (the URL's host is an IP address, which WebAuthn refuses as a relying-party id).
    pub passkeys: Option<Arc<webauthn_rs::Webauthn>>,
}

impl Context {
    /// Assembles the context from settings, storage, a clock and the public URL; sessions and
    /// lockout counters live in the database (the server moves them to Redis when configured).
    pub fn new(
        settings: &Settings,
        db: Db,
        clock: SharedClock,
        public_url: String,
    ) -> Result<Self, RenderError> {
        let passkeys = passkeys::relying_party(&public_url).ok();
        Ok(Self {
            clock,
            hashing: settings.password,
            templates: Templates::load()?,
            public_url,
            lifetimes: settings.lifetimes.clone(),
            login: settings.login.clone(),
            throttle: settings.throttle.clone(),
            api_keys: settings.api_keys.clone(),
            admin: settings.admin.clone(),
            delegation: settings.auth_delegation.clone(),
            key_usage: Arc::default(),
            password_checks: Arc::default(),
            counters: CounterStore::database(db.clone()),
            sessions: SessionStore::database(db.clone()),
            factor_key: Arc::default(),
            passkeys,
            db,
        })
    }
}

impl Context {
    /// Whether the Redis behind the sessions or the lockout counters answers (both share one
    /// connection); `None` when neither lives in Redis.
    pub async fn redis_reachable(&self) -> Option<Result<(), DbError>> {
        match self.sessions.redis_reachable().await {
            Some(answer) => Some(answer),
            None => self.counters.redis_reachable().await,
        }
    }
}

/// Where a change came from, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// A remote address, or `cli`.
    pub remote_addr: String,
    /// The request path, for web requests.
    pub request_path: Option<String>,
}

impl Origin {
    /// A change made with the command line.
    pub fn cli() -> Self {
        Self {
            remote_addr: "cli".to_owned(),
            request_path: None,
        }
    }
}
