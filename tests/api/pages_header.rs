//! What every page shows a signed-in person, and what a person reads on the account pages: the
//! name and menu in the header, the home page that knows who is signed in, sessions named by
//! browser and system with times in the page's language, and the hidden username fields that
//! tell password managers whose password a form sets or asks for.

use crate::helpers::spawn_app;
use crate::login_helpers::csrf_in;
use crate::pages_account::{PAGES, ada_signed_in, card};

const CHROME_ON_LINUX: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like \
                               Gecko) Chrome/131.0.0.0 Safari/537.36";
const FIREFOX_ON_WINDOWS: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0";

/// The header's menu of a page, if it has one.
fn me_menu(html: &str) -> Option<&str> {
    let start = html.find("<details class=\"me-menu\">")?;
    let rest = &html[start..];
    Some(&rest[..rest.find("</details>")?])
}

#[tokio::test]
async fn the_header_names_the_signed_in_person_with_an_account_link_and_a_log_out_form() {
    let app = spawn_app().await;
    for path in ["/", "/+login"] {
        assert_eq!(me_menu(&app.page(path).await), None, "signed out: {path}");
    }
    let home = app.page("/").await;
    assert!(home.contains("href=\"/+login\""), "{home}");

    ada_signed_in(&app).await;
    let paths = PAGES.iter().map(|(path, _)| *path).chain(["/"]);
    for path in paths {
        let html = app.page(path).await;
        let menu = me_menu(&html).unwrap_or_else(|| panic!("no menu on {path}"));
        assert!(
            menu.contains("<span class=\"me-name\">Test Person</span>"),
            "{path}: {menu}"
        );
        assert!(menu.contains("<a href=\"/+account\">Your account</a>"));
        assert!(menu.contains("<form method=\"post\" action=\"/+logout\">"));
        assert!(menu.contains(&format!("value=\"{}\"", csrf_in(&html))));
    }
    let home = app.page("/?lang=de").await;
    assert!(
        home.contains("Sie sind als Test Person angemeldet."),
        "{home}"
    );
    assert!(home.contains("<a class=\"button\" href=\"/+account\">Zu Ihrem Konto</a>"));
    assert!(!home.contains("href=\"/+login\""), "{home}");

    // The header's form logs out.
    let csrf = csrf_in(me_menu(&app.page("/").await).unwrap());
    let out = app.post_form("/+logout", &[("csrf_token", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert!(!app.signed_in().await);
    assert_eq!(me_menu(&app.page("/").await), None);
}

#[tokio::test]
async fn the_page_that_confirms_a_deactivation_names_nobody() {
    let app = spawn_app().await;
    ada_signed_in(&app).await;
    let csrf = app.csrf_from("/+account/security").await;
    let done = app
        .post_form(
            "/+account/deactivate",
            &[("password", "correct horse"), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(done.status, 200);
    assert!(done.body.contains("Your account is deactivated"));
    assert_eq!(me_menu(&done.body), None, "{}", done.body);
}

#[tokio::test]
async fn sessions_read_as_browser_on_system_address_and_how_long_ago_in_english_and_german() {
    let app = spawn_app().await;
    ada_signed_in(&app).await;
    app.sign_in_as_agent(CHROME_ON_LINUX, "ada@example.org", "correct horse")
        .await;
    app.sign_in_as_agent(FIREFOX_ON_WINDOWS, "ada@example.org", "correct horse")
        .await;
    app.clock.advance(3 * 60);
    let page = app.page("/+account/sessions").await;
    let sessions = crate::account::sessions_in(&page);
    assert_eq!(sessions.len(), 3, "{page}");
    let line = |browser: &str| {
        sessions
            .iter()
            .find(|(_, _, text)| text.contains(browser))
            .unwrap_or_else(|| panic!("no {browser} in {page}"))
            .2
            .clone()
    };
    let chrome = line("Chrome on Linux");
    assert!(
        chrome.contains(
            ">Chrome on Linux</span> · <span class=\"address\">127.0.0.1</span> · \
             <time class=\"signed-in\" datetime=\"2026-01-01T00:00:00Z\" \
             title=\"1 January 2026, 00:00 UTC\">signed in 3 minutes ago</time>"
        ),
        "{chrome}"
    );
    assert!(chrome.contains(&format!("title=\"{CHROME_ON_LINUX}\"")));
    assert!(line("Firefox on Windows").contains("signed in 3 minutes ago"));
    app.clock.advance(60 * 60);
    let german = app.page("/+account/sessions?lang=de").await;
    assert!(german.contains(">Chrome auf Linux</span>"), "{german}");
    assert!(german.contains(">Firefox auf Windows</span>"), "{german}");
    assert!(german.contains("angemeldet vor 1 Stunde"), "{german}");
    assert!(
        german.contains("title=\"1. Januar 2026, 00:00 UTC\""),
        "{german}"
    );
}

#[tokio::test]
async fn every_password_form_has_a_hidden_username_and_the_right_autocomplete() {
    let app = spawn_app().await;
    let sent = app.smtp.messages().len();
    app.post_login("new@example.org", "", "createaccount").await;
    let new_account = app.smtp.wait_for(sent + 1).await.link();
    ada_signed_in(&app).await;
    app.post_login("ada@example.org", "", "resetpassword").await;
    let reset = app.smtp.wait_for(sent + 2).await.link();
    let username = |email: &str| {
        format!(
            "<input type=\"text\" name=\"username\" autocomplete=\"username\" \
             value=\"{email}\" readonly hidden>"
        )
    };
    let new_password = "type=\"password\" autocomplete=\"new-password\" \
                        aria-describedby=\"password-rules\"";

    for link in [&new_account, &reset] {
        let html = crate::helpers::fetch_text(&app.client, link).await;
        let email = if *link == new_account {
            "new@example.org"
        } else {
            "ada@example.org"
        };
        assert!(html.contains(&username(email)), "{link}: {html}");
        assert!(html.contains(new_password), "{html}");
        assert!(
            html.contains("id=\"password-rules\""),
            "the rules are shown"
        );
    }

    let security = app.page("/+account/security").await;
    let password = card(&security, "password");
    assert!(
        password.contains(&username("ada@example.org")),
        "{password}"
    );
    assert!(password.contains("autocomplete=\"current-password\""));
    assert!(password.contains(new_password));
    assert!(password.contains("id=\"password-rules\""));
    let deactivate = card(&security, "deactivate");
    assert!(deactivate.contains(&username("ada@example.org")));
    assert!(deactivate.contains("autocomplete=\"current-password\""));

    // Older than the minutes a password entered at sign-in counts: the key page asks again.
    app.clock.advance(60 * 60);
    let keys = app.page("/+account/api-keys").await;
    let confirm = card(&keys, "reauth");
    assert!(confirm.contains(&username("ada@example.org")), "{confirm}");
    assert!(confirm.contains("autocomplete=\"current-password\""));
    // So does the authenticator-app section of the security page (passkeys are off on an IP
    // address, so their form is not on this page).
    let security = app.page("/+account/security").await;
    let section = card(&security, "authenticator");
    assert!(section.contains(&username("ada@example.org")), "{section}");
    assert!(section.contains("autocomplete=\"current-password\""));
}
