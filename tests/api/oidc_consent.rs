//! Consent is single-use and bound to the request held for it; `POST /authorize` with the
//! request's parameters as a form works like `GET`.

use crate::helpers::{TestApp, spawn_app};
use crate::oidc_helpers::{
    CALLBACK, authorize_url, client, consent_answer, get, param, post_authorize, sign_in_ada,
};

async fn codes(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) AS n FROM authorization_codes")
        .await
}

/// A signed-in person on the consent page of an untrusted client: its id and the page.
async fn consent_page(app: &TestApp) -> (String, String) {
    let id = client(app, false, false).await;
    sign_in_ada(app).await;
    let (status, _, page) = get(app, &authorize_url(app, &id, &[])).await;
    assert_eq!(status, 200);
    assert!(page.contains("Sign in to Wiki"), "{page}");
    (id, page)
}

#[tokio::test]
async fn a_replayed_consent_answer_issues_no_second_code() {
    let app = spawn_app().await;
    let (_, page) = consent_page(&app).await;
    let allow = consent_answer(&page, "allow");
    let (status, location, _) = post_authorize(&app, &allow).await;
    assert_eq!(status, 303);
    assert!(param(&location.unwrap(), "code").is_some());

    let (status, location, body) = post_authorize(&app, &allow).await;
    assert_eq!((status, location), (400, None), "{body}");
    assert!(
        body.contains("already been answered or has expired"),
        "{body}"
    );
    assert_eq!(codes(&app).await, 1);
    // A Deny after the Allow is just as finished: nothing goes back to the client.
    let (status, location, _) = post_authorize(&app, &consent_answer(&page, "deny")).await;
    assert_eq!((status, location), (400, None));
}

#[tokio::test]
async fn an_answer_whose_code_cannot_be_stored_keeps_nothing_and_can_be_given_again() {
    let app = spawn_app().await;
    let (_, page) = consent_page(&app).await;
    let allow = consent_answer(&page, "allow");
    // The code cannot be stored while its table is away.
    sqlx::query("ALTER TABLE authorization_codes RENAME TO codes_away")
        .execute(app.db.pool())
        .await
        .unwrap();
    let (status, location, _) = post_authorize(&app, &allow).await;
    sqlx::query("ALTER TABLE codes_away RENAME TO authorization_codes")
        .execute(app.db.pool())
        .await
        .unwrap();
    assert_eq!((status, location), (500, None));
    let consents = app.count("SELECT COUNT(*) AS n FROM consents").await;
    assert_eq!(consents, 0, "the consent went with the code");

    // The answer was not used up either: given again, it issues the code.
    let (status, location, _) = post_authorize(&app, &allow).await;
    assert_eq!(status, 303);
    assert!(param(&location.unwrap(), "code").is_some());
    assert_eq!(codes(&app).await, 1);
    let consents = app.count("SELECT COUNT(*) AS n FROM consents").await;
    assert_eq!(consents, 1);
}

#[tokio::test]
async fn a_consent_answer_without_a_waiting_request_issues_no_code() {
    let app = spawn_app().await;
    let (id, page) = consent_page(&app).await;
    // The request's parameters with a scope the page never showed, instead of its handle.
    let mut forged: Vec<(String, String)> = url::Url::parse(&authorize_url(&app, &id, &[]))
        .unwrap()
        .query_pairs()
        .into_owned()
        .map(|(k, v)| match k.as_str() {
            "scope" => (k, "openid groups".to_owned()),
            _ => (k, v),
        })
        .collect();
    forged.push((
        "csrf_token".to_owned(),
        crate::login_helpers::csrf_in(&page),
    ));
    forged.push(("decision".to_owned(), "allow".to_owned()));
    let (status, location, body) = post_authorize(&app, &forged).await;
    assert_eq!((status, location), (400, None), "{body}");
    assert!(
        body.contains("already been answered or has expired"),
        "{body}"
    );

    let mut other = consent_answer(&page, "allow");
    for (name, value) in &mut other {
        if name == "consent_request" {
            *value = "lk_ar_not-a-waiting-request".to_owned();
        }
    }
    let (status, location, _) = post_authorize(&app, &other).await;
    assert_eq!((status, location), (400, None));
    assert_eq!(codes(&app).await, 0);
    let consents = app.count("SELECT COUNT(*) AS n FROM consents").await;
    assert_eq!(consents, 0, "nothing was remembered");
}

#[tokio::test]
async fn a_consent_answer_after_thirty_minutes_is_refused() {
    let app = spawn_app().await;
    let (_, page) = consent_page(&app).await;
    app.clock.advance(30 * 60 + 1);
    let (status, location, body) = post_authorize(&app, &consent_answer(&page, "allow")).await;
    assert_eq!((status, location), (400, None), "{body}");
    assert_eq!(codes(&app).await, 0);
}

#[tokio::test]
async fn an_authorization_request_posted_as_a_form_works_like_get() {
    let app = spawn_app().await;
    let trusted = client(&app, false, true).await;
    let untrusted = client(&app, false, false).await;
    let form = |id: &str| -> Vec<(String, String)> {
        url::Url::parse(&authorize_url(&app, id, &[]))
            .unwrap()
            .query_pairs()
            .into_owned()
            .collect()
    };

    // Signed out: the login form, coming back to the same request.
    let (status, location, _) = post_authorize(&app, &form(&trusted)).await;
    assert_eq!(status, 303);
    let login = location.unwrap();
    assert!(login.starts_with("/+login?next=%2Fauthorize%3F"), "{login}");

    sign_in_ada(&app).await;
    let (status, location, _) = post_authorize(&app, &form(&trusted)).await;
    assert_eq!(status, 303);
    let location = location.unwrap();
    assert!(location.starts_with(CALLBACK), "{location}");
    assert!(param(&location, "code").is_some());
    assert_eq!(param(&location, "state").as_deref(), Some("st4te"));

    let (status, _, page) = post_authorize(&app, &form(&untrusted)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Sign in to Wiki"), "{page}");
    let (status, location, _) = post_authorize(&app, &consent_answer(&page, "allow")).await;
    assert_eq!(status, 303);
    assert!(param(&location.unwrap(), "code").is_some());

    let (status, location, _) = post_authorize(&app, &form("no-such-client")).await;
    assert_eq!(
        (status, location),
        (400, None),
        "an error page, not a redirect"
    );
}
