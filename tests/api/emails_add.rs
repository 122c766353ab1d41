//! Adding an address on the profile page: an emailed link confirms it, and until then it signs
//! nobody in; the seed's rules (a team's address, another person's address) as on the login
//! form; the link is single-use and only for the person who asked for it.

use crate::api_keys::signed_in_ada;
use crate::emails_helpers::{VERIFY_SUBJECT, listed_in, said};
use crate::helpers::{TestApp, browser, spawn_app, spawn_app_with};
use crate::login_helpers::{Answer, csrf_in};

/// The login form's answer to `email` and `password`, in a browser of its own.
pub async fn login_answer(app: &TestApp, email: &str, password: &str) -> Answer {
    app.post_login_as(&browser(), email, password).await
}

const INCORRECT: &str = "Incorrect password for the provided email address.";

#[tokio::test]
async fn an_added_address_is_confirmed_by_its_emailed_link_and_only_then_signs_in() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;

    let sent = app.add_address("Ada.Work@Example.org").await;
    assert_eq!(sent.status, 303);
    assert_eq!(sent.location.as_deref(), Some("/+account#emails"));
    let page = app.page("/+account").await;
    assert!(
        said(&page).contains(
            &"We have sent a link to Ada.Work@Example.org. Follow it while signed in to add the address."
                .to_owned()
        ),
        "{:?}",
        said(&page)
    );
    assert_eq!(
        listed_in(&page),
        vec![
            ("ada@example.org".to_owned(), "preferred".to_owned()),
            (
                "Ada.Work@Example.org".to_owned(),
                "waiting for confirmation".to_owned()
            ),
        ]
    );
    // Waiting for its link, the address signs nobody in.
    let early = login_answer(&app, "ada.work@example.org", "correct horse").await;
    assert_eq!(early.error().as_deref(), Some(INCORRECT));

    let mail = app.mail_to("Ada.Work@Example.org", VERIFY_SUBJECT).await;
    let link = mail.link();
    assert!(link.ends_with("/+validateemail"), "{link}");
    assert!(link.starts_with(&app.address), "{link}");
    // Opening the link adds nothing: its button does.
    let shown = app.page(link.strip_prefix(&app.address).unwrap()).await;
    assert!(shown.contains("Add Ada.Work@Example.org to your Latchkey account?"));
    assert_eq!(app.listed_addresses().await.len(), 2);
    assert!(app.person("ada.work@example.org").await.is_none());

    let done = app.confirm_address(&link).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/+account#emails"));
    let page = app.page("/+account").await;
    assert!(
        said(&page).contains(&"Ada.Work@Example.org has been added to your account.".to_owned())
    );
    assert_eq!(
        listed_in(&page),
        vec![
            ("ada@example.org".to_owned(), "preferred".to_owned()),
            ("Ada.Work@Example.org".to_owned(), "confirmed".to_owned()),
        ]
    );
    let answer = login_answer(&app, "ada.work@example.org", "correct horse").await;
    assert_eq!(answer.status, 303, "{:?}", answer.error());

    // Both the account's preferred address and the new one are told.
    for to in ["ada@example.org", "Ada.Work@Example.org"] {
        let notice = app
            .mail_to(to, "An email address was added to your Latchkey account")
            .await;
        let text = notice.part("text/plain").unwrap();
        assert!(text.contains("Ada.Work@Example.org"), "{text}");
        assert!(text.contains("If you did not add it"), "{text}");
    }
    let audit = app.cli(&["audit", "list"]).await.stdout;
    assert!(
        audit.contains("EmailAddRequested") && audit.contains("EmailAdded"),
        "{audit}"
    );
}

#[tokio::test]
async fn a_team_address_is_refused_with_the_team_message() {
    let app = spawn_app().await;
    app.team("ubuntu-team", "support@ubuntu.com").await;
    signed_in_ada(&app).await;
    let refused = app.add_address("support@ubuntu.com").await;
    assert_eq!(refused.status, 400);
    assert_eq!(
        refused.error().as_deref(),
        Some(
            "The email address support@ubuntu.com can not be used to log in as it belongs to a team."
        )
    );
    // The form keeps what was typed, and nothing was sent.
    assert!(refused.body.contains("value=\"support@ubuntu.com\""));
    assert!(app.smtp.messages().is_empty());
}

#[tokio::test]
async fn another_persons_address_is_refused_as_the_login_form_would_say_it() {
    let app = spawn_app().await;
    app.active_person("bob@example.org", "bob's password").await;
    signed_in_ada(&app).await;
    let refused = app.add_address("BOB@example.org").await;
    assert_eq!(refused.status, 409);
    assert_eq!(
        refused.error().as_deref(),
        Some("The address BOB@example.org is already registered to another account.")
    );
    let own = app.add_address("ada@example.org").await;
    assert_eq!(own.status, 409);
    assert_eq!(
        own.error().as_deref(),
        Some("ada@example.org is already one of your addresses.")
    );
    let invalid = app.add_address("ada@").await;
    assert_eq!(invalid.status, 400);
    assert_eq!(
        invalid.error().as_deref(),
        Some("Please enter a valid email address.")
    );
    assert!(app.smtp.messages().is_empty());
}

#[tokio::test]
async fn in_privacy_mode_another_persons_address_gets_the_same_answer_and_no_link() {
    let app = spawn_app_with(|s| s.login.hide_account_existence = true).await;
    app.active_person("bob@example.org", "bob's password").await;
    signed_in_ada(&app).await;
    let taken = app.add_address("bob@example.org").await;
    let free = app.add_address("free@example.org").await;
    assert_eq!((taken.status, free.status), (303, 303));
    app.mail_to("free@example.org", VERIFY_SUBJECT).await;
    assert!(app.mails_to("bob@example.org", "").is_empty());
}

#[tokio::test]
async fn a_replayed_link_fails_and_the_address_is_added_once() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    app.add_address("second@example.org").await;
    let link = app
        .mail_to("second@example.org", VERIFY_SUBJECT)
        .await
        .link();
    let csrf = app.csrf_from(&link).await;
    let first = app.post_form(&link, &[("csrf_token", &csrf)]).await;
    assert_eq!(first.status, 303);
    let again = app.post_form(&link, &[("csrf_token", &csrf)]).await;
    assert_eq!(again.status, 410);
    assert!(
        again
            .error()
            .is_some_and(|e| e.contains("expired or has already been used"))
    );
    let shown = app.get(link.strip_prefix(&app.address).unwrap()).await;
    assert_eq!(shown.status(), 410);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM email_addresses WHERE normalized_key = 'second@example.org'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn a_link_works_only_for_the_person_who_asked_for_it_signed_in() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    app.add_address("second@example.org").await;
    let link = app
        .mail_to("second@example.org", VERIFY_SUBJECT)
        .await
        .link();
    let path = link.strip_prefix(&app.address).unwrap();

    // Not signed in: the login form first, which comes back here.
    let stranger = browser();
    let res = stranger.get(&link).send().await.unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/+login?next="), "{location}");

    // Someone else signed in: told so, and the link stays usable.
    app.active_person("bob@example.org", "bob's password").await;
    let bob = app.sign_in_other("bob@example.org", "bob's password").await;
    assert_eq!(app.status_as(&bob, path).await, 403);
    let csrf = csrf_in(&app.page_as(&bob, "/+account").await);
    let res = bob.post(&link).form(&[("csrf_token", &csrf)]).send();
    let tried = Answer::of(res.await.unwrap()).await;
    assert_eq!(tried.status, 403);
    assert!(
        tried
            .error()
            .is_some_and(|e| e.contains("sent for another account"))
    );
    assert!(app.person("second@example.org").await.is_none());

    assert_eq!(app.confirm_address(&link).await.status, 303);
    assert_eq!(
        app.person("second@example.org")
            .await
            .unwrap()
            .display_name
            .as_str(),
        "Test Person"
    );
}

#[tokio::test]
async fn confirming_an_address_needs_the_password_entered_recently() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    app.add_address("second@example.org").await;
    let link = app
        .mail_to("second@example.org", VERIFY_SUBJECT)
        .await
        .link();

    // Followed more than `api_keys.reauth_minutes` after signing in: the password is asked for.
    app.clock.advance(11 * 60);
    let shown = app.page(link.strip_prefix(&app.address).unwrap()).await;
    assert!(shown.contains("name=\"password\""), "{shown}");
    let csrf = csrf_in(&shown);
    let without = app.post_form(&link, &[("csrf_token", &csrf)]).await;
    assert_eq!(without.status, 403);
    assert_eq!(
        without.error().as_deref(),
        Some("Enter your password to add the address: it was last entered too long ago.")
    );
    let wrong = app
        .post_form(&link, &[("csrf_token", &csrf), ("password", "not it")])
        .await;
    assert_eq!(wrong.status, 400);
    assert!(app.person("second@example.org").await.is_none());

    let right = app
        .post_form(
            &link,
            &[("csrf_token", &csrf), ("password", "correct horse")],
        )
        .await;
    assert_eq!(right.status, 303, "{:?}", right.error());
    assert!(app.person("second@example.org").await.is_some());
}
