//! The console's teams pages (`/+admin/teams`, `/+admin/teams/{name}`): the list, a team's
//! members and addresses, adding and removing either through the command line's own services,
//! audited naming the administrator; refusals shown on the page (400, nothing changed); 404 for
//! everyone else.

use crate::admin_console::{admin_browser, console_app, member_with_authenticator};
use crate::admin_console_people::{count, everything};
use crate::admin_people_cli::last_audit;
use crate::factor_helpers::{get, post};
use crate::helpers::browser;

const ADMIN: &str = "root@example.org";
const ADA: &str = "ada@example.org";
const PASSWORD: &str = "correct horse battery staple";
const PAGE: &str = "/+admin/teams/ops";

fn forms() -> [(&'static str, &'static str); 4] {
    [
        ("/+admin/teams/ops/members", ADA),
        ("/+admin/teams/ops/members/remove", ADA),
        ("/+admin/teams/ops/addresses", "oncall@example.org"),
        ("/+admin/teams/ops/addresses/remove", "ops@example.org"),
    ]
}

#[tokio::test]
async fn every_teams_page_and_form_is_not_found_for_non_members() {
    let app = console_app().await;
    app.team("ops", "ops@example.org").await;
    app.active_person(ADA, PASSWORD).await;
    let anonymous = browser();
    let member_of_nothing = app.sign_in_other(ADA, PASSWORD).await;
    let before = everything(&app).await;
    for client in [&anonymous, &member_of_nothing] {
        for page in ["/+admin/teams", PAGE, "/+admin/teams/admins"] {
            assert_eq!(app.status_as(client, page).await, 404, "{page}");
        }
        for (path, email) in forms() {
            let res = client
                .post(format!("{}{path}", app.address))
                .form(&[("csrf_token", "x"), ("email", email)])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status().as_u16(), 404, "{path}");
        }
    }
    assert_eq!(everything(&app).await, before, "nothing changed");
}

#[tokio::test]
async fn an_admin_adds_and_removes_a_member_and_an_address_each_audited() {
    let app = console_app().await;
    app.team("ops", "ops@example.org").await;
    app.active_person(ADA, PASSWORD).await;
    let secret = member_with_authenticator(&app).await;
    let admin = admin_browser(&app, &secret).await;
    let list = get(&app, &admin, "/+admin/teams").await;
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains(&format!("href=\"{PAGE}\"")),
        "{}",
        list.body
    );
    assert!(list.body.contains("admins"));
    let by = format!("(by admin:{ADMIN})");

    let added = post(
        &app,
        &admin,
        PAGE,
        &format!("{PAGE}/members"),
        &[("email", ADA)],
    )
    .await;
    assert_eq!(
        added.location.as_deref(),
        Some("/+admin/teams/ops?done=member-added")
    );
    let (_, detail) = last_audit(&app, "TeamMemberAdded").await;
    assert_eq!(detail, format!("{ADA} joined ops {by}"));
    let shown = get(&app, &admin, PAGE).await;
    assert!(shown.body.contains(ADA), "{}", shown.body);

    let address = "oncall@example.org";
    let added = post(
        &app,
        &admin,
        PAGE,
        &format!("{PAGE}/addresses"),
        &[("email", address)],
    )
    .await;
    assert_eq!(added.status, 303);
    let (_, detail) = last_audit(&app, "TeamAddressAdded").await;
    assert_eq!(detail, format!("{address} added to ops {by}"));
    assert!(get(&app, &admin, PAGE).await.body.contains(address));

    let removed = post(
        &app,
        &admin,
        PAGE,
        &format!("{PAGE}/addresses/remove"),
        &[("email", address)],
    )
    .await;
    assert_eq!(removed.status, 303);
    let (_, detail) = last_audit(&app, "TeamAddressRemoved").await;
    assert_eq!(detail, format!("{address} removed from ops {by}"));

    let removed = post(
        &app,
        &admin,
        PAGE,
        &format!("{PAGE}/members/remove"),
        &[("email", ADA)],
    )
    .await;
    assert_eq!(removed.status, 303);
    let (_, detail) = last_audit(&app, "TeamMemberRemoved").await;
    assert_eq!(detail, format!("{ADA} left ops {by}"));
    let members = "SELECT COUNT(*) FROM team_memberships m JOIN people t ON t.id = m.team_id \
                   WHERE t.name = 'ops'";
    assert_eq!(count(&app, members).await, 0);
}

#[tokio::test]
async fn refused_team_changes_answer_400_with_the_reason_and_change_nothing() {
    let app = console_app().await;
    app.team("ops", "ops@example.org").await;
    app.team("qa", "qa@example.org").await;
    app.active_person(ADA, PASSWORD).await;
    let secret = member_with_authenticator(&app).await;
    let admin = admin_browser(&app, &secret).await;
    let before = everything(&app).await;
    for (action, email, reason) in [
        ("members", "nobody@example.org", "no person has the address"),
        ("members", "qa@example.org", "only people can be members"),
        ("members", "not an address", "not an address"),
        ("members/remove", ADA, "is not a member of ops"),
        ("addresses", ADA, "already belongs to"),
        ("addresses", "qa@example.org", "the team qa"),
        (
            "addresses",
            "ops@example.org",
            "already an address of the team ops",
        ),
        ("addresses/remove", "ops@example.org", "last address"),
        (
            "addresses/remove",
            "qa@example.org",
            "not an address of the team ops",
        ),
    ] {
        let path = format!("{PAGE}/{action}");
        let answer = post(&app, &admin, PAGE, &path, &[("email", email)]).await;
        assert_eq!(answer.status, 400, "{action} {email}");
        let error = answer.error().unwrap_or_default();
        assert!(error.contains(reason), "{action} {email}: {error}");
    }
    assert_eq!(everything(&app).await, before, "nothing changed");
    assert_eq!(get(&app, &admin, "/+admin/teams/nope").await.status, 404);
    assert_eq!(
        get(&app, &admin, "/+admin/teams/Not%20A%20Team")
            .await
            .status,
        404
    );
    let unknown = post(
        &app,
        &admin,
        PAGE,
        "/+admin/teams/nope/members",
        &[("email", ADA)],
    )
    .await;
    assert_eq!(unknown.status, 404);
}
