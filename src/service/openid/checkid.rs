//! A relying party's `checkid_setup` or `checkid_immediate` request and the person's answer on
//! the decision page: a signed assertion straight back (an administrator trusts the realm, or
//! the person decided before), the login form, the decision page, `setup_needed`, a cancel, or
//! the error page when the request cannot be answered at its `return_to`.

use super::assertion::{approve, come_back_to};
use super::error::OpenIdError;
use super::rp_discovery::{RpDiscovery, discovery_policy, verify_return_to};
use super::{decisions, identity, pending, trust};
use crate::db::DbError;
use crate::domain::PlainToken;
use crate::domain::openid::extensions::{ExtensionRequests, SharedField};
use crate::domain::openid::request::{CheckidMode, CheckidRequest, Identity, indirect, negative};
use crate::service::oidc::consent::SignedInPerson;
use crate::service::{Context, Origin};

/// What happens next.
#[derive(Debug)]
pub enum OpenIdStep {
    /// The browser goes back to the relying party: an assertion, `setup_needed` or `cancel`.
    Return {
        /// `return_to` with the answer.
        location: String,
    },
    /// The person signs in first, then comes back to `next` (a local `/+openid?…`).
    SignIn {
        /// Where to come back to.
        next: String,
    },
    /// The person is asked on the decision page; the request is held for the answer.
    Decide(Box<DecisionAsk>),
    /// The request cannot be answered at its `return_to`: the error page says why.
    Refuse(String),
    /// The decision names no request waiting for it: answered already, expired, or unknown.
    Finished,
}

/// What the decision page shows and carries.
#[derive(Debug)]
pub struct DecisionAsk {
    /// The handle of the held request, which the answer names.
    pub handle: PlainToken,
    /// The realm, as the relying party named it.
    pub realm: String,
    /// The signed-in person's name.
    pub person_name: String,
    /// What would be shared, each with whether the relying party requires it.
    pub fields: Vec<(SharedField, bool)>,
    /// Where both answers end.
    pub return_to: String,
    /// Why the relying party could not be verified by discovery, when it could not.
    pub discovery_warning: Option<String>,
    /// Where "Not you?" comes back to after signing in as someone else.
    pub next: String,
}

/// A relying party's checkid request (its `openid.*` pairs): what comes next for it.
pub async fn next_step(
    ctx: &Context,
    pairs: &[(String, String)],
    signed_in: Option<&SignedInPerson>,
    origin: &Origin,
) -> Result<OpenIdStep, OpenIdError> {
    let request = match CheckidRequest::parse(pairs, &identity::identity_url(&ctx.public_url, "")) {
        Ok(request) => request,
        Err(refused) => return Ok(OpenIdStep::Refuse(refused.to_string())),
    };
    let immediate = request.mode == CheckidMode::Immediate;
    let setup_needed = OpenIdStep::Return {
        location: indirect(&request.return_to, &negative("setup_needed")),
    };
    let extensions = ExtensionRequests::parse(pairs);
    let now = ctx.clock.now();
    // PAPE's max_auth_age: an older sign-in must be repeated.
    let max_age = extensions.pape.as_ref().and_then(|p| p.max_auth_age);
    let fresh = |person: &SignedInPerson| max_age.is_none_or(|max| now - person.auth_time <= max);
    let person = match signed_in {
        Some(person) if fresh(person) => person,
        _ if immediate => return Ok(setup_needed),
        _ => {
            return Ok(OpenIdStep::SignIn {
                next: come_back_to(pairs),
            });
        }
    };
    let id = &person.account.person.id;
    if let Identity::Named { opaque, .. } = &request.identity
        && identity::person_of(ctx, opaque).await?.as_ref() != Some(id)
    {
        // The relying party asked for someone else.
        return Ok(if immediate {
            setup_needed
        } else {
            OpenIdStep::SignIn {
                next: come_back_to(pairs),
            }
        });
    }
    let asked = extensions.asked();
    let realm = request.realm.as_str();
    if trust::is_trusted(ctx, &realm).await? {
        let all: Vec<SharedField> = asked.iter().map(|(field, _)| *field).collect();
        let location = approve(ctx, &request, &extensions, person, &all, origin).await?;
        return Ok(OpenIdStep::Return { location });
    }
    if let Some(shared) = decisions::remembered(ctx, id, &realm).await? {
        let shared: Vec<SharedField> = shared
            .iter()
            .filter_map(|s| SharedField::parse(s))
            .collect();
        // A field the relying party now requires and the person never agreed to asks again.
        let covered = asked
            .iter()
            .all(|(field, required)| !required || shared.contains(field));
        if covered {
            decisions::remember(ctx, id, &realm, &names(&shared), origin).await?;
            let location = approve(ctx, &request, &extensions, person, &shared, origin).await?;
            return Ok(OpenIdStep::Return { location });
        }
    }
    if immediate {
        return Ok(setup_needed);
    }
    let handle = pending::hold(ctx, pairs, id).await?;
    let discovery_warning =
        match verify_return_to(&request.realm, &request.return_to, &discovery_policy(ctx)).await {
            RpDiscovery::Verified => None,
            RpDiscovery::Mismatch => Some(format!(
                "{realm} does not list {} among its return addresses",
                request.return_to
            )),
            RpDiscovery::Failed(reason) => Some(reason),
        };
    Ok(OpenIdStep::Decide(Box::new(DecisionAsk {
        handle,
        realm: realm.clone(),
        person_name: person.account.person.display_name.as_str().to_owned(),
        fields: asked,
        return_to: request.return_to.clone(),
        discovery_warning,
        next: come_back_to(pairs),
    })))
}

/// The person's answer on the decision page to the request held under `handle`: with `allow`,
/// the assertion sharing the required fields and those of the optional ones in `share`, and the
/// decision remembered for the realm; otherwise `cancel`. Anything but a request still waiting
/// for this person changes nothing.
pub async fn answer(
    ctx: &Context,
    handle: &str,
    signed_in: Option<&SignedInPerson>,
    allow: bool,
    share: &[String],
    origin: &Origin,
) -> Result<OpenIdStep, OpenIdError> {
    let Some(person) = signed_in else {
        // Signed out meanwhile: sign in, then the request is asked again.
        return Ok(match pending::waiting(ctx, handle).await? {
            Some(pairs) => OpenIdStep::SignIn {
                next: come_back_to(&pairs),
            },
            None => OpenIdStep::Finished,
        });
    };
    let id = &person.account.person.id;
    let pairs = {
        let mut tx = ctx.db.pool().begin().await.map_err(DbError::from)?;
        let taken = pending::answer(&mut *tx, handle, id, ctx.clock.now()).await?;
        tx.commit().await.map_err(DbError::from)?;
        match taken {
            Some(pairs) => pairs,
            None => return Ok(OpenIdStep::Finished),
        }
    };
    let request = match CheckidRequest::parse(&pairs, &identity::identity_url(&ctx.public_url, ""))
    {
        Ok(request) => request,
        Err(refused) => return Ok(OpenIdStep::Refuse(refused.to_string())),
    };
    if !allow {
        return Ok(OpenIdStep::Return {
            location: indirect(&request.return_to, &negative("cancel")),
        });
    }
    let extensions = ExtensionRequests::parse(&pairs);
    let shared: Vec<SharedField> = extensions
        .asked()
        .into_iter()
        .filter(|(field, required)| *required || share.iter().any(|s| s == field.name()))
        .map(|(field, _)| field)
        .collect();
    decisions::remember(ctx, id, &request.realm.as_str(), &names(&shared), origin).await?;
    let location = approve(ctx, &request, &extensions, person, &shared, origin).await?;
    Ok(OpenIdStep::Return { location })
}

fn names(fields: &[SharedField]) -> Vec<String> {
    fields.iter().map(|f| f.name().to_owned()).collect()
}
