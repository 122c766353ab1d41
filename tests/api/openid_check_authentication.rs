//! `/+openid` check_authentication: an assertion signed with a private association verifies
//! once; a replay, a tampered field or signature, a shared handle and an expired association
//! do not.

use latchkey::service::openid::signing::sign_assertion;

use crate::helpers::{TestApp, spawn_app};
use crate::openid_associate::{post_openid, value};

const NS: &str = "http://specs.openid.net/auth/2.0";

async fn assertion(app: &TestApp, rp_handle: Option<&str>) -> Vec<(String, String)> {
    let fields = [
        ("openid.mode", "id_res".to_owned()),
        ("openid.op_endpoint", format!("{}/+openid", app.address)),
        ("openid.claimed_id", format!("{}/+id/abc", app.address)),
        ("openid.identity", format!("{}/+id/abc", app.address)),
        ("openid.return_to", "https://rp.example/back".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    sign_assertion(&app.ctx, rp_handle, fields).await.unwrap()
}

async fn check(app: &TestApp, assertion: &[(String, String)]) -> Vec<(String, String)> {
    let fields: Vec<(&str, &str)> = assertion
        .iter()
        .map(|(k, v)| match k.as_str() {
            "openid.mode" => (k.as_str(), "check_authentication"),
            _ => (k.as_str(), v.as_str()),
        })
        .collect();
    let (status, answer) = post_openid(app, &fields, &[]).await;
    assert_eq!(status, 200, "{answer:?}");
    assert_eq!(value(&answer, "ns"), Some(NS));
    answer
}

fn with(assertion: &[(String, String)], key: &str, new: &str) -> Vec<(String, String)> {
    assertion
        .iter()
        .map(|(k, v)| (k.clone(), if k == key { new.to_owned() } else { v.clone() }))
        .collect()
}

#[tokio::test]
async fn a_private_assertion_is_valid_once_and_its_replay_is_not() {
    let app = spawn_app().await;
    let signed = assertion(&app, None).await;
    assert_eq!(value(&check(&app, &signed).await, "is_valid"), Some("true"));
    assert_eq!(
        value(&check(&app, &signed).await, "is_valid"),
        Some("false")
    );
}

#[tokio::test]
async fn a_tampered_field_or_signature_is_not_valid() {
    let app = spawn_app().await;
    let signed = assertion(&app, None).await;
    let tampered = with(&signed, "openid.claimed_id", "https://evil.example/me");
    assert_eq!(
        value(&check(&app, &tampered).await, "is_valid"),
        Some("false")
    );
    let sig = value(&signed, "openid.sig").unwrap();
    let bad_sig = format!("A{}", &sig[1..]);
    let bad_sig = if bad_sig == sig {
        format!("B{}", &sig[1..])
    } else {
        bad_sig
    };
    let tampered = with(&signed, "openid.sig", &bad_sig);
    assert_eq!(
        value(&check(&app, &tampered).await, "is_valid"),
        Some("false")
    );
    let unsigned = with(&signed, "openid.signed", "mode,return_to");
    assert_eq!(
        value(&check(&app, &unsigned).await, "is_valid"),
        Some("false")
    );
    assert_eq!(
        value(&check(&app, &signed).await, "is_valid"),
        Some("true"),
        "failed checks did not use up the nonce"
    );
}

#[tokio::test]
async fn a_shared_association_is_not_verified_by_the_provider() {
    let app = spawn_app().await;
    let (_, answer) = post_openid(
        &app,
        &[
            ("openid.ns", NS),
            ("openid.mode", "associate"),
            ("openid.assoc_type", "HMAC-SHA1"),
            ("openid.session_type", "DH-SHA1"),
            ("openid.dh_consumer_public", "Ag=="),
        ],
        &[],
    )
    .await;
    let handle = value(&answer, "assoc_handle").unwrap();
    let signed = assertion(&app, Some(handle)).await;
    assert_eq!(value(&signed, "openid.assoc_handle"), Some(handle));
    assert_eq!(
        value(&check(&app, &signed).await, "is_valid"),
        Some("false")
    );
}

#[tokio::test]
async fn an_expired_private_association_is_not_valid() {
    let app = spawn_app().await;
    let signed = assertion(&app, None).await;
    app.clock.advance(60 * 60 + 1);
    assert_eq!(
        value(&check(&app, &signed).await, "is_valid"),
        Some("false")
    );
}

#[tokio::test]
async fn an_unknown_relying_party_handle_is_invalidated() {
    let app = spawn_app().await;
    let signed = assertion(&app, Some("lk.gone")).await;
    assert_eq!(value(&signed, "openid.invalidate_handle"), Some("lk.gone"));
    assert_ne!(value(&signed, "openid.assoc_handle"), Some("lk.gone"));
    let answer = check(&app, &signed).await;
    assert_eq!(value(&answer, "is_valid"), Some("true"));
    assert_eq!(value(&answer, "invalidate_handle"), Some("lk.gone"));
}
