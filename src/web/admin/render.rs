//! Rendering a console page: the console's layout, its section, a notice, the CSRF token.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;

use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::lang::RequestLang;
use crate::web::session::TypedSession;

/// The console's sections, as its navigation names them.
#[derive(Debug, Clone, Copy)]
pub enum Section {
    /// People search and a person's page.
    People,
    /// Teams, their members and addresses.
    Teams,
    /// The relying parties.
    Clients,
    /// The audit trail.
    Audit,
}

impl Section {
    fn name(self) -> &'static str {
        match self {
            Self::People => "people",
            Self::Teams => "teams",
            Self::Clients => "clients",
            Self::Audit => "audit",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Self::People => "admin-nav-people",
            Self::Teams => "admin-nav-teams",
            Self::Clients => "admin-nav-clients",
            Self::Audit => "admin-nav-audit",
        }
    }
}

/// Renders `template` (which extends `admin/layout.html`) as the page `section`, with a
/// notice (a locale key) when there is one.
pub fn render(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    section: Section,
    template: &str,
    mut ctx: tera::Context,
    notice: Option<&str>,
) -> Result<HttpResponse, WebError> {
    ctx.insert("csrf_token", &session.csrf_token()?);
    ctx.insert("section", section.name());
    ctx.insert("page_title", &lang.lang.text(section.title()));
    ctx.insert("notice", &notice.map(|key| lang.lang.text(key)));
    Ok(state.page(lang, StatusCode::OK, template, ctx))
}
