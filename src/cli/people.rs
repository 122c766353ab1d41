//! `person create | placeholder | suspend | deactivate | show | reset-second-factor`; the
//! other person commands are `people_admin`.

use std::io::{BufRead, IsTerminal};

use super::args::PersonCommand;
use super::people_admin;
use super::{CliError, audit::format_time};
use crate::domain::second_factor::FactorSummary;
use crate::domain::{DisplayName, EmailAddress, Password, PersonKind, StatusChange};
use crate::service::admin::Actor;
use crate::service::admin::people as admin_people;
use crate::service::factor_admin::{self, FactorAdminError, ResetOutcome};
use crate::service::people::{self, PeopleError, PersonDetails, PlaceholderOutcome};
use crate::service::{Context, Origin};

impl From<PeopleError> for CliError {
    fn from(e: PeopleError) -> Self {
        match e {
            PeopleError::Database(db) => db.into(),
            PeopleError::Hashing(h) => Self::Internal(Box::new(h)),
            refused => Self::refused(refused),
        }
    }
}

impl From<FactorAdminError> for CliError {
    fn from(e: FactorAdminError) -> Self {
        match e {
            FactorAdminError::Database(db) => db.into(),
            FactorAdminError::Notice(n) => Self::Internal(Box::new(n)),
            refused => Self::refused(refused),
        }
    }
}

pub(super) fn parse_email(input: &str) -> Result<EmailAddress, CliError> {
    EmailAddress::parse(input).map_err(CliError::refused)
}

/// Runs one `person` command.
pub async fn run(ctx: &Context, cmd: PersonCommand) -> Result<(), CliError> {
    let origin = Origin::cli();
    match cmd {
        PersonCommand::Create { email, name } => {
            let email = parse_email(&email)?;
            let name = DisplayName::parse(&name).map_err(CliError::refused)?;
            let password = read_password()?;
            let person = people::create_person(ctx, &email, name, password, &origin).await?;
            println!("created {} <{email}> ({})", person.display_name, person.id);
        }
        PersonCommand::Placeholder { email, name } => {
            let email = parse_email(&email)?;
            let name = name
                .map(|n| DisplayName::parse(&n).map_err(CliError::refused))
                .transpose()?;
            match people::create_placeholder(ctx, &email, name, &origin).await? {
                PlaceholderOutcome::Created(p) => {
                    println!(
                        "created placeholder {} <{email}> ({})",
                        p.display_name, p.id
                    );
                }
                PlaceholderOutcome::Exists(p) => {
                    let what = match &p.team_name {
                        Some(team) => format!("the team {team}"),
                        None => format!("{} ({})", p.display_name, p.status),
                    };
                    return Err(CliError::Refused(format!(
                        "the address {email} already belongs to {what}"
                    )));
                }
            }
        }
        PersonCommand::Suspend { email } => {
            let email = parse_email(&email)?;
            let lang = crate::i18n::Lang::default_lang();
            let p = admin_people::suspend(ctx, &Actor::cli(), &email, lang).await?;
            println!("suspended {} <{email}>", p.display_name);
        }
        PersonCommand::Deactivate { email } => {
            let email = parse_email(&email)?;
            let p = people::change_status(
                ctx,
                &email,
                StatusChange::Deactivate,
                &origin,
                crate::i18n::Lang::default_lang(),
            )
            .await?;
            println!("deactivated {} <{email}>", p.display_name);
        }
        PersonCommand::Show { email, json } => {
            let email = parse_email(&email)?;
            let full = admin_people::details(ctx, &email).await?;
            if json {
                println!("{}", people_admin::details_json(&full));
            } else {
                print!("{}", describe(&full.details));
                if full.details.person.kind == PersonKind::Person {
                    print!("{}", people_admin::describe_access(&full));
                    print!("{}", describe_factors(&full.factors));
                }
            }
        }
        PersonCommand::List(args) => people_admin::list(ctx, args).await?,
        PersonCommand::Rename { email, name } => people_admin::rename(ctx, &email, &name).await?,
        PersonCommand::Email(cmd) => people_admin::email(ctx, cmd).await?,
        PersonCommand::Reactivate { email } => people_admin::reactivate(ctx, &email).await?,
        PersonCommand::SetPassword {
            email,
            revoke_api_keys,
        } => {
            let password = read_password()?;
            people_admin::set_password(ctx, &email, password, revoke_api_keys).await?;
        }
        PersonCommand::SendReset { email } => people_admin::send_reset(ctx, &email).await?,
        PersonCommand::Erase { email, yes } => super::erase::erase(ctx, &email, yes).await?,
        PersonCommand::EndSessions { email } => people_admin::end_sessions(ctx, &email).await?,
        PersonCommand::Consent(cmd) => people_admin::consent(ctx, cmd).await?,
        PersonCommand::ApiKey(cmd) => people_admin::api_key(ctx, cmd).await?,
        PersonCommand::ResetSecondFactor { email } => {
            let email = parse_email(&email)?;
            let actor = format!("OS user {}", os_user());
            let lang = crate::i18n::Lang::default_lang();
            match factor_admin::reset_second_factor(ctx, &email, &origin, &actor, lang).await? {
                ResetOutcome::Removed { person, .. } => println!(
                    "removed every second factor of {} <{email}>; they have been emailed",
                    person.display_name
                ),
                ResetOutcome::NothingToRemove(person) => println!(
                    "{} <{email}> has no second factor: nothing changed",
                    person.display_name
                ),
            }
        }
    }
    Ok(())
}

/// Reads the new password: one line from a pipe, or typed twice at a terminal prompt.
fn read_password() -> Result<Password, CliError> {
    let stdin = std::io::stdin();
    let text = if stdin.is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(|source| CliError::Io {
            what: "cannot read the password",
            source,
        })?;
        let second =
            rpassword::prompt_password("Password (again): ").map_err(|source| CliError::Io {
                what: "cannot read the password",
                source,
            })?;
        if first != second {
            return Err(CliError::Refused("the two passwords differ".to_owned()));
        }
        first
    } else {
        let mut line = String::new();
        stdin.lock().read_line(&mut line).map_err(|e| {
            CliError::Refused(format!("cannot read the password from standard input: {e}"))
        })?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    Password::parse(&text).map_err(CliError::refused)
}

fn describe(d: &PersonDetails) -> String {
    let p = &d.person;
    let mut out = String::new();
    let mut line = |k: &str, v: &str| out.push_str(&format!("{k:<10}{v}\n"));
    line("id:", p.id.as_str());
    line("kind:", p.kind.as_str());
    if let Some(team) = &p.team_name {
        line("team:", team.as_str());
    }
    line("name:", p.display_name.as_str());
    line("status:", p.status.as_str());
    line(
        "password:",
        if p.password_hash.is_some() {
            "set"
        } else {
            "none"
        },
    );
    line("created:", &format_time(p.created_at));
    line("updated:", &format_time(p.updated_at));
    for (i, e) in d.emails.iter().enumerate() {
        let label = if i == 0 { "emails:" } else { "" };
        line(label, &format!("{} ({})", e.address, e.status.as_str()));
    }
    if p.team_name.is_some() {
        let members: Vec<String> = d
            .members
            .iter()
            .map(|m| m.display_name.to_string())
            .collect();
        line("members:", &members.join(", "));
    } else {
        let teams: Vec<&str> = d.teams.iter().map(|t| t.as_str()).collect();
        line("teams:", &teams.join(", "));
    }
    out
}

/// Who runs the command, for the audit trail.
fn os_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .into_iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// One line per factor: kind, name, when added and last used.
fn describe_factors(factors: &[FactorSummary]) -> String {
    if factors.is_empty() {
        return format!("{:<10}none\n", "factors:");
    }
    let mut out = String::new();
    for (i, f) in factors.iter().enumerate() {
        let label = if i == 0 { "factors:" } else { "" };
        let used = f
            .last_used_at
            .map_or_else(|| "never".to_owned(), format_time);
        out.push_str(&format!(
            "{label:<10}{} \"{}\", added {}, last used {used}\n",
            f.kind.as_str(),
            f.name.escape_debug(),
            format_time(f.created_at),
        ));
    }
    out
}
