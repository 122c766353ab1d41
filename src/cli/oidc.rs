//! `keys rotate` and `client add | list | remove | rotate-secret`.

use super::args::{ClientCommand, KeysCommand};
use super::{CliError, print_json};
use crate::domain::signing_key::SigningAlg;
use crate::service::Context;
use crate::service::admin::{self, Actor};
use crate::service::clients::{self, ClientError, NewClient};
use crate::service::keys::KeysError;

impl From<ClientError> for CliError {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Database(db) => db.into(),
            random @ ClientError::Random(_) => Self::Internal(Box::new(random)),
            refused => Self::refused(refused),
        }
    }
}

impl From<KeysError> for CliError {
    fn from(e: KeysError) -> Self {
        match e {
            KeysError::Database(db) => db.into(),
            other => Self::Internal(Box::new(other)),
        }
    }
}

fn parse_alg(alg: &str) -> Result<SigningAlg, CliError> {
    SigningAlg::parse(alg)
        .ok_or_else(|| CliError::Refused(format!("unknown algorithm `{alg}`: use RS256 or EdDSA")))
}

/// Runs one `keys` command.
pub async fn keys(ctx: &Context, cmd: KeysCommand) -> Result<(), CliError> {
    let KeysCommand::Rotate { alg } = cmd;
    let only = alg.as_deref().map(parse_alg).transpose()?;
    for (alg, kid) in admin::keys::rotate(ctx, only, &Actor::cli()).await? {
        println!("new {alg} signing key {kid}");
    }
    Ok(())
}

/// Runs one `client` command.
pub async fn clients(ctx: &Context, cmd: ClientCommand) -> Result<(), CliError> {
    match cmd {
        ClientCommand::Add {
            name,
            redirect_uris,
            post_logout_redirect_uris,
            public,
            trusted,
            introspect_any,
            require_second_factor,
            alg,
        } => {
            let alg = parse_alg(&alg)?;
            let spec = NewClient {
                name,
                redirect_uris,
                post_logout_redirect_uris,
                public,
                trusted,
                introspect_any,
                require_second_factor,
                alg,
            };
            let (client, secret) = admin::clients::add(ctx, spec, &Actor::cli()).await?;
            println!("client_id: {}", client.client_id);
            match secret {
                Some(secret) => {
                    println!("client_secret: {}", secret.expose());
                    eprintln!("Store the secret now: it is not shown again.");
                }
                None => println!("client_secret: none (public client: PKCE required)"),
            }
        }
        ClientCommand::Show { client_id, json } => {
            let c = admin::clients::show(ctx, &client_id).await?;
            if json {
                print_json(&c)?;
            } else {
                let kind = if c.confidential {
                    "confidential"
                } else {
                    "public"
                };
                println!("client_id:     {}", c.client_id);
                println!("name:          {}", c.name);
                println!("kind:          {kind}, {}", c.alg);
                println!("trusted:       {}", c.trusted);
                println!("redirect URIs: {}", c.redirect_uris.join(" "));
                println!("logout URIs:   {}", c.post_logout_redirect_uris.join(" "));
                println!("scopes:        {}", c.scopes.join(" "));
            }
        }
        ClientCommand::List { json: true } => {
            let views: Vec<admin::clients::ClientView> = clients::list(ctx)
                .await?
                .iter()
                .map(admin::clients::ClientView::from)
                .collect();
            print_json(&views)?;
        }
        ClientCommand::List { json: false } => {
            for c in clients::list(ctx).await? {
                let kind = if c.secret_hash.is_some() {
                    "confidential"
                } else {
                    "public"
                };
                let trust = if c.trusted { " trusted" } else { "" };
                let any = if c.introspect_any {
                    " introspect-any"
                } else {
                    ""
                };
                let two = if c.require_second_factor {
                    " require-second-factor"
                } else {
                    ""
                };
                println!(
                    "{}  {}  ({kind}{trust}{any}{two}, {})  {}",
                    c.client_id,
                    c.name,
                    c.id_token_alg,
                    c.redirect_uris.join(" ")
                );
            }
        }
        ClientCommand::Remove { client_id } => {
            admin::clients::remove(ctx, &client_id, &Actor::cli()).await?;
            println!("removed client {client_id}");
        }
        ClientCommand::RotateSecret { client_id } => {
            let secret = admin::clients::rotate_secret(ctx, &client_id, &Actor::cli()).await?;
            println!("client_secret: {}", secret.expose());
            eprintln!(
                "The old secret no longer works. Store the new one now: it is not shown again."
            );
        }
    }
    Ok(())
}
