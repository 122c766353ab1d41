//! The same client changes once from the command line and once from the console, on two
//! similar clients: the same resulting state and the same audit rows but for the actor.

use latchkey::db::clients::{Client, find_client};
use serde_json::Value;

use crate::admin_console::console_app;
use crate::admin_console_clients::{ADMIN, admin, edit_fields, secret_in};
use crate::factor_helpers::post;
use crate::helpers::TestApp;

async fn add(app: &TestApp, name: &str) -> String {
    let out = app
        .cli(&[
            "client",
            "add",
            "--name",
            name,
            "--redirect-uri",
            "https://rp.example.com/cb",
        ])
        .await;
    out.ok()
        .lines()
        .find_map(|l| l.strip_prefix("client_id: "))
        .unwrap()
        .to_owned()
}

async fn stored(app: &TestApp, id: &str) -> Client {
    find_client(app.db.pool(), id).await.unwrap().unwrap()
}

/// The client's settings, without what differs between two clients by nature.
fn settings(c: &Client) -> (String, Vec<String>, Vec<String>, String, bool, &'static str) {
    (
        c.name.clone(),
        c.redirect_uris.clone(),
        c.post_logout_redirect_uris.clone(),
        c.allowed_scopes.to_string(),
        c.trusted,
        c.id_token_alg.as_str(),
    )
}

/// The audit rows naming `id`, as (code, detail with the id and the actor made neutral).
async fn rows_of(app: &TestApp, id: &str, actor: &str) -> Vec<(String, String)> {
    let all: Value = serde_json::from_str(
        app.cli(&["audit", "list", "--client", id, "--json"])
            .await
            .ok(),
    )
    .unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["code"] != "ClientCreated")
        .map(|r| {
            let detail = r["detail"].as_str().unwrap();
            assert!(
                detail.ends_with(&format!("(by {actor})")) || actor == "cli:",
                "{detail}"
            );
            let detail = detail.replace(id, "ID");
            let neutral = match detail.rfind(" (by ") {
                Some(at) => detail[..at].to_owned(),
                None => detail,
            };
            (r["code"].as_str().unwrap().to_owned(), neutral)
        })
        .collect()
}

#[tokio::test]
async fn client_update_rotate_and_remove_do_the_same_from_the_command_line_and_the_console() {
    let app = console_app().await;
    let by_cli = add(&app, "Wiki").await;
    let by_console = add(&app, "Wiki").await;
    let admin = admin(&app).await;
    let uris = "https://rp.example.com/a\nhttps://rp.example.com/b";

    app.cli(&[
        "client",
        "update",
        &by_cli,
        "--name",
        "Wiki 2",
        "--redirect-uri",
        "https://rp.example.com/a",
        "--redirect-uri",
        "https://rp.example.com/b",
        "--post-logout-redirect-uri",
        "https://rp.example.com/bye",
        "--scope",
        "openid profile email",
        "--trusted",
        "on",
        "--alg",
        "EdDSA",
    ])
    .await
    .ok();
    let page = format!("/+admin/clients/{by_console}");
    let saved = post(
        &app,
        &admin,
        &page,
        &page,
        &edit_fields("Wiki 2", uris, true),
    )
    .await;
    assert_eq!(saved.status, 303);
    let (cli_client, console_client) =
        (stored(&app, &by_cli).await, stored(&app, &by_console).await);
    assert_eq!(settings(&cli_client), settings(&console_client));

    let cli_secret = app
        .cli(&["client", "rotate-secret", &by_cli])
        .await
        .ok()
        .to_owned();
    assert!(cli_secret.contains("lk_cs_"));
    let rotated = post(&app, &admin, &page, &format!("{page}/rotate-secret"), &[]).await;
    assert!(secret_in(&rotated.body).is_some());
    assert_ne!(
        stored(&app, &by_cli).await.secret_hash,
        cli_client.secret_hash
    );
    assert_ne!(
        stored(&app, &by_console).await.secret_hash,
        console_client.secret_hash
    );

    app.cli(&["client", "remove", &by_cli]).await.ok();
    let confirm = format!("{page}/remove");
    assert_eq!(
        post(&app, &admin, &confirm, &confirm, &[]).await.status,
        303
    );
    for id in [&by_cli, &by_console] {
        assert!(find_client(app.db.pool(), id).await.unwrap().is_none());
    }

    let from_cli = rows_of(&app, &by_cli, "cli:").await;
    let from_console = rows_of(&app, &by_console, &format!("admin:{ADMIN}")).await;
    let codes: Vec<&str> = from_cli.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        codes,
        ["ClientChanged", "ClientSecretRotated", "ClientRemoved"]
    );
    assert_eq!(from_cli, from_console);
}
