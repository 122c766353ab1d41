//! The REST API, authenticated by API keys: `GET /rest/whoami`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde_json::json;

use super::AppState;
use super::api_auth::ApiKeyAuth;
use super::hooks::{answer, server_error};
use crate::db::teams::team_names_of;
use crate::domain::TeamName;

/// `GET /rest/whoami`: who the key acts for, Bugzilla's shape.
pub async fn whoami(state: web::Data<AppState>, auth: ApiKeyAuth) -> HttpResponse {
    let person = &auth.owner.person;
    let groups = match team_names_of(state.ctx.db.pool(), &person.id).await {
        Ok(teams) => teams,
        Err(e) => return server_error(&e),
    };
    let groups: Vec<&str> = groups.iter().map(TeamName::as_str).collect();
    answer(
        StatusCode::OK,
        &json!({
            "id": person.id.as_str(),
            "real_name": person.display_name.as_str(),
            "name": auth.owner.login_email().map(|e| e.as_str()),
            "groups": groups,
        }),
    )
}
