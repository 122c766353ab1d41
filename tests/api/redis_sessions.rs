//! Sessions in Redis (`redis.sessions = true`): kept there and not in the database, indexed per
//! person so that a password change or recovery ends them all, and expired by the
//! application's clock.

use std::sync::{Arc, Mutex};

use latchkey::config::Settings;
use redis::AsyncCommands;
use secrecy::SecretString;
use tokio::task::JoinHandle;

use crate::account::sessions_in;
use crate::helpers::{LOCAL_REDIS, TestApp, redis_conn, redis_here, spawn_app_with};
use crate::login::recover;
use crate::login_helpers::csrf_in;

fn with_redis_sessions(s: &mut Settings) {
    s.redis.url = Some(SecretString::from(LOCAL_REDIS.to_owned()));
    s.redis.sessions = true;
}

/// A person with a fresh address.
async fn person(app: &TestApp, password: &str) -> (String, String) {
    let email = format!("s{}@example.org", uuid::Uuid::new_v4().simple());
    let person = app.active_person(&email, password).await;
    (email, person.id.as_str().to_owned())
}

/// The session ids the app's Redis lists for a person.
async fn indexed_sessions(app: &TestApp, person_id: &str) -> Vec<String> {
    redis_conn()
        .await
        .zrange(
            app.redis_key(&format!("sessions-by-person:{person_id}")),
            0,
            -1,
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn sessions_live_in_redis_and_not_in_the_database_when_configured() {
    if !redis_here().await {
        return;
    }
    let app = spawn_app_with(with_redis_sessions).await;
    let (email, id) = person(&app, "correct horse").await;
    app.post_login(&email, "correct horse", "login").await;
    assert!(app.signed_in().await);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM sessions").await, 0);

    let sessions = indexed_sessions(&app, &id).await;
    assert_eq!(sessions.len(), 1, "one session for the person");
    let mut conn = redis_conn().await;
    let key = app.redis_key(&format!("session:{}", sessions[0]));
    let stored: std::collections::HashMap<String, String> = conn.hgetall(&key).await.unwrap();
    assert_eq!(stored.get("person"), Some(&id));
    assert!(stored["state"].contains("csrf"), "{stored:?}");
    let ttl: i64 = conn.ttl(&key).await.unwrap();
    assert!(
        (1..=2 * 3600).contains(&ttl),
        "Redis drops it after the idle time: {ttl}"
    );

    let csrf = app.csrf_from("/+account").await;
    let out = app.post_form("/+logout", &[("csrf_token", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert!(!app.signed_in().await);
    assert!(indexed_sessions(&app, &id).await.is_empty(), "signed out");
    assert!(
        !conn.exists::<_, bool>(&key).await.unwrap(),
        "the session is gone"
    );
}

#[tokio::test]
async fn a_password_change_ends_every_other_session_in_redis() {
    if !redis_here().await {
        return;
    }
    let app = spawn_app_with(with_redis_sessions).await;
    let (email, id) = person(&app, "correct horse").await;
    app.post_login(&email, "correct horse", "login").await;
    let other = app.sign_in_other(&email, "correct horse").await;
    assert_eq!(app.status_as(&other, "/+account").await, 200);
    assert_eq!(indexed_sessions(&app, &id).await.len(), 2);

    let done = app.change_password("correct horse", "new password!").await;
    assert_eq!(done.status, 303);
    assert!(app.signed_in().await, "this session continues");
    assert_eq!(
        app.status_as(&other, "/+account").await,
        303,
        "the other ended"
    );
    assert_eq!(
        indexed_sessions(&app, &id).await.len(),
        1,
        "only the new one"
    );
}

#[tokio::test]
async fn a_password_change_ends_sessions_that_redis_no_longer_indexes() {
    if !redis_here().await {
        return;
    }
    let app = spawn_app_with(with_redis_sessions).await;
    let (email, id) = person(&app, "correct horse").await;
    let other = app.sign_in_other(&email, "correct horse").await;
    app.clock.advance(10);
    app.post_login(&email, "correct horse", "login").await;
    // As if Redis had evicted the person's index under memory pressure.
    let _: i64 = redis_conn()
        .await
        .del(app.redis_key(&format!("sessions-by-person:{id}")))
        .await
        .unwrap();
    app.clock.advance(10);
    let done = app.change_password("correct horse", "new password!").await;
    assert_eq!(done.status, 303);
    assert_eq!(
        app.status_as(&other, "/+account").await,
        303,
        "refused by the time the person's sessions were ended"
    );
    assert!(app.signed_in().await, "this browser signed in again");
}

#[tokio::test]
async fn a_recovery_ends_every_session_in_redis() {
    if !redis_here().await {
        return;
    }
    let app = spawn_app_with(with_redis_sessions).await;
    let (email, id) = person(&app, "old password").await;
    let other = app.sign_in_other(&email, "old password").await;
    assert_eq!(app.status_as(&other, "/+account").await, 200);

    let answer = recover(&app, &email, "brand new password", 1).await;
    assert_eq!(answer.status, 303);
    assert_eq!(
        app.status_as(&other, "/+account").await,
        303,
        "the other browser was signed out"
    );
    assert!(app.signed_in().await, "this browser is signed in");
    assert_eq!(indexed_sessions(&app, &id).await.len(), 1);
}

#[tokio::test]
async fn the_sessions_list_and_signing_out_elsewhere_work_with_redis() {
    if !redis_here().await {
        return;
    }
    let app = spawn_app_with(with_redis_sessions).await;
    let (email, id) = person(&app, "correct horse").await;
    app.post_login(&email, "correct horse", "login").await;
    app.clock.advance(30);
    let laptop = app
        .sign_in_as_agent("Laptop/1", &email, "correct horse")
        .await;
    let phone = app
        .sign_in_as_agent("Phone/2", &email, "correct horse")
        .await;
    let page = app.page("/+account/sessions").await;
    let sessions = sessions_in(&page);
    assert_eq!(sessions.len(), 3, "{page}");
    assert!(sessions[2].1, "this browser signed in first, so it is last");
    assert!(page.contains("Laptop/1") && page.contains("Phone/2"));
    assert!(page.contains("datetime=\"2026-01-01T00:00:30Z\""));

    let phone_label = sessions
        .iter()
        .find(|(_, _, text)| text.contains("Phone/2"))
        .unwrap()
        .0
        .clone();
    let csrf = csrf_in(&page);
    let ended = app
        .post_form(
            "/+account/sessions/end",
            &[("label", &phone_label), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(ended.status, 303);
    assert_eq!(app.status_as(&phone, "/+account").await, 303);
    assert_eq!(app.status_as(&laptop, "/+account").await, 200);
    assert_eq!(indexed_sessions(&app, &id).await.len(), 2);

    let done = app
        .post_form("/+account/sessions/end-others", &[("csrf_token", &csrf)])
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(app.status_as(&laptop, "/+account").await, 303);
    assert!(app.signed_in().await);
    assert_eq!(indexed_sessions(&app, &id).await.len(), 1);
}

#[tokio::test]
async fn a_persons_index_in_redis_forgets_sessions_that_have_expired() {
    if !redis_here().await {
        return;
    }
    let app = spawn_app_with(with_redis_sessions).await;
    let (email, id) = person(&app, "correct horse").await;
    for _ in 0..3 {
        app.sign_in_other(&email, "correct horse").await;
    }
    assert_eq!(indexed_sessions(&app, &id).await.len(), 3);
    app.clock.advance(2 * 3600 + 1);
    app.post_login(&email, "correct horse", "login").await;
    assert_eq!(
        indexed_sessions(&app, &id).await.len(),
        1,
        "the three idle sessions left the index when the new one was written"
    );
    assert_eq!(sessions_in(&app.page("/+account/sessions").await).len(), 1);
}

#[tokio::test]
async fn a_session_in_redis_ends_after_its_idle_time_by_the_applications_clock() {
    if !redis_here().await {
        return;
    }
    let app = spawn_app_with(with_redis_sessions).await;
    let (email, _) = person(&app, "correct horse").await;
    app.post_login(&email, "correct horse", "login").await;
    app.clock.advance(2 * 3600 - 60);
    assert!(app.signed_in().await, "used within the idle time");
    app.clock.advance(2 * 3600 + 1);
    assert!(!app.signed_in().await, "idle for more than two hours");
}

type Links = Arc<Mutex<Vec<JoinHandle<()>>>>;

/// A TCP relay to the local Redis that can be cut, to take Redis away from one app only.
struct Relay {
    url: String,
    listener: JoinHandle<()>,
    links: Links,
}

impl Relay {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("redis://{}", listener.local_addr().unwrap());
        let links = Links::default();
        let accepted = Arc::clone(&links);
        let listener = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let link = tokio::spawn(async move {
                    let redis = LOCAL_REDIS.trim_start_matches("redis://");
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(redis).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                accepted.lock().unwrap().push(link);
            }
        });
        Self {
            url,
            listener,
            links,
        }
    }

    /// Closes the port and every connection through it.
    fn cut(&self) {
        self.listener.abort();
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }
}

/// `/readyz` as a probe sees it (without a session cookie), within five seconds.
async fn readiness(app: &TestApp) -> (u16, serde_json::Value) {
    let probe = reqwest::Client::new().get(format!("{}/readyz", app.address));
    let res = tokio::time::timeout(std::time::Duration::from_secs(5), probe.send())
        .await
        .expect("/readyz answers without waiting for Redis")
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

#[tokio::test]
async fn a_failure_inside_a_page_shows_browsers_the_error_page() {
    if !redis_here().await {
        return;
    }
    let app = spawn_app_with(with_redis_sessions).await;
    let (email, _) = person(&app, "correct horse").await;
    app.post_login(&email, "correct horse", "login").await;
    // The session still loads from Redis; the page's own database query fails.
    app.lose_database().await;
    let res = app
        .client
        .get(format!("{}/+account", app.address))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 500);
    let reference = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    let page = res.text().await.unwrap();
    assert!(page.contains("Something went wrong"), "{page}");
    assert!(page.contains(&reference));
}

#[tokio::test]
async fn readyz_checks_redis_and_turns_503_when_it_is_gone() {
    if !redis_here().await {
        return;
    }
    let relay = Relay::start().await;
    let url = relay.url.clone();
    let app = spawn_app_with(move |s| {
        s.redis.url = Some(SecretString::from(url));
        s.redis.sessions = true;
    })
    .await;
    let (status, body) = readiness(&app).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["redis"], "ok");
    let (email, _) = person(&app, "correct horse").await;
    app.post_login(&email, "correct horse", "login").await;
    assert!(app.signed_in().await);

    relay.cut();
    let account = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        app.client.get(format!("{}/+account", app.address)).send(),
    )
    .await
    .expect("a page answers without waiting for Redis")
    .unwrap();
    assert_eq!(account.status(), 500, "the session cannot be read");
    assert!(
        !account.text().await.unwrap().contains("redis"),
        "the answer does not tell why"
    );
    let (status, body) = readiness(&app).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["redis"], "unreachable");
    assert_eq!(body["database"], "ok");
}
