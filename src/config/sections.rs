//! The sections of the settings file, each with its defaults.

use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;
use serde::{Deserialize, Deserializer};

/// `[server]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSettings {
    /// Address of the public listener.
    pub public_addr: String,
    /// Address of the private (XML-RPC) listener.
    pub private_addr: String,
    /// The URL people and relying parties use; defaults to `http://` + `public_addr`.
    pub public_url: Option<String>,
    /// Seconds given to in-flight requests at shutdown.
    pub shutdown_timeout_secs: u64,
    /// Reverse proxies (addresses or networks) whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<String>,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            public_addr: "127.0.0.1:8080".to_owned(),
            private_addr: "127.0.0.1:8087".to_owned(),
            public_url: None,
            shutdown_timeout_secs: 10,
            trusted_proxies: Vec::new(),
        }
    }
}

impl ServerSettings {
    /// The configured public URL, without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.public_addr),
        }
    }
}

/// `[database]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseSettings {
    /// `sqlite://path` or `postgres://user:pass@host:port/db`. Secret: it may hold a password.
    pub url: SecretString,
    /// Most connections in the pool.
    pub max_connections: u32,
    /// Seconds to wait for a connection before a request fails.
    pub acquire_timeout_secs: u64,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: SecretString::from("sqlite://data/latchkey.db"),
            max_connections: 10,
            acquire_timeout_secs: 5,
        }
    }
}

/// How outgoing mail leaves the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    /// Each message written to a file in `mail.dir` (development default).
    File,
    /// Delivered through the SMTP server at `mail.smtp_url`.
    Smtp,
}

/// `[mail]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MailSettings {
    /// `file` or `smtp`.
    pub transport: MailTransport,
    /// Folder for the file transport.
    pub dir: PathBuf,
    /// `smtp://user:pass@host:port` or `smtps://…`. Secret: it may hold a password.
    pub smtp_url: Option<SecretString>,
    /// The From header of every message.
    pub from: String,
    /// How often the outbox worker looks for due messages, in milliseconds.
    pub poll_interval_ms: u64,
    /// How long a node holds a message it is delivering before another node may try it (a node
    /// that dies mid-delivery delays the message by at most this), in seconds.
    pub claim_secs: u64,
    /// The wait before the first retry of a failed delivery, doubling with each further
    /// failure up to an hour, in seconds.
    pub retry_base_secs: u64,
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            transport: MailTransport::File,
            dir: PathBuf::from("data/mail"),
            smtp_url: None,
            from: "Latchkey <noreply@localhost>".to_owned(),
            poll_interval_ms: 1000,
            claim_secs: 120,
            retry_base_secs: 10,
        }
    }
}

/// `[login]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoginSettings {
    /// Answer "check your email" instead of telling whether an address is known.
    pub hide_account_existence: bool,
    /// Teams (by handle) whose members must have a second factor: one who has none is sent
    /// to enrol before any other page or sign-in request.
    pub require_second_factor_for_teams: Vec<String>,
}

/// `[lifetimes]`: durations such as `"60s"`, `"10m"`, `"24h"`, `"30days"`, or seconds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Lifetimes {
    /// OIDC authorization code.
    #[serde(deserialize_with = "duration")]
    pub authorization_code: Duration,
    /// OIDC access token.
    #[serde(deserialize_with = "duration")]
    pub access_token: Duration,
    /// Refresh token, from issue to hard end.
    #[serde(deserialize_with = "duration")]
    pub refresh_token: Duration,
    /// Refresh token, unused.
    #[serde(deserialize_with = "duration")]
    pub refresh_token_idle: Duration,
    /// Session, unused.
    #[serde(deserialize_with = "duration")]
    pub session_idle: Duration,
    /// Session, from login to hard end.
    #[serde(deserialize_with = "duration")]
    pub session_absolute: Duration,
    /// Emailed password-recovery link.
    #[serde(deserialize_with = "duration")]
    pub password_recovery: Duration,
    /// Emailed new-account link.
    #[serde(deserialize_with = "duration")]
    pub new_account: Duration,
    /// Emailed address-validation link.
    #[serde(deserialize_with = "duration")]
    pub validate_email: Duration,
    /// Bug-tracker handshake token.
    #[serde(deserialize_with = "duration")]
    pub bug_tracker: Duration,
    /// Auth-delegation confirmation.
    #[serde(deserialize_with = "duration")]
    pub delegation_confirmation: Duration,
}

impl Default for Lifetimes {
    fn default() -> Self {
        const MIN: u64 = 60;
        const HOUR: u64 = 60 * MIN;
        const DAY: u64 = 24 * HOUR;
        Self {
            authorization_code: Duration::from_secs(60),
            access_token: Duration::from_secs(10 * MIN),
            refresh_token: Duration::from_secs(30 * DAY),
            refresh_token_idle: Duration::from_secs(14 * DAY),
            session_idle: Duration::from_secs(2 * HOUR),
            session_absolute: Duration::from_secs(12 * HOUR),
            password_recovery: Duration::from_secs(HOUR),
            new_account: Duration::from_secs(DAY),
            validate_email: Duration::from_secs(DAY),
            bug_tracker: Duration::from_secs(DAY),
            delegation_confirmation: Duration::from_secs(HOUR),
        }
    }
}

/// `[throttle]`: Keycloak-like brute-force protection. After `account_failures` failures for
/// one address (or `ip_failures` from one client address), attempts are refused for
/// `wait_increment`, doubling with each further failure up to `max_wait`; counters are
/// forgotten `reset_after` the last failure.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThrottleSettings {
    /// Whether throttling is on.
    pub enabled: bool,
    /// Failures per address before a lockout.
    pub account_failures: i64,
    /// Failures per client address before a lockout.
    pub ip_failures: i64,
    /// Web-hook calls with a wrong or missing token from one client address before its hook
    /// calls are refused.
    pub hook_failures: i64,
    /// Requests with an unknown or revoked API key from one client address before its
    /// API requests are refused.
    pub api_key_failures: i64,
    /// Failed client authentications (unknown client, wrong or missing secret) at `/token`,
    /// `/revoke` and `/introspect`, counted per client and per client address, before that
    /// client's or that address's attempts are refused.
    pub client_auth_failures: i64,
    /// The first lockout.
    #[serde(deserialize_with = "duration")]
    pub wait_increment: Duration,
    /// The longest lockout.
    #[serde(deserialize_with = "duration")]
    pub max_wait: Duration,
    /// Quiet time after which failures are forgotten.
    #[serde(deserialize_with = "duration")]
    pub reset_after: Duration,
}

impl Default for ThrottleSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            account_failures: 10,
            ip_failures: 50,
            hook_failures: 10,
            api_key_failures: 20,
            client_auth_failures: 20,
            wait_increment: Duration::from_secs(60),
            max_wait: Duration::from_secs(15 * 60),
            reset_after: Duration::from_secs(12 * 3600),
        }
    }
}

/// `[auth_delegation]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthDelegationSettings {
    /// Whether `/auth.cgi` works at all.
    pub enabled: bool,
    /// Callback hosts allowed even on loopback or private addresses.
    pub allowed_hosts: Vec<String>,
    /// Whether plain-http callbacks are accepted.
    pub allow_http: bool,
    /// How long the callback may take to answer, in seconds.
    pub callback_timeout_secs: u64,
}

impl Default for AuthDelegationSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            allowed_hosts: Vec::new(),
            allow_http: false,
            callback_timeout_secs: 5,
        }
    }
}

/// `[api_keys]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiKeySettings {
    /// Accept keys in the `Bugzilla_api_key` / `api_key` query parameters.
    pub allow_query_parameter: bool,
    /// Creating, revoking or restoring a key needs the password entered within this many
    /// minutes (at sign-in, or confirmed again on the keys tab).
    pub reauth_minutes: u64,
}

impl Default for ApiKeySettings {
    fn default() -> Self {
        Self {
            allow_query_parameter: false,
            reauth_minutes: 10,
        }
    }
}

/// `[admin]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdminSettings {
    /// The handle of the team whose members may use the console at `/+admin`; unset: no
    /// console (every `/+admin` page answers 404).
    pub team: Option<String>,
    /// The console needs a two-factor sign-in (or re-authentication) within this many minutes.
    pub reauth_minutes: u64,
}

impl Default for AdminSettings {
    fn default() -> Self {
        Self {
            team: None,
            reauth_minutes: 15,
        }
    }
}

/// `[redis]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RedisSettings {
    /// `redis://host:port`; unset means no Redis. Secret: it may hold a password.
    pub url: Option<SecretString>,
    /// Keep the lockout counters in Redis instead of the database.
    pub rate_limits: bool,
    /// Keep the sessions in Redis instead of the database.
    pub sessions: bool,
    /// What every key Latchkey writes to Redis starts with, so that installations sharing one
    /// Redis keep apart (nodes of one installation must use the same).
    pub key_prefix: String,
}

impl Default for RedisSettings {
    fn default() -> Self {
        Self {
            url: None,
            rate_limits: false,
            sessions: false,
            key_prefix: "latchkey:".to_owned(),
        }
    }
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// `[log]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogSettings {
    /// `text` or `json`.
    pub format: LogFormat,
    /// A `tracing` filter such as `info` or `latchkey=debug,info`; `RUST_LOG` wins when set.
    pub level: String,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            level: "info".to_owned(),
        }
    }
}

pub(super) fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Seconds(u64),
        Text(String),
    }
    match Raw::deserialize(d)? {
        Raw::Seconds(s) => Ok(Duration::from_secs(s)),
        Raw::Text(t) => humantime::parse_duration(t.trim()).map_err(serde::de::Error::custom),
    }
}
