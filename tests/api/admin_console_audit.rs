//! The console's audit view: filters by code, person (address), client and dates, newest
//! first, paged with newer/older links that keep the filters; bad filters answer 400.

use latchkey::clock::Clock;
use latchkey::domain::AuditCode;
use latchkey::service::Origin;
use latchkey::service::audit::record;

use crate::admin_console::console_app;
use crate::admin_console_clients::admin;
use crate::factor_helpers::get;
use crate::helpers::{TestApp, browser};

const DAY: i64 = 86_400;

/// `count` events about client `id`, one a minute from `start`.
async fn client_events(app: &TestApp, id: &str, start: i64, count: i64) {
    for i in 0..count {
        let detail = format!("client {id} changed: name=n{i} (by cli:test)");
        record(
            app.db.pool(),
            start + i * 60,
            AuditCode::ClientChanged,
            None,
            &Origin::cli(),
            &detail,
        )
        .await
        .unwrap();
    }
}

fn rows(body: &str) -> usize {
    body.matches("class=\"audit-event\"").count()
}

fn link(body: &str, rel: &str) -> Option<String> {
    let marker = format!("<a rel=\"{rel}\" href=\"");
    let start = body.find(&marker)? + marker.len();
    let end = body[start..].find('"')?;
    Some(body[start..start + end].replace("&amp;", "&"))
}

#[tokio::test]
async fn the_audit_view_filters_by_code_client_and_dates() {
    let app = console_app().await;
    let admin = admin(&app).await;
    let now = app.clock.now();
    let day = now - now.rem_euclid(DAY);
    client_events(&app, "aaaa", day - 3 * DAY, 2).await;
    client_events(&app, "bbbb", day - 3 * DAY, 3).await;
    client_events(&app, "aaaa", day - DAY, 4).await;

    let by_client = get(&app, &admin, "/+admin/audit?client=aaaa").await;
    assert_eq!(by_client.status, 200);
    assert_eq!(rows(&by_client.body), 6);
    assert!(!by_client.body.contains("client bbbb"));

    let date = |t: i64| latchkey::clock::format_time(t)[..10].to_owned();
    let old_day = date(day - 3 * DAY);
    let only_old = get(
        &app,
        &admin,
        &format!("/+admin/audit?code=clientchanged&client=aaaa&since={old_day}&until={old_day}"),
    )
    .await;
    assert_eq!(rows(&only_old.body), 2, "{}", only_old.body);
    let recent = get(
        &app,
        &admin,
        &format!("/+admin/audit?client=aaaa&since={}", date(day - DAY)),
    )
    .await;
    assert_eq!(rows(&recent.body), 4);
    let other_code = get(&app, &admin, "/+admin/audit?code=KeyRetired&client=aaaa").await;
    assert_eq!(rows(&other_code.body), 0);

    for bad in [
        "/+admin/audit?code=NoSuchCode",
        "/+admin/audit?since=yesterday",
        "/+admin/audit?until=2026-02-31x",
        "/+admin/audit?person=nobody%40example.org",
    ] {
        let refused = get(&app, &admin, bad).await;
        assert_eq!(refused.status, 400, "{bad}");
        assert!(refused.body.contains("role=\"alert\""), "{bad}");
    }
}

#[tokio::test]
async fn the_audit_view_filters_by_a_persons_address() {
    let app = console_app().await;
    let admin = admin(&app).await;
    app.cli(&["person", "placeholder", "ann@example.org"])
        .await
        .ok();
    app.cli(&["person", "placeholder", "bob@example.org"])
        .await
        .ok();
    let ann = get(&app, &admin, "/+admin/audit?person=Ann%40example.org").await;
    assert_eq!(ann.status, 200);
    assert_eq!(rows(&ann.body), 1, "{}", ann.body);
    assert!(ann.body.contains("ann@example.org"));
    assert!(!ann.body.contains("bob@example.org"));
}

#[tokio::test]
async fn the_audit_view_pages_newest_first_keeping_the_filters() {
    let app = console_app().await;
    let admin = admin(&app).await;
    let start = app.clock.now() - 7 * DAY;
    client_events(&app, "cccc", start, 120).await;
    client_events(&app, "dddd", start, 5).await;

    let first = get(&app, &admin, "/+admin/audit?client=cccc").await;
    assert_eq!(rows(&first.body), 50);
    assert!(first.body.contains("name=n119 "), "newest first");
    assert!(link(&first.body, "prev").is_none());
    let older = link(&first.body, "next").expect("an older page");
    assert!(
        older.contains("client=cccc") && older.contains("page=1"),
        "{older}"
    );
    let second = get(&app, &admin, &older).await;
    assert_eq!(rows(&second.body), 50);
    assert!(second.body.contains("name=n69 "));
    let third = get(&app, &admin, &link(&second.body, "next").unwrap()).await;
    assert_eq!(rows(&third.body), 20);
    assert!(link(&third.body, "next").is_none());
    let newer = link(&third.body, "prev").unwrap();
    assert!(
        newer.contains("client=cccc") && newer.contains("page=1"),
        "{newer}"
    );
    assert!(!third.body.contains("client dddd"));
}

#[tokio::test]
async fn the_audit_view_is_not_found_for_non_members() {
    let app = console_app().await;
    app.active_person("ada@example.org", "correct horse battery staple")
        .await;
    let member_of_nothing = app
        .sign_in_other("ada@example.org", "correct horse battery staple")
        .await;
    for client in [&browser(), &member_of_nothing] {
        for page in [
            "/+admin/audit",
            "/+admin/audit?client=x&page=1",
            "/+admin/audit?since=2026-01-01&until=2026-01-02",
        ] {
            assert_eq!(app.status_as(client, page).await, 404, "{page}");
        }
    }
}
