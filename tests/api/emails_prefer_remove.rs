//! Choosing the preferred address (mail goes there, and a new ID token's `email` claim names
//! it) and removing an address: never the last confirmed one, and only with the password
//! entered within `api_keys.reauth_minutes`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use crate::api_keys::signed_in_ada;
use crate::emails_add::login_answer;
use crate::emails_helpers::{listed_in, said};
use crate::helpers::spawn_app;
use crate::oidc_helpers::{code, redeem, registered};

/// The claims of a new ID token for the signed-in person, with the `email` scope.
async fn id_token_claims(app: &crate::helpers::TestApp) -> Value {
    let rp = registered(app, false).await;
    let code = code(app, &rp, "openid email").await;
    let (status, body) = redeem(app, &rp, &code).await;
    assert_eq!(status, 200, "{body}");
    let jwt = body["id_token"].as_str().unwrap();
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

#[tokio::test]
async fn preferring_an_address_changes_the_email_claim_of_a_new_id_token() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    assert_eq!(id_token_claims(&app).await["email"], "ada@example.org");
    assert_eq!(app.add_and_confirm("ada@work.example").await.status, 303);
    // The page offers to prefer the confirmed address that is not preferred, and (the password
    // entered recently) to remove either without asking for it.
    let page = app.page("/+account").await;
    assert_eq!(
        page.matches("action=\"/+account/emails/prefer\"").count(),
        1
    );
    assert_eq!(
        page.matches("action=\"/+account/emails/remove\"").count(),
        2
    );
    assert!(!page.contains("email-remove-password"));

    let done = app.prefer_address("ADA@work.example").await;
    assert_eq!(done.status, 303);
    let page = app.page("/+account").await;
    assert!(said(&page).contains(&"ada@work.example is now your preferred address.".to_owned()));
    assert_eq!(
        listed_in(&page),
        vec![
            ("ada@work.example".to_owned(), "preferred".to_owned()),
            ("ada@example.org".to_owned(), "confirmed".to_owned()),
        ]
    );
    let claims = id_token_claims(&app).await;
    assert_eq!(claims["email"], "ada@work.example");
    assert_eq!(claims["email_verified"], true);
    let audit = app
        .cli(&["audit", "list", "--code", "EmailPreferred"])
        .await
        .stdout;
    assert!(audit.contains("ada@work.example"), "{audit}");

    // Mail now goes to the preferred address.
    app.change_password("correct horse", "a new password!")
        .await;
    app.mail_to("ada@work.example", "Your Latchkey password was changed")
        .await;
}

#[tokio::test]
async fn only_ones_own_confirmed_address_can_be_preferred() {
    let app = spawn_app().await;
    app.active_person("bob@example.org", "bob's password").await;
    signed_in_ada(&app).await;
    app.add_address("pending@example.org").await;
    for email in [
        "bob@example.org",
        "pending@example.org",
        "nobody@example.org",
    ] {
        let refused = app.prefer_address(email).await;
        assert_eq!(refused.status, 404, "{email}");
        assert_eq!(
            refused.error(),
            Some(format!("{email} is not one of your addresses."))
        );
    }
    let page = app.page("/+account").await;
    assert_eq!(listed_in(&page)[0].1, "preferred");
}

#[tokio::test]
async fn the_last_confirmed_address_cannot_be_removed() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    // Not offered on the page, and refused when asked for anyway.
    let page = app.page("/+account").await;
    assert!(!page.contains("action=\"/+account/emails/remove\""));
    let refused = app.remove_address("ada@example.org", "").await;
    assert_eq!(refused.status, 409);
    assert_eq!(
        refused.error().as_deref(),
        Some(
            "ada@example.org is your only confirmed address, so it cannot be removed. Add and confirm another one first."
        )
    );
    // An address still waiting for its link does not count.
    app.add_address("pending@example.org").await;
    assert_eq!(app.remove_address("ada@example.org", "").await.status, 409);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM email_addresses").await,
        1
    );
}

#[tokio::test]
async fn removing_an_address_needs_the_password_entered_recently_and_tells_both_addresses() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    assert_eq!(app.add_and_confirm("ada@work.example").await.status, 303);
    assert_eq!(app.prefer_address("ada@work.example").await.status, 303);

    // Signed in more than `api_keys.reauth_minutes` ago: the password is asked for.
    app.clock.advance(11 * 60);
    let page = app.page("/+account").await;
    assert!(
        page.contains("id=\"email-remove-password-"),
        "the form asks for it"
    );
    let without = app.remove_address("ada@example.org", "").await;
    assert_eq!(without.status, 403);
    assert_eq!(
        without.error().as_deref(),
        Some("Enter your password to remove an address: it was last entered too long ago.")
    );
    let wrong = app
        .remove_address("ada@example.org", "not my password")
        .await;
    assert_eq!(wrong.status, 400);
    assert_eq!(app.listed_addresses().await.len(), 2);

    let done = app.remove_address("ada@example.org", "correct horse").await;
    assert_eq!(done.status, 303, "{:?}", done.error());
    let page = app.page("/+account").await;
    assert!(
        said(&page).contains(&"ada@example.org has been removed from your account.".to_owned())
    );
    assert_eq!(
        listed_in(&page),
        vec![("ada@work.example".to_owned(), "preferred".to_owned())]
    );
    let gone = login_answer(&app, "ada@example.org", "correct horse").await;
    assert_eq!(
        gone.error().as_deref(),
        Some("Incorrect password for the provided email address.")
    );
    for to in ["ada@example.org", "ada@work.example"] {
        let text = app
            .mail_to(
                to,
                "An email address was removed from your Latchkey account",
            )
            .await
            .part("text/plain")
            .unwrap();
        assert!(
            text.contains("The address ada@example.org was removed"),
            "{text}"
        );
        assert!(text.contains("If you did not remove it"), "{text}");
    }
    let audit = app
        .cli(&["audit", "list", "--code", "EmailRemoved"])
        .await
        .stdout;
    assert!(audit.contains("ada@example.org"), "{audit}");
}

#[tokio::test]
async fn removing_the_preferred_address_makes_the_oldest_other_one_preferred() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    assert_eq!(app.add_and_confirm("second@example.org").await.status, 303);
    app.clock.advance(1);
    assert_eq!(app.add_and_confirm("third@example.org").await.status, 303);
    let done = app.remove_address("ada@example.org", "").await;
    assert_eq!(done.status, 303, "{:?}", done.error());
    assert_eq!(
        app.listed_addresses().await,
        vec![
            ("second@example.org".to_owned(), "preferred".to_owned()),
            ("third@example.org".to_owned(), "confirmed".to_owned()),
        ]
    );
    assert_eq!(id_token_claims(&app).await["email"], "second@example.org");
}
