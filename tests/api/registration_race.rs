//! Registration under concurrency: many completions of new-account links for one address make
//! one account, and every loser gets an answer instead of a failure.

use tokio::task::JoinSet;

use crate::helpers::{TestApp, spawn_app};

/// Asks for `links` new-account links for one address and completes them 16 times at once,
/// spread over the links; returns the statuses.
async fn complete_at_once(app: &TestApp, email: &str, links: usize) -> Vec<u16> {
    let mut urls = Vec::new();
    for n in 0..links {
        let answer = app.post_login(email, "", "createaccount").await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        urls.push(app.smtp.wait_for(n + 1).await.link());
    }
    let csrf = app.csrf_from(&urls[0]).await;
    let mut posts = JoinSet::new();
    for n in 0..16 {
        let client = app.client.clone();
        let url = urls[n % urls.len()].clone();
        let csrf = csrf.clone();
        posts.spawn(async move {
            let password = format!("racing password {n}");
            client
                .post(url)
                .form(&[
                    ("display_name", "Racer"),
                    ("password", password.as_str()),
                    ("password_again", password.as_str()),
                    ("csrf_token", csrf.as_str()),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        });
    }
    posts.join_all().await
}

async fn one_account_and_no_failure(app: &TestApp, links: usize) {
    let statuses = complete_at_once(app, "racer@example.org", links).await;
    assert!(statuses.iter().all(|s| *s < 500), "{statuses:?}");
    assert_eq!(
        statuses.iter().filter(|s| **s == 303).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM people").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM email_addresses").await,
        1
    );
}

#[tokio::test]
async fn sixteen_completions_of_one_new_account_link_make_one_account() {
    let app = spawn_app().await;
    one_account_and_no_failure(&app, 1).await;
}

#[tokio::test]
async fn sixteen_completions_of_three_links_for_one_address_make_one_account() {
    let app = spawn_app().await;
    one_account_and_no_failure(&app, 3).await;
}

#[tokio::test]
async fn sixteen_completions_of_three_links_for_a_placeholder_make_one_account() {
    let app = spawn_app().await;
    let placeholder = app.placeholder("racer@example.org").await;
    one_account_and_no_failure(&app, 3).await;
    let person = app.person("racer@example.org").await.unwrap();
    assert_eq!(person.id, placeholder.id);
}
