//! `latchkey person list | show --json | rename | reactivate | set-password | send-reset` on the
//! real executable: what each does, its JSON, and its refusals (exit 1, nothing changed).

use latchkey::db::people::find_person_by_email;
use latchkey::domain::{EmailAddress, Password, PersonStatus, StatusChange};
use serde_json::Value;

use crate::helpers::{CliOutput, TestApp, run_exe, spawn_app};

pub(crate) fn email(s: &str) -> EmailAddress {
    EmailAddress::parse(s).unwrap()
}

/// Runs the executable as the OS user `operator`, with text on standard input if given.
pub(crate) async fn admin(app: &TestApp, args: &[&str], stdin: Option<&str>) -> CliOutput {
    run_exe(
        app.test_db.dir.path(),
        args,
        &[
            ("LATCHKEY__DATABASE__URL", app.test_db.url.as_str()),
            ("USER", "operator"),
        ],
        stdin,
    )
    .await
}

/// The `remote_addr` and `detail` of the newest audit row with this code.
pub(crate) async fn last_audit(app: &TestApp, code: &str) -> (String, String) {
    let row = sqlx::query(
        "SELECT remote_addr, detail FROM audit_events WHERE code = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(code)
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    (
        sqlx::Row::get(&row, "remote_addr"),
        sqlx::Row::get(&row, "detail"),
    )
}

fn json(out: &CliOutput) -> Value {
    serde_json::from_str(out.ok()).unwrap_or_else(|e| panic!("{e}: {out:?}"))
}

#[tokio::test]
async fn person_list_filters_by_status_team_and_text_and_pages_its_json() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse battery")
        .await;
    app.active_person("bob@example.org", "correct horse battery")
        .await;
    app.placeholder("grace@example.org").await;
    app.team("analysts", "analysts@example.org").await;
    admin(
        &app,
        &["team", "add-member", "analysts", "bob@example.org"],
        None,
    )
    .await
    .ok();

    let all = json(&admin(&app, &["person", "list", "--json"], None).await);
    assert_eq!(all["total"], 3, "teams are not people: {all}");
    let mut emails: Vec<&str> = all["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["email"].as_str().unwrap())
        .collect();
    // The test clock stands still, so everyone was created at the same second.
    emails.sort_unstable();
    assert_eq!(
        emails,
        ["ada@example.org", "bob@example.org", "grace@example.org"]
    );

    let placeholders = json(
        &admin(
            &app,
            &["person", "list", "--status", "placeholder", "--json"],
            None,
        )
        .await,
    );
    assert_eq!(placeholders["total"], 1);
    assert_eq!(placeholders["people"][0]["status"], "placeholder");

    let team = json(
        &admin(
            &app,
            &["person", "list", "--team", "analysts", "--json"],
            None,
        )
        .await,
    );
    assert_eq!(team["people"][0]["email"], "bob@example.org");
    assert_eq!(team["total"], 1);

    let text = json(&admin(&app, &["person", "list", "--text", "GRACE", "--json"], None).await);
    assert_eq!(text["people"][0]["email"], "grace@example.org");

    let page = json(
        &admin(
            &app,
            &["person", "list", "--limit", "2", "--page", "2", "--json"],
            None,
        )
        .await,
    );
    assert_eq!(page["total"], 3);
    assert_eq!(page["offset"], 2);
    assert_eq!(page["people"].as_array().unwrap().len(), 1);

    let text = admin(&app, &["person", "list", "--offset", "1"], None).await;
    assert!(text.ok().contains("2–3 of 3"), "{text:?}");

    let bad = admin(&app, &["person", "list", "--status", "happy"], None).await;
    assert!(bad.fails_with(1).contains("unknown status"));
}

#[tokio::test]
async fn person_show_json_gives_status_addresses_teams_and_counts() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse battery")
        .await;
    app.team("analysts", "analysts@example.org").await;
    admin(
        &app,
        &["team", "add-member", "analysts", "ada@example.org"],
        None,
    )
    .await
    .ok();
    let doc = json(&admin(&app, &["person", "show", "ADA@example.org", "--json"], None).await);
    assert_eq!(doc["status"], "active");
    assert_eq!(doc["kind"], "person");
    assert_eq!(doc["password"], true);
    assert_eq!(doc["addresses"][0]["address"], "ada@example.org");
    assert_eq!(doc["addresses"][0]["status"], "preferred");
    assert_eq!(doc["teams"][0], "analysts");
    assert_eq!(doc["sessions"], 0);
    assert_eq!(doc["api_keys"], 0);
    assert_eq!(doc["consents"].as_array().unwrap().len(), 0);
    assert_eq!(doc["second_factors"].as_array().unwrap().len(), 0);
    assert!(!doc.to_string().contains("argon2"), "no hash in {doc}");

    let text = admin(&app, &["person", "show", "ada@example.org"], None).await;
    assert!(text.ok().contains("sessions: 0"), "{text:?}");

    let before = app.row_counts().await;
    let unknown = admin(
        &app,
        &["person", "show", "nobody@example.org", "--json"],
        None,
    )
    .await;
    assert!(unknown.fails_with(1).contains("nobody@example.org"));
    assert!(unknown.stdout.is_empty());
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn person_rename_changes_the_name_and_audits_the_os_user() {
    let app = spawn_app().await;
    app.closed_person("ada@example.org", StatusChange::Suspend)
        .await;
    let out = admin(
        &app,
        &["person", "rename", "ada@example.org", "Ada King"],
        None,
    )
    .await;
    assert!(out.ok().contains("to Ada King"), "{out:?}");
    let ada = find_person_by_email(app.db.pool(), &email("ada@example.org"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ada.display_name.as_str(), "Ada King");
    let (remote, detail) = last_audit(&app, "DisplayNameChanged").await;
    assert_eq!(remote, "cli:operator");
    assert!(detail.contains("by cli:operator"), "{detail}");

    app.team("analysts", "analysts@example.org").await;
    let before = app.row_counts().await;
    let team = admin(
        &app,
        &["person", "rename", "analysts@example.org", "X"],
        None,
    )
    .await;
    assert!(team.fails_with(1).contains("team analysts"));
    let empty = admin(&app, &["person", "rename", "ada@example.org", "  "], None).await;
    empty.fails_with(1);
    let unknown = admin(&app, &["person", "rename", "no@example.org", "X"], None).await;
    unknown.fails_with(1);
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn person_reactivate_makes_a_suspended_or_deactivated_person_active() {
    let app = spawn_app().await;
    app.closed_person("ada@example.org", StatusChange::Suspend)
        .await;
    app.closed_person("bob@example.org", StatusChange::Deactivate)
        .await;
    for who in ["ada@example.org", "bob@example.org"] {
        let out = admin(&app, &["person", "reactivate", who], None).await;
        assert!(out.ok().contains("reactivated"), "{out:?}");
        let p = find_person_by_email(app.db.pool(), &email(who))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(p.status, PersonStatus::Active);
    }
    let (remote, detail) = last_audit(&app, "PersonReactivated").await;
    assert_eq!(remote, "cli:operator");
    assert!(detail.contains("deactivated to active"), "{detail}");

    let before = app.row_counts().await;
    let again = admin(&app, &["person", "reactivate", "ada@example.org"], None).await;
    assert!(again.fails_with(1).contains("is active"));
    let unknown = admin(&app, &["person", "reactivate", "no@example.org"], None).await;
    unknown.fails_with(1);
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn person_set_password_applies_the_policy_and_ends_sessions() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse battery")
        .await;
    let before = app.row_counts().await;
    let weak = admin(
        &app,
        &["person", "set-password", "ada@example.org"],
        Some("password\n"),
    )
    .await;
    assert!(weak.fails_with(1).contains("password"));
    assert_eq!(app.row_counts().await, before);

    let out = admin(
        &app,
        &["person", "set-password", "ada@example.org"],
        Some("staple battery horse\n"),
    )
    .await;
    assert!(out.ok().contains("set the password"), "{out:?}");
    assert!(!out.stdout.contains("staple") && !out.stderr.contains("staple"));
    let ada = find_person_by_email(app.db.pool(), &email("ada@example.org"))
        .await
        .unwrap()
        .unwrap();
    let hash = ada.password_hash.unwrap();
    assert!(
        hash.verify(&Password::parse("staple battery horse").unwrap())
            .unwrap()
    );
    assert!(ada.sessions_not_before > 0, "earlier sessions end");
    let (remote, detail) = last_audit(&app, "PasswordChanged").await;
    assert_eq!(remote, "cli:operator");
    assert!(detail.contains("password set by cli:operator"), "{detail}");
}

#[tokio::test]
async fn person_send_reset_emails_a_recovery_link() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse battery")
        .await;
    let tokens = |app: &TestApp| {
        let pool = app.db.pool().clone();
        async move {
            let row = sqlx::query(
                "SELECT COUNT(*) AS n FROM login_tokens WHERE kind = 'password_recovery'",
            )
            .fetch_one(&pool)
            .await
            .unwrap();
            sqlx::Row::get::<i64, _>(&row, "n")
        }
    };
    assert_eq!(tokens(&app).await, 0);
    let out = admin(&app, &["person", "send-reset", "ada@example.org"], None).await;
    assert!(out.ok().contains("recovery link"), "{out:?}");
    assert_eq!(tokens(&app).await, 1);
    let (remote, detail) = last_audit(&app, "RecoveryRequested").await;
    assert_eq!(remote, "cli:operator");
    assert!(detail.contains("sent by cli:operator"), "{detail}");

    app.closed_person("bob@example.org", StatusChange::Suspend)
        .await;
    let before = app.row_counts().await;
    let suspended = admin(&app, &["person", "send-reset", "bob@example.org"], None).await;
    assert!(suspended.fails_with(1).contains("suspended"));
    let unknown = admin(&app, &["person", "send-reset", "no@example.org"], None).await;
    unknown.fails_with(1);
    assert_eq!(app.row_counts().await, before);
}
