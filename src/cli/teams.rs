//! `team create | add-member | add-address | list | show | remove-member | remove-address |
//! rename | delete`.

use super::args::TeamCommand;
use super::people::parse_email;
use super::{CliError, print_json};
use crate::domain::{DisplayName, TeamName};
use crate::service::admin::{Actor, teams as admin};
use crate::service::teams::{self, TeamError};
use crate::service::{Context, Origin};

impl From<TeamError> for CliError {
    fn from(e: TeamError) -> Self {
        match e {
            TeamError::Database(db) => db.into(),
            refused => Self::refused(refused),
        }
    }
}

fn parse_team(input: &str) -> Result<TeamName, CliError> {
    TeamName::parse(input).map_err(|e| CliError::Refused(format!("`{input}`: {e}")))
}

/// Runs one `team` command.
pub async fn run(ctx: &Context, cmd: TeamCommand) -> Result<(), CliError> {
    let origin = Origin::cli();
    match cmd {
        TeamCommand::Create {
            name,
            email,
            display_name,
        } => {
            let name = parse_team(&name)?;
            let email = parse_email(&email)?;
            let display_name = display_name
                .map(|n| DisplayName::parse(&n).map_err(CliError::refused))
                .transpose()?;
            let team = teams::create_team(ctx, name, display_name, &email, &origin).await?;
            println!("created team {} <{email}> ({})", team.display_name, team.id);
        }
        TeamCommand::AddMember { team, email } => {
            let team = parse_team(&team)?;
            let email = parse_email(&email)?;
            let person = admin::add_member(ctx, &team, &email, &Actor::cli()).await?;
            println!("added {} <{email}> to {team}", person.display_name);
        }
        TeamCommand::AddAddress { team, email } => {
            let team = parse_team(&team)?;
            let email = parse_email(&email)?;
            admin::add_address(ctx, &team, &email, &Actor::cli()).await?;
            println!("added the address {email} to {team}");
        }
        TeamCommand::List { json } => {
            let list = admin::list(ctx).await?;
            if json {
                print_json(&list)?;
            } else {
                for t in list {
                    println!(
                        "{:<24} {:<32} {} member(s)",
                        t.name, t.display_name, t.members
                    );
                }
            }
        }
        TeamCommand::Show { team, json } => {
            let view = admin::show(ctx, &parse_team(&team)?).await?;
            if json {
                print_json(&view)?;
            } else {
                println!("team:      {} ({})", view.name, view.display_name);
                println!("addresses: {}", view.addresses.join(", "));
                for m in &view.members {
                    let email = m.email.as_deref().unwrap_or("-");
                    println!("member:    {} <{email}>", m.display_name);
                }
            }
        }
        TeamCommand::RemoveMember { team, email } => {
            let team = parse_team(&team)?;
            let email = parse_email(&email)?;
            admin::remove_member(ctx, &team, &email, &Actor::cli()).await?;
            println!("removed {email} from {team}");
        }
        TeamCommand::RemoveAddress { team, address } => {
            let team = parse_team(&team)?;
            let email = parse_email(&address)?;
            admin::remove_address(ctx, &team, &email, &Actor::cli()).await?;
            println!("removed the address {email} from {team}");
        }
        TeamCommand::Rename { team, new_name } => {
            let team = parse_team(&team)?;
            let new_name = parse_team(&new_name)?;
            admin::rename(ctx, &team, &new_name, &Actor::cli()).await?;
            println!("renamed {team} to {new_name}");
        }
        TeamCommand::Delete { team, force } => {
            let team = parse_team(&team)?;
            admin::delete(ctx, &team, force, &Actor::cli()).await?;
            println!("deleted the team {team}");
        }
    }
    Ok(())
}
