//! An OpenID 2.0 sign-in in a real browser: Chromium starts at the Python relying party
//! (python3-openid), signs in on Latchkey's login form, answers the decision page, and lands
//! back on the relying party's page with a verified answer — across origins, so the pages' CSP
//! `form-action` must let each form's redirect chain end at the relying party — with no console
//! error on any page. Skips without Chromium or the Python packages; fails under
//! `LATCHKEY_TEST_STRICT=1`.

use crate::browser::{assert_console_clean, click, element, start_browser, text_of, type_into};
use crate::helpers::spawn_app;
use crate::openid_consumer::{ada_in_analysts, outcome, start_relying_party};

#[tokio::test]
async fn a_person_signs_in_to_an_openid_2_site_through_login_and_decision_pages_in_chromium() {
    let app = spawn_app().await;
    let Some(rp) = start_relying_party(&format!("{}/", app.address)).await else {
        return;
    };
    let Some(browser) = start_browser().await else {
        return;
    };
    ada_in_analysts(&app).await;
    let c = &browser.client;
    c.goto(&format!("{}/start?mode=assoc&teams=analysts,ops", rp.base))
        .await
        .unwrap();
    type_into(c, "#email", "ada@example.org").await;
    type_into(c, "#password", "correct horse battery").await;
    assert_console_clean(c, "the login form of an OpenID 2.0 sign-in").await;
    click(c, "button[value=login]").await;
    element(c, "form[action=\"/+openid/decide\"]").await;
    assert_console_clean(c, "the decision page").await;
    click(c, "button[value=allow]").await;
    element(c, "#outcome").await;
    let url = c.current_url().await.unwrap();
    assert!(
        url.as_str().starts_with(&format!("{}/finish?", rp.base)),
        "{url}"
    );
    let seen = outcome(&format!(
        "<pre id='outcome'>{}</pre>",
        text_of(c, "#outcome").await
    ));
    assert_eq!(seen["status"], "success", "{seen}");
    assert_eq!(seen["sreg"]["email"], "ada@example.org", "{seen}");
    assert_eq!(seen["teams"], serde_json::json!(["analysts"]), "{seen}");
    assert_console_clean(c, "back at the relying party").await;
    browser.close().await;
}
