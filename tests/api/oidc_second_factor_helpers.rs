//! What the second-factor OIDC tests share: the claims of an ID token, a code marked as coming
//! from a two-factor sign-in, and a token introspected by its client.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use crate::helpers::TestApp;
use crate::oidc_helpers::Rp;

/// The claims of a signed ID token (its signature is checked elsewhere: `oidc_rp`).
pub fn id_claims(body: &Value) -> Value {
    let token = body["id_token"]
        .as_str()
        .unwrap_or_else(|| panic!("an id_token in {body}"));
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// The `amr` values of an ID token's claims.
pub fn amr(claims: &Value) -> Vec<String> {
    claims["amr"]
        .as_array()
        .unwrap_or_else(|| panic!("amr in {claims}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

/// Marks the newest authorization code as coming from a sign-in with a password and an
/// authenticator code, as a completed second step leaves it.
pub async fn prove_second_factor_for_last_code(app: &TestApp) {
    sqlx::query(
        "UPDATE authorization_codes SET amr = 'pwd otp mfa', acr = $1 WHERE consumed_at IS NULL",
    )
    .bind(latchkey::domain::second_factor::ACR_MULTI_FACTOR)
    .execute(app.db.pool())
    .await
    .unwrap();
}

/// `POST /introspect` of a token by its (confidential) client.
pub async fn introspect(app: &TestApp, rp: &Rp, token: &str) -> Value {
    reqwest::Client::new()
        .post(format!("{}/introspect", app.address))
        .basic_auth(&rp.id, rp.secret.as_deref())
        .form(&[("token", token)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
