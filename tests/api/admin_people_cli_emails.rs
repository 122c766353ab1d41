//! `latchkey person email add | remove | prefer`: the account page's rules, applied by an
//! administrator (an added address is confirmed at once), and refusals that change nothing.

use latchkey::db::emails::list_emails;
use latchkey::db::people::find_person_by_email;

use crate::admin_people_cli::{admin, email, last_audit};
use crate::helpers::{TestApp, spawn_app};

/// The person's addresses and their statuses, in stored order.
async fn addresses(app: &TestApp, who: &str) -> Vec<(String, String)> {
    let p = find_person_by_email(app.db.pool(), &email(who))
        .await
        .unwrap()
        .unwrap();
    list_emails(app.db.pool(), &p.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.address.to_string(), e.status.as_str().to_owned()))
        .collect()
}

#[tokio::test]
async fn person_email_add_confirms_the_address_at_once_and_audits_the_os_user() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse battery")
        .await;
    let out = admin(
        &app,
        &[
            "person",
            "email",
            "add",
            "ada@example.org",
            "Ada@Work.example",
        ],
        None,
    )
    .await;
    assert!(
        out.ok().contains("added Ada@Work.example (confirmed)"),
        "{out:?}"
    );
    assert_eq!(
        addresses(&app, "ada@example.org").await,
        [
            ("ada@example.org".to_owned(), "preferred".to_owned()),
            ("Ada@Work.example".to_owned(), "validated".to_owned())
        ]
    );
    let (remote, detail) = last_audit(&app, "EmailAdded").await;
    assert_eq!(remote, "cli:operator");
    assert!(detail.contains("confirmed by cli:operator"), "{detail}");
    let again = admin(
        &app,
        &[
            "person",
            "email",
            "add",
            "ada@example.org",
            "ada@work.example",
        ],
        None,
    )
    .await;
    assert!(again.ok().contains("already"), "{again:?}");
}

#[tokio::test]
async fn person_email_add_merges_a_placeholder_that_had_the_address() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse battery")
        .await;
    app.placeholder("a.king@example.org").await;
    app.team("analysts", "analysts@example.org").await;
    admin(
        &app,
        &["team", "add-member", "analysts", "a.king@example.org"],
        None,
    )
    .await
    .ok();
    admin(
        &app,
        &[
            "person",
            "email",
            "add",
            "ada@example.org",
            "a.king@example.org",
        ],
        None,
    )
    .await
    .ok();
    let show = admin(
        &app,
        &["person", "show", "a.king@example.org", "--json"],
        None,
    )
    .await;
    let doc: serde_json::Value = serde_json::from_str(show.ok()).unwrap();
    assert_eq!(doc["status"], "active", "the address is Ada's now: {doc}");
    assert_eq!(doc["teams"][0], "analysts", "with the placeholder's team");
    let (remote, _) = last_audit(&app, "PlaceholderMerged").await;
    assert_eq!(remote, "cli:operator");
}

#[tokio::test]
async fn person_email_add_refuses_a_team_address_or_another_persons_and_changes_nothing() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse battery")
        .await;
    app.active_person("bob@example.org", "correct horse battery")
        .await;
    app.team("analysts", "analysts@example.org").await;
    let before = app.row_counts().await;
    let team = admin(
        &app,
        &[
            "person",
            "email",
            "add",
            "ada@example.org",
            "analysts@example.org",
        ],
        None,
    )
    .await;
    assert!(team.fails_with(1).contains("team analysts"), "{team:?}");
    let taken = admin(
        &app,
        &[
            "person",
            "email",
            "add",
            "ada@example.org",
            "bob@example.org",
        ],
        None,
    )
    .await;
    assert!(taken.fails_with(1).contains("another person"), "{taken:?}");
    let unknown = admin(
        &app,
        &[
            "person",
            "email",
            "add",
            "no@example.org",
            "new@example.org",
        ],
        None,
    )
    .await;
    unknown.fails_with(1);
    let onto_team = admin(
        &app,
        &[
            "person",
            "email",
            "add",
            "analysts@example.org",
            "new@example.org",
        ],
        None,
    )
    .await;
    onto_team.fails_with(1);
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn person_email_remove_never_removes_the_last_confirmed_address() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse battery")
        .await;
    let before = app.row_counts().await;
    let last = admin(
        &app,
        &[
            "person",
            "email",
            "remove",
            "ada@example.org",
            "ada@example.org",
        ],
        None,
    )
    .await;
    assert!(last.fails_with(1).contains("last confirmed"), "{last:?}");
    let not_theirs = admin(
        &app,
        &[
            "person",
            "email",
            "remove",
            "ada@example.org",
            "x@example.org",
        ],
        None,
    )
    .await;
    not_theirs.fails_with(1);
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn person_email_prefer_then_remove_moves_the_preferred_address() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "correct horse battery")
        .await;
    admin(
        &app,
        &[
            "person",
            "email",
            "add",
            "ada@example.org",
            "ada@work.example",
        ],
        None,
    )
    .await
    .ok();
    let out = admin(
        &app,
        &[
            "person",
            "email",
            "prefer",
            "ada@example.org",
            "ada@work.example",
        ],
        None,
    )
    .await;
    assert!(out.ok().contains("preferred"), "{out:?}");
    assert_eq!(last_audit(&app, "EmailPreferred").await.0, "cli:operator");
    let out = admin(
        &app,
        &[
            "person",
            "email",
            "remove",
            "ada@work.example",
            "ada@example.org",
        ],
        None,
    )
    .await;
    assert!(out.ok().contains("removed ada@example.org"), "{out:?}");
    assert_eq!(
        addresses(&app, "ada@work.example").await,
        [("ada@work.example".to_owned(), "preferred".to_owned())]
    );
    assert_eq!(last_audit(&app, "EmailRemoved").await.0, "cli:operator");
}
