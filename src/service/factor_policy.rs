//! The team policy `login.require_second_factor_for_teams`: members of the listed teams must
//! have a second factor (a passkey or an authenticator app) before they go anywhere else.
//!
//! Decided from the database on each request that asks, never from a flag in the session: a
//! factor added on any node, or removed by an administrator, counts at the next request.

use super::Context;
use super::second_step;
use crate::db::DbError;
use crate::db::teams::team_names_of;
use crate::domain::{PersonId, TeamName};

/// Where a person stands with the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enrolment {
    /// No team of theirs is listed.
    NotRequired,
    /// A listed team of theirs (these) requires a factor, and they have none: they must enrol.
    Due(Vec<TeamName>),
    /// A listed team of theirs (these) requires a factor, and they have one.
    Done(Vec<TeamName>),
}

impl Enrolment {
    /// Whether the person must enrol before going on.
    pub fn is_due(&self) -> bool {
        matches!(self, Self::Due(_))
    }
}

/// Where `person` stands: without a listed team, no further query is made.
pub async fn enrolment(ctx: &Context, person: &PersonId) -> Result<Enrolment, DbError> {
    let listed = &ctx.login.require_second_factor_for_teams;
    if listed.is_empty() {
        return Ok(Enrolment::NotRequired);
    }
    let teams = requiring(listed, team_names_of(ctx.db.pool(), person).await?);
    if teams.is_empty() {
        return Ok(Enrolment::NotRequired);
    }
    Ok(if second_step::required(ctx, person).await? {
        Enrolment::Done(teams)
    } else {
        Enrolment::Due(teams)
    })
}

/// The teams among `memberships` that `listed` names.
fn requiring(listed: &[String], memberships: Vec<TeamName>) -> Vec<TeamName> {
    memberships
        .into_iter()
        .filter(|team| listed.iter().any(|name| name.trim() == team.as_str()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_teams_require_a_factor() {
        let team = |name: &str| TeamName::parse(name).unwrap();
        let listed = ["admins".to_owned(), "ops".to_owned()];
        assert_eq!(
            requiring(&listed, vec![team("admins"), team("analysts")]),
            [team("admins")]
        );
        assert!(requiring(&listed, vec![team("analysts")]).is_empty());
        assert!(requiring(&[], vec![team("admins")]).is_empty());
    }
}
