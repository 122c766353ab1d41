//! Storage rules that hold on both backends: unique normalised addresses, atomic single-use
//! tokens, the one-preferred-address rule.

use std::sync::Arc;

use latchkey::clock::Clock;
use latchkey::db::emails::insert_email;
use latchkey::db::login_tokens::{NewLoginToken, consume_login_token, insert_login_token};
use latchkey::db::people::insert_person;
use latchkey::domain::{
    DisplayName, EmailAddress, EmailStatus, Person, PersonId, PersonKind, PersonStatus, PlainToken,
    TokenKind,
};

use crate::helpers::{START, spawn_app};

fn person(now: i64) -> Person {
    Person {
        id: PersonId::generate(),
        kind: PersonKind::Person,
        team_name: None,
        display_name: DisplayName::parse("Someone").unwrap(),
        status: PersonStatus::Placeholder,
        password_hash: None,
        created_at: now,
        updated_at: now,
        sessions_not_before: 0,
    }
}

#[tokio::test]
async fn two_spellings_of_one_address_cannot_both_be_stored() {
    let app = spawn_app().await;
    let (a, b) = (person(START), person(START));
    insert_person(app.db.pool(), &a).await.unwrap();
    insert_person(app.db.pool(), &b).await.unwrap();
    let first = EmailAddress::parse("Same@Example.org").unwrap();
    let second = EmailAddress::parse("same@example.ORG").unwrap();
    insert_email(app.db.pool(), &a.id, &first, EmailStatus::New, START)
        .await
        .unwrap();
    let err = insert_email(app.db.pool(), &b.id, &second, EmailStatus::New, START)
        .await
        .unwrap_err();
    assert!(err.is_unique_violation(), "{err}");
}

#[tokio::test]
async fn a_person_has_at_most_one_preferred_address() {
    let app = spawn_app().await;
    let p = person(START);
    insert_person(app.db.pool(), &p).await.unwrap();
    let one = EmailAddress::parse("one@example.org").unwrap();
    let two = EmailAddress::parse("two@example.org").unwrap();
    insert_email(app.db.pool(), &p.id, &one, EmailStatus::Preferred, START)
        .await
        .unwrap();
    let err = insert_email(app.db.pool(), &p.id, &two, EmailStatus::Preferred, START)
        .await
        .unwrap_err();
    assert!(err.is_unique_violation(), "{err}");
}

#[tokio::test]
async fn a_login_token_is_stored_only_as_a_hash_and_consumed_once_under_concurrency() {
    let app = spawn_app().await;
    let token = PlainToken::generate(TokenKind::BugTracker).unwrap();
    let hash = token.hash();
    insert_login_token(
        app.db.pool(),
        &NewLoginToken {
            hash: &hash,
            kind: TokenKind::BugTracker,
            email: None,
            requester: None,
            created_at: START,
            expires_at: START + 60,
        },
    )
    .await
    .unwrap();
    let stored: Vec<String> = sqlx::query("SELECT token_hash FROM login_tokens")
        .fetch_all(app.db.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| sqlx::Row::get(r, "token_hash"))
        .collect();
    assert_eq!(stored, vec![hash.as_str().to_owned()]);
    assert!(!stored[0].contains(token.expose()));

    let db = Arc::new(app.db.clone());
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (db, hash) = (db.clone(), hash.clone());
        tasks.push(tokio::spawn(async move {
            consume_login_token(db.pool(), &hash, TokenKind::BugTracker, START + 1)
                .await
                .unwrap()
                .is_some()
        }));
    }
    let mut successes = 0;
    for t in tasks {
        successes += usize::from(t.await.unwrap());
    }
    assert_eq!(successes, 1);
}

#[tokio::test]
async fn an_expired_or_other_kind_token_is_not_consumed() {
    let app = spawn_app().await;
    let token = PlainToken::generate(TokenKind::PasswordRecovery).unwrap();
    let hash = token.hash();
    insert_login_token(
        app.db.pool(),
        &NewLoginToken {
            hash: &hash,
            kind: TokenKind::PasswordRecovery,
            email: Some(&EmailAddress::parse("A@example.org").unwrap()),
            requester: None,
            created_at: app.clock.now(),
            expires_at: app.clock.now() + 3600,
        },
    )
    .await
    .unwrap();
    let pool = app.db.pool();
    let now = app.clock.now();
    assert!(
        consume_login_token(pool, &hash, TokenKind::NewAccount, now)
            .await
            .unwrap()
            .is_none()
    );
    app.clock.advance(3600);
    assert!(
        consume_login_token(pool, &hash, TokenKind::PasswordRecovery, app.clock.now())
            .await
            .unwrap()
            .is_none()
    );
    app.clock.advance(-1);
    let used = consume_login_token(pool, &hash, TokenKind::PasswordRecovery, app.clock.now())
        .await
        .unwrap()
        .expect("still valid one second before expiry");
    let email = used.email.unwrap();
    assert_eq!(
        (email.as_str(), email.key()),
        ("A@example.org", "a@example.org")
    );
}

#[tokio::test]
async fn nul_bytes_in_text_are_refused_before_they_reach_the_database() {
    // PostgreSQL rejects 0x00 in text; the domain types refuse it first on both backends.
    assert!(EmailAddress::parse("a\u{0}@example.org").is_err());
    assert!(DisplayName::parse("A\u{0}B").is_err());
}

#[tokio::test]
async fn an_address_cannot_point_at_a_missing_person() {
    let app = spawn_app().await;
    let ghost = PersonId::generate();
    let email = EmailAddress::parse("orphan@example.org").unwrap();
    let err = insert_email(app.db.pool(), &ghost, &email, EmailStatus::New, START).await;
    assert!(err.is_err(), "foreign keys are enforced on both backends");
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_a_busy_timeout() {
    let app = spawn_app().await;
    if app.test_db.backend() != latchkey::db::Backend::Sqlite {
        return;
    }
    let mut conn = app.db.pool().acquire().await.unwrap();
    let mode: String = sqlx::Row::get(
        &sqlx::query("PRAGMA journal_mode")
            .fetch_one(&mut *conn)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(mode, "wal");
    let timeout: i64 = sqlx::Row::get(
        &sqlx::query("PRAGMA busy_timeout")
            .fetch_one(&mut *conn)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(timeout, 5000);
    let fk: i64 = sqlx::Row::get(
        &sqlx::query("PRAGMA foreign_keys")
            .fetch_one(&mut *conn)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(fk, 1);
}
