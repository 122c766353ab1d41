//! `latchkey person …` on the real executable, against the test database.

use latchkey::db::people::find_person_by_email;
use latchkey::domain::{EmailAddress, Password, PersonStatus};

use crate::helpers::{TestApp, spawn_app};

fn email(s: &str) -> EmailAddress {
    EmailAddress::parse(s).unwrap()
}

async fn create_ada(app: &TestApp) {
    app.cli_with_stdin(
        &[
            "person",
            "create",
            "Ada@Example.org",
            "--name",
            "Ada Lovelace",
        ],
        "correct horse battery\n",
    )
    .await
    .ok();
}

#[tokio::test]
async fn person_create_makes_an_active_person_whose_password_verifies() {
    let app = spawn_app().await;
    let out = app
        .cli_with_stdin(
            &[
                "person",
                "create",
                "Ada@Example.org",
                "--name",
                "Ada Lovelace",
            ],
            "correct horse battery\n",
        )
        .await;
    assert!(out.ok().contains("created Ada Lovelace <Ada@Example.org>"));
    assert!(!out.stdout.contains("correct horse") && !out.stderr.contains("correct horse"));
    let person = find_person_by_email(app.db.pool(), &email("ada@example.org"))
        .await
        .unwrap()
        .expect("stored under its normalised key");
    assert_eq!(person.status, PersonStatus::Active);
    let hash = person.password_hash.expect("a password hash");
    assert!(hash.as_str().starts_with("$argon2id$"));
    assert!(
        hash.verify(&Password::parse("correct horse battery").unwrap())
            .unwrap()
    );
    assert!(
        !hash
            .verify(&Password::parse("wrong horse battery").unwrap())
            .unwrap()
    );
}

#[tokio::test]
async fn person_show_lists_status_addresses_and_teams() {
    let app = spawn_app().await;
    create_ada(&app).await;
    app.cli(&[
        "team",
        "create",
        "analysts",
        "--email",
        "analysts@example.org",
    ])
    .await
    .ok();
    app.cli(&["team", "add-member", "analysts", "ada@example.org"])
        .await
        .ok();
    let out = app.cli(&["person", "show", "ADA@example.ORG"]).await;
    let text = out.ok();
    assert!(text.contains("Ada Lovelace"), "{text}");
    assert!(text.contains("status:   active"), "{text}");
    assert!(text.contains("Ada@Example.org (preferred)"), "{text}");
    assert!(text.contains("teams:    analysts"), "{text}");
    assert!(text.contains("password: set"), "{text}");
}

#[tokio::test]
async fn person_placeholder_makes_a_profile_without_a_password() {
    let app = spawn_app().await;
    let out = app
        .cli(&["person", "placeholder", "grace@example.org"])
        .await;
    assert!(
        out.ok()
            .contains("created placeholder grace <grace@example.org>")
    );
    let person = find_person_by_email(app.db.pool(), &email("grace@example.org"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(person.status, PersonStatus::Placeholder);
    assert!(person.password_hash.is_none());
    let show = app.cli(&["person", "show", "grace@example.org"]).await;
    assert!(show.ok().contains("grace@example.org (new)"));
}

#[tokio::test]
async fn person_placeholder_takes_a_display_name() {
    let app = spawn_app().await;
    app.cli(&[
        "person",
        "placeholder",
        "g@example.org",
        "--name",
        "Grace Hopper",
    ])
    .await
    .ok();
    let show = app.cli(&["person", "show", "g@example.org"]).await;
    assert!(show.ok().contains("Grace Hopper"));
}

#[tokio::test]
async fn person_suspend_and_deactivate_change_the_status() {
    let app = spawn_app().await;
    create_ada(&app).await;
    app.cli_with_stdin(
        &["person", "create", "bob@example.org", "--name", "Bob"],
        "hunter2 hunts again",
    )
    .await
    .ok();
    assert!(
        app.cli(&["person", "suspend", "ada@example.org"])
            .await
            .ok()
            .contains("suspended")
    );
    assert!(
        app.cli(&["person", "deactivate", "bob@example.org"])
            .await
            .ok()
            .contains("deactivated")
    );
    let ada = find_person_by_email(app.db.pool(), &email("ada@example.org"))
        .await
        .unwrap()
        .unwrap();
    let bob = find_person_by_email(app.db.pool(), &email("bob@example.org"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ada.status, PersonStatus::Suspended);
    assert_eq!(bob.status, PersonStatus::Deactivated);
}

#[tokio::test]
async fn a_malformed_email_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let before = app.row_counts().await;
    for args in [
        vec!["person", "create", "not-an-address", "--name", "X"],
        vec!["person", "placeholder", "a@@b"],
        vec!["person", "suspend", "nobody"],
        vec!["person", "deactivate", ""],
        vec!["person", "show", "x y@z.org"],
    ] {
        let out = app.cli_with_stdin(&args, "long enough password\n").await;
        let err = out.fails_with(1);
        assert!(err.contains("email address"), "{args:?}: {err}");
    }
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn a_duplicate_address_is_refused_whatever_its_spelling() {
    let app = spawn_app().await;
    create_ada(&app).await;
    let before = app.row_counts().await;
    let out = app
        .cli_with_stdin(
            &["person", "create", "ADA@example.org", "--name", "Imposter"],
            "another password\n",
        )
        .await;
    assert!(
        out.fails_with(1)
            .contains("already belongs to Ada Lovelace")
    );
    let out = app.cli(&["person", "placeholder", "ada@EXAMPLE.org"]).await;
    assert!(
        out.fails_with(1)
            .contains("already belongs to Ada Lovelace")
    );
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn a_team_address_cannot_become_a_person() {
    let app = spawn_app().await;
    app.cli(&["team", "create", "ops", "--email", "ops@example.org"])
        .await
        .ok();
    let before = app.row_counts().await;
    let out = app
        .cli_with_stdin(
            &["person", "create", "ops@example.org", "--name", "Ops"],
            "long enough password\n",
        )
        .await;
    assert!(out.fails_with(1).contains("the team ops"));
    let out = app.cli(&["person", "suspend", "ops@example.org"]).await;
    assert!(out.fails_with(1).contains("belongs to the team ops"));
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn a_short_or_mismatched_password_is_refused() {
    let app = spawn_app().await;
    let before = app.row_counts().await;
    let out = app
        .cli_with_stdin(
            &["person", "create", "c@example.org", "--name", "C"],
            "short\n",
        )
        .await;
    assert!(out.fails_with(1).contains("at least 8 characters"));
    let out = app
        .cli_with_stdin(&["person", "create", "c@example.org", "--name", "C"], "")
        .await;
    assert!(out.fails_with(1).contains("at least 8 characters"));
    let out = app
        .cli_with_stdin(
            &["person", "create", "c@example.org", "--name", "  "],
            "long enough pw\n",
        )
        .await;
    assert!(out.fails_with(1).contains("display name"));
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn unknown_people_and_impossible_transitions_are_refused() {
    let app = spawn_app().await;
    create_ada(&app).await;
    app.cli(&["person", "placeholder", "p@example.org"])
        .await
        .ok();
    let before = app.row_counts().await;
    assert!(
        app.cli(&["person", "suspend", "nobody@example.org"])
            .await
            .fails_with(1)
            .contains("no person or team")
    );
    assert!(
        app.cli(&["person", "show", "nobody@example.org"])
            .await
            .fails_with(1)
            .contains("no person or team")
    );
    assert!(
        app.cli(&["person", "deactivate", "p@example.org"])
            .await
            .fails_with(1)
            .contains("placeholder: it cannot be deactivated")
    );
    app.cli(&["person", "suspend", "ada@example.org"])
        .await
        .ok();
    let before_second = app.row_counts().await;
    assert!(
        app.cli(&["person", "suspend", "ada@example.org"])
            .await
            .fails_with(1)
            .contains("suspended: it cannot be suspended")
    );
    assert_eq!(app.row_counts().await, before_second);
    assert_ne!(before, before_second, "the first suspension was audited");
}

#[tokio::test]
async fn sql_in_inputs_is_stored_as_plain_data() {
    let app = spawn_app().await;
    app.cli_with_stdin(
        &[
            "person",
            "create",
            "o'brien@example.org",
            "--name",
            "Robert'); DROP TABLE people;--",
        ],
        "long enough password\n",
    )
    .await
    .ok();
    let show = app.cli(&["person", "show", "o'brien@example.org"]).await;
    assert!(show.ok().contains("Robert'); DROP TABLE people;--"));
}

#[tokio::test]
async fn usage_errors_exit_with_2() {
    let app = spawn_app().await;
    let out = app.cli(&["person", "create", "x@example.org"]).await;
    assert_eq!(out.code, 2, "{out:?}");
    assert!(out.stderr.contains("--name"));
    let out = app.cli(&["person", "frobnicate"]).await;
    assert_eq!(out.code, 2, "{out:?}");
}

#[tokio::test]
async fn every_command_has_help() {
    let app = spawn_app().await;
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["person", "--help"],
        vec!["person", "create", "--help"],
        vec!["person", "placeholder", "--help"],
        vec!["person", "suspend", "--help"],
        vec!["person", "deactivate", "--help"],
        vec!["person", "show", "--help"],
        vec!["team", "--help"],
        vec!["team", "create", "--help"],
        vec!["team", "add-member", "--help"],
        vec!["team", "add-address", "--help"],
        vec!["audit", "--help"],
        vec!["audit", "list", "--help"],
        vec!["keys", "rotate", "--help"],
        vec!["client", "--help"],
        vec!["client", "add", "--help"],
        vec!["client", "list", "--help"],
        vec!["client", "remove", "--help"],
        vec!["client", "rotate-secret", "--help"],
    ] {
        let out = app.cli(&args).await;
        assert!(out.ok().contains("Usage:"), "{args:?}");
    }
}
