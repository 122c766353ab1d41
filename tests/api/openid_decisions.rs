//! Remembered OpenID 2.0 decisions and waiting checkid requests, through the app's services,
//! and realms on the account's applications page.

use latchkey::clock::Clock;
use latchkey::service::Origin;
use latchkey::service::openid::{decisions, pending};

use crate::helpers::spawn_app;
use crate::login_helpers::csrf_in;

const REALM: &str = "https://rp.example.org/";

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn a_remembered_decision_is_found_listed_and_revoked_once() {
    let app = spawn_app().await;
    let alice = app
        .active_person("alice@example.org", "correct horse 1")
        .await;
    let bob = app
        .active_person("bob@example.org", "correct horse 2")
        .await;
    let origin = Origin::cli();
    assert_eq!(
        decisions::remembered(&app.ctx, &alice.id, REALM)
            .await
            .unwrap(),
        None
    );
    decisions::remember(
        &app.ctx,
        &alice.id,
        REALM,
        &names(&["teams", "email"]),
        &origin,
    )
    .await
    .unwrap();
    let got = decisions::remembered(&app.ctx, &alice.id, REALM)
        .await
        .unwrap();
    assert_eq!(got, Some(names(&["email", "teams"])));
    assert_eq!(
        decisions::remembered(&app.ctx, &bob.id, REALM)
            .await
            .unwrap(),
        None
    );

    let decided = app.clock.now();
    app.clock.advance(3600);
    decisions::remember(
        &app.ctx,
        &alice.id,
        REALM,
        &names(&["email", "teams"]),
        &origin,
    )
    .await
    .unwrap();
    let listed = decisions::list_for(&app.ctx, &alice.id).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].decided_at, decided,
        "the same choice keeps its date"
    );
    assert_eq!(listed[0].last_used_at, decided + 3600);
    let remembered_rows = app
        .count("SELECT COUNT(*) AS n FROM audit_events WHERE code = 'OpenIdDecisionRemembered'")
        .await;
    assert_eq!(remembered_rows, 1, "a silent reuse is not audited again");

    assert!(
        !decisions::revoke(&app.ctx, &bob.id, REALM, &origin)
            .await
            .unwrap()
    );
    assert!(
        decisions::revoke(&app.ctx, &alice.id, REALM, &origin)
            .await
            .unwrap()
    );
    assert!(
        !decisions::revoke(&app.ctx, &alice.id, REALM, &origin)
            .await
            .unwrap()
    );
    assert_eq!(
        decisions::remembered(&app.ctx, &alice.id, REALM)
            .await
            .unwrap(),
        None
    );
    let revoked_rows = app
        .count("SELECT COUNT(*) AS n FROM audit_events WHERE code = 'OpenIdDecisionRevoked'")
        .await;
    assert_eq!(revoked_rows, 1);
}

#[tokio::test]
async fn a_held_request_is_answered_once_only_by_its_person_and_not_after_expiry() {
    let app = spawn_app().await;
    let alice = app
        .active_person("alice@example.org", "correct horse 1")
        .await;
    let bob = app
        .active_person("bob@example.org", "correct horse 2")
        .await;
    let pairs = vec![
        ("openid.mode".to_owned(), "checkid_setup".to_owned()),
        (
            "openid.return_to".to_owned(),
            "https://rp.example.org/back?a=1&b=2".to_owned(),
        ),
    ];
    let handle = pending::hold(&app.ctx, &pairs, &alice.id).await.unwrap();
    let h = handle.expose();
    assert!(h.starts_with("lk_oir_"));
    assert_eq!(
        pending::waiting(&app.ctx, h).await.unwrap(),
        Some(pairs.clone())
    );
    let now = app.clock.now();
    let pool = app.db.pool();
    assert_eq!(
        pending::answer(pool, h, &bob.id, now).await.unwrap(),
        None,
        "someone else's"
    );
    assert_eq!(
        pending::answer(pool, "lk_ar_nothing", &alice.id, now)
            .await
            .unwrap(),
        None
    );
    let (one, two) = tokio::join!(
        pending::answer(pool, h, &alice.id, now),
        pending::answer(pool, h, &alice.id, now)
    );
    let answered = [one.unwrap(), two.unwrap()];
    assert_eq!(
        answered.iter().filter(|a| a.is_some()).count(),
        1,
        "answered once"
    );
    assert!(answered.contains(&Some(pairs.clone())));
    assert_eq!(
        pending::answer(pool, h, &alice.id, now).await.unwrap(),
        None,
        "replay"
    );
    assert_eq!(pending::waiting(&app.ctx, h).await.unwrap(), None);

    let late = pending::hold(&app.ctx, &pairs, &alice.id).await.unwrap();
    app.clock.advance(30 * 60 + 1);
    let now = app.clock.now();
    assert_eq!(
        pending::waiting(&app.ctx, late.expose()).await.unwrap(),
        None
    );
    assert_eq!(
        pending::answer(pool, late.expose(), &alice.id, now)
            .await
            .unwrap(),
        None
    );
    let stored = app
        .count("SELECT COUNT(*) AS n FROM openid_requests WHERE handle_hash LIKE 'lk_%'")
        .await;
    assert_eq!(stored, 0, "only hashes are stored");
}

#[tokio::test]
async fn the_applications_page_lists_a_realm_and_revokes_it_with_csrf() {
    let app = spawn_app().await;
    let alice = app
        .active_person("alice@example.org", "correct horse 1")
        .await;
    decisions::remember(
        &app.ctx,
        &alice.id,
        REALM,
        &names(&["email"]),
        &Origin::cli(),
    )
    .await
    .unwrap();
    assert_eq!(
        app.post_login("alice@example.org", "correct horse 1", "login")
            .await
            .status,
        303
    );
    let page = app.page("/+account/apps").await;
    assert!(page.contains(REALM), "{page}");
    assert!(page.contains("Your email address"));
    assert!(page.contains("/+account/apps/realms/revoke"));

    let forged = app
        .post_form(
            "/+account/apps/realms/revoke",
            &[("csrf_token", "wrong"), ("realm", REALM)],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert!(
        decisions::remembered(&app.ctx, &alice.id, REALM)
            .await
            .unwrap()
            .is_some()
    );

    let csrf = csrf_in(&page);
    let done = app
        .post_form(
            "/+account/apps/realms/revoke",
            &[("csrf_token", &csrf), ("realm", REALM)],
        )
        .await;
    assert_eq!(done.status, 303);
    assert_eq!(done.location.as_deref(), Some("/+account/apps"));
    assert_eq!(
        decisions::remembered(&app.ctx, &alice.id, REALM)
            .await
            .unwrap(),
        None
    );
    let page = app.page("/+account/apps").await;
    assert!(!page.contains(REALM));
}
