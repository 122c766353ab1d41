//! Who owns an address in the end: a placeholder's address is claimed and the placeholder
//! merged into the person; an address waiting for its link keeps nobody from registering it;
//! a link followed after the address was taken fails cleanly; and of two people confirming one
//! address at once, exactly one gets it.

use latchkey::db::emails::{insert_email, list_emails};
use latchkey::db::people::find_person_by_id;
use latchkey::domain::{EmailAddress, EmailStatus, TeamName};
use latchkey::service::admin::teams::add_member;
use latchkey::service::teams::teams_of;

use crate::api_keys::signed_in_ada;
use crate::emails_add::login_answer;
use crate::emails_helpers::VERIFY_SUBJECT;
use crate::helpers::{TestApp, spawn_app};

async fn join(app: &TestApp, team: &str, email: &str) {
    add_member(
        &app.ctx,
        &TeamName::parse(team).unwrap(),
        &EmailAddress::parse(email).unwrap(),
        &latchkey::service::admin::Actor::cli(),
    )
    .await
    .unwrap();
}

/// Waits for `n` confirmation links mailed to `to`; returns them in the order they came.
async fn links_to(app: &TestApp, to: &str, n: usize) -> Vec<String> {
    for _ in 0..200 {
        let mails = app.mails_to(to, VERIFY_SUBJECT);
        if mails.len() >= n {
            return mails.iter().map(crate::smtp::RawEmail::link).collect();
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("fewer than {n} links to {to}");
}

#[tokio::test]
async fn claiming_a_placeholders_address_merges_the_placeholder_into_the_person() {
    let app = spawn_app().await;
    let placeholder = app.placeholder("andrelop@debian.org").await;
    let other = EmailAddress::parse("andre@example.net").unwrap();
    insert_email(app.db.pool(), &placeholder.id, &other, EmailStatus::New, 0)
        .await
        .unwrap();
    app.team("debian", "team@debian.org").await;
    app.team("ubuntu", "team@ubuntu.com").await;
    join(&app, "debian", "andrelop@debian.org").await;
    join(&app, "ubuntu", "andrelop@debian.org").await;
    signed_in_ada(&app).await;
    join(&app, "ubuntu", "ada@example.org").await;
    let ada = app.person("ada@example.org").await.unwrap();

    assert_eq!(app.add_address("andrelop@debian.org").await.status, 303);
    let link = app
        .mail_to("andrelop@debian.org", VERIFY_SUBJECT)
        .await
        .link();
    assert_eq!(app.confirm_address(&link).await.status, 303);

    // The placeholder is gone; its addresses and memberships are Ada's.
    assert!(
        find_person_by_id(app.db.pool(), &placeholder.id)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(app.person("andrelop@debian.org").await.unwrap().id, ada.id);
    let teams: Vec<String> = teams_of(&app.ctx, &ada.id)
        .await
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(teams, vec!["debian", "ubuntu"]);
    let statuses: Vec<(String, EmailStatus)> = list_emails(app.db.pool(), &ada.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.address.as_str().to_owned(), e.status))
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("ada@example.org".to_owned(), EmailStatus::Preferred),
            ("andre@example.net".to_owned(), EmailStatus::New),
            ("andrelop@debian.org".to_owned(), EmailStatus::Validated),
        ]
    );
    let audit = app
        .cli(&["audit", "list", "--code", "PlaceholderMerged"])
        .await
        .stdout;
    assert!(audit.contains(placeholder.id.as_str()), "{audit}");

    // The placeholder's unconfirmed address came along, unconfirmed: it signs nobody in and
    // cannot be preferred until its own link is followed.
    let early = login_answer(&app, "andre@example.net", "correct horse").await;
    assert_eq!(
        early.error().as_deref(),
        Some("Incorrect password for the provided email address.")
    );
    let unconfirmed = app.prefer_address("andre@example.net").await;
    assert_eq!(unconfirmed.status, 409);
    assert_eq!(
        unconfirmed.error().as_deref(),
        Some(
            "Only a confirmed address can be preferred. Follow the link we sent to andre@example.net first."
        )
    );
    assert_eq!(app.add_and_confirm("andre@example.net").await.status, 303);
    let answer = login_answer(&app, "andre@example.net", "correct horse").await;
    assert_eq!(answer.status, 303, "{:?}", answer.error());
    let claimed = login_answer(&app, "andrelop@debian.org", "correct horse").await;
    assert_eq!(claimed.status, 303, "{:?}", claimed.error());
}

#[tokio::test]
async fn an_address_waiting_for_its_link_keeps_nobody_from_registering_it() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    app.add_address("newbie@example.org").await;
    let ada_link = app
        .mail_to("newbie@example.org", VERIFY_SUBJECT)
        .await
        .link();

    // Its owner registers it meanwhile, in another browser.
    let newbie = crate::helpers::browser();
    let html = app.page_as(&newbie, "/+login").await;
    newbie
        .post(format!("{}/+login", app.address))
        .form(&[
            ("email", "newbie@example.org"),
            ("action", "createaccount"),
            ("csrf_token", &crate::login_helpers::csrf_in(&html)),
        ])
        .send()
        .await
        .unwrap();
    let link = app
        .mail_to(
            "newbie@example.org",
            "Finish creating your Latchkey account",
        )
        .await
        .link();
    let form = crate::helpers::fetch_text(&newbie, &link).await;
    let done = newbie
        .post(&link)
        .form(&[
            ("display_name", "Newbie"),
            ("password", "newbie's password"),
            ("password_again", "newbie's password"),
            ("csrf_token", &crate::login_helpers::csrf_in(&form)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 303);

    // Ada's link, followed afterwards, fails cleanly and changes nothing.
    let late = app.confirm_address(&ada_link).await;
    assert_eq!(late.status, 409);
    assert_eq!(
        late.error().as_deref(),
        Some(
            "The address newbie@example.org now belongs to another account, so it cannot be added."
        )
    );
    let owner = app.person("newbie@example.org").await.unwrap();
    assert_eq!(owner.display_name.as_str(), "Newbie");
    assert_eq!(
        app.listed_addresses().await,
        vec![("ada@example.org".to_owned(), "preferred".to_owned())]
    );
}

#[tokio::test]
async fn two_people_confirming_one_address_at_once_leave_it_with_exactly_one() {
    for placeholder in [false, true] {
        let app = spawn_app().await;
        let shared = "shared@example.org";
        if placeholder {
            app.placeholder(shared).await;
        }
        app.active_person("ada@example.org", "ada's password").await;
        app.active_person("bob@example.org", "bob's password").await;
        let ada = app.sign_in_other("ada@example.org", "ada's password").await;
        let bob = app.sign_in_other("bob@example.org", "bob's password").await;
        assert_eq!(app.add_address_as(&ada, shared).await.status, 303);
        assert_eq!(app.add_address_as(&bob, shared).await.status, 303);
        let links = links_to(&app, shared, 2).await;
        // Each link is its requester's: find Ada's by opening them as her.
        let path = |l: &String| l.strip_prefix(&app.address).unwrap().to_owned();
        let adas = if app.status_as(&ada, &path(&links[0])).await == 200 {
            0
        } else {
            1
        };
        let (a, b) = tokio::join!(
            app.confirm_address_as(&ada, &links[adas]),
            app.confirm_address_as(&bob, &links[1 - adas]),
        );
        let mut statuses = [a.status, b.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [303, 409], "placeholder: {placeholder}");
        let owner = app.person(shared).await.unwrap();
        let winner = if a.status == 303 { "ada" } else { "bob" };
        let expected = app.person(&format!("{winner}@example.org")).await.unwrap();
        assert_eq!(owner.id, expected.id);
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM people WHERE status = 'placeholder'")
                .await,
            0,
        );
        assert_eq!(
            app.count("SELECT COUNT(*) AS n FROM email_addresses WHERE normalized_key = 'shared@example.org'")
                .await,
            1
        );
    }
}
