//! `person list | rename | email … | reactivate | set-password | send-reset | end-sessions |
//! consent revoke | api-key list | api-key revoke`, and the JSON of `person show --json`.

use serde_json::{Value, json};

use super::args::{PersonEmailCommand, PersonListArgs};
use super::people_args::{PersonApiKeyCommand, PersonConsentCommand};
use super::{CliError, audit::format_time};
use crate::db::people_admin::PeopleFilter;
use crate::domain::{DisplayName, EmailAddress, Password, PersonStatus, TeamName};
use crate::i18n::Lang;
use crate::service::Context;
use crate::service::admin::Actor;
use crate::service::admin::people::{self, AdminPeopleError, FullDetails};
use crate::service::admin::people_access;
use crate::service::admin::people_emails::{self, Added};

impl From<AdminPeopleError> for CliError {
    fn from(e: AdminPeopleError) -> Self {
        if e.is_refusal() {
            return Self::refused(e);
        }
        match e {
            AdminPeopleError::Database(db) => db.into(),
            other => Self::Internal(Box::new(other)),
        }
    }
}

fn parse_email(input: &str) -> Result<EmailAddress, CliError> {
    EmailAddress::parse(input).map_err(CliError::refused)
}

/// `person list`.
pub(super) async fn list(ctx: &Context, args: PersonListArgs) -> Result<(), CliError> {
    let status = match args.status.as_deref() {
        None => None,
        Some(s) => Some(
            PersonStatus::from_stored(s.trim())
                .ok_or_else(|| CliError::Refused(format!("unknown status {s}")))?
                .as_str()
                .to_owned(),
        ),
    };
    let filter = PeopleFilter {
        status,
        team: args.team.map(TeamName::from_stored),
        text: args.text,
    };
    let offset = args
        .page
        .map_or(args.offset, |p| (p - 1).saturating_mul(args.limit));
    let page = people::list(ctx, &filter, args.limit, offset).await?;
    if args.json {
        let listed: Vec<Value> = page
            .people
            .iter()
            .map(|l| {
                json!({
                    "id": l.person.id.as_str(),
                    "name": l.person.display_name.as_str(),
                    "email": l.address,
                    "status": l.person.status.as_str(),
                    "created_at": l.person.created_at,
                })
            })
            .collect();
        let doc = json!({
            "total": page.total,
            "limit": args.limit,
            "offset": offset,
            "people": listed,
        });
        println!("{doc}");
        return Ok(());
    }
    for l in &page.people {
        println!(
            "{:<12}{:<32}{}",
            l.person.status.as_str(),
            l.address.as_deref().unwrap_or("-"),
            l.person.display_name
        );
    }
    let shown = i64::try_from(page.people.len()).unwrap_or(i64::MAX);
    let first = if shown == 0 { offset } else { offset + 1 };
    println!("{first}–{} of {}", offset + shown, page.total);
    Ok(())
}

/// `person show --json`: one object, times as Unix seconds, no secrets.
pub(super) fn details_json(full: &FullDetails) -> Value {
    let d = &full.details;
    let p = &d.person;
    json!({
        "id": p.id.as_str(),
        "kind": p.kind.as_str(),
        "team": p.team_name.as_ref().map(|t| t.as_str()),
        "name": p.display_name.as_str(),
        "status": p.status.as_str(),
        "password": p.password_hash.is_some(),
        "created_at": p.created_at,
        "updated_at": p.updated_at,
        "addresses": d.emails.iter().map(|e| json!({
            "address": e.address.as_str(),
            "status": e.status.as_str(),
        })).collect::<Vec<_>>(),
        "teams": d.teams.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
        "members": d.members.iter().map(|m| m.display_name.as_str()).collect::<Vec<_>>(),
        "sessions": full.sessions,
        "api_keys": full.api_keys,
        "consents": full.consents.iter().map(|c| json!({
            "client_id": c.client_id,
            "client_name": c.client_name,
            "scopes": c.scopes,
            "granted_at": c.granted_at,
        })).collect::<Vec<_>>(),
        "second_factors": full.factors.iter().map(|f| json!({
            "kind": f.kind.as_str(),
            "name": f.name,
            "created_at": f.created_at,
            "last_used_at": f.last_used_at,
        })).collect::<Vec<_>>(),
    })
}

/// The lines `person show` adds after the profile: sessions, API keys, consents.
pub(super) fn describe_access(full: &FullDetails) -> String {
    let mut out = format!("{:<10}{}\n", "sessions:", full.sessions);
    out.push_str(&format!("{:<10}{}\n", "api keys:", full.api_keys));
    if full.consents.is_empty() {
        out.push_str(&format!("{:<10}none\n", "consents:"));
    }
    for (i, c) in full.consents.iter().enumerate() {
        let label = if i == 0 { "consents:" } else { "" };
        out.push_str(&format!(
            "{label:<10}{} ({}), {}\n",
            c.client_name,
            c.scopes.join(" "),
            format_time(c.granted_at)
        ));
    }
    out
}

/// `person rename | reactivate | set-password | send-reset`, by name.
pub(super) async fn rename(ctx: &Context, email: &str, name: &str) -> Result<(), CliError> {
    let email = parse_email(email)?;
    let name = DisplayName::parse(name).map_err(CliError::refused)?;
    let old = people::rename(ctx, &Actor::cli(), &email, &name).await?;
    println!("renamed {old} <{email}> to {name}");
    Ok(())
}

/// `person reactivate`.
pub(super) async fn reactivate(ctx: &Context, email: &str) -> Result<(), CliError> {
    let email = parse_email(email)?;
    let p = people::reactivate(ctx, &Actor::cli(), &email).await?;
    println!("reactivated {} <{email}>", p.display_name);
    Ok(())
}

/// `person set-password`.
pub(super) async fn set_password(
    ctx: &Context,
    email: &str,
    password: Password,
    keys: bool,
) -> Result<(), CliError> {
    let email = parse_email(email)?;
    let lang = Lang::default_lang();
    let p = people::set_person_password(ctx, &Actor::cli(), &email, password, keys, lang).await?;
    println!(
        "set the password of {} <{email}>; their sessions and application tokens ended",
        p.display_name
    );
    Ok(())
}

/// `person send-reset`.
pub(super) async fn send_reset(ctx: &Context, email: &str) -> Result<(), CliError> {
    let email = parse_email(email)?;
    let lang = Lang::default_lang();
    let p = people::send_reset(ctx, &Actor::cli(), &email, lang).await?;
    println!(
        "emailed a password-recovery link to {} <{email}>",
        p.display_name
    );
    Ok(())
}

/// `person email add | remove | prefer`.
pub(super) async fn email(ctx: &Context, cmd: PersonEmailCommand) -> Result<(), CliError> {
    let actor = Actor::cli();
    let pair = |e: &str, a: &str| -> Result<(EmailAddress, EmailAddress), CliError> {
        Ok((parse_email(e)?, parse_email(a)?))
    };
    match cmd {
        PersonEmailCommand::Add { email, address } => {
            let (email, address) = pair(&email, &address)?;
            match people_emails::add_address(ctx, &actor, &email, &address).await? {
                Added::Added => println!("added {address} (confirmed) to <{email}>"),
                Added::AlreadyTheirs => {
                    println!("{address} already is a confirmed address of <{email}>");
                }
            }
        }
        PersonEmailCommand::Remove { email, address } => {
            let (email, address) = pair(&email, &address)?;
            let lang = Lang::default_lang();
            people_emails::remove_address(ctx, &actor, &email, &address, lang).await?;
            println!("removed {address} from <{email}>");
        }
        PersonEmailCommand::Prefer { email, address } => {
            let (email, address) = pair(&email, &address)?;
            people_emails::prefer_address(ctx, &actor, &email, &address).await?;
            println!("{address} is the preferred address of <{email}> now");
        }
    }
    Ok(())
}

/// `person end-sessions`.
pub(super) async fn end_sessions(ctx: &Context, email: &str) -> Result<(), CliError> {
    let email = parse_email(email)?;
    let (p, ended) = people_access::end_sessions(ctx, &Actor::cli(), &email).await?;
    println!("ended {ended} session(s) of {} <{email}>", p.display_name);
    Ok(())
}

/// `person consent revoke`.
pub(super) async fn consent(ctx: &Context, cmd: PersonConsentCommand) -> Result<(), CliError> {
    match cmd {
        PersonConsentCommand::Revoke { email, client_id } => {
            let email = parse_email(&email)?;
            let p =
                people_access::revoke_consent(ctx, &Actor::cli(), &email, client_id.trim()).await?;
            println!(
                "revoked the consent of {} <{email}> to {}",
                p.display_name,
                client_id.trim()
            );
        }
    }
    Ok(())
}

/// `person api-key list | revoke`.
pub(super) async fn api_key(ctx: &Context, cmd: PersonApiKeyCommand) -> Result<(), CliError> {
    match cmd {
        PersonApiKeyCommand::List { email, json } => {
            let email = parse_email(&email)?;
            let (_, keys) = people_access::api_keys(ctx, &email).await?;
            if json {
                let listed: Vec<Value> = keys
                    .iter()
                    .map(|k| {
                        json!({
                            "id": k.id,
                            "description": k.description.as_str(),
                            "prefix": k.prefix,
                            "created_at": k.created_at,
                            "last_used_at": k.last_used_at,
                            "revoked_at": k.revoked_at,
                        })
                    })
                    .collect();
                println!("{}", Value::Array(listed));
                return Ok(());
            }
            for k in &keys {
                let state = if k.is_live() { "live" } else { "revoked" };
                println!(
                    "{:<38}{state:<9}{:<14}{}",
                    k.id,
                    k.prefix,
                    k.description.as_str()
                );
            }
        }
        PersonApiKeyCommand::Revoke { email, key_id } => {
            let email = parse_email(&email)?;
            let key =
                people_access::revoke_api_key(ctx, &Actor::cli(), &email, key_id.trim()).await?;
            println!(
                "revoked the API key {} ({}) of <{email}>",
                key.id,
                key.description.as_str()
            );
        }
    }
    Ok(())
}
