//! `/+account/sessions`: where the person is signed in, each browser as a person would say it
//! ("Chrome on Linux · 127.0.0.1 · signed in 3 minutes ago", the exact time in its `title`);
//! `POST /+account/sessions/end` signs one of them out, `POST /+account/sessions/end-others`
//! every browser but this one.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::page::{Banner, Section, render_section};
use crate::clock::{date_time, format_time, time_ago};
use crate::domain::user_agent::BrowserName;
use crate::i18n::Lang;
use crate::service::account::{AccountView, record_sign_out};
use crate::service::sessions::{SessionSummary, end_other_sessions, end_session, list_sessions};
use crate::web::AppState;
use crate::web::csrf_form::CsrfForm;
use crate::web::error::WebError;
use crate::web::forms::{origin, see_other};
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::signed_in::SignedIn;

const PAGE: &str = "/+account/sessions";

/// The forms of the page: which session to end (none for "all others").
#[derive(Debug, Deserialize)]
pub struct EndForm {
    #[serde(default)]
    label: String,
}

/// `GET /+account/sessions`
pub async fn show(
    me: SignedIn,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    render(&state, lang, &session, &me, Banner::notice(None)).await
}

/// The sessions page of `view`, with what `banner` says.
pub async fn render(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    view: &AccountView,
    banner: Banner,
) -> Result<HttpResponse, WebError> {
    let this = session.label()?;
    let now = state.ctx.clock.now();
    let sessions: Vec<serde_json::Value> = list_sessions(&state.ctx, &view.person.id)
        .await?
        .iter()
        .map(|s| {
            listed(
                lang.lang,
                s,
                s.info.label.as_deref() == Some(this.as_str()),
                now,
            )
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("csrf_token", &session.csrf_token()?);
    ctx.insert("sessions", &sessions);
    let template = "account/sessions.html";
    Ok(render_section(
        state,
        lang,
        Section::Sessions,
        template,
        ctx,
        banner,
    ))
}

/// One session as the page lists it.
fn listed(l: Lang, s: &SessionSummary, current: bool, now: i64) -> serde_json::Value {
    serde_json::json!({
        "label": s.info.label,
        "device": device_name(l, s.info.device.as_deref().unwrap_or("")),
        "user_agent": s.info.device,
        "address": s.info.address,
        "signed_in": l.text_with("account-sessions-signed-in", &[("when", &time_ago(l, s.signed_in_at, now))]),
        "signed_in_at": format_time(s.signed_in_at),
        "signed_in_exact": date_time(l, s.signed_in_at),
        "current": current,
    })
}

/// A browser as a person would name it: "Chrome on Linux", "Firefox", "A browser on Android".
pub fn device_name(l: Lang, user_agent: &str) -> String {
    let name = BrowserName::of(user_agent);
    match (name.browser, name.system) {
        (Some(browser), Some(system)) => l.text_with(
            "sessions-device",
            &[("browser", &browser), ("system", &system)],
        ),
        (Some(browser), None) => browser,
        (None, Some(system)) => {
            l.text_with("sessions-device-unknown-browser", &[("system", &system)])
        }
        (None, None) => l.text("sessions-device-unknown"),
    }
}

/// `POST /+account/sessions/end`: ending this browser's own session is a logout.
pub async fn end(
    me: SignedIn,
    form: CsrfForm<EndForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let person = &me.person.id;
    if form.label == session.label()? {
        record_sign_out(&state.ctx, person, &origin(&req), "").await?;
        session.sign_out();
        return Ok(see_other("/+login"));
    }
    if end_session(&state.ctx, person, &form.label).await? {
        record_sign_out(&state.ctx, person, &origin(&req), "another session").await?;
        return Ok(see_other(PAGE));
    }
    let error = lang.lang.text("account-sessions-unknown");
    let banner = Banner::error(StatusCode::NOT_FOUND, error);
    render(&state, lang, &session, &me, banner).await
}

/// `POST /+account/sessions/end-others`
pub async fn end_others(
    me: SignedIn,
    _form: CsrfForm<EndForm>,
    state: web::Data<AppState>,
    req: HttpRequest,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let this = session.label()?;
    let ended = end_other_sessions(&state.ctx, &me.person.id, &this).await?;
    if ended > 0 {
        let detail = format!("{ended} other sessions");
        record_sign_out(&state.ctx, &me.person.id, &origin(&req), &detail).await?;
    }
    Ok(see_other(PAGE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_are_named_in_the_pages_language() {
        let (en, de) = (Lang::default_lang(), Lang::from_tag("de").expect("German"));
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
                      Chrome/131.0.0.0 Safari/537.36";
        assert_eq!(device_name(en, chrome), "Chrome on Linux");
        assert_eq!(device_name(de, chrome), "Chrome auf Linux");
        assert_eq!(device_name(en, "<laptop>"), "Unknown browser");
        assert_eq!(device_name(de, ""), "Unbekannter Browser");
    }
}
