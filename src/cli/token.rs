//! `latchkey token create DSN`: replace the site's web-hook token.
//!
//! Exit codes: 0 done (the token is on standard output); 1 no connection pool can be made
//! from the DSN (unparseable, unknown scheme); 2 connecting failed (refused, bad password,
//! missing SQLite file); 3 the database has no Latchkey schema (run `latchkey migrate`);
//! 4 the token could not be stored.

use std::path::Path;
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::AnyConnectOptions;

use crate::clock::{Clock, SystemClock};
use crate::db::webhooks::{replace_webhook_token, webhook_token_hash};
use crate::db::{Backend, Db, DbError, PoolOptions, redact_url};
use crate::domain::{AuditCode, PlainToken, TokenKind};
use crate::service::{Origin, audit};

fn fail(code: u8, message: &str) -> ExitCode {
    eprintln!("latchkey token create: {message}");
    ExitCode::from(code)
}

/// Runs `token create DSN`. Reads no settings and writes no files: only the database changes.
pub async fn create(dsn: &str) -> ExitCode {
    sqlx::any::install_default_drivers();
    let Ok(backend) = Backend::of_url(dsn) else {
        return fail(
            1,
            &format!(
                "`{}` is not a DSN: use postgres://USER:PASSWORD@HOST:PORT/DB or sqlite://PATH",
                redact_url(dsn)
            ),
        );
    };
    let url = match backend {
        Backend::Postgres => dsn.to_owned(),
        Backend::Sqlite => {
            let path = dsn
                .trim_start_matches("sqlite://")
                .split('?')
                .next()
                .unwrap_or_default();
            if path.is_empty() {
                return fail(1, "the SQLite DSN names no file");
            }
            if !Path::new(path).is_file() {
                return fail(
                    2,
                    &format!("cannot connect: there is no SQLite database at {path}"),
                );
            }
            // Open, never create.
            format!("sqlite://{path}?mode=rw")
        }
    };
    if AnyConnectOptions::from_str(&url).is_err() {
        return fail(1, &format!("`{}` is not a usable DSN", redact_url(dsn)));
    }
    let options = PoolOptions {
        max_connections: 1,
        acquire_timeout: Duration::from_secs(3),
    };
    let db = match Db::connect(&url, options).await {
        Ok(db) => db,
        Err(DbError::BadUrl(_)) => {
            return fail(1, &format!("`{}` is not a usable DSN", redact_url(dsn)));
        }
        Err(e) => {
            return fail(
                2,
                &format!("cannot connect to {}: {}", redact_url(dsn), one_line(&e)),
            );
        }
    };
    if let Err(e) = webhook_token_hash(db.pool()).await {
        return fail(
            3,
            &format!(
                "the database has no Latchkey schema (run `latchkey migrate` first): {}",
                one_line(&e)
            ),
        );
    }
    let token = match PlainToken::generate(TokenKind::Webhook) {
        Ok(t) => t,
        Err(e) => return fail(4, &format!("no randomness: {e}")),
    };
    if let Err(e) = store(&db, &token).await {
        return fail(4, &format!("cannot store the token: {}", one_line(&e)));
    }
    db.close().await;
    println!("{}", token.expose());
    eprintln!(
        "The web-hook token has been replaced; the old one no longer works. \
         Update the scripts that call Latchkey's web hooks. No configuration file was changed."
    );
    ExitCode::SUCCESS
}

/// Replaces the token and records that it was, in one transaction.
async fn store(db: &Db, token: &PlainToken) -> Result<(), DbError> {
    let now = SystemClock.now();
    let mut tx = db.pool().begin().await?;
    replace_webhook_token(&mut *tx, &token.hash(), now).await?;
    audit::record(
        &mut *tx,
        now,
        AuditCode::WebhookTokenReplaced,
        None,
        &Origin::cli(),
        "the web-hook token was replaced",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn one_line(e: &dyn std::error::Error) -> String {
    e.to_string().lines().next().unwrap_or_default().to_owned()
}
