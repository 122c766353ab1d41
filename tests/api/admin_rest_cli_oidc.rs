//! `latchkey client show | list --json`, the audit rows of client and key changes, and
//! `audit list --person --client --json` on the real executable.

use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

async fn audit_json(app: &TestApp, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["audit", "list", "--json"];
    all.extend_from_slice(args);
    json(app.cli(&all).await.ok())
        .as_array()
        .cloned()
        .unwrap_or_default()
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
    let text = out.ok();
    text.lines()
        .find_map(|l| l.strip_prefix("client_id: "))
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn client_show_and_list_print_json_without_secrets() {
    let app = spawn_app().await;
    let id = add_client(&app, "Wiki").await;
    let show = json(app.cli(&["client", "show", &id, "--json"]).await.ok());
    assert_eq!(show["client_id"], id.as_str());
    assert_eq!(show["name"], "Wiki");
    assert_eq!(show["confidential"], true);
    assert_eq!(show["redirect_uris"][0], "https://rp.example.org/cb");
    assert!(show.get("secret_hash").is_none() && show.get("client_secret").is_none());
    let text = app.cli(&["client", "show", &id]).await.ok().to_owned();
    assert!(text.contains("name:          Wiki"), "{text}");
    let list = json(app.cli(&["client", "list", "--json"]).await.ok());
    assert_eq!(list[0]["client_id"], id.as_str());
    assert!(
        app.cli(&["client", "show", "nope"])
            .await
            .fails_with(1)
            .contains("nope")
    );
}

#[tokio::test]
async fn client_and_key_changes_are_audited_with_the_os_user() {
    let app = spawn_app().await;
    let id = add_client(&app, "Wiki").await;
    app.cli(&["client", "rotate-secret", &id]).await.ok();
    app.cli(&["keys", "rotate", "--alg", "EdDSA"]).await.ok();
    app.cli(&["client", "remove", &id]).await.ok();

    let rows = audit_json(&app, &["--client", &id]).await;
    let codes: Vec<&str> = rows.iter().map(|r| r["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        ["ClientCreated", "ClientSecretRotated", "ClientRemoved"]
    );
    for row in &rows {
        let detail = row["detail"].as_str().unwrap();
        assert!(detail.contains("(by cli:"), "{detail}");
        assert!(!detail.contains("secret_"), "no secret in {detail}");
        assert_eq!(
            row["remote_addr"].as_str().map(|r| r.starts_with("cli:")),
            Some(true)
        );
    }
    let keys = audit_json(&app, &["--code", "KeyRotated"]).await;
    assert_eq!(keys.len(), 1);
    assert!(keys[0]["detail"].as_str().unwrap().contains("EdDSA"));
}

#[tokio::test]
async fn audit_list_filters_by_person_and_refuses_an_unknown_one() {
    let app = spawn_app().await;
    app.cli(&["person", "placeholder", "ann@example.org"])
        .await
        .ok();
    app.cli(&["person", "placeholder", "bob@example.org"])
        .await
        .ok();
    let rows = audit_json(&app, &["--person", "Ann@example.org"]).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["code"], "PlaceholderCreated");
    assert!(
        rows[0]["detail"]
            .as_str()
            .unwrap()
            .contains("ann@example.org")
    );
    assert!(rows[0]["occurred_at"].is_i64());
    assert!(
        app.cli(&["audit", "list", "--person", "nobody@example.org"])
            .await
            .fails_with(1)
            .contains("nobody@example.org")
    );
}
