//! Unit tests of `extensions`: all four extensions in one message, non-default aliases,
//! withheld details.

use super::*;
use crate::domain::openid::ax::AX_NS;
use crate::domain::openid::pape::{MULTI_FACTOR, PAPE_NS};
use crate::domain::openid::sreg::{OPENID_2, SREG_1_1};
use crate::domain::openid::teams::TEAMS_NS;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn everything() -> Vec<(String, String)> {
    pairs(&[
        ("openid.ns", OPENID_2),
        ("openid.mode", "checkid_setup"),
        ("openid.ns.s", SREG_1_1),
        ("openid.s.required", "nickname"),
        ("openid.s.optional", "email"),
        ("openid.ns.a", AX_NS),
        ("openid.a.mode", "fetch_request"),
        ("openid.a.type.e", "http://axschema.org/contact/email"),
        ("openid.a.type.n", "http://axschema.org/namePerson"),
        ("openid.a.required", "e"),
        ("openid.ns.tm", TEAMS_NS),
        ("openid.tm.query_membership", "admins,ubuntu-dev,nobody"),
        ("openid.ns.pp", PAPE_NS),
        ("openid.pp.max_auth_age", "60"),
    ])
}

fn profile() -> OpenIdProfile {
    OpenIdProfile {
        nickname: Some("ada".to_owned()),
        email: Some("ada@example.org".to_owned()),
        full_name: Some("Ada Lovelace".to_owned()),
        teams: vec!["ubuntu-dev".to_owned(), "secret".to_owned()],
    }
}

fn auth() -> AuthFacts {
    AuthFacts {
        auth_time: 1_700_000_000,
        multi_factor: true,
        phishing_resistant: false,
    }
}

#[test]
fn the_details_asked_are_the_union_across_extensions_required_if_any_requires_them() {
    let requests = ExtensionRequests::parse(&everything());
    assert_eq!(
        requests.asked(),
        vec![
            (SharedField::Nickname, true),
            (SharedField::Email, true),
            (SharedField::FullName, false),
            (SharedField::Teams, false),
        ]
    );
    assert_eq!(requests.pape.as_ref().unwrap().max_auth_age, Some(60));
}

#[test]
fn everything_granted_is_answered_under_the_requests_own_aliases() {
    let requests = ExtensionRequests::parse(&everything());
    let answer = requests.response_fields(&profile(), &SharedField::ALL, &auth());
    assert_eq!(
        answer,
        pairs(&[
            ("openid.ns.s", SREG_1_1),
            ("openid.s.nickname", "ada"),
            ("openid.s.email", "ada@example.org"),
            ("openid.ns.a", AX_NS),
            ("openid.a.mode", "fetch_response"),
            ("openid.a.type.e", "http://axschema.org/contact/email"),
            ("openid.a.value.e", "ada@example.org"),
            ("openid.a.type.n", "http://axschema.org/namePerson"),
            ("openid.a.value.n", "Ada Lovelace"),
            ("openid.ns.tm", TEAMS_NS),
            ("openid.tm.is_member", "ubuntu-dev"),
            ("openid.ns.pp", PAPE_NS),
            ("openid.pp.auth_policies", MULTI_FACTOR),
            ("openid.pp.auth_time", "2023-11-14T22:13:20Z"),
        ])
    );
}

#[test]
fn withheld_details_and_teams_are_not_answered_but_each_extension_still_is() {
    let requests = ExtensionRequests::parse(&everything());
    let answer = requests.response_fields(&profile(), &[SharedField::Nickname], &auth());
    let keys: Vec<&str> = answer.iter().map(|(k, _)| k.as_str()).collect();
    assert!(keys.contains(&"openid.s.nickname"));
    for hidden in ["openid.s.email", "openid.a.value.e", "openid.a.value.n"] {
        assert!(!keys.contains(&hidden), "{hidden}");
    }
    assert!(answer.contains(&("openid.tm.is_member".to_owned(), String::new())));
    assert!(keys.contains(&"openid.ns.a"));
    assert!(!answer.iter().any(|(_, v)| v.contains("secret")));
}

#[test]
fn a_message_without_extensions_asks_nothing_and_answers_nothing() {
    let plain = pairs(&[("openid.ns", OPENID_2), ("openid.mode", "checkid_setup")]);
    let requests = ExtensionRequests::parse(&plain);
    assert_eq!(requests, ExtensionRequests::default());
    assert!(requests.asked().is_empty());
    assert!(
        requests
            .response_fields(&profile(), &SharedField::ALL, &auth())
            .is_empty()
    );
}

#[test]
fn malformed_extension_parts_are_ignored_not_refused() {
    let mut message = everything();
    message.extend(pairs(&[
        ("openid.a.count.n", "many"),
        ("openid.s.required", "nickname,,,\u{0}"),
        ("openid.pp.max_auth_age", "-1"),
    ]));
    let requests = ExtensionRequests::parse(&message);
    let ax = requests.ax.unwrap();
    assert_eq!(ax.attributes.len(), 1);
    assert_eq!(ax.attributes[0].alias, "e");
}
