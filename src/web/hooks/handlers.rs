//! The three hooks: placeholder profiles, team addresses and bug-tracker handshake tokens.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

use super::auth_token::AuthToken;
use super::fields::FieldError;
use super::{answer, invalid};
use crate::domain::{DisplayName, EmailAddress, Person, TeamName};
use crate::service::handshake::issue_for_hook;
use crate::service::people::{PeopleError, PlaceholderOutcome, create_placeholder};
use crate::service::teams::{TeamError, add_address};
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::forms::origin;

fn bad(field: &'static str, reason: impl std::error::Error + Send + Sync + 'static) -> FieldError {
    FieldError::Invalid {
        field,
        reason: Box::new(reason),
    }
}

fn email_field(auth: &AuthToken) -> Result<EmailAddress, FieldError> {
    EmailAddress::parse(auth.fields.required("email")?).map_err(|e| bad("email", e))
}

fn profile(person: &Person, email: &EmailAddress) -> Value {
    json!({
        "id": person.id.as_str(),
        "kind": person.kind.as_str(),
        "team": person.team_name.as_ref().map(TeamName::as_str),
        "display_name": person.display_name.as_str(),
        "status": person.status.as_str(),
        "email": email.as_str(),
    })
}

/// `POST /hooks/placeholder` {email, display_name?}: 201 with the new placeholder profile, or
/// 200 with the profile that already has the address (nothing changes).
pub async fn placeholder(
    auth: AuthToken,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    let input = auth
        .fields
        .only(&["email", "display_name"])
        .and_then(|()| email_field(&auth))
        .and_then(|email| {
            let name = auth
                .fields
                .optional("display_name")
                .map(DisplayName::parse)
                .transpose()
                .map_err(|e| bad("display_name", e))?;
            Ok((email, name))
        });
    let (email, name) = match input {
        Ok(input) => input,
        Err(e) => return Ok(invalid(&e)),
    };
    Ok(
        match create_placeholder(&state.ctx, &email, name, &origin(&req)).await {
            Ok(PlaceholderOutcome::Created(person)) => answer(
                StatusCode::CREATED,
                &json!({"result": "created", "profile": profile(&person, &email)}),
            ),
            Ok(PlaceholderOutcome::Exists(person)) => answer(
                StatusCode::OK,
                &json!({"result": "exists", "profile": profile(&person, &email)}),
            ),
            Err(PeopleError::AddressTaken { .. }) => answer(
                StatusCode::CONFLICT,
                &json!({"error": "conflict", "message": "the address was taken meanwhile; try again"}),
            ),
            Err(e) => return Err(e.into()),
        },
    )
}

/// `POST /hooks/team-address` {team, email}: attaches a contact address to a team (200
/// `added`, or 200 `exists` when it is already the team's).
pub async fn team_address(
    auth: AuthToken,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    let input = auth.fields.only(&["team", "email"]).and_then(|()| {
        let team = TeamName::parse(auth.fields.required("team")?).map_err(|e| bad("team", e))?;
        Ok((team, email_field(&auth)?))
    });
    let (team, email) = match input {
        Ok(input) => input,
        Err(e) => return Ok(invalid(&e)),
    };
    let added = |result: &str| {
        answer(
            StatusCode::OK,
            &json!({"result": result, "team": team.as_str(), "email": email.as_str()}),
        )
    };
    Ok(
        match add_address(&state.ctx, &team, &email, &origin(&req)).await {
            Ok(_) => added("added"),
            Err(TeamError::AlreadyAttached { .. }) => added("exists"),
            Err(e @ TeamError::UnknownTeam(_)) => answer(
                StatusCode::NOT_FOUND,
                &json!({"error": "unknown_team", "message": e.to_string()}),
            ),
            Err(e @ TeamError::AddressTaken { .. }) => answer(
                StatusCode::CONFLICT,
                &json!({"error": "address_taken", "message": e.to_string()}),
            ),
            Err(e) => return Err(e.into()),
        },
    )
}

/// `POST /hooks/bugtracker-token` {}: a new single-use handshake token, as the XML-RPC method
/// gives.
pub async fn bugtracker_token(
    auth: AuthToken,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    if let Err(e) = auth.fields.only(&[]) {
        return Ok(invalid(&e));
    }
    let (token, expires_at) = issue_for_hook(&state.ctx, &origin(&req)).await?;
    let handshake_url = format!(
        "{}/token/{}/+bugtracker-handshake",
        state.ctx.public_url,
        token.expose()
    );
    Ok(answer(
        StatusCode::CREATED,
        &json!({
            "token": token.expose(),
            "expires_at": expires_at,
            "handshake_url": handshake_url,
        }),
    ))
}
