//! Auth-delegation callbacks: which URLs a key may be sent to. Parsing refuses unsafe schemes,
//! credentials, control characters and addresses inside the operator's network; names are
//! checked again once resolved (`address_allowed`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// The operator's rules for callbacks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallbackPolicy {
    /// Whether plain-http callbacks are accepted.
    pub allow_http: bool,
    /// Hosts (names or addresses, compared case-insensitively) that may be on loopback or
    /// private networks.
    pub allowed_hosts: Vec<String>,
}

/// Why a callback is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    /// Absent or empty.
    #[error("the callback is missing")]
    Missing,
    /// Control characters, raw or percent-encoded.
    #[error("the callback contains control characters")]
    ControlCharacters,
    /// Not an absolute URL.
    #[error("the callback is not an absolute URL")]
    NotAbsolute,
    /// A scheme other than https (or http where allowed).
    #[error("the callback must be an https URL")]
    Scheme,
    /// A user name or password in the URL.
    #[error("the callback must not contain a user name or password")]
    Credentials,
    /// A fragment, which the redirect could not keep.
    #[error("the callback must not contain a fragment")]
    Fragment,
    /// Loopback, private, link-local or otherwise internal.
    #[error("the callback points into a private or local network")]
    InternalAddress,
    /// The name does not resolve.
    #[error("the callback's host cannot be resolved")]
    Unresolvable,
}

/// A callback that passed the checks that need no network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackUrl {
    url: Url,
    allow_listed: bool,
}

impl CallbackUrl {
    /// Checks a callback against the policy. Address literals are checked here; names are
    /// checked once resolved.
    pub fn parse(input: &str, policy: &CallbackPolicy) -> Result<Self, CallbackError> {
        if input.trim().is_empty() {
            return Err(CallbackError::Missing);
        }
        let lower = input.to_ascii_lowercase();
        if input.chars().any(char::is_control)
            || ["%0d", "%0a", "%00"].iter().any(|p| lower.contains(p))
        {
            return Err(CallbackError::ControlCharacters);
        }
        let url = Url::parse(input).map_err(|_| CallbackError::NotAbsolute)?;
        match url.scheme() {
            "https" => {}
            "http" if policy.allow_http => {}
            _ => return Err(CallbackError::Scheme),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(CallbackError::Credentials);
        }
        if url.fragment().is_some() {
            return Err(CallbackError::Fragment);
        }
        let host = url.host().ok_or(CallbackError::NotAbsolute)?;
        let host_text = url.host_str().unwrap_or_default().trim_end_matches('.');
        let allow_listed = policy
            .allowed_hosts
            .iter()
            .any(|h| h.trim_end_matches('.').eq_ignore_ascii_case(host_text));
        if !allow_listed {
            let internal = match host {
                Host::Ipv4(ip) => !address_allowed(IpAddr::V4(ip)),
                Host::Ipv6(ip) => !address_allowed(IpAddr::V6(ip)),
                Host::Domain(name) => is_local_name(name),
            };
            if internal {
                return Err(CallbackError::InternalAddress);
            }
        }
        Ok(Self { url, allow_listed })
    }

    /// The URL as given (normalised).
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// What the confirmation page shows and keys are bound to: scheme, host, port and path,
    /// without the query.
    pub fn base(&self) -> String {
        let mut base = self.url.clone();
        base.set_query(None);
        base.to_string()
    }

    /// The host people are shown.
    pub fn host(&self) -> String {
        self.url.host_str().unwrap_or_default().to_owned()
    }

    /// The host and port to resolve.
    pub fn host_and_port(&self) -> (String, u16) {
        let host = match self.url.host() {
            Some(Host::Ipv6(ip)) => ip.to_string(),
            _ => self.host(),
        };
        (host, self.url.port_or_known_default().unwrap_or(443))
    }

    /// Whether the operator allow-listed the host (then any address is accepted).
    pub fn is_allow_listed(&self) -> bool {
        self.allow_listed
    }

    /// The first resolved address a key may be sent to, or why none may.
    pub fn pick_address(&self, resolved: &[IpAddr]) -> Result<IpAddr, CallbackError> {
        let first = *resolved.first().ok_or(CallbackError::Unresolvable)?;
        if self.allow_listed {
            return Ok(first);
        }
        // One internal address is enough to refuse: the name belongs to someone's network.
        if resolved.iter().all(|ip| address_allowed(*ip)) {
            Ok(first)
        } else {
            Err(CallbackError::InternalAddress)
        }
    }

    /// The URL the browser is sent back to: the callback's own query kept, the new parameters
    /// added (each encoded as one parameter).
    pub fn redirect_with(&self, params: &[(&str, &str)]) -> String {
        let mut url = self.url.clone();
        {
            let mut query = url.query_pairs_mut();
            for (name, value) in params {
                query.append_pair(name, value);
            }
        }
        url.to_string()
    }
}

fn is_local_name(name: &str) -> bool {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost" || name.ends_with(".localhost")
}

/// Whether a key may be sent to this address: public unicast only. An IPv6 address that
/// carries an IPv4 address is judged by the IPv4 address, which is where it ends up.
pub fn address_allowed(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4_allowed(v4),
        IpAddr::V6(v6) => match embedded_ipv4(v6) {
            Some(v4) => v4_allowed(v4),
            None => v6_allowed(v6),
        },
    }
}

/// The IPv4 address an IPv6 address carries, in the forms that reach it: IPv4-mapped
/// `::ffff:0:0/96` and IPv4-compatible `::/96` (RFC 4291 §2.5.5), IPv4-translated
/// `::ffff:0:0:0/96` (RFC 2765), NAT64 `64:ff9b::/96` (RFC 6052) and 6to4 `2002::/16`
/// (RFC 3056).
fn embedded_ipv4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let v4 = |high: u16, low: u16| {
        let [a, b] = high.to_be_bytes();
        let [c, d] = low.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    match s {
        [0, 0, 0, 0, 0, 0 | 0xffff, high, low]
        | [0, 0, 0, 0, 0xffff, 0, high, low]
        | [0x64, 0xff9b, 0, 0, 0, 0, high, low]
        | [0x2002, high, low, ..] => Some(v4(high, low)),
        _ => None,
    }
}

fn v4_allowed(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // Shared address space (carrier-grade NAT), 100.64.0.0/10.
        || (a == 100 && (64..128).contains(&b))
        // Benchmarking, 198.18.0.0/15, and reserved, 240.0.0.0/4.
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

fn v6_allowed(ip: Ipv6Addr) -> bool {
    let [first, second, ..] = ip.segments();
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        // The rest of 64:ff9b::/32, such as local-use NAT64 64:ff9b:1::/48 (RFC 8215): a
        // translator inside someone's network, the IPv4 address where only its operator knows.
        || (first == 0x64 && second == 0xff9b)
        // Unique local fc00::/7 and link-local fe80::/10.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        // Documentation 2001:db8::/32.
        || (first == 0x2001 && ip.segments()[1] == 0x0db8))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strict() -> CallbackPolicy {
        CallbackPolicy::default()
    }

    #[test]
    fn a_public_https_callback_is_accepted_and_its_base_drops_the_query() {
        let cb = CallbackUrl::parse("https://app.example.org/cb?x=1", &strict()).unwrap();
        assert_eq!(cb.base(), "https://app.example.org/cb");
        assert_eq!(cb.host(), "app.example.org");
    }

    #[test]
    fn unsafe_schemes_and_shapes_are_refused() {
        for (input, error) in [
            ("javascript:alert(1)", CallbackError::Scheme),
            ("data:text/html,x", CallbackError::Scheme),
            ("file:///etc/passwd", CallbackError::Scheme),
            ("ftp://app.example.org/", CallbackError::Scheme),
            ("http://app.example.org/cb", CallbackError::Scheme),
            ("//app.example.org/cb", CallbackError::NotAbsolute),
            ("", CallbackError::Missing),
            ("https://a@app.example.org/", CallbackError::Credentials),
            ("https://app.example.org/cb#x", CallbackError::Fragment),
            (
                "https://app.example.org/cb\r\nSet-Cookie: x",
                CallbackError::ControlCharacters,
            ),
            (
                "https://app.example.org/cb%0d%0aSet-Cookie:x",
                CallbackError::ControlCharacters,
            ),
        ] {
            assert_eq!(CallbackUrl::parse(input, &strict()), Err(error), "{input}");
        }
    }

    #[test]
    fn internal_addresses_in_every_spelling_are_refused() {
        for input in [
            "https://127.0.0.1/",
            "https://[::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://2130706433/",
            "https://0x7f.1/",
            "https://169.254.169.254/latest/meta-data/",
            "https://10.0.0.1/",
            "https://192.168.1.1/",
            "https://172.16.0.1/",
            "https://[fe80::1]/",
            "https://[fd00::1]/",
            "https://localhost./",
            "https://app.localhost/",
            "https://0.0.0.0/",
        ] {
            assert_eq!(
                CallbackUrl::parse(input, &strict()),
                Err(CallbackError::InternalAddress),
                "{input}"
            );
        }
    }

    #[test]
    fn ipv6_forms_that_carry_an_ipv4_address_are_judged_by_it() {
        for internal in [
            "::127.0.0.1",
            "::10.0.0.1",
            "::169.254.169.254",
            "::ffff:192.168.1.1",
            "::ffff:0:127.0.0.1",
            "::ffff:0:10.1.2.3",
            "64:ff9b::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::10.0.0.1",
            "64:ff9b:1::8.8.8.8",
            "2002:7f00:1::",
            "2002:a00:1:1234::1",
            "2002:a9fe:a9fe::",
            "::",
            "::1",
        ] {
            let ip: Ipv6Addr = internal.parse().unwrap();
            assert!(!address_allowed(IpAddr::V6(ip)), "{internal}");
            let input = format!("https://[{internal}]/cb");
            assert_eq!(
                CallbackUrl::parse(&input, &strict()),
                Err(CallbackError::InternalAddress),
                "{input}"
            );
        }
        for public in [
            "::93.184.216.34",
            "::ffff:0:93.184.216.34",
            "64:ff9b::93.184.216.34",
            "2002:5db8:d822::1",
            "2606:4700::1111",
        ] {
            let ip: Ipv6Addr = public.parse().unwrap();
            assert!(address_allowed(IpAddr::V6(ip)), "{public}");
        }
    }

    #[test]
    fn an_allow_listed_host_may_be_local_and_http_when_allowed() {
        let policy = CallbackPolicy {
            allow_http: true,
            allowed_hosts: vec!["127.0.0.1".to_owned()],
        };
        let cb = CallbackUrl::parse("http://127.0.0.1:8123/cb", &policy).unwrap();
        assert!(cb.is_allow_listed());
        assert_eq!(cb.host_and_port(), ("127.0.0.1".to_owned(), 8123));
        assert_eq!(
            cb.pick_address(&["127.0.0.1".parse().unwrap()]),
            Ok("127.0.0.1".parse().unwrap())
        );
    }

    #[test]
    fn a_name_resolving_to_any_internal_address_is_refused() {
        let cb = CallbackUrl::parse("https://app.example.org/cb", &strict()).unwrap();
        let public: IpAddr = "93.184.216.34".parse().unwrap();
        let private: IpAddr = "10.1.2.3".parse().unwrap();
        assert_eq!(cb.pick_address(&[public]), Ok(public));
        assert_eq!(
            cb.pick_address(&[public, private]),
            Err(CallbackError::InternalAddress)
        );
        assert_eq!(cb.pick_address(&[]), Err(CallbackError::Unresolvable));
    }

    #[test]
    fn the_redirect_keeps_the_query_and_encodes_each_value() {
        let cb = CallbackUrl::parse("https://app.example.org/cb?state=1", &strict()).unwrap();
        assert_eq!(
            cb.redirect_with(&[("callback_result", "x&client_api_key=leak")]),
            "https://app.example.org/cb?state=1&callback_result=x%26client_api_key%3Dleak"
        );
    }
}
