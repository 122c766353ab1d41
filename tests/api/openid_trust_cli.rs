//! `latchkey openid trust | untrust | list` on the real executable.

use latchkey::service::openid::trust::is_trusted;

use crate::helpers::spawn_app;

#[tokio::test]
async fn trusting_listing_and_untrusting_a_realm_is_audited() {
    let app = spawn_app().await;
    let realm = "https://*.example.org/";
    assert!(
        app.cli(&["openid", "trust", realm])
            .await
            .ok()
            .contains("trusted https://*.example.org/")
    );
    assert!(is_trusted(&app.ctx, realm).await.unwrap());
    assert!(
        app.cli(&["openid", "trust", realm])
            .await
            .ok()
            .contains("trusted already")
    );
    let listed = app.cli(&["openid", "list", "--json"]).await;
    let json: serde_json::Value = serde_json::from_str(listed.ok()).unwrap();
    assert_eq!(json[0]["realm"], realm);
    assert!(json[0]["trusted_by"].as_str().unwrap().starts_with("cli:"));
    assert!(app.cli(&["openid", "list"]).await.ok().contains(realm));
    assert!(
        app.cli(&["openid", "untrust", realm])
            .await
            .ok()
            .contains("no longer trusted")
    );
    assert!(!is_trusted(&app.ctx, realm).await.unwrap());
    let trusted = app
        .count("SELECT COUNT(*) AS n FROM audit_events WHERE code = 'OpenIdRealmTrusted'")
        .await;
    let untrusted = app
        .count("SELECT COUNT(*) AS n FROM audit_events WHERE code = 'OpenIdRealmUntrusted'")
        .await;
    assert_eq!((trusted, untrusted), (1, 1));
}

#[tokio::test]
async fn an_invalid_or_unknown_realm_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    for bad in [
        "example.org",
        "ftp://example.org/",
        "https://example.org/#x",
    ] {
        app.cli(&["openid", "trust", bad]).await.fails_with(1);
    }
    let err = app
        .cli(&["openid", "untrust", "https://never.example/"])
        .await;
    assert!(err.fails_with(1).contains("not trusted"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM openid_trusted_realms")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_events WHERE code LIKE 'OpenIdRealm%'")
            .await,
        0
    );
}
