//! The positive assertion (spec §10.1): the person's identifier, what they agreed to share
//! through the extensions, signed, sent back to the relying party, and audited like an OIDC
//! sign-in.

use super::error::OpenIdError;
use super::identity;
use super::signing::sign_assertion;
use crate::db::teams::team_names_of;
use crate::domain::AuditCode;
use crate::domain::openid::extensions::{AuthFacts, ExtensionRequests, OpenIdProfile, SharedField};
use crate::domain::openid::request::{CheckidRequest, Identity, indirect};
use crate::domain::second_factor::AuthMethod;
use crate::service::oidc::consent::SignedInPerson;
use crate::service::{Context, Origin, audit};

/// `/+openid?…` for a request: where the login form comes back to.
pub fn come_back_to(pairs: &[(String, String)]) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs.iter().filter(|(name, _)| name.starts_with("openid.")) {
        query.append_pair(name, value);
    }
    format!("/+openid?{}", query.finish())
}

/// Signs the assertion for `person` sharing `shared`, records the sign-in, and returns
/// `return_to` carrying it.
pub async fn approve(
    ctx: &Context,
    request: &CheckidRequest,
    extensions: &ExtensionRequests,
    person: &SignedInPerson,
    shared: &[SharedField],
    origin: &Origin,
) -> Result<String, OpenIdError> {
    let id = &person.account.person.id;
    let own = identity::claimed_id(ctx, id).await?;
    let claimed = match &request.identity {
        Identity::Select => own.clone(),
        Identity::Named { claimed_id, .. } => claimed_id.clone(),
    };
    let teams = team_names_of(ctx.db.pool(), id).await?;
    let email = person.account.login_email().map(|e| e.as_str().to_owned());
    let profile = OpenIdProfile {
        nickname: email
            .as_deref()
            .and_then(|e| e.split('@').next())
            .map(str::to_owned),
        email,
        full_name: Some(person.account.person.display_name.as_str().to_owned()),
        teams: teams.iter().map(|t| t.as_str().to_owned()).collect(),
    };
    let methods = person.methods.methods();
    let facts = AuthFacts {
        auth_time: person.auth_time,
        multi_factor: person.methods.is_multi_factor(),
        phishing_resistant: methods.contains(&AuthMethod::Hwk)
            || methods.contains(&AuthMethod::Swk),
    };
    let mut fields = vec![
        ("openid.mode".to_owned(), "id_res".to_owned()),
        (
            "openid.op_endpoint".to_owned(),
            format!("{}/+openid", ctx.public_url),
        ),
        ("openid.claimed_id".to_owned(), claimed),
        ("openid.identity".to_owned(), own),
        ("openid.return_to".to_owned(), request.return_to.clone()),
    ];
    fields.extend(extensions.response_fields(&profile, shared, &facts));
    let signed = sign_assertion(ctx, request.assoc_handle.as_deref(), fields).await?;
    let names: Vec<&str> = shared.iter().map(|f| f.name()).collect();
    let detail = format!("realm {}: {}", request.realm, names.join(" "));
    let now = ctx.clock.now();
    audit::record(
        ctx.db.pool(),
        now,
        AuditCode::OpenIdSignIn,
        Some(id),
        origin,
        &detail,
    )
    .await?;
    Ok(indirect(&request.return_to, &signed))
}

/// Where the browser ends up once a local `/+openid?…` target is followed: the checked
/// request's `return_to`; `None` for any other target or a request that would be refused.
pub fn destination_of(ctx: &Context, next: &str) -> Option<String> {
    let query = next.strip_prefix("/+openid?")?;
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let base = identity::identity_url(&ctx.public_url, "");
    CheckidRequest::parse(&pairs, &base)
        .ok()
        .map(|request| request.return_to)
}
