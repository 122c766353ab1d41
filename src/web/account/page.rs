//! The pages of the account area in their shared layout (`account/layout.html`: the navigation
//! and what the page says above its forms), and the first of them, `GET /+account`: the
//! profile (the person's name with its form, and their addresses), which the profile's forms
//! answer with when they refuse.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::service::account::AccountView;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;
use crate::web::signed_in::SignedIn;

/// A page of the account area: which entry of the navigation is current, and its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `/+account`
    Profile,
    /// `/+account/security`
    Security,
    /// `/+account/sessions`
    Sessions,
    /// `/+account/apps`
    Apps,
    /// `/+account/api-keys`
    ApiKeys,
}

impl Section {
    /// The name the layout compares (`section`).
    fn name(self) -> &'static str {
        match self {
            Self::Profile => "profile",
            Self::Security => "security",
            Self::Sessions => "sessions",
            Self::Apps => "apps",
            Self::ApiKeys => "api-keys",
        }
    }

    /// The locale key of the page's title.
    fn title(self) -> &'static str {
        match self {
            Self::Profile => "profile-title",
            Self::Security => "security-page-title",
            Self::Sessions => "sessions-title",
            Self::Apps => "apps-title",
            Self::ApiKeys => "api-keys-title",
        }
    }
}

/// What a page says above or beside its forms, and its status. A refusal belongs either to the
/// page (shown under its title) or to one form (`error_for`: shown in that form's card).
#[derive(Debug)]
pub struct Banner {
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
    form: Option<&'static str>,
}

impl Banner {
    /// 200, with a notice when there is one.
    pub fn notice(notice: Option<String>) -> Self {
        Self {
            status: StatusCode::OK,
            notice,
            error: None,
            form: None,
        }
    }

    /// A refusal of the page: its status and message.
    pub fn error(status: StatusCode, error: String) -> Self {
        Self {
            status,
            notice: None,
            error: Some(error),
            form: None,
        }
    }

    /// A refusal shown in the card of one form (`password`, `deactivate`, `name`, …).
    pub fn form_error(form: &'static str, status: StatusCode, error: String) -> Self {
        Self {
            form: Some(form),
            ..Self::error(status, error)
        }
    }

    /// Adds `notice`, `error` and `error_for` to a page's context; returns its status.
    pub fn into_context(self, ctx: &mut tera::Context) -> StatusCode {
        ctx.insert("notice", &self.notice);
        ctx.insert("error", &self.error);
        ctx.insert("error_for", &self.form);
        self.status
    }
}

/// Renders `template` (which extends `account/layout.html`) as the page `section`.
pub fn render_section(
    state: &AppState,
    lang: RequestLang,
    section: Section,
    template: &str,
    mut ctx: tera::Context,
    banner: Banner,
) -> HttpResponse {
    ctx.insert("section", section.name());
    ctx.insert("page_title", &lang.lang.text(section.title()));
    let status = banner.into_context(&mut ctx);
    state.page(lang, status, template, ctx)
}

/// `?done=name` after the name was changed.
#[derive(Debug, Deserialize)]
pub struct ProfileQuery {
    done: Option<String>,
}

/// `GET /+account`
pub async fn show(
    me: SignedIn,
    query: web::Query<ProfileQuery>,
    state: web::Data<AppState>,
    lang: RequestLang,
    session: TypedSession,
) -> Result<HttpResponse, WebError> {
    let notice =
        (query.done.as_deref() == Some("name")).then(|| lang.lang.text("profile-done-name"));
    render(&state, lang, &session, &me, Banner::notice(notice)).await
}

/// The profile page of `view`, with what `banner` says.
pub async fn render(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    view: &AccountView,
    banner: Banner,
) -> Result<HttpResponse, WebError> {
    render_with_name(state, lang, session, view, None, banner).await
}

/// The profile page with `typed` in the name field (a refused name stays to be corrected).
pub async fn render_with_name(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    view: &AccountView,
    typed: Option<&str>,
    banner: Banner,
) -> Result<HttpResponse, WebError> {
    let mut ctx = tera::Context::new();
    ctx.insert("csrf_token", &session.csrf_token()?);
    let name = view.person.display_name.as_str();
    ctx.insert("display_name", name);
    ctx.insert("name_value", typed.unwrap_or(name));
    super::emails::add_to_page(state, lang, session, view, &mut ctx).await?;
    let template = "account/index.html";
    Ok(render_section(
        state,
        lang,
        Section::Profile,
        template,
        ctx,
        banner,
    ))
}
