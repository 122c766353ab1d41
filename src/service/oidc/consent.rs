//! The authorization endpoint's decision: what comes next for a relying party's request (a
//! code straight back, the login form, the consent page, or a refusal) and for the person's
//! answer on the consent page. The policy lives here: a trusted client or a remembered consent
//! skips the page, `prompt=none|login|consent` and `max_age` are honoured, and a request that
//! needs two factors steps a password-only sign-in up (`step_up`).

use super::authorize::{AuthorizeParams, CheckError, ValidRequest, check};
use super::issue::{IssueError, issue_code};
use super::pending;
use super::step_up::{Requirement, requirement};
use crate::db::DbError;
use crate::db::consents::{find_consent, save_consent};
use crate::domain::authorization_request::AuthorizeError;
use crate::domain::grant::SignInProof;
use crate::domain::scope::Scopes;
use crate::domain::second_factor::AuthMethods;
use crate::domain::{AuditCode, PersonId, PlainToken};
use crate::service::account::AccountView;
use crate::service::second_step::PendingSignIn;
use crate::service::{Context, Origin, audit};

/// The person signed in to this browser, when and how they signed in.
#[derive(Debug, Clone)]
pub struct SignedInPerson {
    /// Their account.
    pub account: AccountView,
    /// When they authenticated (unix time): what `max_age` is measured against.
    pub auth_time: i64,
    /// How they proved who they are (a second step included).
    pub methods: AuthMethods,
}

impl SignedInPerson {
    fn id(&self) -> &PersonId {
        &self.account.person.id
    }

    fn proof(&self) -> SignInProof {
        SignInProof::of(&self.methods)
    }
}

/// What happens next.
#[derive(Debug)]
pub enum NextStep {
    /// A code was issued: the browser goes back to the client with it.
    IssueCode {
        /// The client's redirect URI with the code.
        redirect: String,
    },
    /// The person signs in first, then comes back to the request.
    SignIn {
        /// Why.
        reason: SignInReason,
        /// The local `/authorize?…` address to come back to, which does not ask for a login
        /// again.
        next: String,
        /// The address the relying party suggested (`login_hint`).
        login_hint: Option<String>,
    },
    /// The signed-in person proves a second factor first (the request needs two factors),
    /// then comes back to the request: this second step begins.
    StepUp(Box<PendingSignIn>),
    /// The person is asked on the consent page; the request is held for the answer.
    AskConsent(Box<ConsentPrompt>),
    /// The request is refused.
    Refuse(Refusal),
}

/// Why the person must sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInReason {
    /// Nobody is signed in.
    NotSignedIn,
    /// `prompt=login` (or `max_age=0`) asks for a new login.
    PromptLogin,
    /// The last login is older than `max_age`.
    MaxAgeExceeded,
}

/// What the consent page shows and carries.
#[derive(Debug)]
pub struct ConsentPrompt {
    /// The handle of the held request, which the answer names.
    pub handle: PlainToken,
    /// The client's name.
    pub client_name: String,
    /// The signed-in person's name.
    pub person_name: String,
    /// What would be shared.
    pub scopes: Scopes,
    /// The request's parameters (for the language switch).
    pub params: AuthorizeParams,
    /// Where "not you?" comes back to after signing in as someone else.
    pub next: String,
    /// The verified redirect URI both answers end at.
    pub redirect_uri: String,
}

/// How a request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The error goes back to the client: the redirect that carries it.
    Redirect(String),
    /// The error page says why: the client or redirect URI cannot be trusted with an answer.
    Page(String),
    /// The consent answer names no request waiting for it: answered already, expired, or
    /// unknown.
    Finished,
}

/// Why no next step could be decided.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// The request could not be checked.
    #[error(transparent)]
    Check(#[from] CheckError),
    /// A code or a consent handle could not be issued.
    #[error(transparent)]
    Issue(#[from] IssueError),
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

/// A relying party's request (its parameters as name/value pairs, from the query or a form):
/// a code straight back, the login form, the consent page, or a refusal.
pub async fn next_step(
    ctx: &Context,
    pairs: &[(String, String)],
    signed_in: Option<&SignedInPerson>,
    origin: &Origin,
) -> Result<NextStep, StepError> {
    let params =
        match AuthorizeParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
            Ok(params) => params,
            Err(repeated) => return Ok(NextStep::Refuse(Refusal::Page(repeated.to_string()))),
        };
    let valid = match check(ctx.db.pool(), params).await? {
        Ok(valid) => valid,
        Err(refused) => return Ok(refusal(ctx, refused)),
    };
    let request = &valid.request;
    if request.prompt.login {
        // Authenticate again, then come back without prompt=login. The current session lives
        // on until a new login replaces it: a link to this page from anywhere must not be
        // able to sign the person out.
        return Ok(sign_in(&valid, SignInReason::PromptLogin));
    }
    let now = ctx.clock.now();
    // max_age=0 is never satisfied by an earlier login, even one in the same second.
    let too_old = |person: &SignedInPerson| {
        request
            .max_age
            .is_some_and(|max| max == 0 || now - person.auth_time > max)
    };
    let person = match signed_in {
        Some(person) if !too_old(person) => person,
        _ if request.prompt.none => {
            let refused = request.refusal("login_required", "the person is not signed in");
            return Ok(NextStep::Refuse(Refusal::Redirect(
                refused.location(&ctx.public_url),
            )));
        }
        // Too old: the login form replaces the session only once the person signs in again.
        Some(_) => return Ok(sign_in(&valid, SignInReason::MaxAgeExceeded)),
        None => return Ok(sign_in(&valid, SignInReason::NotSignedIn)),
    };
    if let Some(step) = unmet(ctx, &valid, person, origin).await? {
        return Ok(step);
    }
    let remembered = find_consent(ctx.db.pool(), person.id(), &valid.client.client_id)
        .await?
        .is_some_and(|granted| request.scopes.is_subset_of(&granted));
    if valid.client.trusted || (remembered && !request.prompt.consent) {
        let redirect = issue_code(
            ctx,
            ctx.db.pool(),
            &valid,
            person.id(),
            person.auth_time,
            &person.proof(),
        )
        .await?;
        return Ok(NextStep::IssueCode { redirect });
    }
    if request.prompt.none {
        let refused = request.refusal("consent_required", "the person has not consented");
        return Ok(NextStep::Refuse(Refusal::Redirect(
            refused.location(&ctx.public_url),
        )));
    }
    let handle = pending::hold(ctx, &valid.params, person.id()).await?;
    Ok(NextStep::AskConsent(Box::new(ConsentPrompt {
        handle,
        client_name: valid.client.name.clone(),
        person_name: person.account.person.display_name.as_str().to_owned(),
        scopes: request.scopes.clone(),
        next: come_back_to(&valid.params),
        redirect_uri: request.redirect_uri.clone(),
        params: valid.params,
    })))
}

/// The person's answer on the consent page (`allow` or not) to the request held under
/// `handle`: a code or `access_denied` back to the client, for a request still waiting for this
/// person; anything else changes nothing. Taking the answer, remembering the consent and
/// issuing the code are one transaction: all happen, or none.
pub async fn answer(
    ctx: &Context,
    handle: &str,
    signed_in: Option<&SignedInPerson>,
    allow: bool,
    origin: &Origin,
) -> Result<NextStep, StepError> {
    let Some(person) = signed_in else {
        // Signed out meanwhile: sign in, then the request is asked again.
        let Some(params) = pending::waiting(ctx, handle).await? else {
            return Ok(NextStep::Refuse(Refusal::Finished));
        };
        return Ok(match check(ctx.db.pool(), params).await? {
            Ok(valid) => sign_in(&valid, SignInReason::NotSignedIn),
            Err(refused) => refusal(ctx, refused),
        });
    };
    if allow && let Some(step) = too_weak_to_answer(ctx, handle, person, origin).await? {
        return Ok(step);
    }
    let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
    let Some(params) = pending::answer(&mut *tx, handle, person.id(), ctx.clock.now()).await?
    else {
        return Ok(NextStep::Refuse(Refusal::Finished));
    };
    let step = match check(&mut *tx, params).await? {
        Err(refused) => refusal(ctx, refused),
        Ok(valid) if !allow => {
            let refused = valid
                .request
                .refusal("access_denied", "the person denied the request");
            NextStep::Refuse(Refusal::Redirect(refused.location(&ctx.public_url)))
        }
        Ok(valid) => {
            save_consent(
                &mut *tx,
                person.id(),
                &valid.client.client_id,
                &valid.request.scopes,
                ctx.clock.now(),
            )
            .await?;
            let detail = format!(
                "client {} ({}): {}",
                valid.client.client_id, valid.client.name, valid.request.scopes
            );
            let (now, code) = (ctx.clock.now(), AuditCode::ConsentGranted);
            audit::record(&mut *tx, now, code, Some(person.id()), origin, &detail).await?;
            let redirect = issue_code(
                ctx,
                &mut *tx,
                &valid,
                person.id(),
                person.auth_time,
                &person.proof(),
            )
            .await?;
            NextStep::IssueCode { redirect }
        }
    };
    tx.commit().await.map_err(DbError::from)?;
    Ok(step)
}

/// The step a request needs before this sign-in may answer it (a step-up, or the refusal that
/// says it cannot be met), if any.
async fn unmet(
    ctx: &Context,
    valid: &ValidRequest,
    person: &SignedInPerson,
    origin: &Origin,
) -> Result<Option<NextStep>, StepError> {
    let next = come_back_to(&valid.params);
    let needed = requirement(ctx, valid, &person.account, &person.methods, &next, origin).await?;
    Ok(match needed {
        Requirement::Met => None,
        Requirement::StepUp(pending) => Some(NextStep::StepUp(pending)),
        Requirement::Refuse(refused) => Some(NextStep::Refuse(Refusal::Redirect(
            refused.location(&ctx.public_url),
        ))),
    })
}

/// For a request waiting under `handle` that this sign-in can no longer answer (it changed
/// since the consent page was shown), the step it needs instead; the request is left to expire.
/// Checked before the answer's transaction, which holds the database's write lock on SQLite.
async fn too_weak_to_answer(
    ctx: &Context,
    handle: &str,
    person: &SignedInPerson,
    origin: &Origin,
) -> Result<Option<NextStep>, StepError> {
    let Some(params) = pending::waiting(ctx, handle).await? else {
        return Ok(None);
    };
    match check(ctx.db.pool(), params).await? {
        Ok(valid) => unmet(ctx, &valid, person, origin).await,
        Err(_) => Ok(None),
    }
}

/// `/authorize?…` for a request, without what asks for a login again: where to come back to
/// after signing in.
fn come_back_to(params: &AuthorizeParams) -> String {
    format!("/authorize?{}", params.after_login().to_query())
}

fn sign_in(valid: &ValidRequest, reason: SignInReason) -> NextStep {
    NextStep::SignIn {
        reason,
        next: come_back_to(&valid.params),
        login_hint: valid.request.login_hint.clone(),
    }
}

fn refusal(ctx: &Context, refused: AuthorizeError) -> NextStep {
    NextStep::Refuse(match refused {
        AuthorizeError::Page(text) => Refusal::Page(text),
        AuthorizeError::Redirect(to_client) => {
            Refusal::Redirect(to_client.location(&ctx.public_url))
        }
    })
}
