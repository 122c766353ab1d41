//! Checking an authorization request against the registered client, as every answer must (the
//! client may have changed since a request was held); the checking rules themselves are
//! `domain::authorization_request`.

use sqlx::{Any, Executor};

use crate::db::DbError;
use crate::db::clients::{Client, find_client};
pub use crate::domain::authorization_params::AuthorizeParams;
use crate::domain::authorization_request::{
    AuthorizationRequest, AuthorizeError, ClientRules, validate,
};
use crate::service::Context;

/// A request that passed the check, with its client.
#[derive(Debug, Clone)]
pub struct ValidRequest {
    /// The parameters as the relying party sent them.
    pub params: AuthorizeParams,
    /// The client.
    pub client: Client,
    /// What the parameters ask for, checked.
    pub request: AuthorizationRequest,
}

/// The result of a check: a request to carry out, or a refusal.
pub type Checked = Result<ValidRequest, AuthorizeError>;

/// Storage failed while checking.
#[derive(Debug, thiserror::Error)]
#[error("the authorization request could not be checked")]
pub struct CheckError(#[from] DbError);

/// Checks a request against its client, read through `conn` (a transaction, when the check is
/// part of one).
pub async fn check<'c, E>(conn: E, params: AuthorizeParams) -> Result<Checked, CheckError>
where
    E: Executor<'c, Database = Any>,
{
    let client = match params.client_id.as_deref() {
        Some(id) => find_client(conn, id).await?,
        None => None,
    };
    let Some(client) = client else {
        return Ok(Err(AuthorizeError::unknown_client()));
    };
    let rules = ClientRules {
        redirect_uris: &client.redirect_uris,
        allowed_scopes: &client.allowed_scopes,
        public: client.secret_hash.is_none(),
        require_second_factor: client.require_second_factor,
    };
    let checked = validate(rules, &params);
    Ok(checked.map(|request| ValidRequest {
        params,
        client,
        request,
    }))
}

/// The request behind a local `next` target (`/authorize?…`), checked against its client;
/// `None` for any other target.
pub async fn behind(ctx: &Context, next: &str) -> Result<Option<Checked>, CheckError> {
    let Some(query) = next.strip_prefix("/authorize?") else {
        return Ok(None);
    };
    let Ok(params) = AuthorizeParams::from_query(query) else {
        return Ok(None);
    };
    Ok(Some(check(ctx.db.pool(), params).await?))
}

/// Where a checked request sends the browser: the verified redirect URI of a valid request, or
/// of a refusal that is sent back there; `None` when the client or redirect URI cannot be
/// trusted.
pub fn destination(checked: &Checked) -> Option<&str> {
    match checked {
        Ok(valid) => Some(&valid.request.redirect_uri),
        Err(AuthorizeError::Redirect(refusal)) => Some(&refusal.redirect_uri),
        Err(AuthorizeError::Page(_)) => None,
    }
}

/// Where the browser ends up once a local `next` target (`/authorize?…`) is followed (see
/// `destination`); `None` for any other target.
pub async fn final_destination(ctx: &Context, next: &str) -> Result<Option<String>, CheckError> {
    Ok(behind(ctx, next)
        .await?
        .as_ref()
        .and_then(destination)
        .map(str::to_owned))
}
