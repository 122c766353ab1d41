//! Administering teams: create, add a member, add a contact address; and the teams a person
//! belongs to.

use super::people::insert_with_address;
use super::{Context, Origin, audit};
use crate::db::DbError;
use crate::db::emails::insert_email;
use crate::db::people::{find_person_by_email, find_team_by_name};
use crate::db::teams::team_names_of;
use crate::domain::{
    AuditCode, DisplayName, EmailAddress, EmailStatus, Person, PersonId, PersonKind, PersonStatus,
    TeamName,
};

/// Why a change to a team was refused.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    /// No team has this handle.
    #[error("there is no team named {0}")]
    UnknownTeam(String),
    /// A team with this handle exists.
    #[error("a team named {0} already exists")]
    NameTaken(String),
    /// No profile has this address.
    #[error("no person has the address {0}")]
    UnknownAddress(String),
    /// The address belongs to a team; teams cannot be members.
    #[error("{0} belongs to a team: only people can be members")]
    NotAPerson(String),
    /// The person is already a member.
    #[error("{person} is already a member of {team}")]
    AlreadyMember {
        /// The member's address.
        person: String,
        /// The team's handle.
        team: String,
    },
    /// The address is taken (by a person or another team).
    #[error("the address {email} already belongs to {owner}")]
    AddressTaken {
        /// The address asked for.
        email: String,
        /// Who has it.
        owner: String,
    },
    /// The address is already one of this team's.
    #[error("{email} is already an address of the team {team}")]
    AlreadyAttached {
        /// The address asked for.
        email: String,
        /// The team's handle.
        team: String,
    },
    /// The person is not a member of the team.
    #[error("{person} is not a member of {team}")]
    NotAMember {
        /// The person's address.
        person: String,
        /// The team's handle.
        team: String,
    },
    /// The address is not one of the team's.
    #[error("{email} is not an address of the team {team}")]
    NotAttached {
        /// The address asked for.
        email: String,
        /// The team's handle.
        team: String,
    },
    /// A team keeps at least one contact address.
    #[error("{email} is the last address of the team {team}: a team keeps at least one")]
    LastAddress {
        /// The address asked for.
        email: String,
        /// The team's handle.
        team: String,
    },
    /// The team still has members and `--force` was not given.
    #[error("the team {team} still has {members} member(s): remove them or use --force")]
    HasMembers {
        /// The team's handle.
        team: String,
        /// How many.
        members: usize,
    },
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

/// Refuses an address some profile already has, naming the owner.
async fn ensure_address_free(ctx: &Context, email: &EmailAddress) -> Result<(), TeamError> {
    match find_person_by_email(ctx.db.pool(), email).await? {
        None => Ok(()),
        Some(owner) => Err(TeamError::AddressTaken {
            email: email.to_string(),
            owner: match &owner.team_name {
                Some(team) => format!("the team {team}"),
                None => owner.display_name.to_string(),
            },
        }),
    }
}

fn taken_meanwhile(email: &EmailAddress) -> TeamError {
    TeamError::AddressTaken {
        email: email.to_string(),
        owner: "another profile".to_owned(),
    }
}

/// Creates a team with a handle and its first contact address.
pub async fn create_team(
    ctx: &Context,
    name: TeamName,
    display_name: Option<DisplayName>,
    email: &EmailAddress,
    origin: &Origin,
) -> Result<Person, TeamError> {
    if find_team_by_name(ctx.db.pool(), &name).await?.is_some() {
        return Err(TeamError::NameTaken(name.to_string()));
    }
    ensure_address_free(ctx, email).await?;
    let now = ctx.clock.now();
    let team = Person {
        id: PersonId::generate(),
        kind: PersonKind::Team,
        display_name: display_name.unwrap_or_else(|| DisplayName::from_stored(name.to_string())),
        team_name: Some(name),
        status: PersonStatus::Active,
        password_hash: None,
        created_at: now,
        updated_at: now,
        sessions_not_before: 0,
    };
    match insert_with_address(
        ctx,
        &team,
        email,
        EmailStatus::Validated,
        origin,
        AuditCode::TeamCreated,
    )
    .await
    {
        Ok(true) => Ok(team),
        Ok(false) => Err(taken_meanwhile(email)),
        // A concurrent create with the same handle loses on the unique name.
        Err(e) if e.is_unique_violation() => Err(TeamError::NameTaken(
            team.team_name.map(|n| n.to_string()).unwrap_or_default(),
        )),
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn find_team(ctx: &Context, name: &TeamName) -> Result<Person, TeamError> {
    find_team_by_name(ctx.db.pool(), name)
        .await?
        .ok_or_else(|| TeamError::UnknownTeam(name.to_string()))
}

/// Attaches another contact address to a team. Team addresses can never log in, register or
/// reset a password.
pub async fn add_address(
    ctx: &Context,
    name: &TeamName,
    email: &EmailAddress,
    origin: &Origin,
) -> Result<Person, TeamError> {
    let team = find_team(ctx, name).await?;
    if let Some(owner) = find_person_by_email(ctx.db.pool(), email).await?
        && owner.id == team.id
    {
        return Err(TeamError::AlreadyAttached {
            email: email.to_string(),
            team: name.to_string(),
        });
    }
    ensure_address_free(ctx, email).await?;
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    match insert_email(&mut *tx, &team.id, email, EmailStatus::Validated, now).await {
        Err(e) if e.is_unique_violation() => return Err(taken_meanwhile(email)),
        other => other?,
    }
    audit::record(
        &mut *tx,
        now,
        AuditCode::TeamAddressAdded,
        Some(&team.id),
        origin,
        email.as_str(),
    )
    .await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(team)
}

/// The handles of the teams a person belongs to, sorted.
pub async fn teams_of(ctx: &Context, person: &PersonId) -> Result<Vec<TeamName>, DbError> {
    team_names_of(ctx.db.pool(), person).await
}
