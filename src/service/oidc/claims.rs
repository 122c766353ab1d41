//! Claims about a person for a client: in ID tokens and from UserInfo, by granted scope.

use chrono::{DateTime, Utc};
use openidconnect::core::{
    CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
};
use openidconnect::{
    AdditionalClaims, EndUserEmail, EndUserName, IdToken, IdTokenClaims, StandardClaims,
    SubjectIdentifier, UserInfoClaims,
};
use serde::{Deserialize, Serialize};

use crate::db::DbError;
use crate::db::emails::list_emails;
use crate::db::people::find_person_by_id;
use crate::db::teams::team_names_of;
use crate::domain::scope::Scopes;
use crate::domain::{EmailStatus, Person, PersonId, PersonStatus};
use crate::service::Context;

/// The `groups` claim: the handles of the person's teams.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct GroupsClaim {
    /// Team handles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<String>>,
}

impl AdditionalClaims for GroupsClaim {}

/// ID tokens with the `groups` claim.
pub type LatchkeyIdToken = IdToken<
    GroupsClaim,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
/// ID-token claims with the `groups` claim.
pub type LatchkeyIdTokenClaims = IdTokenClaims<GroupsClaim, CoreGenderClaim>;
/// UserInfo claims with the `groups` claim.
pub type LatchkeyUserInfoClaims = UserInfoClaims<GroupsClaim, CoreGenderClaim>;

/// Unix seconds as a claim time.
pub fn time(unix: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(unix, 0).unwrap_or_default()
}

/// The person a grant is for, while the account is active: a suspended or deactivated
/// person's grants give nothing more.
pub async fn active_person(ctx: &Context, id: &PersonId) -> Result<Option<Person>, DbError> {
    let person = find_person_by_id(ctx.db.pool(), id).await?;
    Ok(person.filter(|p| p.status == PersonStatus::Active))
}

/// The standard claims and groups a set of scopes allows.
pub async fn claims_for(
    ctx: &Context,
    person: &Person,
    scopes: &Scopes,
) -> Result<(StandardClaims<CoreGenderClaim>, GroupsClaim), DbError> {
    let mut claims = StandardClaims::new(SubjectIdentifier::new(person.id.to_string()));
    if scopes.contains("profile") {
        claims = claims.set_name(Some(
            EndUserName::new(person.display_name.to_string()).into(),
        ));
    }
    if scopes.contains("email") {
        let emails = list_emails(ctx.db.pool(), &person.id).await?;
        if let Some(e) = emails.first() {
            claims = claims
                .set_email(Some(EndUserEmail::new(e.address.to_string())))
                .set_email_verified(Some(e.status != EmailStatus::New));
        }
    }
    let groups = if scopes.contains("groups") {
        let teams = team_names_of(ctx.db.pool(), &person.id).await?;
        Some(teams.iter().map(|t| t.to_string()).collect())
    } else {
        None
    };
    Ok((claims, GroupsClaim { groups }))
}
