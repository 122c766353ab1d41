//! `latchkey person reset-second-factor` and the factors in `person show`, on the real
//! executable against the test database. Factor rows are inserted directly: enrolling goes
//! through ceremonies that these tests are not about.

use latchkey::domain::PersonId;

use crate::helpers::{START, TestApp, run_exe, spawn_app};
use crate::smtp::RawEmail;

const ADA: &str = "ada@example.org";

/// A passkey row for `person` (its credential is never read here).
pub async fn insert_passkey(app: &TestApp, person: &PersonId, name: &str, used: Option<i64>) {
    sqlx::query(
        "INSERT INTO passkeys (id, person_id, name, credential_id, credential, created_at, \
         last_used_at) VALUES ($1, $2, $3, $4, '{}', $5, $6)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(person.as_str())
    .bind(name)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(START)
    .bind(used)
    .execute(app.db.pool())
    .await
    .unwrap();
}

/// An authenticator-app row for `person` (its sealed secret is never read here).
pub async fn insert_authenticator(app: &TestApp, person: &PersonId, name: &str) {
    sqlx::query(
        "INSERT INTO authenticator_apps (person_id, name, sealed_secret, created_at) \
         VALUES ($1, $2, 'sealed', $3)",
    )
    .bind(person.as_str())
    .bind(name)
    .bind(START)
    .execute(app.db.pool())
    .await
    .unwrap();
}

/// `n` unused recovery-code rows for `person`.
pub async fn insert_recovery_codes(app: &TestApp, person: &PersonId, n: usize) {
    for _ in 0..n {
        sqlx::query(
            "INSERT INTO recovery_codes (code_hash, person_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(person.as_str())
        .bind(START)
        .execute(app.db.pool())
        .await
        .unwrap();
    }
}

/// How many factor rows of every kind `person` has.
async fn factor_rows(app: &TestApp, person: &PersonId) -> i64 {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM passkeys WHERE person_id = $1) \
         + (SELECT COUNT(*) FROM authenticator_apps WHERE person_id = $1) \
         + (SELECT COUNT(*) FROM recovery_codes WHERE person_id = $1) AS n",
    )
    .bind(person.as_str())
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    sqlx::Row::get(&row, "n")
}

/// Ada, with a passkey, an authenticator app and ten recovery codes.
async fn ada_with_every_factor(app: &TestApp) -> PersonId {
    let ada = app.active_person(ADA, "correct horse").await.id;
    insert_passkey(app, &ada, "Work laptop", Some(START + 60)).await;
    insert_authenticator(app, &ada, "Phone").await;
    insert_recovery_codes(app, &ada, 10).await;
    ada
}

/// Runs `latchkey ARGS` as the OS user `operator`.
async fn cli_as_operator(app: &TestApp, args: &[&str]) -> crate::helpers::CliOutput {
    run_exe(
        app.test_db.dir.path(),
        args,
        &[
            ("LATCHKEY__DATABASE__URL", app.test_db.url.as_str()),
            ("USER", "operator"),
        ],
        None,
    )
    .await
}

#[tokio::test]
async fn reset_second_factor_removes_every_factor_audits_it_and_emails_the_person() {
    let app = spawn_app().await;
    let ada = ada_with_every_factor(&app).await;
    let grace = app
        .active_person("grace@example.org", "another horse")
        .await
        .id;
    insert_passkey(&app, &grace, "Grace's key", None).await;

    let out = cli_as_operator(&app, &["person", "reset-second-factor", "ADA@example.org"]).await;
    assert!(out.ok().contains("removed every second factor"), "{out:?}");

    assert_eq!(factor_rows(&app, &ada).await, 0);
    assert_eq!(
        factor_rows(&app, &grace).await,
        1,
        "nobody else's factors go"
    );
    let row = sqlx::query(
        "SELECT person_id, remote_addr, detail FROM audit_events WHERE code = 'FactorsReset'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    let person: String = sqlx::Row::get(&row, "person_id");
    let remote: String = sqlx::Row::get(&row, "remote_addr");
    let detail: String = sqlx::Row::get(&row, "detail");
    assert_eq!(person, ada.as_str());
    assert_eq!(remote, "cli");
    assert!(detail.contains("OS user operator"), "{detail}");

    // The command queued the mail at the real time; the server's outbox runs on its clock.
    let real_now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    app.clock.set(i64::try_from(real_now).unwrap() + 60);
    let mail: RawEmail = app.smtp.wait_for(1).await;
    assert_eq!(mail.header("To").as_deref(), Some(ADA));
    let text = mail.part("text/plain").unwrap();
    assert!(
        text.contains("An administrator removed every passkey"),
        "{text}"
    );
    assert!(text.contains("contact them"), "{text}");
}

#[tokio::test]
async fn reset_second_factor_leaves_the_persons_sessions_signed_in() {
    let app = spawn_app().await;
    let id = app.active_person(ADA, "correct horse").await.id;
    // Signed in before the factors were added: the session is what matters here.
    let ada = app.sign_in_other(ADA, "correct horse").await;
    insert_passkey(&app, &id, "Work laptop", None).await;
    assert_eq!(app.status_as(&ada, "/+account").await, 200);
    cli_as_operator(&app, &["person", "reset-second-factor", ADA])
        .await
        .ok();
    assert_eq!(app.status_as(&ada, "/+account").await, 200);
}

#[tokio::test]
async fn reset_second_factor_of_an_unknown_address_or_a_team_changes_nothing() {
    let app = spawn_app().await;
    let ada = ada_with_every_factor(&app).await;
    app.team("analysts", "analysts@example.org").await;
    let before = app.row_counts().await;
    let err = app
        .cli(&["person", "reset-second-factor", "nobody@example.org"])
        .await;
    assert!(err.fails_with(1).contains("nobody@example.org"));
    let err = app
        .cli(&["person", "reset-second-factor", "analysts@example.org"])
        .await;
    assert!(err.fails_with(1).contains("team analysts"));
    let err = app
        .cli(&["person", "reset-second-factor", "not an address"])
        .await;
    err.fails_with(1);
    assert_eq!(app.row_counts().await, before);
    assert_eq!(factor_rows(&app, &ada).await, 12);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM outbox").await, 0);
}

#[tokio::test]
async fn reset_second_factor_of_a_person_without_factors_says_so_and_sends_nothing() {
    let app = spawn_app().await;
    app.active_person(ADA, "correct horse").await;
    let out = app.cli(&["person", "reset-second-factor", ADA]).await;
    assert!(out.ok().contains("has no second factor"), "{out:?}");
    let audited = app
        .count("SELECT COUNT(*) AS n FROM audit_events WHERE code = 'FactorsReset'")
        .await;
    assert_eq!(audited, 0);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM outbox").await, 0);
}

#[tokio::test]
async fn person_show_lists_the_factors_with_their_kind_name_and_times() {
    let app = spawn_app().await;
    ada_with_every_factor(&app).await;
    let text = app.cli(&["person", "show", ADA]).await.ok().to_owned();
    assert!(
        text.contains(
            "factors:  passkey \"Work laptop\", added 2026-01-01T00:00:00Z, \
             last used 2026-01-01T00:01:00Z"
        ),
        "{text}"
    );
    assert!(
        text.contains("authenticator-app \"Phone\", added 2026-01-01T00:00:00Z, last used never"),
        "{text}"
    );
    assert!(text.contains("recovery-codes \"10 left\""), "{text}");

    app.cli(&["person", "reset-second-factor", ADA]).await.ok();
    let text = app.cli(&["person", "show", ADA]).await.ok().to_owned();
    assert!(text.contains("factors:  none"), "{text}");
}

#[test]
fn reset_second_factor_help_says_that_sessions_stay() {
    let help = std::process::Command::new(crate::helpers::latchkey_exe())
        .args(["person", "reset-second-factor", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("sessions already signed in stay"), "{text}");
    assert!(text.contains("Exit codes"), "{text}");
}
