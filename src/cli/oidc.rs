//! `keys rotate | list | retire` and `client add | list | show | update | remove |
//! rotate-secret`.

use super::args::{ClientCommand, ClientUpdateArgs, KeysCommand};
use super::audit::format_time;
use super::{CliError, print_json};
use crate::domain::signing_key::SigningAlg;
use crate::service::Context;
use crate::service::admin::{self, Actor};
use crate::service::clients::{self, ClientChange, ClientError, NewClient};
use crate::service::keys::{self as signing_keys, KeysError};

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
            refused @ (KeysError::UnknownKey(_)
            | KeysError::AlreadyRetired(_)
            | KeysError::OnlyActive { .. }) => Self::refused(refused),
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
    match cmd {
        KeysCommand::Rotate { alg } => {
            let only = alg.as_deref().map(parse_alg).transpose()?;
            for (alg, kid) in admin::keys::rotate(ctx, only, &Actor::cli()).await? {
                println!("new {alg} signing key {kid}");
            }
        }
        KeysCommand::List { json } => {
            let keys = signing_keys::list(ctx).await?;
            if json {
                return print_json(&keys);
            }
            for k in keys {
                let use_ = match (k.signing, k.published) {
                    (true, _) => "signing".to_owned(),
                    (false, true) => format!(
                        "published until {}",
                        k.publish_until.map_or_else(|| "-".to_owned(), format_time)
                    ),
                    (false, false) => "not in use".to_owned(),
                };
                println!(
                    "{}  {:<6}  created {}  retired {}  {use_}",
                    k.kid,
                    k.alg,
                    format_time(k.created_at),
                    k.retired_at.map_or_else(|| "-".to_owned(), format_time),
                );
            }
        }
        KeysCommand::Retire { kid } => {
            let alg = admin::keys::retire(ctx, &kid, &Actor::cli()).await?;
            println!("retired {alg} signing key {kid}");
        }
    }
    Ok(())
}

/// The change `client update` asks for; repeated options replace whole lists.
fn change_of(args: ClientUpdateArgs) -> Result<ClientChange, CliError> {
    let list = |v: Vec<String>| (!v.is_empty()).then_some(v);
    let scopes: Vec<String> = args
        .scopes
        .iter()
        .flat_map(|s| s.split([' ', ',']))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let post_logout = if args.no_post_logout_redirect_uris {
        Some(Vec::new())
    } else {
        list(args.post_logout_redirect_uris)
    };
    Ok(ClientChange {
        name: args.name,
        redirect_uris: list(args.redirect_uris),
        post_logout_redirect_uris: post_logout,
        scopes: if args.scopes.is_empty() {
            None
        } else {
            Some(scopes)
        },
        trusted: args.trusted,
        alg: args.alg.as_deref().map(parse_alg).transpose()?,
    })
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
        ClientCommand::Update(args) => {
            let client_id = args.client_id.clone();
            let json = args.json;
            let change = change_of(args)?;
            let c = admin::clients::update(ctx, &client_id, change, &Actor::cli()).await?;
            if json {
                print_json(&c)?;
            } else {
                println!("updated client {}", c.client_id);
            }
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
