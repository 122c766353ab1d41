//! The pages of the account area: each answers a signed-in person and sends anyone else to log
//! in, the navigation marks the current page, each form's refusal is shown in its own card, and
//! the display name can be changed (checked like a registration's, audited).

use crate::helpers::{TestApp, spawn_app};
use crate::login_helpers::{csrf_in, error_in};

/// The pages of the area, with the text of their entry in the navigation.
pub const PAGES: [(&str, &str); 5] = [
    ("/+account", "Profile"),
    ("/+account/security", "Security"),
    ("/+account/sessions", "Sessions"),
    ("/+account/apps", "Applications"),
    ("/+account/api-keys", "API keys"),
];

/// The card `<section class="card {class}" …>…</section>` of a page.
pub fn card<'a>(html: &'a str, class: &str) -> &'a str {
    let start = html
        .find(&format!("<section class=\"card {class}\""))
        .unwrap_or_else(|| panic!("no {class} card in {html}"));
    let rest = &html[start..];
    &rest[..rest.find("</section>").unwrap()]
}

/// Ada, signed in with the test client.
pub async fn ada_signed_in(app: &TestApp) {
    app.active_person("ada@example.org", "correct horse").await;
    let answer = app
        .post_login("ada@example.org", "correct horse", "login")
        .await;
    assert_eq!(answer.status, 303);
}

#[tokio::test]
async fn each_account_page_answers_a_signed_in_person_and_sends_anyone_else_to_log_in() {
    let app = spawn_app().await;
    for (path, _) in PAGES {
        let res = app.get(path).await;
        assert_eq!(res.status(), 303, "{path}");
        let next = url::form_urlencoded::byte_serialize(path.as_bytes()).collect::<String>();
        assert_eq!(
            res.headers()["location"],
            format!("/+login?next={next}").as_str()
        );
    }
    ada_signed_in(&app).await;
    for (path, _) in PAGES {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
    }
}

#[tokio::test]
async fn the_navigation_marks_the_current_page_and_only_that_one() {
    let app = spawn_app().await;
    ada_signed_in(&app).await;
    for (path, label) in PAGES {
        let html = app.page(path).await;
        let nav = html
            .split("<nav class=\"account-nav\"")
            .nth(1)
            .and_then(|n| n.split("</nav>").next())
            .unwrap_or_else(|| panic!("no navigation on {path}"));
        for (other, _) in PAGES {
            assert!(nav.contains(&format!("href=\"{other}\"")), "{path}: {nav}");
        }
        assert_eq!(nav.matches("aria-current=\"page\"").count(), 1, "{nav}");
        assert!(
            nav.contains(&format!(
                "<a href=\"{path}\" aria-current=\"page\">{label}</a>"
            )),
            "{path}: {nav}"
        );
        assert!(html.contains(&format!("<h1>{label}</h1>")), "{path}");
    }
}

#[tokio::test]
async fn a_wrong_password_in_deactivation_is_shown_in_the_deactivation_card_only() {
    let app = spawn_app().await;
    ada_signed_in(&app).await;
    let csrf = app.csrf_from("/+account/security").await;
    let wrong = app
        .post_form(
            "/+account/deactivate",
            &[("password", "not it"), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(wrong.status, 400);
    let message = "The current password is not correct.";
    assert_eq!(
        error_in(card(&wrong.body, "deactivate")).as_deref(),
        Some(message)
    );
    assert_eq!(error_in(card(&wrong.body, "password")), None);
    assert_eq!(wrong.body.matches("role=\"alert\">").count(), 1);

    // And the other way round.
    let wrong = app.change_password("not it either", "new password!").await;
    assert_eq!(wrong.status, 400);
    assert_eq!(
        error_in(card(&wrong.body, "password")).as_deref(),
        Some(message)
    );
    assert_eq!(error_in(card(&wrong.body, "deactivate")), None);
}

#[tokio::test]
async fn the_display_name_is_changed_from_the_profile_and_audited() {
    let app = spawn_app().await;
    ada_signed_in(&app).await;
    let profile = app.page("/+account").await;
    assert!(profile.contains("action=\"/+account/name\""));
    assert!(profile.contains("value=\"Test Person\""), "{profile}");
    let csrf = csrf_in(&profile);

    let forged = app
        .post_form(
            "/+account/name",
            &[("display_name", "Mallory"), ("csrf_token", "forged")],
        )
        .await;
    assert_eq!(forged.status, 403);

    let done = app
        .post_form(
            "/+account/name",
            &[("display_name", "  Ada Lovelace "), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(done.location.as_deref(), Some("/+account?done=name"));
    let person = app.person("ada@example.org").await.unwrap();
    assert_eq!(person.display_name.as_str(), "Ada Lovelace", "trimmed");
    let profile = app.page("/+account?done=name").await;
    assert!(profile.contains("Your name has been changed."));
    assert!(profile.contains("<p class=\"display-name\">Ada Lovelace</p>"));

    // The same name again changes nothing, so nothing more is audited.
    app.post_form(
        "/+account/name",
        &[("display_name", "Ada Lovelace"), ("csrf_token", &csrf)],
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_events WHERE code = 'DisplayNameChanged'")
            .await,
        1
    );
}

#[tokio::test]
async fn an_empty_too_long_or_control_character_name_is_refused_and_nothing_changes() {
    let app = spawn_app().await;
    ada_signed_in(&app).await;
    let csrf = app.csrf_from("/+account").await;
    let long = "x".repeat(101);
    for name in [
        "",
        "   ",
        long.as_str(),
        "Ada\u{7}Lovelace",
        "Ada\nLovelace",
    ] {
        let refused = app
            .post_form(
                "/+account/name",
                &[("display_name", name), ("csrf_token", &csrf)],
            )
            .await;
        assert_eq!(refused.status, 400, "{name:?}");
        assert_eq!(
            error_in(card(&refused.body, "profile-name")).as_deref(),
            Some("Please enter your name (at most 100 characters)."),
            "{name:?}"
        );
        let person = app.person("ada@example.org").await.unwrap();
        assert_eq!(person.display_name.as_str(), "Test Person", "{name:?}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_events WHERE code = 'DisplayNameChanged'")
            .await,
        0
    );
    let hundred = "y".repeat(100);
    let done = app
        .post_form(
            "/+account/name",
            &[("display_name", &hundred), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(done.status, 303, "a hundred characters are enough");
}

#[tokio::test]
async fn a_name_with_markup_is_kept_as_text_and_shown_escaped() {
    let app = spawn_app().await;
    ada_signed_in(&app).await;
    let csrf = app.csrf_from("/+account").await;
    let done = app
        .post_form(
            "/+account/name",
            &[("display_name", "<b>Ada</b> & co"), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(done.status, 303);
    let person = app.person("ada@example.org").await.unwrap();
    assert_eq!(person.display_name.as_str(), "<b>Ada</b> & co");
    for path in ["/", "/+account"] {
        let html = app.page(path).await;
        assert!(!html.contains("<b>Ada"), "{path}: {html}");
        assert!(html.contains("&lt;b&gt;Ada"), "{path}: {html}");
    }
}
