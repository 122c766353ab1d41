//! Settings: built-in defaults < `latchkey.toml` (or `--config FILE`) < `LATCHKEY__SECTION__KEY`
//! environment variables. Unknown keys are errors; secrets are redacted in `Debug`.

mod env;
mod sections;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Format, Toml};
use secrecy::ExposeSecret;
use serde::Deserialize;

pub use sections::{
    AdminSettings, ApiKeySettings, AuthDelegationSettings, DatabaseSettings, Lifetimes, LogFormat,
    LogSettings, LoginSettings, MailSettings, MailTransport, RedisSettings, ServerSettings,
    ThrottleSettings,
};

use crate::domain::HashingParams;
use env::EnvVars;

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
    /// The administration console.
    pub admin: AdminSettings,
    /// Optional Redis for sessions and rate limits shared by several nodes.
    pub redis: RedisSettings,
    /// Logging.
    pub log: LogSettings,
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
        crate::domain::proxy::TrustedProxies::parse(&self.server.trusted_proxies)
            .map_err(|e| invalid("server.trusted_proxies", e))?;
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
        if (self.redis.rate_limits || self.redis.sessions) && self.redis.url.is_none() {
            return Err(invalid(
                "redis.url",
                "is required when redis.rate_limits or redis.sessions is true".to_owned(),
            ));
        }
        if self.admin.reauth_minutes == 0 {
            return Err(invalid(
                "admin.reauth_minutes",
                "must be at least 1".to_owned(),
            ));
        }
        if let Some(team) = &self.admin.team {
            crate::domain::TeamName::parse(team)
                .map_err(|e| invalid("admin.team", e.to_string()))?;
        }
        if self.api_keys.reauth_minutes == 0 {
            return Err(invalid(
                "api_keys.reauth_minutes",
                "must be at least 1".to_owned(),
            ));
        }
        for team in &self.login.require_second_factor_for_teams {
            crate::domain::TeamName::parse(team).map_err(|e| {
                invalid(
                    "login.require_second_factor_for_teams",
                    format!("`{team}` is not a team handle ({e})"),
                )
            })?;
        }
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
#[cfg(test)]
mod tests {
    use std::time::Duration;

    use secrecy::ExposeSecret;

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
    fn a_zero_reauthentication_window_is_refused() {
        let err = Settings::load(
            Some(Path::new("config.example.toml")),
            env(&[("LATCHKEY__API_KEYS__REAUTH_MINUTES", "0")]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("api_keys.reauth_minutes"), "{err}");
    }

    #[test]
    fn the_console_team_comes_from_the_environment_and_must_be_a_handle() {
        let s = Settings::load(
            Some(Path::new("config.example.toml")),
            env(&[("LATCHKEY__ADMIN__TEAM", "admins")]),
        )
        .unwrap();
        assert_eq!(s.admin.team.as_deref(), Some("admins"));
        assert_eq!(s.admin.reauth_minutes, 15);
        let err = Settings::load(
            Some(Path::new("config.example.toml")),
            env(&[("LATCHKEY__ADMIN__TEAM", "not a handle!")]),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("admin.team"), "{err}");
    }

    #[test]
    fn sessions_or_rate_limits_in_redis_need_a_url() {
        for key in ["LATCHKEY__REDIS__SESSIONS", "LATCHKEY__REDIS__RATE_LIMITS"] {
            let err = Settings::load(
                Some(Path::new("config.example.toml")),
                env(&[(key, "true")]),
            )
            .unwrap_err()
            .to_string();
            assert!(err.contains("redis.url"), "{key}: {err}");
        }
        let s = Settings::load(
            Some(Path::new("config.example.toml")),
            env(&[
                ("LATCHKEY__REDIS__SESSIONS", "true"),
                ("LATCHKEY__REDIS__URL", "redis://127.0.0.1:6379"),
            ]),
        )
        .unwrap();
        assert!(s.redis.sessions && !s.redis.rate_limits);
    }

    #[test]
    fn redis_keys_start_with_latchkey_unless_another_prefix_is_set() {
        assert_eq!(Settings::default().redis.key_prefix, "latchkey:");
        let s = Settings::load(
            Some(Path::new("config.example.toml")),
            env(&[("LATCHKEY__REDIS__KEY_PREFIX", "staging:")]),
        )
        .unwrap();
        assert_eq!(s.redis.key_prefix, "staging:");
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
    fn teams_that_require_a_second_factor_are_a_list_of_handles() {
        assert!(
            Settings::default()
                .login
                .require_second_factor_for_teams
                .is_empty()
        );
        let s = Settings::load(
            Some(Path::new("config.example.toml")),
            env(&[(
                "LATCHKEY__LOGIN__REQUIRE_SECOND_FACTOR_FOR_TEAMS",
                r#"["admins", "release-managers"]"#,
            )]),
        )
        .unwrap();
        assert_eq!(
            s.login.require_second_factor_for_teams,
            ["admins", "release-managers"]
        );
        let err = Settings::load(
            Some(Path::new("config.example.toml")),
            env(&[(
                "LATCHKEY__LOGIN__REQUIRE_SECOND_FACTOR_FOR_TEAMS",
                r#"["Not A Team"]"#,
            )]),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("login.require_second_factor_for_teams"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_config_file_named_explicitly_is_an_error() {
        let err = Settings::load(Some(Path::new("/nonexistent/latchkey.toml")), env(&[]));
        assert!(matches!(err, Err(ConfigError::MissingFile(_))));
    }
}
