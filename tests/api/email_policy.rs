//! The email policy: domains without a dot, `localhost` and IP addresses are refused; an
//! internationalised domain is stored in its IDNA ASCII form; mail goes to the address as
//! stored, never as typed.

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_recovery_for_a_differently_typed_address_is_sent_to_the_address_as_stored() {
    let app = spawn_app().await;
    app.active_person("r1@example.org", "a good password").await;
    let answer = app.post_login("R1@Example.ORG", "", "resetpassword").await;
    assert_eq!(answer.status, 200, "{:?}", answer.error());
    let mail = app.smtp.wait_for(1).await;
    assert_eq!(mail.rcpt_to, vec!["r1@example.org"]);
    let to = mail.header("To").unwrap();
    assert!(to.contains("r1@example.org"), "{to}");
    assert!(!mail.data.contains("R1@Example.ORG"), "{}", mail.data);
}

#[tokio::test]
async fn domains_without_a_dot_localhost_and_ip_addresses_are_refused_and_nothing_is_sent() {
    let app = spawn_app().await;
    let before = app.row_counts().await;
    for email in [
        "a@b",
        "a@localhost",
        "a@mail.localhost",
        "a@[127.0.0.1]",
        "a@127.0.0.1",
    ] {
        for action in ["createaccount", "resetpassword"] {
            let answer = app.post_login(email, "", action).await;
            assert_eq!(
                answer.error().as_deref(),
                Some("Please enter a valid email address."),
                "{email} {action}"
            );
        }
    }
    assert_eq!(app.row_counts().await, before);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(app.smtp.messages().is_empty());
}

#[tokio::test]
async fn an_internationalised_address_is_stored_in_its_ascii_form_and_found_however_typed() {
    let app = spawn_app().await;
    let answer = app
        .register("ann@b\u{fc}cher.example", "Ann", "a good password")
        .await;
    assert_eq!(answer.status, 303, "{}", answer.body);
    let mail = &app.smtp.messages()[0];
    assert_eq!(mail.rcpt_to, vec!["ann@xn--bcher-kva.example"]);
    let stored = app.count("SELECT COUNT(*) AS n FROM email_addresses WHERE address = 'ann@xn--bcher-kva.example' AND normalized_key = 'ann@xn--bcher-kva.example'").await;
    assert_eq!(stored, 1);
    for typed in [
        "ann@xn--bcher-kva.example",
        "ANN@XN--BCHER-KVA.EXAMPLE",
        "ann@B\u{dc}CHER.example",
    ] {
        let client = app.sign_in_other(typed, "a good password").await;
        assert_eq!(app.status_as(&client, "/+account").await, 200, "{typed}");
    }
    let answer = app
        .post_login("ann@xn--bcher-kva.example", "", "createaccount")
        .await;
    assert!(
        answer
            .error()
            .unwrap()
            .contains("ann@xn--bcher-kva.example"),
        "already registered, whichever way it is typed"
    );
}
