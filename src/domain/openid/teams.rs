//! The Launchpad teams extension: which teams a relying party asks about
//! (`query_membership`), and the answer naming only those the person belongs to (`is_member`).

use super::extension::ExtensionArgs;

/// The teams extension's namespace URI.
pub const TEAMS_NS: &str = "http://ns.launchpad.net/2007/openid-teams";

/// The most team names one request may ask about; the rest are not answered.
const MAX_TEAMS: usize = 200;

/// A teams request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamsRequest {
    /// The extension's alias in the request (usually `lp`).
    pub alias: String,
    /// The team names asked about, once each, in the order asked.
    pub query: Vec<String>,
}

impl TeamsRequest {
    /// The teams request in a message, if any.
    pub fn parse(pairs: &[(String, String)]) -> Option<Self> {
        let args = ExtensionArgs::find(pairs, TEAMS_NS)?;
        let mut query: Vec<String> = Vec::new();
        for name in args.get("query_membership").unwrap_or_default().split(',') {
            let name = name.trim();
            if !name.is_empty() && !query.iter().any(|q| q == name) {
                query.push(name.to_owned());
            }
            if query.len() == MAX_TEAMS {
                break;
            }
        }
        Some(Self {
            alias: args.alias,
            query,
        })
    }

    /// Whether any team was asked about.
    pub fn asks(&self) -> bool {
        !self.query.is_empty()
    }

    /// The asked teams among `member_of` (every team the person belongs to), in the order
    /// asked.
    pub fn memberships(&self, member_of: &[String]) -> Vec<String> {
        self.query
            .iter()
            .filter(|q| member_of.contains(q))
            .cloned()
            .collect()
    }

    /// The answer: the namespace and `is_member` naming the asked teams among `member_of`
    /// (empty when the person is in none of them or withheld their teams).
    pub fn response(&self, member_of: &[String]) -> Vec<(String, String)> {
        let args = ExtensionArgs {
            alias: self.alias.clone(),
            fields: Default::default(),
        };
        vec![
            args.ns_pair(TEAMS_NS),
            (args.key("is_member"), self.memberships(member_of).join(",")),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn teams(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn the_answer_lists_only_asked_teams_the_person_is_in_in_the_order_asked() {
        let request = TeamsRequest::parse(&pairs(&[
            ("openid.ns.t", TEAMS_NS),
            (
                "openid.t.query_membership",
                "ubuntu-dev, admins,ubuntu-dev,,bugsquad",
            ),
        ]))
        .unwrap();
        assert_eq!(request.query, teams(&["ubuntu-dev", "admins", "bugsquad"]));
        let member_of = teams(&["bugsquad", "secret-team", "ubuntu-dev"]);
        assert_eq!(
            request.response(&member_of),
            pairs(&[
                ("openid.ns.t", TEAMS_NS),
                ("openid.t.is_member", "ubuntu-dev,bugsquad"),
            ])
        );
    }

    #[test]
    fn an_answer_with_no_membership_still_carries_the_namespace() {
        let request = TeamsRequest::parse(&pairs(&[
            ("openid.ns.lp", TEAMS_NS),
            ("openid.lp.query_membership", "admins"),
        ]))
        .unwrap();
        assert_eq!(
            request.response(&teams(&["other"])),
            pairs(&[("openid.ns.lp", TEAMS_NS), ("openid.lp.is_member", "")])
        );
    }

    #[test]
    fn team_names_are_compared_exactly() {
        let request = TeamsRequest::parse(&pairs(&[
            ("openid.ns.lp", TEAMS_NS),
            ("openid.lp.query_membership", "Admins,admin"),
        ]))
        .unwrap();
        assert!(request.memberships(&teams(&["admins"])).is_empty());
    }

    #[test]
    fn no_namespace_is_no_request_and_an_empty_query_asks_nothing() {
        assert_eq!(
            TeamsRequest::parse(&pairs(&[("openid.lp.query_membership", "admins")])),
            None
        );
        let empty = TeamsRequest::parse(&pairs(&[("openid.ns.lp", TEAMS_NS)])).unwrap();
        assert!(!empty.asks());
    }
}
