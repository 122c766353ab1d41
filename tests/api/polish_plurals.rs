//! Counts on pages choose their singular or plural form in both languages: the password asked
//! for again after "1 minute", not "1 minutes".

use crate::helpers::spawn_app_with;

#[tokio::test]
async fn the_api_keys_page_asks_again_after_1_minute_or_after_2_minutes() {
    for (minutes, en, de) in [
        (
            1,
            "It is asked for again after 1 minute.",
            "Nach 1 Minute wird",
        ),
        (
            2,
            "It is asked for again after 2 minutes.",
            "Nach 2 Minuten wird",
        ),
    ] {
        let app = spawn_app_with(|s| s.api_keys.reauth_minutes = minutes).await;
        app.active_person("ada@example.org", "correct horse").await;
        app.post_login("ada@example.org", "correct horse", "login")
            .await;
        app.clock.advance(i64::try_from(minutes).unwrap() * 60 + 1);
        let page = app.page("/+account/api-keys?lang=en").await;
        assert!(page.contains(en), "{page}");
        let page = app.page("/+account/api-keys?lang=de").await;
        assert!(page.contains(de), "{page}");
    }
}
