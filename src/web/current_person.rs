//! `CurrentPerson`: the active person signed in to this session, within the absolute session
//! lifetime. Anything else ends the session.

use actix_web::web;

use super::AppState;
use super::session::TypedSession;
use crate::db::DbError;
use crate::service::account::{self, AccountView};

/// The signed-in person's account, or `None` (and the session ended) when nobody is signed in,
/// the session outlived its absolute lifetime, signed in before the person's sessions were last
/// ended (a password change or reset), or the person is no longer active.
pub async fn current_person(
    state: &web::Data<AppState>,
    session: &TypedSession,
) -> Result<Option<AccountView>, DbError> {
    let Some(id) = session.person_id() else {
        return Ok(None);
    };
    let absolute =
        i64::try_from(state.ctx.lifetimes.session_absolute.as_secs()).unwrap_or(i64::MAX);
    let Some(login_at) = session.login_at() else {
        session.sign_out();
        return Ok(None);
    };
    let view = if state.ctx.clock.now() < login_at.saturating_add(absolute) {
        account::load(&state.ctx, &id)
            .await?
            .filter(|view| login_at >= view.person.sessions_not_before)
    } else {
        None
    };
    if view.is_none() {
        session.sign_out();
    }
    Ok(view)
}
