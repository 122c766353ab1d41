//! The console's teams pages: the list (`/+admin/teams`), a team's members and addresses
//! (`/+admin/teams/{name}`), adding and removing either. Each change is the command line's
//! own service function (`service::admin::teams`); a refusal is shown on the team's page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::render::{Section, render};
use super::{AdminForm, AdminUser};
use crate::domain::{EmailAddress, TeamName};
use crate::i18n::Lang;
use crate::service::admin::teams as admin;
use crate::service::teams::TeamError;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::forms::see_other;
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::{post_only, read_only};

/// `GET /+admin/teams`
pub async fn list(
    _admin: AdminUser,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let mut ctx = tera::Context::new();
    ctx.insert("teams", &admin::list(&state.ctx).await?);
    render(
        &state,
        lang,
        &session,
        Section::Teams,
        "admin/teams.html",
        ctx,
        None,
    )
}

/// `?done=…` after a change.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// A team's handle from the path: anything that is not one is an unknown team.
fn team_name(input: &str) -> Result<TeamName, WebError> {
    TeamName::parse(input).map_err(|_| WebError::NOT_FOUND)
}

/// `GET /+admin/teams/{name}`
pub async fn show(
    _admin: AdminUser,
    name: web::Path<String>,
    done: web::Query<Done>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let notice = match done.done.as_deref() {
        Some("member-added") => Some("admin-teams-done-member-added"),
        Some("member-removed") => Some("admin-teams-done-member-removed"),
        Some("address-added") => Some("admin-teams-done-address-added"),
        Some("address-removed") => Some("admin-teams-done-address-removed"),
        _ => None,
    };
    team_page(&state, lang, &session, &team_name(&name)?, notice, None).await
}

async fn team_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    name: &TeamName,
    notice: Option<&str>,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    let view = match admin::show(&state.ctx, name).await {
        Ok(view) => view,
        Err(TeamError::UnknownTeam(_)) => return Err(WebError::NOT_FOUND),
        Err(e) => return Err(e.into()),
    };
    let mut ctx = tera::Context::new();
    ctx.insert("team", &view);
    ctx.insert("error", &error);
    let mut res = render(
        state,
        lang,
        session,
        Section::Teams,
        "admin/team.html",
        ctx,
        notice,
    )?;
    if error.is_some() {
        *res.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(res)
}

/// The one field of every team form: a person's or the team's address.
#[derive(Debug, Deserialize)]
pub struct EmailForm {
    email: String,
}

/// What a team form does.
#[derive(Debug, Clone, Copy)]
enum Change {
    AddMember,
    RemoveMember,
    AddAddress,
    RemoveAddress,
}

impl Change {
    fn done(self) -> &'static str {
        match self {
            Self::AddMember => "member-added",
            Self::RemoveMember => "member-removed",
            Self::AddAddress => "address-added",
            Self::RemoveAddress => "address-removed",
        }
    }
}

/// Runs a change on the team `name`: back to its page with a notice, or the page with the
/// refusal (400, nothing changed); an unknown team is 404.
async fn change(
    form: AdminForm<EmailForm>,
    name: &str,
    what: Change,
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
) -> Result<HttpResponse, WebError> {
    let team = team_name(name)?;
    let email = match EmailAddress::parse(&form.form.email) {
        Ok(email) => email,
        Err(_) => {
            let args = [("email", form.form.email.trim())];
            let error = lang.lang.text_with("admin-teams-refused-malformed", &args);
            return team_page(state, lang, session, &team, None, Some(error)).await;
        }
    };
    let (ctx, actor) = (&state.ctx, &form.admin.actor);
    let done = match what {
        Change::AddMember => admin::add_member(ctx, &team, &email, actor).await.map(drop),
        Change::RemoveMember => admin::remove_member(ctx, &team, &email, actor).await,
        Change::AddAddress => admin::add_address(ctx, &team, &email, actor)
            .await
            .map(drop),
        Change::RemoveAddress => admin::remove_address(ctx, &team, &email, actor).await,
    };
    match done {
        Ok(()) => Ok(see_other(&format!(
            "/+admin/teams/{team}?done={}",
            what.done()
        ))),
        Err(TeamError::UnknownTeam(_)) => Err(WebError::NOT_FOUND),
        Err(TeamError::Database(e)) => Err(e.into()),
        Err(e) => {
            let error = refusal(lang.lang, &team, &email, &e);
            team_page(state, lang, session, &team, None, Some(error)).await
        }
    }
}

/// What the page says of a refusal, in the page's language.
fn refusal(lang: Lang, team: &TeamName, email: &EmailAddress, e: &TeamError) -> String {
    let key = match e {
        TeamError::UnknownAddress(_) => "admin-teams-refused-unknown",
        TeamError::NotAPerson(_) => "admin-teams-refused-team-address",
        TeamError::AlreadyMember { .. } => "admin-teams-refused-member-already",
        TeamError::NotAMember { .. } => "admin-teams-refused-not-member",
        TeamError::AddressTaken { .. } => "admin-teams-refused-taken",
        TeamError::AlreadyAttached { .. } => "admin-teams-refused-attached-already",
        TeamError::NotAttached { .. } => "admin-teams-refused-not-attached",
        TeamError::LastAddress { .. } => "admin-teams-refused-last-address",
        _ => return format!("{}: {e}", lang.text("admin-teams-refused")),
    };
    let owner = match e {
        TeamError::AddressTaken { owner, .. } => owner.as_str(),
        _ => "",
    };
    let args = [
        ("email", email.as_str()),
        ("team", team.as_str()),
        ("owner", owner),
    ];
    lang.text_with(key, &args)
}

/// `POST /+admin/teams/{name}/members`
pub async fn add_member(
    form: AdminForm<EmailForm>,
    name: web::Path<String>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    change(form, &name, Change::AddMember, &state, lang, &session).await
}

/// `POST /+admin/teams/{name}/members/remove`
pub async fn remove_member(
    form: AdminForm<EmailForm>,
    name: web::Path<String>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    change(form, &name, Change::RemoveMember, &state, lang, &session).await
}

/// `POST /+admin/teams/{name}/addresses`
pub async fn add_address(
    form: AdminForm<EmailForm>,
    name: web::Path<String>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    change(form, &name, Change::AddAddress, &state, lang, &session).await
}

/// `POST /+admin/teams/{name}/addresses/remove`
pub async fn remove_address(
    form: AdminForm<EmailForm>,
    name: web::Path<String>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    change(form, &name, Change::RemoveAddress, &state, lang, &session).await
}

/// Registers the console's teams pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(read_only("/+admin/teams", list))
        .service(read_only("/+admin/teams/{name}", show))
        .service(post_only("/+admin/teams/{name}/members", add_member))
        .service(post_only(
            "/+admin/teams/{name}/members/remove",
            remove_member,
        ))
        .service(post_only("/+admin/teams/{name}/addresses", add_address))
        .service(post_only(
            "/+admin/teams/{name}/addresses/remove",
            remove_address,
        ));
}
