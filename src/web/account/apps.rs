//! `/+account/apps`: the applications the person allowed to use their account, each with what
//! it receives and when it was allowed; `POST /+account/apps/revoke` withdraws the consent,
//! and the application loses every token it holds for them. OpenID 2.0 realms are listed
//! beside them; `POST /+account/apps/realms/revoke` forgets a remembered decision.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::page::{Banner, Section, render_section};
use crate::clock::{date_time, format_time, time_ago};
use crate::service::account::{applications, revoke_app};
use crate::service::openid::decisions;
use crate::web::AppState;
use crate::web::csrf_form::CsrfForm;
use crate::web::error::WebError;
use crate::web::forms::{origin, see_other};
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::signed_in::SignedIn;

/// The form that withdraws consent from an application.
#[derive(Debug, Deserialize)]
pub struct RevokeAppForm {
    #[serde(default)]
    client_id: String,
}

/// `GET /+account/apps`
pub async fn show(
    me: SignedIn,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let l = lang.lang;
    let now = state.ctx.clock.now();
    let apps: Vec<serde_json::Value> = applications(&state.ctx, &me.person.id)
        .await?
        .iter()
        .map(|a| {
            let receives: Vec<String> = a
                .scopes
                .iter()
                .map(|s| l.text(&format!("consent-scope-{s}")))
                .collect();
            let when = time_ago(l, a.granted_at, now);
            serde_json::json!({
                "client_id": a.client_id,
                "name": a.client_name,
                "receives": receives,
                "granted": l.text_with("apps-granted", &[("when", &when)]),
                "granted_at": format_time(a.granted_at),
                "granted_exact": date_time(l, a.granted_at),
            })
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("csrf_token", &session.csrf_token()?);
    ctx.insert("apps", &apps);
    ctx.insert("realms", &realms(&state, &me, l, now).await?);
    let template = "account/apps.html";
    let banner = Banner::notice(None);
    Ok(render_section(
        &state,
        lang,
        Section::Apps,
        template,
        ctx,
        banner,
    ))
}

/// The form that forgets a remembered OpenID 2.0 decision.
#[derive(Debug, Deserialize)]
pub struct RevokeRealmForm {
    #[serde(default)]
    realm: String,
}

/// The OpenID 2.0 realms the person signed in to, for the page.
async fn realms(
    state: &AppState,
    me: &SignedIn,
    l: crate::i18n::Lang,
    now: i64,
) -> Result<Vec<serde_json::Value>, WebError> {
    let listed = decisions::list_for(&state.ctx, &me.person.id).await?;
    Ok(listed
        .iter()
        .map(|d| {
            let receives: Vec<String> = d
                .shared
                .iter()
                .map(|f| l.text(&format!("openid-field-{f}")))
                .collect();
            let decided = time_ago(l, d.decided_at, now);
            let used = time_ago(l, d.last_used_at, now);
            serde_json::json!({
                "realm": d.realm,
                "receives": receives,
                "decided": l.text_with("openid-apps-decided", &[("when", &decided)]),
                "decided_at": format_time(d.decided_at),
                "decided_exact": date_time(l, d.decided_at),
                "last_used": l.text_with("openid-apps-last-used", &[("when", &used)]),
                "last_used_at": format_time(d.last_used_at),
                "last_used_exact": date_time(l, d.last_used_at),
            })
        })
        .collect())
}

/// `POST /+account/apps/realms/revoke`
pub async fn revoke_realm(
    me: SignedIn,
    form: CsrfForm<RevokeRealmForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    decisions::revoke(&state.ctx, &me.person.id, &form.realm, &origin(&req)).await?;
    Ok(see_other("/+account/apps"))
}

/// `POST /+account/apps/revoke`
pub async fn revoke(
    me: SignedIn,
    form: CsrfForm<RevokeAppForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, WebError> {
    revoke_app(&state.ctx, &me.person.id, &form.client_id, &origin(&req)).await?;
    Ok(see_other("/+account/apps"))
}
