//! The Provider Authentication Policy Extension 1.0: the relying party's `max_auth_age` and
//! preferred policies, whether they call for signing in again or a second factor, and the
//! answer (`auth_time`, the policies the sign-in satisfied).

use super::extension::ExtensionArgs;

/// PAPE 1.0's namespace URI.
pub const PAPE_NS: &str = "http://specs.openid.net/extensions/pape/1.0";
/// The sign-in used more than one factor.
pub const MULTI_FACTOR: &str = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";
/// The sign-in used more than one factor, one of them a physical device.
pub const MULTI_FACTOR_PHYSICAL: &str =
    "http://schemas.openid.net/pape/policies/2007/06/multi-factor-physical";
/// The sign-in could not have been phished (a passkey).
pub const PHISHING_RESISTANT: &str =
    "http://schemas.openid.net/pape/policies/2007/06/phishing-resistant";
/// No policy was satisfied.
pub const NONE: &str = "http://schemas.openid.net/pape/policies/2007/06/none";

/// How the person signed in, as far as PAPE can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthFacts {
    /// When the person last entered their credentials (unix seconds).
    pub auth_time: i64,
    /// A second factor was used.
    pub multi_factor: bool,
    /// A phishing-resistant credential (a passkey) was used.
    pub phishing_resistant: bool,
}

/// A PAPE request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PapeRequest {
    /// The extension's alias in the request.
    pub alias: String,
    /// The most seconds since the person last entered their credentials, if limited.
    pub max_auth_age: Option<i64>,
    /// The policy URIs the relying party prefers, once each.
    pub preferred_auth_policies: Vec<String>,
}

impl PapeRequest {
    /// The PAPE request in a message, if any. A malformed `max_auth_age` is ignored.
    pub fn parse(pairs: &[(String, String)]) -> Option<Self> {
        let args = ExtensionArgs::find(pairs, PAPE_NS)?;
        let max_auth_age = args
            .get("max_auth_age")
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|v| *v >= 0);
        let mut preferred_auth_policies: Vec<String> = Vec::new();
        for policy in args
            .get("preferred_auth_policies")
            .unwrap_or_default()
            .split_ascii_whitespace()
            .take(16)
        {
            if !preferred_auth_policies.iter().any(|p| p == policy) {
                preferred_auth_policies.push(policy.to_owned());
            }
        }
        Some(Self {
            alias: args.alias,
            max_auth_age,
            preferred_auth_policies,
        })
    }

    /// The answer: `auth_time` and the policies the sign-in satisfied (or `none`).
    pub fn response(&self, auth: &AuthFacts) -> Vec<(String, String)> {
        let args = ExtensionArgs {
            alias: self.alias.clone(),
            fields: Default::default(),
        };
        let mut policies = Vec::new();
        if auth.multi_factor {
            policies.push(MULTI_FACTOR);
        }
        if auth.phishing_resistant {
            policies.push(PHISHING_RESISTANT);
        }
        if policies.is_empty() {
            policies.push(NONE);
        }
        let mut out = vec![
            args.ns_pair(PAPE_NS),
            (args.key("auth_policies"), policies.join(" ")),
        ];
        if let Some(time) = format_auth_time(auth.auth_time) {
            out.push((args.key("auth_time"), time));
        }
        out
    }
}

/// `auth_time` as PAPE writes it: `YYYY-MM-DDTHH:MM:SSZ`, UTC.
pub fn format_auth_time(unix_seconds: i64) -> Option<String> {
    chrono::DateTime::from_timestamp(unix_seconds, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// Whether the person must enter their credentials again: the relying party set
/// `max_auth_age` and more seconds than that have passed since `auth_time`.
pub fn needs_reauthentication(max_auth_age: Option<i64>, auth_time: i64, now: i64) -> bool {
    max_auth_age.is_some_and(|max| now.saturating_sub(auth_time) > max)
}

/// Whether the preferred policies ask for a second factor (multi-factor, or multi-factor with
/// a physical device). Phishing resistance alone is a kind of credential, not a second step.
pub fn needs_second_factor(preferred: &[String]) -> bool {
    preferred
        .iter()
        .any(|p| p == MULTI_FACTOR || p == MULTI_FACTOR_PHYSICAL)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_request_under_any_alias_is_read_and_answered_under_it() {
        let preferred = format!("{MULTI_FACTOR}  {PHISHING_RESISTANT} {MULTI_FACTOR}");
        let request = PapeRequest::parse(&pairs(&[
            ("openid.ns.policy", PAPE_NS),
            ("openid.policy.max_auth_age", "300"),
            ("openid.policy.preferred_auth_policies", &preferred),
        ]))
        .unwrap();
        assert_eq!(request.alias, "policy");
        assert_eq!(request.max_auth_age, Some(300));
        assert_eq!(
            request.preferred_auth_policies,
            vec![MULTI_FACTOR.to_owned(), PHISHING_RESISTANT.to_owned()]
        );
        let auth = AuthFacts {
            auth_time: 1_700_000_000,
            multi_factor: true,
            phishing_resistant: false,
        };
        assert_eq!(
            request.response(&auth),
            pairs(&[
                ("openid.ns.policy", PAPE_NS),
                ("openid.policy.auth_policies", MULTI_FACTOR),
                ("openid.policy.auth_time", "2023-11-14T22:13:20Z"),
            ])
        );
    }

    #[test]
    fn a_sign_in_that_satisfied_no_policy_says_none() {
        let request = PapeRequest::parse(&pairs(&[("openid.ns.pape", PAPE_NS)])).unwrap();
        assert_eq!(request.max_auth_age, None);
        let auth = AuthFacts {
            auth_time: 0,
            multi_factor: false,
            phishing_resistant: false,
        };
        let answer = request.response(&auth);
        assert_eq!(
            answer[1],
            ("openid.pape.auth_policies".to_owned(), NONE.to_owned())
        );
        assert_eq!(answer[2].1, "1970-01-01T00:00:00Z");
    }

    #[test]
    fn a_malformed_or_negative_max_auth_age_is_ignored() {
        for value in ["-5", "soon", "1e3", ""] {
            let request = PapeRequest::parse(&pairs(&[
                ("openid.ns.pape", PAPE_NS),
                ("openid.pape.max_auth_age", value),
            ]))
            .unwrap();
            assert_eq!(request.max_auth_age, None, "{value:?}");
        }
    }

    #[test]
    fn reauthentication_is_needed_only_when_the_sign_in_is_older_than_max_auth_age() {
        assert!(!needs_reauthentication(None, 0, 1_000_000));
        assert!(!needs_reauthentication(Some(300), 1000, 1300));
        assert!(needs_reauthentication(Some(300), 1000, 1301));
        assert!(needs_reauthentication(Some(0), 1000, 1001));
        assert!(!needs_reauthentication(Some(0), 1000, 1000));
        assert!(!needs_reauthentication(Some(10), i64::MAX, i64::MIN));
    }

    #[test]
    fn a_second_factor_is_needed_for_the_multi_factor_policies_only() {
        let one = |p: &str| vec![p.to_owned()];
        assert!(needs_second_factor(&one(MULTI_FACTOR)));
        assert!(needs_second_factor(&one(MULTI_FACTOR_PHYSICAL)));
        assert!(!needs_second_factor(&one(PHISHING_RESISTANT)));
        assert!(!needs_second_factor(&[]));
    }
}
