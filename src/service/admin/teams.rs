//! Administering teams: list, show, add or remove a member or an address, rename, delete.

use serde::Serialize;

use super::Actor;
use crate::db::DbError;
use crate::db::emails::{delete_email, insert_email, list_emails};
use crate::db::people::find_person_by_email;
use crate::db::teams::{
    add_member as insert_member, delete_team, list_teams, members_of,
    remove_member as delete_member, rename_team,
};
use crate::domain::{AuditCode, EmailAddress, EmailStatus, Person, PersonId, PersonKind, TeamName};
use crate::service::teams::{TeamError, find_team};
use crate::service::{Context, audit};

/// One team in a list.
#[derive(Debug, Clone, Serialize)]
pub struct TeamSummary {
    /// Its handle.
    pub name: String,
    /// Its display name.
    pub display_name: String,
    /// How many members it has.
    pub members: i64,
}

/// One member of a team.
#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    /// Their display name.
    pub display_name: String,
    /// Their preferred (or first) address.
    pub email: Option<String>,
}

/// A team with its members and addresses.
#[derive(Debug, Clone, Serialize)]
pub struct TeamView {
    /// Its handle.
    pub name: String,
    /// Its display name.
    pub display_name: String,
    /// Its contact addresses.
    pub addresses: Vec<String>,
    /// Its members, by display name.
    pub members: Vec<MemberView>,
}

/// Every team, by handle.
pub async fn list(ctx: &Context) -> Result<Vec<TeamSummary>, DbError> {
    Ok(list_teams(ctx.db.pool())
        .await?
        .into_iter()
        .map(|(team, members)| TeamSummary {
            name: team.team_name.map(|n| n.to_string()).unwrap_or_default(),
            display_name: team.display_name.to_string(),
            members,
        })
        .collect())
}

/// One team with its members and addresses.
pub async fn show(ctx: &Context, name: &TeamName) -> Result<TeamView, TeamError> {
    let team = find_team(ctx, name).await?;
    let pool = ctx.db.pool();
    let addresses = list_emails(pool, &team.id)
        .await?
        .into_iter()
        .map(|e| e.address.to_string())
        .collect();
    let mut members = Vec::new();
    for person in members_of(pool, &team.id).await? {
        let email = list_emails(pool, &person.id)
            .await?
            .into_iter()
            .next()
            .map(|e| e.address.to_string());
        members.push(MemberView {
            display_name: person.display_name.to_string(),
            email,
        });
    }
    Ok(TeamView {
        name: name.to_string(),
        display_name: team.display_name.to_string(),
        addresses,
        members,
    })
}

async fn record(
    ctx: &Context,
    tx: &mut sqlx::AnyConnection,
    code: AuditCode,
    subject: &PersonId,
    actor: &Actor,
    what: &str,
) -> Result<(), DbError> {
    audit::record(
        &mut *tx,
        ctx.clock.now(),
        code,
        Some(subject),
        actor.origin(),
        &actor.detail(what),
    )
    .await
}

/// Makes the person with an address a member of a team; a team's address is refused.
pub async fn add_member(
    ctx: &Context,
    name: &TeamName,
    email: &EmailAddress,
    actor: &Actor,
) -> Result<Person, TeamError> {
    let team = find_team(ctx, name).await?;
    let person = find_person_by_email(ctx.db.pool(), email)
        .await?
        .ok_or_else(|| TeamError::UnknownAddress(email.to_string()))?;
    if person.kind == PersonKind::Team {
        return Err(TeamError::NotAPerson(email.to_string()));
    }
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    match insert_member(&mut *tx, &team.id, &person.id, now).await {
        Err(e) if e.is_unique_violation() => {
            return Err(TeamError::AlreadyMember {
                person: email.to_string(),
                team: name.to_string(),
            });
        }
        other => other?,
    }
    let what = format!("{email} joined {name}");
    let code = AuditCode::TeamMemberAdded;
    record(ctx, &mut tx, code, &person.id, actor, &what).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(person)
}

/// Attaches another contact address to a team: one no person or team has yet. Team
/// addresses can never sign in, register or recover a password.
pub async fn add_address(
    ctx: &Context,
    name: &TeamName,
    email: &EmailAddress,
    actor: &Actor,
) -> Result<Person, TeamError> {
    let team = find_team(ctx, name).await?;
    if let Some(owner) = find_person_by_email(ctx.db.pool(), email).await? {
        return Err(if owner.id == team.id {
            TeamError::AlreadyAttached {
                email: email.to_string(),
                team: name.to_string(),
            }
        } else {
            TeamError::AddressTaken {
                email: email.to_string(),
                owner: match &owner.team_name {
                    Some(team) => format!("the team {team}"),
                    None => owner.display_name.to_string(),
                },
            }
        });
    }
    let now = ctx.clock.now();
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    match insert_email(&mut *tx, &team.id, email, EmailStatus::Validated, now).await {
        Err(e) if e.is_unique_violation() => {
            return Err(TeamError::AddressTaken {
                email: email.to_string(),
                owner: "another profile".to_owned(),
            });
        }
        other => other?,
    }
    let what = format!("{email} added to {name}");
    let code = AuditCode::TeamAddressAdded;
    record(ctx, &mut tx, code, &team.id, actor, &what).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(team)
}

/// Ends the membership of the person with an address.
pub async fn remove_member(
    ctx: &Context,
    name: &TeamName,
    email: &EmailAddress,
    actor: &Actor,
) -> Result<(), TeamError> {
    let team = find_team(ctx, name).await?;
    let not_a_member = || TeamError::NotAMember {
        person: email.to_string(),
        team: name.to_string(),
    };
    let person = find_person_by_email(ctx.db.pool(), email)
        .await?
        .ok_or_else(|| TeamError::UnknownAddress(email.to_string()))?;
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    if !delete_member(&mut *tx, &team.id, &person.id).await? {
        return Err(not_a_member());
    }
    let what = format!("{email} left {name}");
    record(
        ctx,
        &mut tx,
        AuditCode::TeamMemberRemoved,
        &person.id,
        actor,
        &what,
    )
    .await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(())
}

/// Removes one of a team's contact addresses; the last one stays.
pub async fn remove_address(
    ctx: &Context,
    name: &TeamName,
    email: &EmailAddress,
    actor: &Actor,
) -> Result<(), TeamError> {
    let team = find_team(ctx, name).await?;
    let owned = find_person_by_email(ctx.db.pool(), email)
        .await?
        .is_some_and(|owner| owner.id == team.id);
    if !owned {
        return Err(TeamError::NotAttached {
            email: email.to_string(),
            team: name.to_string(),
        });
    }
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    if !delete_email(&mut *tx, &team.id, email).await? {
        return Err(TeamError::LastAddress {
            email: email.to_string(),
            team: name.to_string(),
        });
    }
    crate::db::emails::prefer_oldest_if_none(&mut *tx, &team.id).await?;
    let what = format!("{email} removed from {name}");
    record(
        ctx,
        &mut tx,
        AuditCode::TeamAddressRemoved,
        &team.id,
        actor,
        &what,
    )
    .await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(())
}

/// Gives a team a new handle.
pub async fn rename(
    ctx: &Context,
    name: &TeamName,
    new_name: &TeamName,
    actor: &Actor,
) -> Result<(), TeamError> {
    let team = find_team(ctx, name).await?;
    if name != new_name
        && crate::db::people::find_team_by_name(ctx.db.pool(), new_name)
            .await?
            .is_some()
    {
        return Err(TeamError::NameTaken(new_name.to_string()));
    }
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    match rename_team(&mut *tx, &team.id, new_name, ctx.clock.now()).await {
        Err(e) if e.is_unique_violation() => {
            return Err(TeamError::NameTaken(new_name.to_string()));
        }
        Ok(false) => return Err(TeamError::UnknownTeam(name.to_string())),
        other => other?,
    };
    let what = format!("{name} renamed to {new_name}");
    record(ctx, &mut tx, AuditCode::TeamRenamed, &team.id, actor, &what).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(())
}

/// Deletes a team with its addresses and memberships. A team with members is refused unless
/// `force`.
pub async fn delete(
    ctx: &Context,
    name: &TeamName,
    force: bool,
    actor: &Actor,
) -> Result<(), TeamError> {
    let team = find_team(ctx, name).await?;
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    if !delete_team(&mut *tx, &team.id, !force).await? {
        drop(tx);
        let members = members_of(ctx.db.pool(), &team.id).await?.len();
        return Err(TeamError::HasMembers {
            team: name.to_string(),
            members,
        });
    }
    let what = format!("team {name} deleted");
    record(ctx, &mut tx, AuditCode::TeamDeleted, &team.id, actor, &what).await?;
    tx.commit().await.map_err(DbError::from)?;
    Ok(())
}
