//! Use cases: each file orchestrates domain decisions, storage and the clock for one flow,
//! inside transactions. Both the command line and the web layer call these.

pub mod account;
pub mod api_keys;
pub mod audit;
pub mod clients;
pub mod credentials;
pub mod delegation;
pub mod email_links;
pub mod handshake;
pub mod hooks;
pub mod key_usage;
pub mod keys;
pub mod link_mail;
pub mod login;
pub mod metrics;
pub mod oidc;
pub mod passwords;
pub mod people;
pub mod sessions;
pub mod teams;
pub mod throttle;

use crate::clock::SharedClock;
use std::sync::Arc;

use crate::config::{
    ApiKeySettings, AuthDelegationSettings, Lifetimes, LoginSettings, Settings, ThrottleSettings,
};
use crate::db::Db;
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
    /// Auth-delegation settings.
    pub delegation: AuthDelegationSettings,
    /// API-key uses waiting to be written.
    pub key_usage: Arc<key_usage::KeyUsage>,
    /// Passwords checked against a hash since start (for `/metrics`).
    pub password_checks: Arc<std::sync::atomic::AtomicU64>,
    /// The lockout counters' Redis, when they live there (`redis.rate_limits`); set at start.
    pub redis_throttle: Option<crate::db::throttle_redis::RedisThrottle>,
    /// The sessions' Redis, when they live there (`redis.sessions`); set at start.
    pub redis_sessions: Option<crate::db::sessions_redis::RedisSessions>,
}

impl Context {
    /// Assembles the context from settings, storage, a clock and the public URL.
    pub fn new(
        settings: &Settings,
        db: Db,
        clock: SharedClock,
        public_url: String,
    ) -> Result<Self, RenderError> {
        Ok(Self {
            db,
            clock,
            hashing: settings.password,
            templates: Templates::load()?,
            public_url,
            lifetimes: settings.lifetimes.clone(),
            login: settings.login.clone(),
            throttle: settings.throttle.clone(),
            api_keys: settings.api_keys.clone(),
            delegation: settings.auth_delegation.clone(),
            key_usage: Arc::default(),
            password_checks: Arc::default(),
            redis_throttle: None,
            redis_sessions: None,
        })
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
