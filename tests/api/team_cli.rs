//! `latchkey team …` on the real executable.

use latchkey::db::people::{find_person_by_email, find_team_by_name};
use latchkey::db::teams::{members_of, team_names_of};
use latchkey::domain::{EmailAddress, PersonKind, TeamName};

use crate::helpers::spawn_app;

fn email(s: &str) -> EmailAddress {
    EmailAddress::parse(s).unwrap()
}

#[tokio::test]
async fn team_create_makes_a_team_that_owns_its_address() {
    let app = spawn_app().await;
    let out = app
        .cli(&[
            "team",
            "create",
            "release-team",
            "--email",
            "release@example.org",
            "--display-name",
            "Release Team",
        ])
        .await;
    assert!(
        out.ok()
            .contains("created team Release Team <release@example.org>")
    );
    let team = find_team_by_name(app.db.pool(), &TeamName::parse("release-team").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(team.kind, PersonKind::Team);
    let owner = find_person_by_email(app.db.pool(), &email("Release@example.org"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(owner.id, team.id);
}

#[tokio::test]
async fn team_add_member_and_add_address_are_stored() {
    let app = spawn_app().await;
    app.cli(&["team", "create", "qa", "--email", "qa@example.org"])
        .await
        .ok();
    app.cli(&["person", "placeholder", "tester@example.org"])
        .await
        .ok();
    let out = app
        .cli(&["team", "add-member", "qa", "Tester@example.org"])
        .await;
    assert!(out.ok().contains("added tester <Tester@example.org> to qa"));
    let out = app
        .cli(&["team", "add-address", "qa", "qa-alerts@example.org"])
        .await;
    assert!(
        out.ok()
            .contains("added the address qa-alerts@example.org to qa")
    );

    let team = find_team_by_name(app.db.pool(), &TeamName::parse("qa").unwrap())
        .await
        .unwrap()
        .unwrap();
    let members = members_of(app.db.pool(), &team.id).await.unwrap();
    assert_eq!(members.len(), 1);
    let tester = find_person_by_email(app.db.pool(), &email("tester@example.org"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        team_names_of(app.db.pool(), &tester.id).await.unwrap(),
        vec![TeamName::parse("qa").unwrap()]
    );
    let alerts_owner = find_person_by_email(app.db.pool(), &email("qa-alerts@example.org"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(alerts_owner.id, team.id);

    let show = app.cli(&["person", "show", "qa@example.org"]).await;
    let text = show.ok();
    assert!(text.contains("kind:     team"), "{text}");
    assert!(text.contains("qa-alerts@example.org (validated)"), "{text}");
    assert!(text.contains("members:  tester"), "{text}");
}

#[tokio::test]
async fn an_unknown_team_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    app.cli(&["person", "placeholder", "p@example.org"])
        .await
        .ok();
    let before = app.row_counts().await;
    let out = app
        .cli(&["team", "add-member", "ghosts", "p@example.org"])
        .await;
    assert!(out.fails_with(1).contains("there is no team named ghosts"));
    let out = app
        .cli(&["team", "add-address", "ghosts", "g@example.org"])
        .await;
    assert!(out.fails_with(1).contains("there is no team named ghosts"));
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn duplicate_teams_members_and_addresses_are_refused() {
    let app = spawn_app().await;
    app.cli(&["team", "create", "qa", "--email", "qa@example.org"])
        .await
        .ok();
    app.cli(&["person", "placeholder", "p@example.org"])
        .await
        .ok();
    app.cli(&["team", "add-member", "qa", "p@example.org"])
        .await
        .ok();
    let before = app.row_counts().await;
    let cases: [(&[&str], &str); 5] = [
        (
            &["team", "create", "qa", "--email", "other@example.org"],
            "a team named qa already exists",
        ),
        (
            &["team", "create", "qa2", "--email", "QA@example.org"],
            "already belongs to the team qa",
        ),
        (
            &["team", "add-member", "qa", "P@example.org"],
            "already a member of qa",
        ),
        (
            &["team", "add-address", "qa", "p@example.org"],
            "already belongs to p",
        ),
        (
            &["team", "add-member", "qa", "qa@example.org"],
            "only people can be members",
        ),
    ];
    for (args, message) in cases {
        let out = app.cli(args).await;
        let err = out.fails_with(1);
        assert!(err.contains(message), "{args:?}: {err}");
    }
    assert_eq!(app.row_counts().await, before);
}

#[tokio::test]
async fn malformed_team_names_and_addresses_are_refused() {
    let app = spawn_app().await;
    let before = app.row_counts().await;
    let cases: [(&[&str], &str); 4] = [
        (
            &["team", "create", "Bad Name", "--email", "b@example.org"],
            "team name",
        ),
        (
            &["team", "create", "x", "--email", "b@example.org"],
            "2 to 64 characters",
        ),
        (
            &["team", "create", "good", "--email", "not-an-address"],
            "email address",
        ),
        (&["team", "add-member", "good", "nope"], "email address"),
    ];
    for (args, message) in cases {
        let err = app.cli(args).await;
        assert!(err.fails_with(1).contains(message), "{args:?}: {err:?}");
    }
    assert_eq!(app.row_counts().await, before);
}
