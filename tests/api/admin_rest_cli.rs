//! `latchkey team list | show | remove-member | remove-address | rename | delete` and
//! `latchkey completions` on the real executable.

use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};

async fn team_with_a_member(app: &TestApp) {
    app.cli(&["team", "create", "qa", "--email", "qa@example.org"])
        .await
        .ok();
    app.cli(&["team", "add-address", "qa", "qa-alerts@example.org"])
        .await
        .ok();
    app.cli(&["person", "placeholder", "tester@example.org"])
        .await
        .ok();
    app.cli(&["team", "add-member", "qa", "tester@example.org"])
        .await
        .ok();
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

async fn audit_line(app: &TestApp, code: &str) -> String {
    app.cli(&["audit", "list", "--code", code])
        .await
        .ok()
        .to_owned()
}

#[tokio::test]
async fn team_list_and_show_print_text_and_json() {
    let app = spawn_app().await;
    team_with_a_member(&app).await;
    app.cli(&["team", "create", "docs", "--email", "docs@example.org"])
        .await
        .ok();

    let text = app.cli(&["team", "list"]).await.ok().to_owned();
    assert!(
        text.contains("qa") && text.contains("1 member(s)"),
        "{text}"
    );
    let list = json(app.cli(&["team", "list", "--json"]).await.ok());
    assert_eq!(list[0]["name"], "docs");
    assert_eq!(list[0]["members"], 0);
    assert_eq!(list[1]["name"], "qa");
    assert_eq!(list[1]["members"], 1);

    let show = json(app.cli(&["team", "show", "qa", "--json"]).await.ok());
    assert_eq!(show["name"], "qa");
    let mut addresses: Vec<&str> = show["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    addresses.sort_unstable();
    assert_eq!(addresses, ["qa-alerts@example.org", "qa@example.org"]);
    assert_eq!(show["members"][0]["email"], "tester@example.org");
    let text = app.cli(&["team", "show", "qa"]).await.ok().to_owned();
    assert!(
        text.contains("member:    tester <tester@example.org>"),
        "{text}"
    );

    assert!(
        app.cli(&["team", "show", "nobody"])
            .await
            .fails_with(1)
            .contains("no team named nobody")
    );
}

#[tokio::test]
async fn team_remove_member_and_address_are_audited_with_the_os_user() {
    let app = spawn_app().await;
    team_with_a_member(&app).await;

    let out = app
        .cli(&["team", "remove-member", "qa", "tester@example.org"])
        .await;
    assert!(out.ok().contains("removed tester@example.org from qa"));
    let show = json(app.cli(&["team", "show", "qa", "--json"]).await.ok());
    assert_eq!(show["members"], serde_json::json!([]));
    let line = audit_line(&app, "TeamMemberRemoved").await;
    assert!(
        line.contains("tester@example.org left qa (by cli:"),
        "{line}"
    );

    app.cli(&["team", "remove-address", "qa", "qa@example.org"])
        .await
        .ok();
    let show = json(app.cli(&["team", "show", "qa", "--json"]).await.ok());
    assert_eq!(
        show["addresses"],
        serde_json::json!(["qa-alerts@example.org"])
    );
    let line = audit_line(&app, "TeamAddressRemoved").await;
    assert!(
        line.contains("qa@example.org removed from qa (by cli:"),
        "{line}"
    );
}

#[tokio::test]
async fn team_removals_that_cannot_be_done_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    team_with_a_member(&app).await;
    app.cli(&["person", "placeholder", "outsider@example.org"])
        .await
        .ok();
    app.cli(&["team", "remove-address", "qa", "qa@example.org"])
        .await
        .ok();
    let before = app.row_counts().await;

    let refusals: [(&[&str], &str); 5] = [
        (
            &["team", "remove-member", "qa", "outsider@example.org"],
            "not a member",
        ),
        (
            &["team", "remove-member", "nobody", "tester@example.org"],
            "no team named",
        ),
        (
            &["team", "remove-address", "qa", "qa-alerts@example.org"],
            "last address",
        ),
        (
            &["team", "remove-address", "qa", "outsider@example.org"],
            "not an address of the team",
        ),
        (&["team", "delete", "qa"], "still has 1 member"),
    ];
    for (args, why) in refusals {
        let out = app.cli(args).await;
        assert!(out.fails_with(1).contains(why), "{args:?}: {out:?}");
    }
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn team_rename_and_delete_are_audited() {
    let app = spawn_app().await;
    team_with_a_member(&app).await;
    app.cli(&["team", "create", "docs", "--email", "docs@example.org"])
        .await
        .ok();
    let before = app.row_counts().await;
    assert!(
        app.cli(&["team", "rename", "qa", "docs"])
            .await
            .fails_with(1)
            .contains("already exists")
    );
    assert!(
        app.cli(&["team", "rename", "qa", "Not A Handle"])
            .await
            .fails_with(1)
            .contains("Not A Handle")
    );
    assert_eq!(app.row_counts().await, before);

    assert!(
        app.cli(&["team", "rename", "qa", "quality"])
            .await
            .ok()
            .contains("renamed qa to quality")
    );
    let show = json(app.cli(&["team", "show", "quality", "--json"]).await.ok());
    assert_eq!(show["members"][0]["email"], "tester@example.org");
    let line = audit_line(&app, "TeamRenamed").await;
    assert!(line.contains("qa renamed to quality (by cli:"), "{line}");

    app.cli(&["team", "delete", "quality", "--force"])
        .await
        .ok();
    app.cli(&["team", "delete", "docs"]).await.ok();
    let list = json(app.cli(&["team", "list", "--json"]).await.ok());
    assert_eq!(list, serde_json::json!([]));
    let lines = audit_line(&app, "TeamDeleted").await;
    assert_eq!(lines.lines().count(), 2, "{lines}");
    assert!(lines.contains("team quality deleted (by cli:"), "{lines}");
    // The member stays a person; the team's addresses are free again.
    app.cli(&["person", "show", "tester@example.org"])
        .await
        .ok();
    app.cli(&["team", "create", "qa", "--email", "qa@example.org"])
        .await
        .ok();
}

#[tokio::test]
async fn completions_print_a_script_for_each_shell() {
    let app = spawn_app().await;
    for shell in ["bash", "zsh", "fish"] {
        let out = app.cli(&["completions", shell]).await;
        let script = out.ok();
        assert!(script.contains("remove-member"), "{shell}");
    }
    let out = app.cli(&["completions", "powershell"]).await;
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("possible values: bash, zsh, fish"));
}
