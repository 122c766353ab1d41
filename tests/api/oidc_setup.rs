//! OpenID Connect groundwork: discovery, the JWKS, key rotation, and client registration.

use openidconnect::core::CoreProviderMetadata;

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn discovery_names_the_configured_issuer_whatever_the_host_header() {
    let app =
        spawn_app_with(|s| s.server.public_url = Some("https://login.example.org".to_owned()))
            .await;
    let res = app
        .client
        .get(format!("{}/.well-known/openid-configuration", app.address))
        .header("host", "evil.example")
        .header("x-forwarded-host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body = res.text().await.unwrap();
    assert!(!body.contains("evil.example"));
    // A relying party's own type reads it.
    let metadata: CoreProviderMetadata = serde_json::from_str(&body).unwrap();
    assert_eq!(metadata.issuer().as_str(), "https://login.example.org");
    assert_eq!(
        metadata.authorization_endpoint().as_str(),
        "https://login.example.org/authorize"
    );
    assert_eq!(
        metadata.jwks_uri().as_str(),
        "https://login.example.org/jwks.json"
    );
    assert_eq!(
        metadata.token_endpoint().unwrap().as_str(),
        "https://login.example.org/token"
    );
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        json["revocation_endpoint"],
        "https://login.example.org/revoke"
    );
    assert_eq!(
        json["introspection_endpoint"],
        "https://login.example.org/introspect"
    );
    assert_eq!(
        json["end_session_endpoint"],
        "https://login.example.org/logout"
    );
    assert_eq!(
        json["code_challenge_methods_supported"],
        serde_json::json!(["S256"])
    );
    assert_eq!(
        json["id_token_signing_alg_values_supported"],
        serde_json::json!(["RS256", "EdDSA"])
    );
    assert_eq!(
        json["response_types_supported"],
        serde_json::json!(["code"])
    );
}

#[tokio::test]
async fn discovery_promises_iss_in_responses_and_is_also_served_at_the_oauth_metadata_address() {
    let app = spawn_app().await;
    let openid = app.get("/.well-known/openid-configuration").await;
    assert_eq!(openid.status(), 200);
    let openid = openid.text().await.unwrap();
    let json: serde_json::Value = serde_json::from_str(&openid).unwrap();
    assert_eq!(
        json["authorization_response_iss_parameter_supported"],
        serde_json::json!(true),
        "RFC 9207 §3: without it clients ignore iss and their mix-up defence is off"
    );

    let oauth = app.get("/.well-known/oauth-authorization-server").await;
    assert_eq!(oauth.status(), 200);
    assert_eq!(
        oauth.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    assert_eq!(
        oauth.text().await.unwrap(),
        openid,
        "RFC 8414: the same document"
    );
    let post = app
        .client
        .post(format!(
            "{}/.well-known/oauth-authorization-server",
            app.address
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 405);
}

#[tokio::test]
async fn client_commands_register_list_rotate_and_remove_relying_parties() {
    let app = spawn_app().await;
    let out = app
        .cli(&[
            "client",
            "add",
            "--name",
            "Wiki",
            "--redirect-uri",
            "https://wiki.example.org/oidc/callback",
            "--trusted",
        ])
        .await;
    let text = out.ok().to_owned();
    let id = text
        .lines()
        .find_map(|l| l.strip_prefix("client_id: "))
        .unwrap()
        .to_owned();
    let secret = text
        .lines()
        .find_map(|l| l.strip_prefix("client_secret: "))
        .unwrap()
        .to_owned();
    assert!(secret.starts_with("lk_cs_"));
    let stored: String = sqlx::Row::get(
        &sqlx::query("SELECT secret_hash FROM oauth_clients")
            .fetch_one(app.db.pool())
            .await
            .unwrap(),
        "secret_hash",
    );
    assert_eq!(
        stored,
        latchkey::domain::TokenHash::of(&secret).as_str(),
        "only the hash is stored"
    );

    let public = app
        .cli(&[
            "client",
            "add",
            "--name",
            "CLI tool",
            "--redirect-uri",
            "http://127.0.0.1:8765/cb",
            "--public",
            "--alg",
            "EdDSA",
        ])
        .await;
    let public_id = public
        .ok()
        .lines()
        .find_map(|l| l.strip_prefix("client_id: "))
        .unwrap()
        .to_owned();
    assert!(public.stdout.contains("client_secret: none"));

    let list = app.cli(&["client", "list"]).await;
    let text = list.ok();
    assert!(
        text.contains(&format!(
            "{id}  Wiki  (confidential trusted, RS256)  https://wiki.example.org/oidc/callback"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("{public_id}  CLI tool  (public, EdDSA)")),
        "{text}"
    );

    let rotated = app.cli(&["client", "rotate-secret", &id]).await;
    let new_secret = rotated
        .ok()
        .trim()
        .strip_prefix("client_secret: ")
        .unwrap()
        .to_owned();
    assert_ne!(new_secret, secret);
    assert!(
        app.cli(&["client", "rotate-secret", &public_id])
            .await
            .fails_with(1)
            .contains("public client")
    );

    assert!(
        app.cli(&["client", "remove", &id])
            .await
            .ok()
            .contains("removed")
    );
    assert!(
        app.cli(&["client", "remove", &id])
            .await
            .fails_with(1)
            .contains("there is no client")
    );
    assert!(!app.cli(&["client", "list"]).await.ok().contains("Wiki"));
}

#[tokio::test]
async fn client_add_refuses_unsafe_redirect_uris_and_changes_nothing() {
    let app = spawn_app().await;
    for (uri, message) in [
        ("http://wiki.example.org/cb", "must use https"),
        (
            "https://wiki.example.org/cb#frag",
            "must not have a fragment",
        ),
        ("not a url", "not an absolute URL"),
    ] {
        let out = app
            .cli(&["client", "add", "--name", "X", "--redirect-uri", uri])
            .await;
        assert!(out.fails_with(1).contains(message), "{uri}");
    }
    let out = app
        .cli(&[
            "client",
            "add",
            "--name",
            "X",
            "--redirect-uri",
            "https://a.example/cb",
            "--alg",
            "none",
        ])
        .await;
    assert!(out.fails_with(1).contains("unknown algorithm"));
    let out = app.cli(&["client", "add", "--name", "X"]).await;
    assert_eq!(out.code, 2, "--redirect-uri is required");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM oauth_clients").await,
        0
    );
}

#[tokio::test]
async fn client_add_refuses_wildcards_userinfo_and_response_parameters_in_redirect_uris() {
    let app = spawn_app().await;
    for (uri, message) in [
        ("https://*.example.org/cb", "wildcard"),
        ("https://wiki.example.org/*", "wildcard"),
        ("https://user@wiki.example.org/cb", "user name or password"),
        ("https://@wiki.example.org/cb", "user name or password"),
        ("https://wiki.example.org/cb#", "fragment"),
        ("https://wiki.example.org/cb?code=x", "`code` in its query"),
        (
            "https://wiki.example.org/cb?a=1&state=x",
            "`state` in its query",
        ),
        ("https://wiki.example.org/cb?iss=x", "`iss` in its query"),
        (
            "https://wiki.example.org/cb?error=x",
            "`error` in its query",
        ),
    ] {
        let out = app
            .cli(&["client", "add", "--name", "X", "--redirect-uri", uri])
            .await;
        assert!(out.fails_with(1).contains(message), "{uri}: {}", out.stderr);
        let good = "https://wiki.example.org/cb";
        let args = ["--redirect-uri", good, "--post-logout-redirect-uri", uri];
        let out = app
            .cli(&[&["client", "add", "--name", "X"][..], &args].concat())
            .await;
        assert!(out.fails_with(1).contains(message), "post-logout {uri}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM oauth_clients").await,
        0
    );
}

#[tokio::test]
async fn the_discovery_document_is_as_recorded() {
    let app = spawn_app().await;
    let body = app
        .page("/.well-known/openid-configuration")
        .await
        .replace(&app.address, "[latchkey]");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    insta::assert_json_snapshot!(json);
}
