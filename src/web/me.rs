//! Who is signed in, for the header of every page. `remember_signed_in` (a middleware inside
//! the session middleware) reads the session once per request and, when it names a person who
//! is still signed in, looks up their name (one read by id); `add_to_page` then gives every
//! page rendered for that request `me_name`, and the session's `csrf_token` for the header's
//! Log out form. Pages rendered without a signed-in session get neither.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, web};

use super::AppState;
use super::session::TypedSession;
use crate::domain::PersonId;
use crate::service::account::signed_in_name;

/// The person a request's session signed in as.
struct Me {
    name: String,
    person: PersonId,
    session: TypedSession,
}

tokio::task_local! {
    // Set for the whole of a request by `remember_signed_in`; pages render synchronously
    // within it.
    static SIGNED_IN: Option<Me>;
}

/// Looks up who the request's session signed in as, for the pages the request renders.
pub async fn remember_signed_in(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let me = signed_in_as(&req).await;
    SIGNED_IN.scope(me, next.call(req)).await
}

async fn signed_in_as(req: &ServiceRequest) -> Option<Me> {
    // Static files are never pages; they need no lookup.
    if req.path().starts_with("/static/") {
        return None;
    }
    let state = req.app_data::<web::Data<AppState>>()?;
    let session = TypedSession::of(req.request());
    let person = session.person_id()?;
    let login_at = session.login_at()?;
    let name = signed_in_name(&state.ctx, &person, login_at)
        .await
        // The header is not worth failing a page for; the page's own checks still run.
        .inspect_err(|e| tracing::warn!(error = %e, "the signed-in name could not be read"))
        .ok()??;
    Some(Me {
        name: name.to_string(),
        person,
        session,
    })
}

/// Adds `me_name` (and `csrf_token`, unless the page has its own) to a page's context when the
/// request's session is signed in, and still signed in as the same person now that the handler
/// ran (a logout or deactivation shows no name).
pub fn add_to_page(ctx: &mut tera::Context) {
    let _ = SIGNED_IN.try_with(|me| {
        let Some(me) = me else {
            return;
        };
        if me.session.person_id().as_ref() != Some(&me.person) {
            return;
        }
        ctx.insert("me_name", &me.name);
        if !ctx.contains_key("csrf_token")
            && let Ok(token) = me.session.csrf_token()
        {
            ctx.insert("csrf_token", &token);
        }
    });
}
