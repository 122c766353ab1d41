//! `latchkey audit list`: every administrative change leaves one line, and filters work.

use crate::helpers::spawn_app;

#[tokio::test]
async fn administrative_changes_are_listed_in_order() {
    let app = spawn_app().await;
    app.cli_with_stdin(
        &["person", "create", "ada@example.org", "--name", "Ada"],
        "long enough password\n",
    )
    .await
    .ok();
    app.cli(&["person", "placeholder", "p@example.org"])
        .await
        .ok();
    app.cli(&["team", "create", "qa", "--email", "qa@example.org"])
        .await
        .ok();
    app.cli(&["team", "add-member", "qa", "ada@example.org"])
        .await
        .ok();
    app.cli(&["team", "add-address", "qa", "qa2@example.org"])
        .await
        .ok();
    app.cli(&["person", "deactivate", "ada@example.org"])
        .await
        .ok();
    app.cli(&["person", "suspend", "p@example.org"]).await.ok();

    let out = app.cli(&["audit", "list"]).await;
    let codes: Vec<&str> = out
        .ok()
        .lines()
        .map(|l| l.split_whitespace().nth(1).unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "PersonCreated",
            "PlaceholderCreated",
            "TeamCreated",
            "TeamMemberAdded",
            "TeamAddressAdded",
            "PersonDeactivated",
            "PersonSuspended"
        ]
    );
    assert!(out.stdout.lines().all(|l| l.contains("from=cli")));
    assert!(
        !out.stdout.contains("long enough password"),
        "no secret in the trail"
    );
}

#[tokio::test]
async fn audit_list_filters_by_code_and_limit() {
    let app = spawn_app().await;
    for n in 0..3 {
        app.cli(&["person", "placeholder", &format!("p{n}@example.org")])
            .await
            .ok();
    }
    app.cli(&["team", "create", "qa", "--email", "qa@example.org"])
        .await
        .ok();
    let out = app
        .cli(&["audit", "list", "--code", "placeholdercreated"])
        .await;
    assert_eq!(out.ok().lines().count(), 3);
    let out = app.cli(&["audit", "list", "--limit", "2"]).await;
    let text = out.ok();
    assert_eq!(text.lines().count(), 2);
    assert!(
        text.contains("p2@example.org") && text.contains("TeamCreated"),
        "the newest two: {text}"
    );
    let out = app.cli(&["audit", "list", "--since", "1h"]).await;
    assert_eq!(out.ok().lines().count(), 4);
    let out = app
        .cli(&["audit", "list", "--since", "2999-01-01T00:00:00Z"])
        .await;
    assert_eq!(out.ok().lines().count(), 0);
}

#[tokio::test]
async fn audit_list_refuses_bad_filters() {
    let app = spawn_app().await;
    assert!(
        app.cli(&["audit", "list", "--code", "Bogus"])
            .await
            .fails_with(1)
            .contains("unknown event code")
    );
    assert!(
        app.cli(&["audit", "list", "--since", "whenever"])
            .await
            .fails_with(1)
            .contains("--since")
    );
    assert_eq!(app.cli(&["audit", "list", "--limit", "0"]).await.code, 2);
}
