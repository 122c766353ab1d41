//! The REST API, authenticated by API keys: `GET /rest/whoami`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde_json::json;

use super::AppState;
use super::api_auth::ApiKeyAuth;
use super::error::WebError;
use super::hooks::answer;
use crate::domain::TeamName;
use crate::service::teams::teams_of;

/// `GET /rest/whoami`: who the key acts for, Bugzilla's shape.
pub async fn whoami(
    auth: ApiKeyAuth,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let person = &auth.owner.person;
    let groups = teams_of(&state.ctx, &person.id).await?;
    let groups: Vec<&str> = groups.iter().map(TeamName::as_str).collect();
    Ok(answer(
        StatusCode::OK,
        &json!({
            "id": person.id.as_str(),
            "real_name": person.display_name.as_str(),
            "name": auth.owner.login_email().map(|e| e.as_str()),
            "groups": groups,
        }),
    ))
}
