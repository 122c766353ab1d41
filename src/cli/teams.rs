//! `team create | add-member | add-address`.

use super::CliError;
use super::args::TeamCommand;
use super::people::parse_email;
use crate::domain::{DisplayName, TeamName};
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
            let person = teams::add_member(ctx, &team, &email, &origin).await?;
            println!("added {} <{email}> to {team}", person.display_name);
        }
        TeamCommand::AddAddress { team, email } => {
            let team = parse_team(&team)?;
            let email = parse_email(&email)?;
            teams::add_address(ctx, &team, &email, &origin).await?;
            println!("added the address {email} to {team}");
        }
    }
    Ok(())
}
