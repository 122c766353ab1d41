//! `latchkey keys list | retire` on the real executable: `--json`, what "in use" means, the
//! `KeyRetired` audit row, refusals that exit 1 and change nothing; and a retired key's
//! public half leaving the JWKS after the grace.

use latchkey::clock::Clock;
use latchkey::db::keys::insert_key;
use latchkey::domain::signing_key::{SigningAlg, generate};
use latchkey::service::admin::{Actor, keys as admin_keys};
use latchkey::service::keys as signing_keys;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

async fn keys(app: &TestApp) -> Vec<Value> {
    json(app.cli(&["keys", "list", "--json"]).await.ok())
        .as_array()
        .cloned()
        .unwrap()
}

/// A second unretired RS256 key, as a node racing at first start could leave; returns its kid.
async fn second_rs256_key(app: &TestApp) -> String {
    let key = generate(SigningAlg::Rs256).unwrap();
    insert_key(app.db.pool(), &key, app.clock.now() + 1)
        .await
        .unwrap();
    key.kid
}

fn of<'a>(keys: &'a [Value], kid: &str) -> &'a Value {
    keys.iter().find(|k| k["kid"] == kid).unwrap()
}

#[tokio::test]
async fn keys_list_shows_which_key_signs_and_which_is_still_published() {
    let app = spawn_app().await;
    let before = keys(&app).await;
    assert_eq!(before.len(), 2, "{before:?}");
    let old_eddsa = before.iter().find(|k| k["alg"] == "EdDSA").unwrap()["kid"]
        .as_str()
        .unwrap()
        .to_owned();
    app.cli(&["keys", "rotate", "--alg", "EdDSA"]).await.ok();
    let after = keys(&app).await;
    assert_eq!(after.len(), 3);
    let old = of(&after, &old_eddsa);
    assert!(old["retired_at"].is_i64());
    assert_eq!(old["signing"], false);
    assert_eq!(old["published"], true);
    assert_eq!(old["in_use"], true);
    let signing: Vec<&Value> = after.iter().filter(|k| k["signing"] == true).collect();
    assert_eq!(signing.len(), 2);
    for k in signing {
        assert!(k["retired_at"].is_null() && k["publish_until"].is_null());
        assert_eq!(k["in_use"], true);
        assert!(k["created_at"].is_i64());
    }
    let text = app.cli(&["keys", "list"]).await.ok().to_owned();
    assert!(
        text.contains(&old_eddsa) && text.contains("published until"),
        "{text}"
    );
    assert!(text.contains("signing"), "{text}");
    let help = app.cli(&["keys", "list", "--help"]).await.ok().to_owned();
    assert!(help.contains("in use"), "{help}");
}

#[tokio::test]
async fn keys_retire_stops_a_key_signing_and_is_audited_with_the_os_user() {
    let app = spawn_app().await;
    let newer = second_rs256_key(&app).await;
    let older = keys(&app)
        .await
        .into_iter()
        .find(|k| k["alg"] == "RS256" && k["kid"] != newer.as_str())
        .unwrap()["kid"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = app.cli(&["keys", "retire", &newer]).await;
    assert!(
        out.ok()
            .contains(&format!("retired RS256 signing key {newer}"))
    );
    let listed = keys(&app).await;
    let retired = of(&listed, &newer);
    assert_eq!(retired["signing"], false);
    assert!(retired["retired_at"].is_i64());
    assert_eq!(retired["published"], true);
    assert_eq!(of(&listed, &older)["signing"], true);
    let rows = json(
        app.cli(&["audit", "list", "--code", "KeyRetired", "--json"])
            .await
            .ok(),
    );
    assert_eq!(rows.as_array().unwrap().len(), 1);
    let detail = rows[0]["detail"].as_str().unwrap();
    assert!(
        detail.contains(&newer) && detail.contains("(by cli:"),
        "{detail}"
    );
}

#[tokio::test]
async fn keys_retire_refuses_the_only_active_key_a_retired_one_and_an_unknown_one() {
    let app = spawn_app().await;
    let newer = second_rs256_key(&app).await;
    app.cli(&["keys", "retire", &newer]).await.ok();
    let before = keys(&app).await;
    let only_rs256 = before
        .iter()
        .find(|k| k["alg"] == "RS256" && k["signing"] == true)
        .unwrap()["kid"]
        .as_str()
        .unwrap()
        .to_owned();
    let only_eddsa = before.iter().find(|k| k["alg"] == "EdDSA").unwrap()["kid"]
        .as_str()
        .unwrap()
        .to_owned();
    for (kid, says) in [
        (only_rs256.as_str(), "only active RS256"),
        (only_eddsa.as_str(), "only active EdDSA"),
        (newer.as_str(), "retired already"),
        ("no-such-kid", "no-such-kid"),
    ] {
        let err = app
            .cli(&["keys", "retire", kid])
            .await
            .fails_with(1)
            .to_owned();
        assert!(err.contains(says), "{kid}: {err}");
    }
    assert_eq!(keys(&app).await, before);
    let rows = json(
        app.cli(&["audit", "list", "--code", "KeyRetired", "--json"])
            .await
            .ok(),
    );
    assert_eq!(rows.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_retired_key_leaves_the_jwks_once_its_tokens_have_expired() {
    let app = spawn_app().await;
    let newer = second_rs256_key(&app).await;
    admin_keys::retire(&app.ctx, &newer, &Actor::cli())
        .await
        .unwrap();
    let published = |keys: Vec<Value>| keys.iter().any(|k| k["kid"] == newer.as_str());
    assert!(published(signing_keys::jwks(&app.ctx).await.unwrap()));
    app.clock.advance(2 * 24 * 3600);
    assert!(!published(signing_keys::jwks(&app.ctx).await.unwrap()));
}
