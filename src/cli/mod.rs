//! The command line: `serve` (the default), `migrate`, `person …`, `team …`, `audit list`,
//! `keys …`, `client …`, `completions`.
//!
//! Exit codes: 0 success; 1 refused (bad input, unknown or duplicate things); 2 usage error;
//! 3 configuration error; 4 database unreachable or not migratable; 5 internal error.

mod args;
mod audit;
mod completions;
mod erase;
mod oidc;
mod openid;
mod people;
mod people_admin;
mod people_args;
mod teams;
mod token;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;

pub use args::OpenidCommand;
pub use args::{
    AuditCommand, Cli, ClientCommand, Command, CompletionShell, KeysCommand, PersonCommand,
    PersonEmailCommand, PersonListArgs, TeamCommand, TokenCommand,
};

use crate::clock::SystemClock;
use crate::config::{ConfigError, Settings};
use crate::db::DbError;
use crate::service::Context;
use crate::startup::{Application, StartupError, open_database};

/// A command's failure, with the exit code it maps to.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The input was refused: the message says why. Nothing changed.
    #[error("{0}")]
    Refused(String),
    /// Settings could not be loaded.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The database could not be reached or migrated.
    #[error("{0}")]
    Database(DbError),
    /// Reading input or serving failed (the message names what, then why: the command line
    /// prints one line).
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// Why it failed.
        #[source]
        source: std::io::Error,
    },
    /// Anything else, with its cause.
    #[error("{0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl CliError {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Refused(_) => 1,
            Self::Config(_) => 3,
            Self::Database(_) => 4,
            Self::Io { .. } | Self::Internal(_) => 5,
        }
    }

    pub(crate) fn refused(e: impl std::fmt::Display) -> Self {
        Self::Refused(e.to_string())
    }
}

impl From<DbError> for CliError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::BadUrl(_)
            | DbError::Connect(_)
            | DbError::Migration(_)
            | DbError::MigrationStep { .. } => Self::Database(e),
            other => Self::Internal(Box::new(other)),
        }
    }
}

impl From<StartupError> for CliError {
    fn from(e: StartupError) -> Self {
        match e {
            StartupError::Database(db) => db.into(),
            other => Self::Internal(Box::new(other)),
        }
    }
}

/// Parses the command line, runs the command, and returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("latchkey: cannot start the async runtime: {e}");
            return ExitCode::from(5);
        }
    };
    // `token create` stands alone: it reads no settings, only its DSN.
    if let Some(Command::Token(TokenCommand::Create { dsn })) = &cli.command {
        return runtime.block_on(token::create(dsn));
    }
    // `completions` stands alone too: it only describes the grammar.
    if let Some(Command::Completions { shell }) = &cli.command {
        completions::print(*shell, &mut std::io::stdout());
        return ExitCode::SUCCESS;
    }
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("latchkey: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Runs one parsed command.
pub async fn run(cli: Cli) -> Result<(), CliError> {
    let settings = Settings::load(cli.config.as_deref(), std::env::vars())?;
    let command = cli.command.unwrap_or(Command::Serve);
    let mut log = settings.log.clone();
    if !matches!(command, Command::Serve) {
        // Administrative commands print their own results; keep logs to problems.
        log.level = "warn".to_owned();
    }
    crate::telemetry::init(&log);
    match command {
        Command::Serve => serve(&settings).await,
        Command::Migrate => {
            let db = open_database(&settings).await?;
            println!(
                "database is up to date ({} migrations)",
                crate::db::migrate::migrations_for(db.backend()).len()
            );
            Ok(())
        }
        Command::Person(cmd) => people::run(&context(&settings).await?, cmd).await,
        Command::Team(cmd) => teams::run(&context(&settings).await?, cmd).await,
        Command::Audit(cmd) => audit::run(&context(&settings).await?, cmd).await,
        Command::Token(TokenCommand::Create { dsn }) => {
            // Handled in `main`; kept here so every command has one place in this match.
            let code = token::create(&dsn).await;
            if code == ExitCode::SUCCESS {
                Ok(())
            } else {
                Err(CliError::Internal("token create failed".into()))
            }
        }
        Command::Keys(cmd) => oidc::keys(&context(&settings).await?, cmd).await,
        Command::Client(cmd) => oidc::clients(&context(&settings).await?, cmd).await,
        Command::Openid(cmd) => openid::run(&context(&settings).await?, cmd).await,
        Command::Completions { shell } => {
            // Handled in `main`; kept here so every command has one place in this match.
            completions::print(shell, &mut std::io::stdout());
            Ok(())
        }
    }
}

/// Prints one JSON document on standard output.
pub(crate) fn print_json(value: &impl serde::Serialize) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value).map_err(|e| CliError::Internal(Box::new(e)))?;
    println!("{text}");
    Ok(())
}

async fn context(settings: &Settings) -> Result<Context, CliError> {
    let db = open_database(settings).await?;
    Context::new(
        settings,
        db,
        Arc::new(SystemClock),
        settings.server.public_url(),
    )
    .map_err(|e| CliError::Internal(Box::new(e)))
}

async fn serve(settings: &Settings) -> Result<(), CliError> {
    let app = Application::build(settings, Arc::new(SystemClock)).await?;
    tracing::info!(
        url = app.public_url(),
        database = %crate::db::redact_url(secrecy::ExposeSecret::expose_secret(&settings.database.url)),
        "latchkey is listening"
    );
    println!("Latchkey is listening on {}", app.public_url());
    app.run_until_stopped()
        .await
        .map_err(|source| CliError::Io {
            what: "server failed",
            source,
        })?;
    tracing::info!("latchkey stopped");
    Ok(())
}
