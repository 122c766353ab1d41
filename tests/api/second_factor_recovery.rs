//! Password recovery by emailed link for a person with a second factor: the link sets the new
//! password but signs nobody in; the second step follows, as after a password.

use latchkey::clock::Clock;

use crate::factor_helpers::{
    code_for, enrol_authenticator, get, password_step, post, second_step, signed_in_person,
};
use crate::helpers::spawn_app;
use crate::login::recover;

const EMAIL: &str = "ada@example.org";
const PASSWORD: &str = "correct horse battery";
const NEW_PASSWORD: &str = "a brand new password";

#[tokio::test]
async fn recovery_by_emailed_link_for_a_person_with_a_factor_ends_at_the_second_step() {
    let app = spawn_app().await;
    signed_in_person(&app, EMAIL, PASSWORD).await;
    let secret = enrol_authenticator(&app, &app.client).await;
    // The enrolment's notice is the first mail.
    app.smtp.wait_for(1).await;
    let logout = post(&app, &app.client, "/+account", "/+logout", &[]).await;
    assert_eq!(logout.status, 303);
    assert!(!app.signed_in().await);
    app.clock.advance(60);

    let answer = recover(&app, EMAIL, NEW_PASSWORD, 2).await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    assert_eq!(answer.location.as_deref(), Some("/+login/second-step"));
    let account = get(&app, &app.client, "/+account").await;
    assert_eq!(account.status, 303, "the link alone signs nobody in");
    assert!(account.location.unwrap().starts_with("/+login"));
    let page = get(&app, &app.client, "/+login/second-step").await;
    assert_eq!(page.status, 200, "{:?}", page.location);
    assert!(page.body.contains("id=\"code\""), "{}", page.body);

    let reply = second_step(
        &app,
        &app.client,
        "authenticator",
        &code_for(&secret, app.clock.now()),
    )
    .await;
    assert_eq!(reply.status, 303, "{:?}", reply.error());
    assert!(app.signed_in().await, "signed in after the second step");
    // The new password is the password now, and it too leads to the second step.
    let browser = crate::helpers::browser();
    let again = password_step(&app, &browser, EMAIL, NEW_PASSWORD).await;
    assert_eq!(again.location.as_deref(), Some("/+login/second-step"));
}
