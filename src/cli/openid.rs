//! `openid trust | untrust | list`: the OpenID 2.0 realms whose decision page is skipped.

use super::args::OpenidCommand;
use super::audit::format_time;
use super::{CliError, print_json};
use crate::service::Context;
use crate::service::admin::Actor;
use crate::service::openid::trust::{self, TrustError};

impl From<TrustError> for CliError {
    fn from(e: TrustError) -> Self {
        match e {
            TrustError::Database(db) => db.into(),
            refused @ TrustError::InvalidRealm(_) => Self::refused(refused),
        }
    }
}

/// Runs one `openid` command.
pub async fn run(ctx: &Context, cmd: OpenidCommand) -> Result<(), CliError> {
    match cmd {
        OpenidCommand::Trust { realm } => {
            if trust::trust(ctx, &realm, &Actor::cli()).await? {
                println!("trusted {}", realm.trim());
            } else {
                println!("{} is trusted already", realm.trim());
            }
        }
        OpenidCommand::Untrust { realm } => {
            if !trust::untrust(ctx, &realm, &Actor::cli()).await? {
                return Err(CliError::Refused(format!(
                    "{} is not trusted",
                    realm.trim()
                )));
            }
            println!("no longer trusted: {}", realm.trim());
        }
        OpenidCommand::List { json: true } => print_json(&trust::list(ctx).await?)?,
        OpenidCommand::List { json: false } => {
            for t in trust::list(ctx).await? {
                let when = format_time(t.trusted_at);
                println!("{:<40} {:<24} {when}", t.realm, t.trusted_by);
            }
        }
    }
    Ok(())
}
