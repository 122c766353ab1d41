//! `CurrentPerson`: the active person signed in to this session, within the absolute session
//! lifetime. Anything else ends the session.

use actix_web::web;

use super::AppState;
use super::session::TypedSession;
use crate::db::DbError;
use crate::service::account::{self, AccountView};

/// The signed-in person's account, or `None` (and the session ended) when nobody is signed in,
/// the session outlived its absolute lifetime, or the person is no longer active.
pub async fn current_person(
    state: &web::Data<AppState>,
    session: &TypedSession,
) -> Result<Option<AccountView>, DbError> {
    let Some(id) = session.person_id() else {
        return Ok(None);
    };
    let absolute =
        i64::try_from(state.ctx.lifetimes.session_absolute.as_secs()).unwrap_or(i64::MAX);
    let fresh = session
        .login_at()
        .is_some_and(|t| state.ctx.clock.now() < t.saturating_add(absolute));
    let view = if fresh {
        account::load(&state.ctx, &id).await?
    } else {
        None
    };
    if view.is_none() {
        session.sign_out();
    }
    Ok(view)
}
