//! Unit tests of `realm`: the §9.2 matching table, wildcards, public suffixes, discovery URLs.

use super::*;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn return_to_urls_match_a_realm_by_scheme_port_host_and_path() {
    for (realm, return_to, expected) in [
        ("http://example.com/", "http://example.com/", true),
        ("http://example.com/", "http://example.com/return?x=1", true),
        ("http://example.com", "http://example.com/a/b", true),
        ("http://example.com/", "https://example.com/", false),
        ("https://example.com/", "http://example.com/", false),
        ("http://example.com/", "http://example.com:80/", true),
        ("http://example.com:80/", "http://example.com/", true),
        ("https://example.com/", "https://example.com:443/x", true),
        (
            "http://example.com:8000/",
            "http://example.com:8000/x",
            true,
        ),
        ("http://example.com:8000/", "http://example.com/x", false),
        ("http://example.com/", "http://example.com:8001/", false),
        ("http://example.com/", "http://www.example.com/", false),
        ("http://www.example.com/", "http://example.com/", false),
        ("http://example.com/", "http://evilexample.com/", false),
        ("http://example.com/", "http://example.com.evil.org/", false),
        ("http://EXAMPLE.com/", "http://example.COM/", true),
        ("http://example.com/app", "http://example.com/app", true),
        ("http://example.com/app", "http://example.com/app?q=1", true),
        (
            "http://example.com/app",
            "http://example.com/app/return",
            true,
        ),
        ("http://example.com/app", "http://example.com/apple", false),
        ("http://example.com/app/", "http://example.com/app/x", true),
        ("http://example.com/app/", "http://example.com/app", false),
        ("http://example.com/app/", "http://example.com/other", false),
        (
            "http://example.com/app/",
            "http://example.com/app/../admin",
            false,
        ),
        ("http://example.com/", "http://example.com/x#frag", false),
        ("http://example.com/", "http://user@example.com/", false),
        ("http://example.com/", "not a url", false),
        ("http://example.com/", "", false),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/cb", true),
        ("http://localhost:8000/", "http://localhost:8000/cb", true),
    ] {
        let parsed = Realm::parse(realm).unwrap();
        assert_eq!(parsed.matches(return_to), expected, "{realm} ~ {return_to}");
    }
}

#[test]
fn a_wildcard_realm_matches_its_domain_and_every_subdomain_and_nothing_else() {
    let realm = Realm::parse("https://*.example.com/app").unwrap();
    assert!(realm.is_wildcard());
    for (return_to, expected) in [
        ("https://example.com/app", true),
        ("https://www.example.com/app/x", true),
        ("https://a.b.example.com/app?x", true),
        ("https://www.example.com/other", false),
        ("https://badexample.com/app", false),
        ("https://.example.com/app", false),
        ("http://www.example.com/app", false),
        ("https://www.example.com:8443/app", false),
        ("https://example.com.evil.org/app", false),
    ] {
        assert_eq!(realm.matches(return_to), expected, "{return_to}");
    }
}

#[test]
fn malformed_realms_are_refused_with_their_reason() {
    for (input, error) in [
        ("example.com", RealmError::NotAbsolute),
        ("", RealmError::NotAbsolute),
        ("http://", RealmError::NotAbsolute),
        ("ftp://example.com/", RealmError::Scheme),
        ("javascript://example.com/", RealmError::Scheme),
        ("http://example.com/#x", RealmError::Fragment),
        ("http://u:p@example.com/", RealmError::Credentials),
        ("http://www.*.example.com/", RealmError::Wildcard),
        ("http://*example.com/", RealmError::Wildcard),
        ("http://ex*ample.com/", RealmError::Wildcard),
        ("http://*.*.example.com/", RealmError::Wildcard),
        ("http://*.127.0.0.1/", RealmError::Wildcard),
        ("http://example.com\n/", RealmError::NotAbsolute),
    ] {
        assert_eq!(Realm::parse(input), Err(error), "{input:?}");
    }
}

#[test]
fn realms_that_are_or_cover_a_public_suffix_are_refused() {
    for input in [
        "http://*.com/",
        "https://*.co.uk/",
        "https://*.github.io/",
        "http://com/",
        "https://co.uk/",
        "http://*.localhost/",
        "http://*.uk/",
    ] {
        assert_eq!(
            Realm::parse(input),
            Err(RealmError::PublicSuffix),
            "{input}"
        );
    }
    for input in [
        "http://*.example.com/",
        "https://*.example.co.uk/",
        "https://someone.github.io/",
        "http://localhost/",
    ] {
        assert!(Realm::parse(input).is_ok(), "{input}");
    }
}

#[test]
fn the_realm_text_keeps_its_wildcard_and_drops_its_query() {
    let realm = Realm::parse("HTTP://*.Example.com:8080/path?x=1").unwrap();
    assert_eq!(realm.as_str(), "http://*.example.com:8080/path");
    assert_eq!(realm.to_string(), "http://*.example.com:8080/path");
    assert_eq!(realm.host_label(), "*.example.com:8080");
    let plain = Realm::parse("https://example.com").unwrap();
    assert_eq!(plain.as_str(), "https://example.com/");
    assert_eq!(plain.host_label(), "example.com");
}

#[test]
fn discovery_looks_at_www_for_a_wildcard_realm() {
    let wild = Realm::parse("https://*.example.com/app/").unwrap();
    assert_eq!(
        wild.discovery_url().as_str(),
        "https://www.example.com/app/"
    );
    let plain = Realm::parse("http://example.com:8000/").unwrap();
    assert_eq!(plain.discovery_url().as_str(), "http://example.com:8000/");
}

#[test]
fn the_realm_of_a_request_is_the_realm_then_the_trust_root_then_the_return_to() {
    let both = pairs(&[
        ("openid.return_to", "https://rp.example.com/return?n=1"),
        ("openid.realm", "https://*.example.com/"),
    ]);
    assert_eq!(realm_of(&both).unwrap().as_str(), "https://*.example.com/");
    let old = pairs(&[
        ("openid.return_to", "https://rp.example.com/return"),
        ("openid.trust_root", "https://rp.example.com/"),
    ]);
    assert_eq!(realm_of(&old).unwrap().as_str(), "https://rp.example.com/");
    let only = pairs(&[("openid.return_to", "https://rp.example.com/return?n=1#f")]);
    let realm = realm_of(&only).unwrap();
    assert_eq!(realm.as_str(), "https://rp.example.com/return");
    assert!(realm.matches("https://rp.example.com/return?n=1"));
    assert_eq!(realm_of(&[]), Err(RealmError::Missing));
    let starred = pairs(&[("openid.return_to", "https://*.example.com/return")]);
    assert_eq!(realm_of(&starred), Err(RealmError::Wildcard));
}
