//! Requests that only a two-factor sign-in may answer (`acr_values` asking for the multi-factor
//! class, or a client registered `--require-second-factor`), when the person signed in with
//! less: a step-up to the second-step page, or the error that says the requirement cannot be
//! met.

use super::authorize::{AuthorizeParams, CheckError, ValidRequest, check};
use crate::db::DbError;
use crate::domain::AuditCode;
use crate::domain::client_redirect::ClientError;
use crate::domain::second_factor::AuthMethods;
use crate::service::account::AccountView;
use crate::service::second_step::{self, PendingSignIn, Purpose};
use crate::service::{Context, Origin, audit};

/// OpenID Connect Core Unmet Authentication Requirements 1.0: the authorization server cannot
/// authenticate the person as the request requires.
pub const UNMET_AUTHENTICATION_REQUIREMENTS: &str = "unmet_authentication_requirements";

/// What a request's need for two factors asks of the signed-in person.
#[derive(Debug)]
pub enum Requirement {
    /// The sign-in is strong enough (or nothing more was asked for).
    Met,
    /// The person proves a second factor on the second-step page, then the request resumes.
    StepUp(Box<PendingSignIn>),
    /// The request is refused at the client's redirect URI.
    Refuse(ClientError),
}

/// Whether `methods` answer the request, and if not, what comes next. `next` is the request to
/// come back to once the second step succeeds.
pub async fn requirement(
    ctx: &Context,
    valid: &ValidRequest,
    account: &AccountView,
    methods: &AuthMethods,
    next: &str,
    origin: &Origin,
) -> Result<Requirement, DbError> {
    let request = &valid.request;
    if request.is_met_by(methods) {
        return Ok(Requirement::Met);
    }
    let person = &account.person.id;
    let email = match account.login_email() {
        Some(email) if second_step::required(ctx, person).await? => email,
        // No second factor to step up with, and none can be enrolled in the middle of this
        // sign-in: the requirement cannot be met, and the relying party hears so at once.
        // `login_required` or `interaction_required` would only send the person round the
        // same loop: signing in again gives the same single factor.
        _ => {
            return Ok(Requirement::Refuse(request.refusal(
                UNMET_AUTHENTICATION_REQUIREMENTS,
                "the person has no second factor to sign in with",
            )));
        }
    };
    if request.prompt.none {
        // A second factor would do, but the request forbids showing the page that asks for it.
        return Ok(Requirement::Refuse(request.refusal(
            "interaction_required",
            "the person must complete a second step",
        )));
    }
    let now = ctx.clock.now();
    let pending = PendingSignIn::new(person, email, methods, now, Some(next), Purpose::StepUp);
    audit::record(
        ctx.db.pool(),
        now,
        AuditCode::SecondStepStarted,
        Some(person),
        origin,
        &format!(
            "{} (step-up for {})",
            email.as_str(),
            valid.client.client_id
        ),
    )
    .await?;
    Ok(Requirement::StepUp(Box::new(pending)))
}

/// Where the relying party hears that the person cancelled the second step a request asked
/// for (`access_denied`, with its `state` and `iss`): the location, or `None` when `pairs` are
/// no longer a valid request (then there is nobody to tell).
pub async fn cancelled(
    ctx: &Context,
    pairs: &[(String, String)],
) -> Result<Option<String>, CheckError> {
    let Ok(params) =
        AuthorizeParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    else {
        return Ok(None);
    };
    Ok(match check(ctx.db.pool(), params).await? {
        Ok(valid) => Some(
            valid
                .request
                .refusal("access_denied", "the person cancelled the second step")
                .location(&ctx.public_url),
        ),
        Err(_) => None,
    })
}
