//! The extensions of one OpenID request taken together: what they ask for (SREG, AX, teams,
//! PAPE), the union of the details asked, and the answer pairs for what the person granted.

use super::ax::AxRequest;
pub use super::pape::AuthFacts;
use super::pape::PapeRequest;
pub use super::shared_field::SharedField;
use super::sreg::SregRequest;
use super::teams::TeamsRequest;

/// What a person's details are, as the extensions can share them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenIdProfile {
    /// The nickname.
    pub nickname: Option<String>,
    /// The preferred email address.
    pub email: Option<String>,
    /// The full name.
    pub full_name: Option<String>,
    /// Every team the person belongs to (the teams answer names only the asked ones).
    pub teams: Vec<String>,
}

impl OpenIdProfile {
    fn value(&self, field: SharedField) -> Option<&String> {
        match field {
            SharedField::Nickname => self.nickname.as_ref(),
            SharedField::Email => self.email.as_ref(),
            SharedField::FullName => self.full_name.as_ref(),
            SharedField::Teams => None,
        }
    }
}

/// The extension requests one OpenID message carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtensionRequests {
    /// Simple Registration.
    pub sreg: Option<SregRequest>,
    /// Attribute Exchange fetch.
    pub ax: Option<AxRequest>,
    /// Launchpad teams.
    pub teams: Option<TeamsRequest>,
    /// Provider Authentication Policy.
    pub pape: Option<PapeRequest>,
}

impl ExtensionRequests {
    /// Reads every extension Latchkey answers. Never fails: a malformed extension part is
    /// left out.
    pub fn parse(pairs: &[(String, String)]) -> Self {
        Self {
            sreg: SregRequest::parse(pairs),
            ax: AxRequest::parse(pairs),
            teams: TeamsRequest::parse(pairs),
            pape: PapeRequest::parse(pairs),
        }
    }

    /// Every detail asked for across SREG, AX and teams, once each in `SharedField::ALL`
    /// order, required if any extension requires it. Teams are asked when any team is named;
    /// they are never required.
    pub fn asked(&self) -> Vec<(SharedField, bool)> {
        let mut asked: Vec<(SharedField, bool)> = Vec::new();
        let sreg = self.sreg.iter().flat_map(SregRequest::asked);
        let ax = self.ax.iter().flat_map(AxRequest::asked);
        let teams = self
            .teams
            .iter()
            .filter(|t| t.asks())
            .map(|_| (SharedField::Teams, false));
        for (field, required) in sreg.chain(ax).chain(teams) {
            match asked.iter_mut().find(|(f, _)| *f == field) {
                Some((_, r)) => *r |= required,
                None => asked.push((field, required)),
            }
        }
        asked.sort_by_key(|(f, _)| *f);
        asked
    }

    /// The answer pairs of every extension the request used, under the request's aliases:
    /// only the `granted` details, and for teams only the asked ones the person is in. PAPE
    /// is answered whenever asked (it tells how, not who).
    pub fn response_fields(
        &self,
        profile: &OpenIdProfile,
        granted: &[SharedField],
        auth: &AuthFacts,
    ) -> Vec<(String, String)> {
        let values: Vec<(SharedField, String)> = granted
            .iter()
            .filter_map(|f| profile.value(*f).map(|v| (*f, v.clone())))
            .collect();
        let mut out = Vec::new();
        if let Some(sreg) = &self.sreg {
            out.extend(sreg.response(&values));
        }
        if let Some(ax) = &self.ax {
            out.extend(ax.response(&values));
        }
        if let Some(teams) = &self.teams {
            let member_of: &[String] = if granted.contains(&SharedField::Teams) {
                &profile.teams
            } else {
                &[]
            };
            out.extend(teams.response(member_of));
        }
        if let Some(pape) = &self.pape {
            out.extend(pape.response(auth));
        }
        out
    }
}

#[cfg(test)]
#[path = "extensions_tests.rs"]
mod tests;
