//! A relying party's `checkid_setup` or `checkid_immediate` request, checked (spec §9): an
//! OpenID 2.0 message whose `return_to` lies inside its realm, naming an identifier of this
//! provider or asking it to choose one.

use super::realm::{Realm, realm_of};

/// The OpenID 2.0 namespace every message carries.
pub const OPENID2_NS: &str = "http://specs.openid.net/auth/2.0";
/// The identifier that asks the provider to choose (§7.3.1, identifier select).
pub const IDENTIFIER_SELECT: &str = "http://specs.openid.net/auth/2.0/identifier_select";

/// Whether the person may be asked anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckidMode {
    /// The person may be shown pages.
    Setup,
    /// The answer must come at once: `setup_needed` when it cannot be decided silently.
    Immediate,
}

/// Which identifier the assertion is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// The provider chooses: the signed-in person's.
    Select,
    /// One of this provider's identifiers (`{public}/+id/{opaque}`), with the claimed
    /// identifier the relying party discovered it from (itself, or a URL that delegates to it).
    Named {
        /// The opaque part of the local identifier.
        opaque: String,
        /// `openid.claimed_id`, echoed in the assertion.
        claimed_id: String,
    },
}

/// A checked request.
#[derive(Debug, Clone)]
pub struct CheckidRequest {
    /// Setup or immediate.
    pub mode: CheckidMode,
    /// The realm the person is asked about.
    pub realm: Realm,
    /// Where the answer goes; inside `realm`.
    pub return_to: String,
    /// The identifier asked for.
    pub identity: Identity,
    /// The relying party's association, if it has one.
    pub assoc_handle: Option<String>,
}

/// Why a request cannot be answered at its `return_to`: the error page says so.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// Not an OpenID 2.0 message.
    #[error("only OpenID 2.0 requests are answered")]
    NotOpenId2,
    /// No `openid.mode`, or not a checkid mode.
    #[error("the request is not a sign-in request")]
    NotCheckid,
    /// A field came twice.
    #[error("the request repeats the field {0}")]
    Repeated(String),
    /// No `openid.return_to`: no sign-in can be answered.
    #[error("the request names no address to return to")]
    NoReturnTo,
    /// `openid.return_to` is not an absolute http(s) URL.
    #[error("the address to return to is not a web address")]
    BadReturnTo,
    /// The realm is malformed or too wide.
    #[error("the site's realm is not acceptable: {0}")]
    BadRealm(String),
    /// `return_to` lies outside the realm.
    #[error("the address to return to lies outside the site's realm")]
    OutsideRealm,
    /// Only one of `claimed_id` and `identity`.
    #[error("the request names only one of claimed_id and identity")]
    HalfIdentity,
    /// No identifier at all (an extension-only request), which this provider does not answer.
    #[error("the request names no identifier")]
    NoIdentity,
    /// An identifier of another provider.
    #[error("the identifier is not one of this provider's")]
    ForeignIdentity,
}

impl CheckidRequest {
    /// Checks the request's `openid.*` pairs; `identity_base` is `{public}/+id/`.
    pub fn parse(pairs: &[(String, String)], identity_base: &str) -> Result<Self, RequestError> {
        let one = |name: &str| -> Result<Option<&str>, RequestError> {
            let mut values = pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str());
            let first = values.next();
            match values.next() {
                Some(_) => Err(RequestError::Repeated(name.to_owned())),
                None => Ok(first),
            }
        };
        if one("openid.ns")? != Some(OPENID2_NS) {
            return Err(RequestError::NotOpenId2);
        }
        let mode = match one("openid.mode")? {
            Some("checkid_setup") => CheckidMode::Setup,
            Some("checkid_immediate") => CheckidMode::Immediate,
            _ => return Err(RequestError::NotCheckid),
        };
        let return_to = one("openid.return_to")?.ok_or(RequestError::NoReturnTo)?;
        let parsed = url::Url::parse(return_to).map_err(|_| RequestError::BadReturnTo)?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.fragment().is_some() {
            return Err(RequestError::BadReturnTo);
        }
        one("openid.realm")?;
        let realm = realm_of(pairs).map_err(|e| RequestError::BadRealm(e.to_string()))?;
        if !realm.matches(return_to) {
            return Err(RequestError::OutsideRealm);
        }
        let identity = match (one("openid.claimed_id")?, one("openid.identity")?) {
            (None, None) => return Err(RequestError::NoIdentity),
            (Some(_), None) | (None, Some(_)) => return Err(RequestError::HalfIdentity),
            (Some(_), Some(IDENTIFIER_SELECT)) => Identity::Select,
            (Some(claimed), Some(local)) => {
                let opaque = local
                    .strip_prefix(identity_base)
                    .filter(|rest| !rest.is_empty() && !rest.contains(['/', '?', '#']))
                    .ok_or(RequestError::ForeignIdentity)?;
                Identity::Named {
                    opaque: opaque.to_owned(),
                    claimed_id: claimed.to_owned(),
                }
            }
        };
        Ok(Self {
            mode,
            realm,
            return_to: return_to.to_owned(),
            identity,
            assoc_handle: one("openid.assoc_handle")?.map(str::to_owned),
        })
    }
}

/// `return_to` with `fields` added to its query: an indirect answer (§5.2).
pub fn indirect(return_to: &str, fields: &[(String, String)]) -> String {
    match url::Url::parse(return_to) {
        Ok(mut url) => {
            url.query_pairs_mut().extend_pairs(fields);
            url.into()
        }
        Err(_) => return_to.to_owned(),
    }
}

/// The fields of a negative answer: `cancel` or `setup_needed` (§10.2).
pub fn negative(mode: &str) -> Vec<(String, String)> {
    vec![
        ("openid.ns".to_owned(), OPENID2_NS.to_owned()),
        ("openid.mode".to_owned(), mode.to_owned()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://id.example.org/+id/";

    fn pairs(extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut all = vec![
            ("openid.ns", OPENID2_NS),
            ("openid.mode", "checkid_setup"),
            ("openid.return_to", "https://rp.example.com/finish?x=1"),
            ("openid.realm", "https://rp.example.com/"),
            ("openid.claimed_id", IDENTIFIER_SELECT),
            ("openid.identity", IDENTIFIER_SELECT),
        ];
        for (k, v) in extra {
            all.retain(|(name, _)| name != k);
            all.push((k, v));
        }
        all.into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    #[test]
    fn an_identifier_select_request_inside_its_realm_is_accepted() {
        let request = CheckidRequest::parse(&pairs(&[]), BASE).unwrap();
        assert_eq!(request.mode, CheckidMode::Setup);
        assert_eq!(request.identity, Identity::Select);
        assert_eq!(request.return_to, "https://rp.example.com/finish?x=1");
    }

    #[test]
    fn a_return_to_outside_the_realm_is_refused() {
        let outside = pairs(&[("openid.return_to", "https://evil.example.net/finish")]);
        assert_eq!(
            CheckidRequest::parse(&outside, BASE).unwrap_err(),
            RequestError::OutsideRealm
        );
    }

    #[test]
    fn a_named_identifier_of_this_provider_gives_its_opaque_part() {
        let named = pairs(&[
            ("openid.claimed_id", "https://id.example.org/+id/abc"),
            ("openid.identity", "https://id.example.org/+id/abc"),
        ]);
        let request = CheckidRequest::parse(&named, BASE).unwrap();
        assert_eq!(
            request.identity,
            Identity::Named {
                opaque: "abc".to_owned(),
                claimed_id: "https://id.example.org/+id/abc".to_owned()
            }
        );
    }

    #[test]
    fn another_providers_identifier_is_refused() {
        let foreign = pairs(&[
            ("openid.claimed_id", "https://other.example/+id/abc"),
            ("openid.identity", "https://other.example/+id/abc"),
        ]);
        assert_eq!(
            CheckidRequest::parse(&foreign, BASE).unwrap_err(),
            RequestError::ForeignIdentity
        );
    }

    #[test]
    fn openid_1_messages_and_other_modes_are_refused() {
        let old = pairs(&[("openid.ns", "")]);
        assert_eq!(
            CheckidRequest::parse(&old, BASE).unwrap_err(),
            RequestError::NotOpenId2
        );
        let other = pairs(&[("openid.mode", "associate")]);
        assert_eq!(
            CheckidRequest::parse(&other, BASE).unwrap_err(),
            RequestError::NotCheckid
        );
    }

    #[test]
    fn a_repeated_field_is_refused() {
        let mut twice = pairs(&[]);
        twice.push((
            "openid.return_to".to_owned(),
            "https://rp.example.com/b".to_owned(),
        ));
        assert!(matches!(
            CheckidRequest::parse(&twice, BASE),
            Err(RequestError::Repeated(_))
        ));
    }

    #[test]
    fn the_realm_defaults_to_the_return_to() {
        let no_realm = pairs(&[("openid.realm", "")]);
        let request = CheckidRequest::parse(&no_realm, BASE).unwrap();
        assert!(request.realm.matches("https://rp.example.com/finish?x=1"));
    }

    #[test]
    fn an_indirect_answer_keeps_the_return_to_query() {
        let location = indirect("https://rp.example.com/finish?x=1", &negative("cancel"));
        assert!(location.starts_with("https://rp.example.com/finish?x=1&openid.ns="));
        assert!(location.ends_with("openid.mode=cancel"));
    }
}
