//! `SignedIn`: the extractor for pages and forms of a signed-in person. The active person
//! signed in to this session within the absolute session lifetime, or `WebError::SignInFirst`
//! (a redirect to the login form that comes back here); anything else ends the session. A
//! person who must first add a second factor gets `WebError::EnrolFirst` instead, except on the
//! security page (`enrolment`).

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::{FromRequest, HttpRequest, web};

use super::AppState;
use super::enrolment::must_enrol;
use super::error::WebError;
use super::session::TypedSession;
use crate::service::account::{self, AccountView};

/// The signed-in person's account.
#[derive(Debug)]
pub struct SignedIn(pub AccountView);

impl SignedIn {
    /// The account.
    pub fn into_inner(self) -> AccountView {
        self.0
    }
}

impl std::ops::Deref for SignedIn {
    type Target = AccountView;
    fn deref(&self) -> &AccountView {
        &self.0
    }
}

impl FromRequest for SignedIn {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| WebError::Internal("the application state is missing".into()))?;
            let session = TypedSession::of(&req);
            let Some(view) = current_person(state, &session).await? else {
                return Err(WebError::SignInFirst {
                    next: come_back_to(&req),
                });
            };
            if must_enrol(state, &req, &view.person.id).await? {
                return Err(WebError::EnrolFirst);
            }
            Ok(Self(view))
        })
    }
}

/// The signed-in person's account, or `None` (and the session ended) when nobody is signed in,
/// the session outlived its absolute lifetime, signed in before the person's sessions were last
/// ended (a password change or reset), or the person is no longer active.
pub async fn current_person(
    state: &AppState,
    session: &TypedSession,
) -> Result<Option<AccountView>, account::AccountError> {
    let Some(id) = session.person_id() else {
        return Ok(None);
    };
    let Some(login_at) = session.login_at() else {
        session.sign_out();
        return Ok(None);
    };
    let view = account::signed_in_view(&state.ctx, &id, login_at).await?;
    if view.is_none() {
        session.sign_out();
    }
    Ok(view)
}

/// Where the login form leads back to: the page itself, or for a form the page that shows it.
fn come_back_to(req: &HttpRequest) -> String {
    if matches!(*req.method(), Method::GET | Method::HEAD) {
        return match req.query_string() {
            "" => req.path().to_owned(),
            query => format!("{}?{query}", req.path()),
        };
    }
    page_of_form(req.path()).to_owned()
}

/// The page that holds the form posted to `path`.
fn page_of_form(path: &str) -> &str {
    const FORMS: [(&str, &str); 7] = [
        ("/+account/api-keys", "/+account/api-keys"),
        ("/+account/security", "/+account/security"),
        ("/+account/password", "/+account/security"),
        ("/+account/deactivate", "/+account/security"),
        ("/+account/sessions", "/+account/sessions"),
        ("/+account/apps", "/+account/apps"),
        ("/+account", "/+account"),
    ];
    FORMS
        .into_iter()
        .find(|(form, _)| path.starts_with(form))
        .map_or(path, |(_, page)| page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_of_the_account_area_comes_back_to_its_page() {
        assert_eq!(page_of_form("/+account/password"), "/+account/security");
        assert_eq!(page_of_form("/+account/sessions/end"), "/+account/sessions");
        assert_eq!(page_of_form("/+account/apps/revoke"), "/+account/apps");
        assert_eq!(page_of_form("/+account/name"), "/+account");
        assert_eq!(
            page_of_form("/+account/api-keys/x/revoke"),
            "/+account/api-keys"
        );
        assert_eq!(page_of_form("/auth.cgi"), "/auth.cgi");
    }
}
