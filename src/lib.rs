//! Latchkey: a single sign-on identity provider. People sign in once and every site that
//! trusts Latchkey knows who they are.

/// Templates, static files and locales embedded in the binary.
pub mod assets;
/// The command line.
pub mod cli;
/// The clock every expiry decision reads.
pub mod clock;
/// Settings from defaults, file and environment.
pub mod config;
/// Storage: the pool, migrations and every SQL query.
pub mod db;
/// Pure types and decisions.
pub mod domain;
/// Localised text and language choice.
pub mod i18n;
/// Outgoing email and its outbox.
pub mod mail;
/// Prometheus metrics.
pub mod metrics;
/// Use cases, shared by the command line and the web.
pub mod service;
/// The `Application`: listeners and the server.
pub mod startup;
/// Logging.
pub mod telemetry;
/// Page and email templates.
pub mod templates;
/// The TLS crypto provider.
pub mod tls;
/// HTTP handlers.
pub mod web;
