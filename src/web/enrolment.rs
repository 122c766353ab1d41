//! The team policy (`login.require_second_factor_for_teams`) on the web: a signed-in member of a
//! listed team who has no second factor is sent to the security page from every other
//! signed-in page (`SignedIn`) and from `/authorize`; the security page says why and, once a
//! factor is added, leads back to the sign-in request that was waiting.

use actix_web::{HttpMessage, HttpRequest, HttpResponse};

use super::AppState;
use super::error::{ENROL_PAGE, WebError};
use super::forms::see_other;
use super::lang::RequestLang;
use super::session::TypedSession;
use crate::domain::PersonId;
use crate::domain::redirect::local_next;
use crate::i18n::Arg;
use crate::service::factor_policy::{self, Enrolment};
use crate::service::oidc::consent::{NextStep, SignInReason, SignedInPerson};

/// Whether a path stays open to a person who must enrol: the security page, and its forms and
/// ceremonies, which all live below it.
pub fn open_while_enrolling(path: &str) -> bool {
    path == "/+account/security" || path.starts_with("/+account/security/")
}

/// The answer for this request, once looked up.
#[derive(Debug, Clone, Copy)]
struct Checked(bool);

/// Whether the person signed in to `req` must enrol before this request goes on; looked up
/// once per request, never kept across requests.
pub async fn must_enrol(
    state: &AppState,
    req: &HttpRequest,
    person: &PersonId,
) -> Result<bool, WebError> {
    if open_while_enrolling(req.path()) {
        return Ok(false);
    }
    if let Some(Checked(due)) = req.extensions().get::<Checked>().copied() {
        return Ok(due);
    }
    let due = factor_policy::enrolment(&state.ctx, person).await?.is_due();
    req.extensions_mut().insert(Checked(due));
    Ok(due)
}

/// Whether a signed-in person (if any) must enrol before a sign-in request goes on. The
/// request is then decided as if nobody were signed in, so that nothing is issued or held
/// for them, and `instead_of_sign_in` turns the login form into the enrolment page.
pub async fn holds_back(
    state: &AppState,
    person: Option<&SignedInPerson>,
) -> Result<bool, WebError> {
    Ok(match person {
        Some(person) => factor_policy::enrolment(&state.ctx, &person.account.person.id)
            .await?
            .is_due(),
        None => false,
    })
}

/// For a person held back: the enrolment page instead of the login form, with the request
/// remembered so the security page can lead back to it. Any other step stands: a refusal (an
/// invalid request, or `prompt=none`'s `login_required`), and `prompt=login`'s login form,
/// after which the request comes here again.
pub fn instead_of_sign_in(
    session: &TypedSession,
    step: &NextStep,
) -> Result<Option<HttpResponse>, WebError> {
    match step {
        NextStep::SignIn {
            reason: SignInReason::NotSignedIn,
            next,
            ..
        } => {
            session.set_pending_next(next)?;
            Ok(Some(see_other(ENROL_PAGE)))
        }
        _ => Ok(None),
    }
}

/// Adds the policy's part to the security page: why the person must enrol, or, once they
/// have, the way back to the sign-in request that was waiting (shown once).
pub async fn add_to_page(
    state: &AppState,
    lang: RequestLang,
    session: &TypedSession,
    person: &PersonId,
    ctx: &mut tera::Context,
) -> Result<(), WebError> {
    let l = lang.lang;
    let (required, resume) = match factor_policy::enrolment(&state.ctx, person).await? {
        Enrolment::Due(teams) => {
            let names: Vec<&str> = teams.iter().map(|t| t.as_str()).collect();
            let joined = names.join(", ");
            let count = i64::try_from(names.len()).unwrap_or(i64::MAX);
            let text = l.text_with_args(
                "enrol-required",
                &[("teams", Arg::Text(&joined)), ("count", Arg::Number(count))],
            );
            (Some(text), None)
        }
        Enrolment::Done(_) => {
            let next = session.take_pending_next();
            (
                None,
                next.as_deref().and_then(local_next).map(str::to_owned),
            )
        }
        Enrolment::NotRequired => (None, None),
    };
    ctx.insert("enrol_required", &required);
    ctx.insert("enrol_resume", &resume);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_security_page_and_what_lies_below_it_stay_open() {
        assert!(open_while_enrolling("/+account/security"));
        assert!(open_while_enrolling(
            "/+account/security/passkeys/register/begin"
        ));
        assert!(!open_while_enrolling("/+account"));
        assert!(!open_while_enrolling("/+account/security-settings"));
        assert!(!open_while_enrolling("/+account/api-keys"));
    }
}
