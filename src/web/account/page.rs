//! `GET /+account`, and the account page every form of the area answers with when it refuses:
//! the person's name and addresses, the applications they consented to, and where they are
//! signed in.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::clock::format_time;
use crate::i18n::Lang;
use crate::service::account::{AccountView, applications};
use crate::service::sessions::list_sessions;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::signed_in::SignedIn;

/// `?changed=1` after a password change.
#[derive(Debug, Deserialize)]
pub struct AccountQuery {
    changed: Option<String>,
}

/// What the page says above the account, and its status.
#[derive(Debug)]
pub struct Banner {
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
}

impl Banner {
    /// 200, with a notice when there is one.
    pub fn notice(notice: Option<String>) -> Self {
        Self {
            status: StatusCode::OK,
            notice,
            error: None,
        }
    }

    /// Its status, notice and error.
    pub fn parts(self) -> (StatusCode, Option<String>, Option<String>) {
        (self.status, self.notice, self.error)
    }

    /// A refusal: its status and message.
    pub fn error(status: StatusCode, error: String) -> Self {
        Self {
            status,
            notice: None,
            error: Some(error),
        }
    }
}

/// `GET /+account`
pub async fn show(
    me: SignedIn,
    query: web::Query<AccountQuery>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let notice = query
        .changed
        .as_ref()
        .map(|_| lang.lang.text("account-password-changed"));
    render(&state, lang, &session, &me, Banner::notice(notice)).await
}

/// The account page of `view`, with what `banner` says.
pub async fn render(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    view: &AccountView,
    banner: Banner,
) -> Result<HttpResponse, WebError> {
    let l = lang.lang;
    let mut ctx = tera::Context::new();
    ctx.insert("sessions", &listed_sessions(state, session, view).await?);
    ctx.insert("apps", &listed_apps(state, l, view).await?);
    ctx.insert("csrf_token", &session.csrf_token()?);
    ctx.insert("display_name", view.person.display_name.as_str());
    super::emails::add_to_page(state, lang, session, view, &mut ctx).await?;
    ctx.insert("notice", &banner.notice);
    ctx.insert("error", &banner.error);
    Ok(state.page(lang, banner.status, "account/index.html", ctx))
}

/// The applications the person consented to, with what each was given.
async fn listed_apps(
    state: &AppState,
    l: Lang,
    view: &AccountView,
) -> Result<Vec<serde_json::Value>, WebError> {
    let apps = applications(&state.ctx, &view.person.id).await?;
    Ok(apps
        .iter()
        .map(|a| {
            let shared: Vec<String> = a
                .scopes
                .iter()
                .map(|s| l.text(&format!("consent-scope-{s}")))
                .collect();
            serde_json::json!({
                "client_id": a.client_id,
                "name": a.client_name,
                "shared": shared.join(", "),
            })
        })
        .collect())
}

/// The person's sessions, this one marked.
async fn listed_sessions(
    state: &AppState,
    session: &TypedSession,
    view: &AccountView,
) -> Result<Vec<serde_json::Value>, WebError> {
    let this = session.label()?;
    let list = list_sessions(&state.ctx, &view.person.id).await?;
    Ok(list
        .iter()
        .map(|s| {
            serde_json::json!({
                "label": s.info.label,
                "device": s.info.device,
                "address": s.info.address,
                "signed_in": format_time(s.signed_in_at),
                "last_seen": format_time(s.last_seen_at),
                "current": s.info.label.as_deref() == Some(this.as_str()),
            })
        })
        .collect())
}
