//! Auth delegation requests refused before the confirmation page: unsafe callbacks (internal
//! addresses, IPv6 forms of them) and descriptions, and every request while the feature is off.

use crate::api_keys::signed_in_ada;
use crate::callback_server::{Behaviour, CallbackServer};
use crate::delegation::ask;
use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn unsafe_callbacks_and_descriptions_are_refused_before_the_confirmation_page() {
    let app = spawn_app_with(|s| s.auth_delegation.enabled = true).await;
    signed_in_ada(&app).await;
    let callback = CallbackServer::start(Behaviour::Accept);
    let https_loopback = callback.url.replace("http://", "https://");
    for bad in [
        "javascript:alert(1)",
        "http://app.example.org/cb",
        callback.url.as_str(),
        https_loopback.as_str(),
        "https://127.0.0.1/",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/cb",
        "https://localhost/cb",
        "https://rp.example/cb%0d%0aSet-Cookie:x",
        "https://rp.example/cb\r\nSet-Cookie: x",
        "//rp.example/cb",
        "",
    ] {
        let (status, page) = ask(&app, bad, "Some app").await;
        assert_eq!(status, 400, "{bad:?}: {page}");
        assert!(!page.contains("confirm_token"), "{bad:?}");
    }
    for bad in ["ab", "<script>alert(1)</script>", &"x".repeat(300)] {
        let (status, _) = ask(&app, "https://127.0.0.1/", bad).await;
        assert_eq!(status, 400, "{bad}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM delegation_requests")
            .await,
        0
    );
    assert!(callback.received().is_empty());
}

#[tokio::test]
async fn ipv6_callbacks_carrying_an_internal_ipv4_address_are_refused_before_confirmation() {
    let app = spawn_app_with(|s| s.auth_delegation.enabled = true).await;
    signed_in_ada(&app).await;
    for bad in [
        "https://[::127.0.0.1]/cb",
        "https://[::ffff:0:10.0.0.1]/cb",
        "https://[64:ff9b::169.254.169.254]/latest/meta-data/",
        "https://[2002:c0a8:101::1]/cb",
        "https://[::ffff:127.0.0.1]/cb",
    ] {
        let (status, page) = ask(&app, bad, "Some app").await;
        assert_eq!(status, 400, "{bad}: {page}");
        assert!(!page.contains("confirm_token"), "{bad}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM delegation_requests")
            .await,
        0
    );
    let (status, page) = ask(&app, "https://[64:ff9b::5db8:d822]/cb", "Some app").await;
    assert_eq!(
        status, 200,
        "a public IPv4 address behind NAT64 is public: {page}"
    );
    assert!(page.contains("confirm_token"));
}

#[tokio::test]
async fn with_the_feature_off_auth_cgi_answers_403() {
    let app = spawn_app().await;
    signed_in_ada(&app).await;
    let (status, page) = ask(&app, "https://app.example.org/cb", "Some app").await;
    assert_eq!(status, 403);
    assert!(page.contains("Auth delegation is off"));
    let answer = app
        .post_form(
            "/auth.cgi",
            &[
                ("callback", "https://app.example.org/cb"),
                ("confirm_token", "x"),
            ],
        )
        .await;
    assert_eq!(answer.status, 403);
}
