//! `/+openid` associate: Diffie-Hellman associations whose MAC key the relying party recovers
//! and the provider signs with; `no-encryption` only over https; unsupported types answered
//! with the supported ones.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use latchkey::domain::openid::association::{AssocType, MacKey, signed_list, signed_text, verify};
use latchkey::domain::openid::dh::{DhHash, btwoc, xor_mac_key};
use latchkey::domain::openid::kv::decode;
use latchkey::service::openid::signing::sign_assertion;
use rsa::BigUint;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

const NS: &str = "http://specs.openid.net/auth/2.0";

/// Posts `fields` to `/+openid`; the status and the decoded answer.
pub async fn post_openid(
    app: &TestApp,
    fields: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> (u16, Vec<(String, String)>) {
    let mut req = reqwest::Client::new()
        .post(format!("{}/+openid", app.address))
        .form(fields);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, decode(&res.text().await.unwrap()).unwrap())
}

pub fn value<'a>(answer: &'a [(String, String)], key: &str) -> Option<&'a str> {
    answer
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn assertion_fields(app: &TestApp) -> Vec<(String, String)> {
    [
        ("openid.mode", "id_res".to_owned()),
        ("openid.op_endpoint", format!("{}/+openid", app.address)),
        ("openid.claimed_id", format!("{}/+id/abc", app.address)),
        ("openid.identity", format!("{}/+id/abc", app.address)),
        ("openid.return_to", "https://rp.example/back".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

async fn dh_association_signs_what_the_relying_party_verifies(
    session: &str,
    assoc: &str,
    hash: DhHash,
    assoc_type: AssocType,
) {
    let app = spawn_app().await;
    // The relying party's side of the exchange, with the default group.
    let p = BigUint::parse_bytes(
        b"dcf93a0b883972ec0e19989ac5a2ce310e1d37717e8d9571bb7623731866e61ef75a2e27898b057f9891c2e27a639c3f29b60814581cd3b2ca3986d2683705577d45c2e7e52dc81c7a171876e5cea74b1448bfdfaf18828efd2519f14e45e3826634af1949e5b535cc829a483b8a76223e5d490a257f05bdff16f2fb22c583ab",
        16,
    )
    .unwrap();
    let private = BigUint::from(0x1234_5678_9abc_def1_u64) * BigUint::from(0xfedc_ba98_u64);
    let public = BigUint::from(2u32).modpow(&private, &p);
    let public_b64 = STANDARD.encode(btwoc(&public));
    let (status, answer) = post_openid(
        &app,
        &[
            ("openid.ns", NS),
            ("openid.mode", "associate"),
            ("openid.assoc_type", assoc),
            ("openid.session_type", session),
            ("openid.dh_consumer_public", &public_b64),
        ],
        &[],
    )
    .await;
    assert_eq!(status, 200, "{answer:?}");
    assert_eq!(value(&answer, "ns"), Some(NS));
    assert_eq!(value(&answer, "session_type"), Some(session));
    assert_eq!(value(&answer, "assoc_type"), Some(assoc));
    assert_eq!(value(&answer, "expires_in"), Some("1209600"));
    assert_eq!(value(&answer, "mac_key"), None, "never in clear over http");
    let server_public = BigUint::from_bytes_be(
        &STANDARD
            .decode(value(&answer, "dh_server_public").unwrap())
            .unwrap(),
    );
    let shared = server_public.modpow(&private, &p);
    let masked = STANDARD
        .decode(value(&answer, "enc_mac_key").unwrap())
        .unwrap();
    let key = MacKey::from_bytes(assoc_type, xor_mac_key(hash, &shared, &masked)).unwrap();
    let handle = value(&answer, "assoc_handle").unwrap();

    let signed = sign_assertion(&app.ctx, Some(handle), assertion_fields(&app))
        .await
        .unwrap();
    let field = |name: &str| value(&signed, &format!("openid.{name}")).unwrap();
    assert_eq!(
        field("assoc_handle"),
        handle,
        "the shared association signs"
    );
    assert_eq!(value(&signed, "openid.invalidate_handle"), None);
    let text = signed_text(&signed, &signed_list(field("signed"))).unwrap();
    assert!(verify(assoc_type, &key, &text, field("sig")));
}

#[tokio::test]
async fn a_dh_sha1_association_gives_the_relying_party_the_key_that_signs_assertions() {
    dh_association_signs_what_the_relying_party_verifies(
        "DH-SHA1",
        "HMAC-SHA1",
        DhHash::Sha1,
        AssocType::HmacSha1,
    )
    .await;
}

#[tokio::test]
async fn a_dh_sha256_association_gives_the_relying_party_the_key_that_signs_assertions() {
    dh_association_signs_what_the_relying_party_verifies(
        "DH-SHA256",
        "HMAC-SHA256",
        DhHash::Sha256,
        AssocType::HmacSha256,
    )
    .await;
}

const NO_ENCRYPTION: [(&str, &str); 4] = [
    ("openid.ns", NS),
    ("openid.mode", "associate"),
    ("openid.assoc_type", "HMAC-SHA256"),
    ("openid.session_type", "no-encryption"),
];

#[tokio::test]
async fn no_encryption_over_http_is_refused_as_unsupported() {
    let app = spawn_app().await;
    let (status, answer) =
        post_openid(&app, &NO_ENCRYPTION, &[("X-Forwarded-Proto", "https")]).await;
    assert_eq!(
        status, 400,
        "an untrusted peer's X-Forwarded-Proto is not believed"
    );
    assert_eq!(value(&answer, "error_code"), Some("unsupported-type"));
    assert_eq!(value(&answer, "session_type"), Some("DH-SHA256"));
    assert_eq!(value(&answer, "assoc_type"), Some("HMAC-SHA256"));
    assert_eq!(value(&answer, "mac_key"), None);
}

#[tokio::test]
async fn no_encryption_through_a_trusted_https_proxy_sends_the_key() {
    let app = spawn_app_with(|s| s.server.trusted_proxies = vec!["127.0.0.0/8".to_owned()]).await;
    let (status, answer) =
        post_openid(&app, &NO_ENCRYPTION, &[("X-Forwarded-Proto", "https")]).await;
    assert_eq!(status, 200, "{answer:?}");
    let key = STANDARD.decode(value(&answer, "mac_key").unwrap()).unwrap();
    assert_eq!(key.len(), 32);
    let (status, _) = post_openid(&app, &NO_ENCRYPTION, &[("X-Forwarded-Proto", "http")]).await;
    assert_eq!(status, 400, "the proxy says the client used http");
}

#[tokio::test]
async fn unsupported_and_mismatched_types_and_bad_requests_get_400_answers() {
    let app = spawn_app().await;
    for (assoc, session) in [
        ("HMAC-MD5", "DH-SHA1"),
        ("HMAC-SHA1", "DH-SHA256"),
        ("HMAC-SHA256", "DH-MD5"),
    ] {
        let (status, answer) = post_openid(
            &app,
            &[
                ("openid.ns", NS),
                ("openid.mode", "associate"),
                ("openid.assoc_type", assoc),
                ("openid.session_type", session),
                ("openid.dh_consumer_public", "Ag=="),
            ],
            &[],
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(
            value(&answer, "error_code"),
            Some("unsupported-type"),
            "{assoc} {session}"
        );
    }
    for fields in [
        vec![
            ("openid.ns", NS),
            ("openid.mode", "associate"),
            ("openid.assoc_type", "HMAC-SHA1"),
            ("openid.session_type", "DH-SHA1"),
        ],
        vec![
            ("openid.ns", NS),
            ("openid.mode", "associate"),
            ("openid.assoc_type", "HMAC-SHA1"),
            ("openid.session_type", "DH-SHA1"),
            ("openid.dh_consumer_public", "AQ=="),
        ],
        vec![("openid.ns", NS), ("openid.mode", "nonsense")],
        vec![("openid.ns", NS)],
        vec![("openid.mode", "associate")],
        vec![
            ("openid.ns", NS),
            ("openid.mode", "associate"),
            ("openid.mode", "associate"),
        ],
    ] {
        let (status, answer) = post_openid(&app, &fields, &[]).await;
        assert_eq!(status, 400, "{fields:?}");
        assert_eq!(value(&answer, "ns"), Some(NS));
        assert!(value(&answer, "error").is_some());
    }
}
