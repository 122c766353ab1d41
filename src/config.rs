//! Settings: built-in defaults < `latchkey.toml` (or `--config FILE`) < `LATCHKEY__SECTION__KEY`
//! environment variables. Unknown keys are errors; secrets are redacted in `Debug`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use figment::providers::{Format, Toml};
use figment::value::{Dict, Map, Value};
use figment::{Figment, Metadata, Profile, Provider};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer};

use crate::domain::HashingParams;

/// The file read from the working directory when no `--config` is given.
pub const DEFAULT_CONFIG_FILE: &str = "latchkey.toml";
/// The prefix of environment variables that override settings.
pub const ENV_PREFIX: &str = "LATCHKEY__";

/// Why settings could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A file named with `--config` does not exist.
    #[error("configuration file {0} not found")]
    MissingFile(PathBuf),
    /// A key is unknown, or a value has the wrong type.
    #[error("configuration error: {0}")]
    Load(String),
    /// A value has the right type but is not usable.
    #[error("configuration error: `{key}` {reason}")]
    Invalid {
        /// The dotted key, e.g. `server.public_addr`.
        key: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

/// All settings.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Listeners and the public URL.
    pub server: ServerSettings,
    /// The identity store.
    pub database: DatabaseSettings,
    /// Outgoing email.
    pub mail: MailSettings,
    /// The login form.
    pub login: LoginSettings,
    /// Password hashing cost.
    pub password: HashingParams,
    /// How long tokens, codes and sessions live.
    pub lifetimes: Lifetimes,
    /// Growing lockout after repeated failures.
    pub throttle: ThrottleSettings,
    /// Bugzilla-style auth delegation.
    pub auth_delegation: AuthDelegationSettings,
    /// API keys.
    pub api_keys: ApiKeySettings,
    /// Optional Redis for sessions and rate limits shared by several nodes.
    pub redis: RedisSettings,
    /// Logging.
    pub log: LogSettings,
}

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
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            public_addr: "127.0.0.1:8080".to_owned(),
            private_addr: "127.0.0.1:8087".to_owned(),
            public_url: None,
            shutdown_timeout_secs: 10,
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
}

impl Default for MailSettings {
    fn default() -> Self {
        Self {
            transport: MailTransport::File,
            dir: PathBuf::from("data/mail"),
            smtp_url: None,
            from: "Latchkey <noreply@localhost>".to_owned(),
            poll_interval_ms: 1000,
        }
    }
}

/// `[login]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoginSettings {
    /// Answer "check your email" instead of telling whether an address is known.
    pub hide_account_existence: bool,
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
            wait_increment: Duration::from_secs(60),
            max_wait: Duration::from_secs(15 * 60),
            reset_after: Duration::from_secs(12 * 3600),
        }
    }
}

/// `[auth_delegation]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthDelegationSettings {
    /// Whether `/auth.cgi` works at all.
    pub enabled: bool,
    /// Callback hosts allowed even on loopback or private addresses.
    pub allowed_hosts: Vec<String>,
    /// Whether plain-http callbacks are accepted.
    pub allow_http: bool,
}

/// `[api_keys]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiKeySettings {
    /// Accept keys in the `Bugzilla_api_key` / `api_key` query parameters.
    pub allow_query_parameter: bool,
}

/// `[redis]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RedisSettings {
    /// `redis://host:port`; unset means no Redis. Secret: it may hold a password.
    pub url: Option<SecretString>,
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

fn duration<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
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

impl Settings {
    /// Loads settings from the defaults, a TOML file and environment variables.
    ///
    /// With `file = None`, `latchkey.toml` in the working directory is read if it exists.
    /// `env` is the process environment (passed in so tests need not touch it).
    pub fn load<I>(file: Option<&Path>, env: I) -> Result<Self, ConfigError>
    where
        I: IntoIterator<Item = (String, String)>,
    {
        let mut figment = Figment::new();
        match file {
            Some(path) if !path.exists() => return Err(ConfigError::MissingFile(path.into())),
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            // Only the working directory is looked at (not its parents, as `Toml::file` would).
            None if Path::new(DEFAULT_CONFIG_FILE).exists() => {
                figment = figment.merge(Toml::file_exact(DEFAULT_CONFIG_FILE));
            }
            None => {}
        }
        figment = figment.merge(EnvVars::from_iter(env));
        let settings: Settings = figment
            .extract()
            .map_err(|e| ConfigError::Load(describe(e)))?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks values that deserialise but cannot work.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key, reason: String| ConfigError::Invalid { key, reason };
        self.server
            .public_addr
            .parse::<SocketAddr>()
            .map_err(|e| invalid("server.public_addr", format!("is not host:port ({e})")))?;
        self.server
            .private_addr
            .parse::<SocketAddr>()
            .map_err(|e| invalid("server.private_addr", format!("is not host:port ({e})")))?;
        if let Some(url) = &self.server.public_url {
            let parsed = url::Url::parse(url)
                .map_err(|e| invalid("server.public_url", format!("is not a URL ({e})")))?;
            if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
                return Err(invalid(
                    "server.public_url",
                    "must be an http or https URL with a host".to_owned(),
                ));
            }
        }
        crate::db::Backend::of_url(self.database.url.expose_secret())
            .map_err(|e| invalid("database.url", e.to_string()))?;
        if self.mail.transport == MailTransport::Smtp && self.mail.smtp_url.is_none() {
            return Err(invalid(
                "mail.smtp_url",
                "is required when mail.transport = \"smtp\"".to_owned(),
            ));
        }
        self.password
            .validate()
            .map_err(|e| invalid("password", e.to_string()))?;
        if self.database.max_connections == 0 {
            return Err(invalid(
                "database.max_connections",
                "must be at least 1".to_owned(),
            ));
        }
        Ok(())
    }
}

/// Figment reports "for key `default.server.x`": the profile is our implementation detail.
fn describe(error: figment::Error) -> String {
    error
        .into_iter()
        .map(|e| e.to_string().replace("\"default.", "\""))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `LATCHKEY__SECTION__KEY=value` pairs as a figment provider.
struct EnvVars(Vec<(String, String)>);

impl FromIterator<(String, String)> for EnvVars {
    fn from_iter<T: IntoIterator<Item = (String, String)>>(iter: T) -> Self {
        Self(
            iter.into_iter()
                .filter(|(k, _)| k.starts_with(ENV_PREFIX))
                .collect(),
        )
    }
}

impl Provider for EnvVars {
    fn metadata(&self) -> Metadata {
        Metadata::named("environment variable")
            .interpolater(|_, keys| format!("{ENV_PREFIX}{}", keys.join("__").to_ascii_uppercase()))
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        let mut root = Dict::new();
        for (name, raw) in &self.0 {
            let path = name[ENV_PREFIX.len()..]
                .to_ascii_lowercase()
                .replace("__", ".");
            if path.is_empty() || path.split('.').any(str::is_empty) {
                return Err(figment::Error::from(format!(
                    "environment variable {name} does not name a setting"
                )));
            }
            let value: Value = raw.parse().unwrap_or_else(|_| Value::from(raw.clone()));
            if let Value::Dict(_, nested) = figment::util::nest(&path, value) {
                merge(&mut root, nested);
            }
        }
        Ok(Profile::Default.collect(root))
    }
}

fn merge(into: &mut Dict, from: Dict) {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (Some(Value::Dict(_, existing)), Value::Dict(_, incoming)) => merge(existing, incoming),
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_defaults_are_the_embedded_sqlite_and_loopback_listeners() {
        let s = Settings::default();
        assert_eq!(s.server.public_addr, "127.0.0.1:8080");
        assert_eq!(s.server.private_addr, "127.0.0.1:8087");
        assert_eq!(s.server.public_url(), "http://127.0.0.1:8080");
        assert_eq!(s.database.url.expose_secret(), "sqlite://data/latchkey.db");
        assert_eq!(s.mail.transport, MailTransport::File);
        assert!(!s.login.hide_account_existence);
        assert!(!s.auth_delegation.enabled);
        assert!(!s.api_keys.allow_query_parameter);
        assert!(s.redis.url.is_none());
        assert_eq!(s.lifetimes.authorization_code, Duration::from_secs(60));
        assert_eq!(s.lifetimes.bug_tracker, Duration::from_secs(86_400));
        assert!(s.validate().is_ok());
    }

    #[test]
    fn environment_variables_override_nested_keys() {
        let s = Settings::load(
            Some(Path::new("config.example.toml")),
            env(&[
                ("LATCHKEY__SERVER__PUBLIC_ADDR", "127.0.0.1:9999"),
                ("LATCHKEY__LOGIN__HIDE_ACCOUNT_EXISTENCE", "true"),
                ("LATCHKEY__LIFETIMES__ACCESS_TOKEN", "5m"),
                ("LATCHKEY__PASSWORD__MEMORY_KIB", "8192"),
                ("UNRELATED", "ignored"),
            ]),
        )
        .unwrap();
        assert_eq!(s.server.public_addr, "127.0.0.1:9999");
        assert!(s.login.hide_account_existence);
        assert_eq!(s.lifetimes.access_token, Duration::from_secs(300));
        assert_eq!(s.password.memory_kib, 8192);
    }

    #[test]
    fn an_unknown_environment_key_is_named_in_the_error() {
        let err = Settings::load(
            Some(Path::new("config.example.toml")),
            env(&[("LATCHKEY__SERVER__PUBLC_ADDR", "x")]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("publc_addr"), "{err}");
        assert!(err.contains("LATCHKEY__SERVER__PUBLC_ADDR"), "{err}");
    }

    #[test]
    fn a_bad_listener_address_is_refused_with_its_key() {
        let err = Settings::load(
            Some(Path::new("config.example.toml")),
            env(&[("LATCHKEY__SERVER__PUBLIC_ADDR", "nowhere")]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("server.public_addr"), "{err}");
    }

    #[test]
    fn smtp_needs_a_url() {
        let err = Settings::load(
            Some(Path::new("config.example.toml")),
            env(&[("LATCHKEY__MAIL__TRANSPORT", "smtp")]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("mail.smtp_url"), "{err}");
    }

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let s = Settings::load(
            Some(Path::new("config.example.toml")),
            env(&[
                (
                    "LATCHKEY__DATABASE__URL",
                    "postgres://app:s3cr3t-pw@db/latchkey",
                ),
                ("LATCHKEY__REDIS__URL", "redis://:r3d1s-pw@cache"),
                ("LATCHKEY__MAIL__SMTP_URL", "smtp://u:m41l-pw@mx"),
            ]),
        )
        .unwrap();
        let debug = format!("{s:?}");
        for secret in ["s3cr3t-pw", "r3d1s-pw", "m41l-pw"] {
            assert!(!debug.contains(secret), "{secret} leaked: {debug}");
        }
    }

    #[test]
    fn a_missing_config_file_named_explicitly_is_an_error() {
        let err = Settings::load(Some(Path::new("/nonexistent/latchkey.toml")), env(&[]));
        assert!(matches!(err, Err(ConfigError::MissingFile(_))));
    }
}
