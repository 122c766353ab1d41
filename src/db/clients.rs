//! Queries on `oauth_clients`: the relying parties.

use sqlx::{Any, Executor};

use super::{DbError, col};
use crate::domain::TokenHash;
pub use crate::domain::client::Client;
use crate::domain::scope::Scopes;
use crate::domain::signing_key::SigningAlg;

fn corrupt(detail: String) -> DbError {
    DbError::Corrupt {
        table: "oauth_clients",
        detail,
    }
}

fn client_from_row(row: &sqlx::any::AnyRow) -> Result<Client, DbError> {
    let list = |name: &str| -> Result<Vec<String>, DbError> {
        let text: String = col(row, name)?;
        serde_json::from_str(&text).map_err(|e| corrupt(format!("{name}: {e}")))
    };
    let alg: String = col(row, "id_token_alg")?;
    let scopes: String = col(row, "allowed_scopes")?;
    Ok(Client {
        client_id: col(row, "client_id")?,
        secret_hash: col::<Option<String>>(row, "secret_hash")?.map(TokenHash::from_stored),
        name: col(row, "name")?,
        redirect_uris: list("redirect_uris")?,
        post_logout_redirect_uris: list("post_logout_redirect_uris")?,
        allowed_scopes: Scopes::parse(&scopes),
        trusted: col::<i64>(row, "trusted")? != 0,
        introspect_any: col::<i64>(row, "introspect_any")? != 0,
        require_second_factor: col::<i64>(row, "require_second_factor")? != 0,
        id_token_alg: SigningAlg::parse(&alg).ok_or_else(|| corrupt(format!("alg {alg}")))?,
        created_at: col(row, "created_at")?,
    })
}

macro_rules! select_clients {
    ($rest:literal) => {
        concat!(
            "SELECT client_id, secret_hash, name, redirect_uris, post_logout_redirect_uris, ",
            "allowed_scopes, trusted, introspect_any, require_second_factor, id_token_alg, ",
            "created_at FROM oauth_clients ",
            $rest
        )
    };
}

/// Stores a new client.
pub async fn insert_client<'c, E>(conn: E, client: &Client) -> Result<(), DbError>
where
    E: Executor<'c, Database = Any>,
{
    let json = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_else(|_| "[]".to_owned());
    sqlx::query(
        "INSERT INTO oauth_clients (client_id, secret_hash, name, redirect_uris, \
         post_logout_redirect_uris, allowed_scopes, trusted, introspect_any, \
         require_second_factor, id_token_alg, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(client.client_id.as_str())
    .bind(client.secret_hash.as_ref().map(TokenHash::as_str))
    .bind(client.name.as_str())
    .bind(json(&client.redirect_uris))
    .bind(json(&client.post_logout_redirect_uris))
    .bind(client.allowed_scopes.to_string())
    .bind(i64::from(client.trusted))
    .bind(i64::from(client.introspect_any))
    .bind(i64::from(client.require_second_factor))
    .bind(client.id_token_alg.as_str())
    .bind(client.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A client by id.
pub async fn find_client<'c, E>(conn: E, client_id: &str) -> Result<Option<Client>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    // No stored id holds NUL, and PostgreSQL refuses it in a text parameter rather than
    // finding nothing: a presented id with one is simply unknown.
    if client_id.contains('\0') {
        return Ok(None);
    }
    let row = sqlx::query(select_clients!("WHERE client_id = $1"))
        .bind(client_id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(client_from_row).transpose()
}

/// Every client, by name.
pub async fn list_clients<'c, E>(conn: E) -> Result<Vec<Client>, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let rows = sqlx::query(select_clients!("ORDER BY name, client_id"))
        .fetch_all(conn)
        .await?;
    rows.iter().map(client_from_row).collect()
}

/// Removes a client (its consents go with it); returns whether it existed.
pub async fn delete_client<'c, E>(conn: E, client_id: &str) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query("DELETE FROM oauth_clients WHERE client_id = $1")
        .bind(client_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces a confidential client's secret hash; returns whether such a client existed.
pub async fn set_client_secret<'c, E>(
    conn: E,
    client_id: &str,
    hash: &TokenHash,
    now: i64,
) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let done = sqlx::query(
        "UPDATE oauth_clients SET secret_hash = $1, secret_rotated_at = $2 \
         WHERE client_id = $3 AND secret_hash IS NOT NULL",
    )
    .bind(hash.as_str())
    .bind(now)
    .bind(client_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores the changeable settings of a client (name, redirect URIs, post-logout redirect
/// URIs, scopes, trust, ID-token algorithm); returns whether it exists.
pub async fn update_client<'c, E>(conn: E, client: &Client) -> Result<bool, DbError>
where
    E: Executor<'c, Database = Any>,
{
    let json = |v: &Vec<String>| serde_json::to_string(v).map_err(|e| corrupt(e.to_string()));
    let done = sqlx::query(
        "UPDATE oauth_clients SET name = $1, redirect_uris = $2, post_logout_redirect_uris = $3, \
         allowed_scopes = $4, trusted = $5, id_token_alg = $6 WHERE client_id = $7",
    )
    .bind(client.name.as_str())
    .bind(json(&client.redirect_uris)?)
    .bind(json(&client.post_logout_redirect_uris)?)
    .bind(client.allowed_scopes.to_string())
    .bind(i64::from(client.trusted))
    .bind(client.id_token_alg.as_str())
    .bind(client.client_id.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
