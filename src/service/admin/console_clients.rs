//! The console's clients: the list, and its forms read into a [`NewClient`] or a
//! [`ClientChange`] for the functions `client add` and `client update` call too.

use super::super::Context;
use super::super::clients::{ClientChange, ClientError, NewClient, list};
use super::Actor;
use super::clients::{ClientView, update};
use crate::domain::client::Client;
use crate::domain::signing_key::SigningAlg;

/// Every client, by name.
pub async fn clients(ctx: &Context) -> Result<Vec<Client>, ClientError> {
    let mut all = list(ctx).await?;
    all.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(all)
}

/// The non-empty lines of a text box, trimmed: one URI (or scope) a line.
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Replaces the redirect URIs of `client_id` with the non-empty lines of `text`.
pub async fn edit_redirect_uris(
    ctx: &Context,
    client_id: &str,
    text: &str,
    actor: &Actor,
) -> Result<ClientView, ClientError> {
    let change = ClientChange {
        redirect_uris: Some(lines(text)),
        ..ClientChange::default()
    };
    update(ctx, client_id, change, actor).await
}

/// The console's client form, as posted: text boxes with one URI a line, scopes separated by
/// spaces, check boxes present when ticked.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
pub struct ClientForm {
    /// The name.
    #[serde(default)]
    pub name: String,
    /// Redirect URIs, one a line.
    #[serde(default)]
    pub redirect_uris: String,
    /// Post-logout redirect URIs, one a line.
    #[serde(default)]
    pub post_logout_redirect_uris: String,
    /// Scopes, separated by spaces (the edit form only).
    #[serde(default)]
    pub scopes: String,
    /// A public client (the add form only).
    #[serde(default)]
    pub public: Option<String>,
    /// Trusted: no consent page.
    #[serde(default)]
    pub trusted: Option<String>,
    /// May introspect any client's tokens (the add form only).
    #[serde(default)]
    pub introspect_any: Option<String>,
    /// Codes only for two-factor sign-ins (the add form only).
    #[serde(default)]
    pub require_second_factor: Option<String>,
    /// The ID-token signing algorithm.
    #[serde(default)]
    pub alg: String,
}

fn alg_of(text: &str) -> Result<SigningAlg, ClientError> {
    SigningAlg::parse(text.trim()).ok_or_else(|| ClientError::UnknownAlg(text.trim().to_owned()))
}

impl ClientForm {
    /// The form filled with a client's settings, for its edit page.
    pub fn of(client: &ClientView) -> Self {
        Self {
            name: client.name.clone(),
            redirect_uris: client.redirect_uris.join("\n"),
            post_logout_redirect_uris: client.post_logout_redirect_uris.join("\n"),
            scopes: client.scopes.join(" "),
            public: (!client.confidential).then(|| "on".to_owned()),
            trusted: client.trusted.then(|| "on".to_owned()),
            introspect_any: client.introspect_any.then(|| "on".to_owned()),
            require_second_factor: client.require_second_factor.then(|| "on".to_owned()),
            alg: client.alg.clone(),
        }
    }

    /// The client the add form registers.
    pub fn new_client(&self) -> Result<NewClient, ClientError> {
        Ok(NewClient {
            name: self.name.clone(),
            redirect_uris: lines(&self.redirect_uris),
            post_logout_redirect_uris: lines(&self.post_logout_redirect_uris),
            public: self.public.is_some(),
            trusted: self.trusted.is_some(),
            introspect_any: self.introspect_any.is_some(),
            require_second_factor: self.require_second_factor.is_some(),
            alg: alg_of(&self.alg)?,
        })
    }

    /// The change the edit form asks for: every setting of `client update`.
    pub fn change(&self) -> Result<ClientChange, ClientError> {
        Ok(ClientChange {
            name: Some(self.name.clone()),
            redirect_uris: Some(lines(&self.redirect_uris)),
            post_logout_redirect_uris: Some(lines(&self.post_logout_redirect_uris)),
            scopes: Some(
                self.scopes
                    .split([' ', ',', '\n', '\r', '\t'])
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
            trusted: Some(self.trusted.is_some()),
            alg: Some(alg_of(&self.alg)?),
        })
    }
}
