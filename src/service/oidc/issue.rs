//! Issuing an authorization code to a signed-in person and the redirect that carries it back to
//! the relying party.

use sqlx::{Any, Executor};

use super::authorize::ValidRequest;
use crate::db::DbError;
use crate::db::authorization_codes::{NewCode, insert_code};
use crate::domain::client_redirect::redirect_with;
use crate::domain::grant::SignInProof;
use crate::domain::{PersonId, PlainToken, TokenKind};
use crate::service::Context;

/// Why a code (or a consent handle) could not be issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    /// Storage failed.
    #[error(transparent)]
    Database(#[from] DbError),
    /// The random source failed.
    #[error("no randomness for a new token")]
    Random(#[source] getrandom::Error),
}

/// Stores a new code through `conn` (a transaction, when the code is part of one) and returns
/// the redirect back to the client. The code carries when and how the person signed in.
pub async fn issue_code<'c, E>(
    ctx: &Context,
    conn: E,
    valid: &ValidRequest,
    person: &PersonId,
    auth_time: i64,
    proof: &SignInProof,
) -> Result<String, IssueError>
where
    E: Executor<'c, Database = Any>,
{
    let req = &valid.request;
    let code = PlainToken::generate(TokenKind::AuthorizationCode).map_err(IssueError::Random)?;
    let now = ctx.clock.now();
    let lifetime = i64::try_from(ctx.lifetimes.authorization_code.as_secs()).unwrap_or(60);
    insert_code(
        conn,
        &NewCode {
            hash: &code.hash(),
            client_id: &valid.client.client_id,
            person,
            redirect_uri: &req.redirect_uri,
            scopes: &req.scopes.to_string(),
            nonce: req.nonce.as_deref(),
            code_challenge: req.code_challenge.as_deref(),
            auth_time,
            proof,
            created_at: now,
            expires_at: now + lifetime,
        },
    )
    .await?;
    let mut params = vec![("code", code.expose())];
    if let Some(state) = req.state.as_deref() {
        params.push(("state", state));
    }
    params.push(("iss", ctx.public_url.as_str()));
    Ok(redirect_with(&req.redirect_uri, &params))
}
