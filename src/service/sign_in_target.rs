//! What the pages on the way to a sign-in know of the request they lead to, from their local
//! `next` target (`/authorize?…`, `/+openid?…` or `/auth.cgi?…`): where the browser ends up, which lets the
//! page's form go there, and which application asked, which the page names.

use super::Context;
use super::delegation::requesting_app;
use super::oidc::authorize::{self, CheckError};
use super::openid::assertion::destination_of;
use crate::domain::application::{Application, host_of};
use crate::domain::redirect::local_next;

/// The request behind a page's `next` target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignInTarget {
    /// The verified address the browser ends up at, when it is another site's.
    pub destination: Option<String>,
    /// The application that asked, when the request is one it can be answered for.
    pub application: Option<Application>,
}

/// Reads the request behind `next`. A target that is not local, names an unknown client or an
/// unregistered redirect URI, or is no request at all gives an empty `SignInTarget`; only a
/// storage failure is an error.
pub async fn of(ctx: &Context, next: Option<&str>) -> Result<SignInTarget, CheckError> {
    let Some(next) = next.and_then(local_next) else {
        return Ok(SignInTarget::default());
    };
    if let Some(checked) = authorize::behind(ctx, next).await? {
        let destination = authorize::destination(&checked).map(str::to_owned);
        // Only a request that will be carried out is named: a refusal sent back to the
        // client is no sign-in to continue to.
        let application = checked
            .ok()
            .and_then(|valid| Application::new(&valid.client.name, &valid.request.redirect_uri));
        return Ok(SignInTarget {
            destination,
            application,
        });
    }
    if let Some(return_to) = destination_of(ctx, next) {
        // An OpenID 2.0 relying party is named by the host it returns to.
        let application = host_of(&return_to).and_then(|host| Application::new(&host, &return_to));
        return Ok(SignInTarget {
            destination: Some(return_to),
            application,
        });
    }
    Ok(SignInTarget {
        destination: None,
        application: requesting_app(ctx, next),
    })
}
