//! Relying-party discovery against a loopback relying party serving XRDS: verified, a
//! mismatch, no XRDS, the X-XRDS-Location header, and an address the policy forbids.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use actix_web::{App, HttpResponse, HttpServer, web};
use latchkey::domain::callback::CallbackPolicy;
use latchkey::domain::openid::realm::Realm;
use latchkey::service::openid::rp_discovery::{RpDiscovery, verify_return_to};

/// A relying party on loopback; it counts the requests it receives.
struct RelyingParty {
    base: String,
    hits: Arc<AtomicUsize>,
    handle: actix_web::dev::ServerHandle,
}

impl Drop for RelyingParty {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
    }
}

fn xrds(uri: &str) -> String {
    format!(
        r#"<?xml version="1.0"?><xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)"><XRD><Service><Type>http://specs.openid.net/auth/2.0/return_to</Type><URI>{uri}</URI></Service></XRD></xrds:XRDS>"#
    )
}

/// Serves `/` (the realm), `/xrds` (a document) and `/html` (a page without XRDS).
fn start(endpoint_path: &'static str, realm_answers_xrds: bool) -> RelyingParty {
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    let server = HttpServer::new(move || {
        let hits = counted.clone();
        App::new()
            .wrap_fn(move |req, srv| {
                hits.fetch_add(1, Ordering::SeqCst);
                actix_web::dev::Service::call(srv, req)
            })
            .route(
                "/",
                web::get().to(move |req: actix_web::HttpRequest| async move {
                    let host = req.connection_info().host().to_owned();
                    let doc = xrds(&format!("http://{host}{endpoint_path}"));
                    if realm_answers_xrds {
                        HttpResponse::Ok()
                            .content_type("application/xrds+xml")
                            .body(doc)
                    } else {
                        HttpResponse::Ok()
                            .insert_header(("X-XRDS-Location", "/xrds"))
                            .content_type("text/html")
                            .body("<html></html>")
                    }
                }),
            )
            .route(
                "/xrds",
                web::get().to(move |req: actix_web::HttpRequest| async move {
                    let host = req.connection_info().host().to_owned();
                    HttpResponse::Ok()
                        .content_type("application/xrds+xml")
                        .body(xrds(&format!("http://{host}{endpoint_path}")))
                }),
            )
            .route(
                "/html/",
                web::get().to(|| async { HttpResponse::Ok().body("<html></html>") }),
            )
    })
    .workers(1)
    .disable_signals()
    .shutdown_timeout(0)
    .bind(("127.0.0.1", 0))
    .unwrap();
    let port = server.addrs()[0].port();
    let server = server.run();
    let handle = server.handle();
    tokio::spawn(server);
    RelyingParty {
        base: format!("http://127.0.0.1:{port}"),
        hits,
        handle,
    }
}

fn loopback_allowed() -> CallbackPolicy {
    CallbackPolicy {
        allow_http: true,
        allowed_hosts: vec!["127.0.0.1".to_owned()],
    }
}

#[tokio::test]
async fn a_return_to_listed_in_the_realms_xrds_is_verified() {
    let rp = start("/openid/", true);
    let realm = Realm::parse(&format!("{}/", rp.base)).unwrap();
    let outcome = verify_return_to(
        &realm,
        &format!("{}/openid/return?n=1", rp.base),
        &loopback_allowed(),
    )
    .await;
    assert_eq!(outcome, RpDiscovery::Verified);
}

#[tokio::test]
async fn an_x_xrds_location_header_is_followed_once() {
    let rp = start("/openid/", false);
    let realm = Realm::parse(&format!("{}/", rp.base)).unwrap();
    let outcome = verify_return_to(
        &realm,
        &format!("{}/openid/return", rp.base),
        &loopback_allowed(),
    )
    .await;
    assert_eq!(outcome, RpDiscovery::Verified);
    assert_eq!(rp.hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_return_to_outside_the_listed_endpoints_is_a_mismatch() {
    let rp = start("/openid/", true);
    let realm = Realm::parse(&format!("{}/", rp.base)).unwrap();
    let outcome = verify_return_to(
        &realm,
        &format!("{}/elsewhere", rp.base),
        &loopback_allowed(),
    )
    .await;
    assert_eq!(outcome, RpDiscovery::Mismatch);
}

#[tokio::test]
async fn a_realm_without_xrds_fails_discovery() {
    let rp = start("/openid/", true);
    let realm = Realm::parse(&format!("{}/html/", rp.base)).unwrap();
    let outcome =
        verify_return_to(&realm, &format!("{}/html/x", rp.base), &loopback_allowed()).await;
    assert!(matches!(outcome, RpDiscovery::Failed(_)), "{outcome:?}");
}

#[tokio::test]
async fn an_address_the_policy_forbids_fails_without_a_request_reaching_it() {
    let rp = start("/openid/", true);
    let realm = Realm::parse(&format!("{}/", rp.base)).unwrap();
    let strict = CallbackPolicy {
        allow_http: true,
        allowed_hosts: Vec::new(),
    };
    let outcome = verify_return_to(&realm, &format!("{}/openid/x", rp.base), &strict).await;
    assert!(matches!(outcome, RpDiscovery::Failed(_)), "{outcome:?}");
    assert_eq!(rp.hits.load(Ordering::SeqCst), 0);
}
