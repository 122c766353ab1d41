//! `latchkey client update` on the real executable: every setting, `--json`, the audit row
//! naming what changed, and refusals that exit 1 and change nothing.

use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

async fn add_client(app: &TestApp, name: &str) -> String {
    let out = app
        .cli(&[
            "client",
            "add",
            "--name",
            name,
            "--redirect-uri",
            "https://rp.example.org/cb",
        ])
        .await;
    out.ok()
        .lines()
        .find_map(|l| l.strip_prefix("client_id: "))
        .unwrap()
        .to_owned()
}

async fn show(app: &TestApp, id: &str) -> Value {
    json(app.cli(&["client", "show", id, "--json"]).await.ok())
}

async fn changed_rows(app: &TestApp) -> Vec<Value> {
    json(
        app.cli(&["audit", "list", "--code", "ClientChanged", "--json"])
            .await
            .ok(),
    )
    .as_array()
    .cloned()
    .unwrap_or_default()
}

#[tokio::test]
async fn client_update_changes_every_setting_and_prints_the_client_as_json() {
    let app = spawn_app().await;
    let id = add_client(&app, "Wiki").await;
    let out = app
        .cli(&[
            "client",
            "update",
            &id,
            "--name",
            "Team wiki",
            "--redirect-uri",
            "https://wiki.example.org/cb",
            "--redirect-uri",
            "http://localhost:8080/cb",
            "--post-logout-redirect-uri",
            "https://wiki.example.org/bye",
            "--scope",
            "openid email",
            "--scope",
            "groups",
            "--trusted",
            "on",
            "--alg",
            "EdDSA",
            "--json",
        ])
        .await;
    let updated = json(out.ok());
    assert_eq!(updated["client_id"], id.as_str());
    assert_eq!(updated["name"], "Team wiki");
    assert_eq!(
        updated["redirect_uris"],
        serde_json::json!(["https://wiki.example.org/cb", "http://localhost:8080/cb"])
    );
    assert_eq!(
        updated["post_logout_redirect_uris"],
        serde_json::json!(["https://wiki.example.org/bye"])
    );
    assert_eq!(
        updated["scopes"],
        serde_json::json!(["openid", "email", "groups"])
    );
    assert_eq!(updated["trusted"], true);
    assert_eq!(updated["alg"], "EdDSA");
    assert_eq!(show(&app, &id).await, updated);

    let rows = changed_rows(&app).await;
    assert_eq!(rows.len(), 1);
    let detail = rows[0]["detail"].as_str().unwrap();
    for part in [
        &format!("client {id} changed: "),
        "name=Team wiki",
        "redirect_uris=https://wiki.example.org/cb http://localhost:8080/cb",
        "post_logout_redirect_uris=https://wiki.example.org/bye",
        "scopes=openid email groups",
        "trusted=true",
        "alg=EdDSA",
        "(by cli:",
    ] {
        assert!(detail.contains(part), "{part} in {detail}");
    }

    let text = app
        .cli(&["client", "update", &id, "--trusted", "off"])
        .await
        .ok()
        .to_owned();
    assert!(text.contains(&format!("updated client {id}")), "{text}");
    assert_eq!(show(&app, &id).await["trusted"], false);
    let cleared = app
        .cli(&[
            "client",
            "update",
            &id,
            "--no-post-logout-redirect-uris",
            "--json",
        ])
        .await;
    assert_eq!(
        json(cleared.ok())["post_logout_redirect_uris"],
        serde_json::json!([])
    );
    assert_eq!(changed_rows(&app).await.len(), 3);
}

#[tokio::test]
async fn client_update_refusals_exit_1_and_change_nothing() {
    let app = spawn_app().await;
    let id = add_client(&app, "Wiki").await;
    let before = show(&app, &id).await;
    let refusals: [(&[&str], &str); 7] = [
        (&["--redirect-uri", "javascript:alert(1)"], "javascript"),
        (&["--redirect-uri", "http://rp.example.org/cb"], "https"),
        (&["--post-logout-redirect-uri", "https://a/#x"], "fragment"),
        (&["--scope", "email"], "openid"),
        (&["--scope", "openid admin"], "admin"),
        (&["--name", " "], "name"),
        (&["--alg", "HS256"], "HS256"),
    ];
    for (args, says) in refusals {
        let mut all = vec!["client", "update", id.as_str()];
        all.extend_from_slice(args);
        let err = app.cli(&all).await.fails_with(1).to_owned();
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let unknown = app
        .cli(&["client", "update", "nope", "--name", "Other"])
        .await;
    assert!(unknown.fails_with(1).contains("nope"));
    // Nothing to change is a usage error.
    assert_eq!(app.cli(&["client", "update", &id]).await.code, 2);
    // A valid option with a refused one changes nothing either.
    app.cli(&[
        "client",
        "update",
        &id,
        "--name",
        "Renamed",
        "--redirect-uri",
        "ftp://x",
    ])
    .await
    .fails_with(1);
    assert_eq!(show(&app, &id).await, before);
    assert!(changed_rows(&app).await.is_empty());
}

#[tokio::test]
async fn client_update_help_names_its_options_and_exit_codes() {
    let app = spawn_app().await;
    let help = app.cli(&["client", "update", "--help"]).await;
    let text = help.ok();
    for option in [
        "--name",
        "--redirect-uri",
        "--post-logout-redirect-uri",
        "--scope",
        "--trusted",
        "--alg",
        "--json",
        "Exit codes",
    ] {
        assert!(text.contains(option), "{option} in {text}");
    }
}
