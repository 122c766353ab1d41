//! What the second-factor OIDC tests share: the claims of an ID token, a factor given to a
//! person straight in the database, a code or a session marked as coming from a two-factor
//! sign-in, and a token introspected by its client.

use std::collections::HashMap;

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

/// Gives a person an authenticator app by writing its row: enough for Latchkey to ask for a
/// second step (the sealed secret is a stand-in, so no code will ever match it).
pub async fn give_authenticator_app(app: &TestApp, email: &str) {
    let person = app.person(email).await.expect("the person exists");
    sqlx::query(
        "INSERT INTO authenticator_apps (person_id, name, sealed_secret, created_at) \
         VALUES ($1, 'Phone', 'not-a-sealed-secret', $2)",
    )
    .bind(person.id.as_str())
    .bind(crate::helpers::START)
    .execute(app.db.pool())
    .await
    .unwrap();
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

/// Records in the signed-in person's sessions what a completed second step (an authenticator
/// code after the password) leaves there: the session's methods become `pwd otp mfa`.
pub async fn prove_second_factor_in_session(app: &TestApp, email: &str) {
    set_session_methods(app, email, "pwd otp mfa").await;
}

/// Sets the methods (stored `amr` form) the signed-in person's sessions record.
pub async fn set_session_methods(app: &TestApp, email: &str, methods: &str) {
    let person = app.person(email).await.expect("the person exists");
    let rows = sqlx::query("SELECT id_hash, state FROM sessions WHERE person_id = $1")
        .bind(person.id.as_str())
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert!(!rows.is_empty(), "{email} is signed in");
    for row in rows {
        let id: String = sqlx::Row::get(&row, "id_hash");
        let state: String = sqlx::Row::get(&row, "state");
        let mut state: HashMap<String, String> = serde_json::from_str(&state).unwrap();
        state.insert("amr".to_owned(), serde_json::to_string(methods).unwrap());
        sqlx::query("UPDATE sessions SET state = $1 WHERE id_hash = $2")
            .bind(serde_json::to_string(&state).unwrap())
            .bind(id)
            .execute(app.db.pool())
            .await
            .unwrap();
    }
}

/// How many audit rows of a code there are.
pub async fn audited(app: &TestApp, code: &str) -> i64 {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM audit_events WHERE code = $1")
        .bind(code)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    sqlx::Row::get(&row, "n")
}

/// The second step waiting in the person's session, as stored (`next`, `purpose`, `methods`).
pub async fn pending_second_step(app: &TestApp, email: &str) -> Value {
    let person = app.person(email).await.expect("the person exists");
    let row = sqlx::query("SELECT state FROM sessions WHERE person_id = $1")
        .bind(person.id.as_str())
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let state: String = sqlx::Row::get(&row, "state");
    let state: HashMap<String, String> = serde_json::from_str(&state).unwrap();
    let pending = state
        .get("second_step")
        .unwrap_or_else(|| panic!("a second step in {state:?}"));
    serde_json::from_str(pending).unwrap()
}
