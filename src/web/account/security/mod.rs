//! `GET /+account/security`: changing the password (`account::password`), the person's second
//! factors — passkeys (`passkeys`), the authenticator app and recovery codes (`codes`) — each
//! section filled by its own module, and closing the account (`account::deactivate`).

pub mod codes;
pub mod passkeys;

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::web::AppState;
use crate::web::account::page::{Banner, Section, render_section};
use crate::web::error::WebError;
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::signed_in::SignedIn;

/// `?done=…`: which change the page confirms.
#[derive(Debug, Deserialize)]
pub struct SecurityQuery {
    done: Option<String>,
}

/// `GET /+account/security`
pub async fn show(
    me: SignedIn,
    query: web::Query<SecurityQuery>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let notice = query
        .done
        .as_deref()
        .filter(|d| d.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
        .map(|d| lang.lang.text(&format!("security-done-{d}")));
    render(&state, lang, &session, &me, Banner::notice(notice)).await
}

/// The security page, with what `banner` says; every form of the page answers with it when it
/// refuses.
pub async fn render(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    me: &SignedIn,
    banner: Banner,
) -> Result<HttpResponse, WebError> {
    let mut ctx = tera::Context::new();
    ctx.insert("csrf_token", &session.csrf_token()?);
    ctx.insert("display_name", me.person.display_name.as_str());
    // The password forms' hidden username, so that password managers know whose it is.
    ctx.insert("username", &me.login_email().map(|e| e.as_str()));
    crate::web::enrolment::add_to_page(state, lang, session, &me.person.id, &mut ctx).await?;
    passkeys::add_to_page(state, lang, session, me, &mut ctx).await?;
    codes::add_to_page(state, lang, session, me, &mut ctx).await?;
    let template = "account/security.html";
    Ok(render_section(
        state,
        lang,
        Section::Security,
        template,
        ctx,
        banner,
    ))
}
