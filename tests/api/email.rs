//! Email through a real SMTP listener on loopback: the raw message, its link, the outbox
//! surviving an SMTP outage, and links built from the configured URL only.

use latchkey::domain::PersonStatus;

use crate::helpers::spawn_app;

#[tokio::test]
async fn a_placeholder_registers_and_then_recovers_its_password_by_email_keeping_its_id() {
    let app = spawn_app().await;
    let placeholder = app.placeholder("andrelop@debian.org").await;

    // Register.
    let answer = app
        .post_login("andrelop@debian.org", "", "createaccount")
        .await;
    assert!(
        answer
            .body
            .contains("We have sent a message to andrelop@debian.org.")
    );
    let mail = app.smtp.wait_for(1).await;
    assert_eq!(mail.header("To").as_deref(), Some("andrelop@debian.org"));
    assert_eq!(
        mail.header("From").as_deref(),
        Some("Latchkey <noreply@localhost>")
    );
    assert_eq!(
        mail.header("Subject").as_deref(),
        Some("Finish creating your Latchkey account")
    );
    assert!(
        mail.header("Message-ID")
            .is_some_and(|id| id.starts_with('<') && id.ends_with("@127.0.0.1>"))
    );
    assert!(
        mail.header("Content-Type")
            .unwrap()
            .starts_with("multipart/alternative")
    );
    let link = mail.link();
    assert!(
        mail.part("text/html")
            .unwrap()
            .contains(&format!("href=\"{link}\""))
    );
    let csrf = app.csrf_from(&link).await;
    let done = app
        .post_form(
            &link,
            &[
                ("display_name", "André"),
                ("password", "first password"),
                ("password_again", "first password"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(done.status, 303);
    app.client
        .post(format!("{}/+logout", app.address))
        .send()
        .await
        .unwrap();

    // Recover.
    let answer = app
        .post_login("andrelop@debian.org", "", "resetpassword")
        .await;
    assert!(answer.error().is_none());
    let mail = app.smtp.wait_for(2).await;
    assert_eq!(
        mail.header("Subject").as_deref(),
        Some("Reset your Latchkey password")
    );
    let link = mail.link();
    let csrf = app.csrf_from(&link).await;
    let done = app
        .post_form(
            &link,
            &[
                ("password", "second password"),
                ("password_again", "second password"),
                ("csrf_token", &csrf),
            ],
        )
        .await;
    assert_eq!(done.status, 303);
    assert!(app.signed_in().await);
    let account = app.page("/+account").await;
    assert!(account.contains("André"));
    let person = app.person("andrelop@debian.org").await.unwrap();
    assert_eq!(person.id, placeholder.id);
    assert_eq!(person.status, PersonStatus::Active);
}

#[tokio::test]
async fn with_smtp_down_a_recovery_request_still_answers_and_the_mail_arrives_later() {
    let app = spawn_app().await;
    app.active_person("ada@example.org", "old password").await;
    app.smtp.stop();
    let answer = app.post_login("ada@example.org", "", "resetpassword").await;
    assert_eq!(answer.status, 200);
    assert!(
        answer
            .body
            .contains("We have sent a message to ada@example.org.")
    );

    // The worker tries, fails, and schedules a retry.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let row = sqlx::query("SELECT attempts, message_id FROM outbox")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        let attempts: i64 = sqlx::Row::get(&row, "attempts");
        if attempts >= 1 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the worker never tried"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (queued, sent, _) = latchkey::db::outbox::counts(app.db.pool()).await.unwrap();
    assert_eq!((queued, sent), (1, 0));
    let stored_id: String = sqlx::Row::get(
        &sqlx::query("SELECT message_id FROM outbox")
            .fetch_one(app.db.pool())
            .await
            .unwrap(),
        "message_id",
    );

    // The listener comes back; once the backoff has passed, the message is delivered.
    app.smtp.resume().await;
    app.clock
        .advance(latchkey::mail::worker::Schedule::default().backoff_secs(1));
    let mail = app.smtp.wait_for(1).await;
    assert_eq!(
        mail.header("Message-ID"),
        Some(stored_id),
        "the same Message-ID on retry"
    );
    assert!(mail.link().ends_with("/+resetpassword"));
    // Marking it sent may trail the delivery by a moment.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while latchkey::db::outbox::counts(app.db.pool()).await.unwrap() != (0, 1, 0) {
        assert!(tokio::time::Instant::now() < deadline, "never marked sent");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let body: String = sqlx::Row::get(
        &sqlx::query("SELECT body_text FROM outbox")
            .fetch_one(app.db.pool())
            .await
            .unwrap(),
        "body_text",
    );
    assert!(
        body.is_empty(),
        "a delivered link does not stay in the outbox"
    );
}

#[tokio::test]
async fn links_use_the_configured_url_never_the_host_header() {
    let app = spawn_app().await;
    let csrf = app.csrf_from("/+login").await;
    app.client
        .post(format!("{}/+login", app.address))
        .header("host", "evil.example")
        .header("x-forwarded-host", "evil.example")
        .form(&[
            ("email", "new@example.org"),
            ("action", "createaccount"),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .unwrap();
    let mail = app.smtp.wait_for(1).await;
    assert!(mail.link().starts_with(&app.address), "{}", mail.link());
    assert!(!mail.data.contains("evil.example"));
}

#[tokio::test]
async fn a_token_is_stored_only_as_its_hash() {
    let app = spawn_app().await;
    app.post_login("new@example.org", "", "createaccount").await;
    let link = app.smtp.wait_for(1).await.link();
    let token = link.split('/').rev().nth(1).unwrap().to_owned();
    let hashes: Vec<String> = sqlx::query("SELECT token_hash FROM login_tokens")
        .fetch_all(app.db.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| sqlx::Row::get(r, "token_hash"))
        .collect();
    assert_eq!(
        hashes,
        vec![latchkey::domain::TokenHash::of(&token).as_str().to_owned()]
    );
}
