//! Simple Registration 1.1 (and the 1.0 form still sent by old relying parties): which of
//! nickname, email and full name are asked, required or optional, and the answer.

use super::extension::ExtensionArgs;
use super::shared_field::SharedField;

/// SREG 1.1's namespace URI.
pub const SREG_1_1: &str = "http://openid.net/extensions/sreg/1.1";
/// The namespace URI some SREG 1.0 libraries declare.
pub const SREG_1_0: &str = "http://openid.net/sreg/1.0";
/// OpenID 2.0's namespace URI (`openid.ns`).
pub const OPENID_2: &str = "http://specs.openid.net/auth/2.0";

/// A Simple Registration request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SregRequest {
    /// The alias the request used (`sreg` when it declared none).
    pub alias: String,
    /// The namespace URI the answer declares: the request's own, SREG 1.1's for an OpenID 2.0
    /// message that used `openid.sreg.*` undeclared, none for an OpenID 1.x message.
    pub ns: Option<&'static str>,
    /// Fields the relying party needs, in the order asked.
    pub required: Vec<SharedField>,
    /// Fields it would like, in the order asked (none of them also required).
    pub optional: Vec<SharedField>,
    /// Where the relying party says how it uses the data.
    pub policy_url: Option<String>,
}

impl SregRequest {
    /// The SREG request in a message, if any. Unknown field names are ignored.
    pub fn parse(pairs: &[(String, String)]) -> Option<Self> {
        let (args, ns) = if let Some(args) = ExtensionArgs::find(pairs, SREG_1_1) {
            (args, Some(SREG_1_1))
        } else if let Some(args) = ExtensionArgs::find(pairs, SREG_1_0) {
            (args, Some(SREG_1_0))
        } else {
            // `openid.sreg` declared for some other extension is not SREG.
            if pairs.iter().any(|(k, _)| k == "openid.ns.sreg") {
                return None;
            }
            let args = ExtensionArgs::under(pairs, "sreg");
            if args.is_empty() {
                return None;
            }
            let v2 = pairs.iter().any(|(k, v)| k == "openid.ns" && v == OPENID_2);
            (args, v2.then_some(SREG_1_1))
        };
        let required = field_list(args.get("required"), &[]);
        let optional = field_list(args.get("optional"), &required);
        let policy_url = args
            .get("policy_url")
            .filter(|u| !u.trim().is_empty())
            .map(str::to_owned);
        Some(Self {
            alias: args.alias,
            ns,
            required,
            optional,
            policy_url,
        })
    }

    /// Every field asked, with whether it is required.
    pub fn asked(&self) -> Vec<(SharedField, bool)> {
        let required = self.required.iter().map(|f| (*f, true));
        let optional = self.optional.iter().map(|f| (*f, false));
        required.chain(optional).collect()
    }

    /// The answer: the namespace (where one is declared) and each asked field that has a
    /// value in `values` (the caller passes only what the person agreed to share).
    pub fn response(&self, values: &[(SharedField, String)]) -> Vec<(String, String)> {
        let args = ExtensionArgs {
            alias: self.alias.clone(),
            fields: Default::default(),
        };
        let mut out: Vec<(String, String)> =
            self.ns.map(|ns| args.ns_pair(ns)).into_iter().collect();
        for (field, _) in self.asked() {
            let value = values
                .iter()
                .find(|(f, v)| *f == field && !v.is_empty())
                .map(|(_, v)| v.clone());
            if let Some(value) = value {
                out.push((args.key(field.name()), value));
            }
        }
        out
    }
}

/// The SREG fields Latchkey answers among a comma-separated list, once each, leaving out
/// those in `except`.
fn field_list(list: Option<&str>, except: &[SharedField]) -> Vec<SharedField> {
    let mut fields = Vec::new();
    for name in list.unwrap_or_default().split(',') {
        let field = SharedField::parse(name.trim()).filter(|f| *f != SharedField::Teams);
        if let Some(field) = field
            && !fields.contains(&field)
            && !except.contains(&field)
        {
            fields.push(field);
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn profile() -> Vec<(SharedField, String)> {
        vec![
            (SharedField::Nickname, "ada".to_owned()),
            (SharedField::Email, "ada@example.org".to_owned()),
            (SharedField::FullName, "Ada Lovelace".to_owned()),
        ]
    }

    #[test]
    fn a_request_under_any_alias_lists_known_fields_once_and_answers_under_that_alias() {
        let request = SregRequest::parse(&pairs(&[
            ("openid.ns", OPENID_2),
            ("openid.ns.reg", SREG_1_1),
            ("openid.reg.required", "email, nickname,email,dob"),
            ("openid.reg.optional", "fullname,email,gender,teams"),
            ("openid.reg.policy_url", "https://rp.example.com/privacy"),
        ]))
        .unwrap();
        assert_eq!(request.alias, "reg");
        assert_eq!(
            request.required,
            vec![SharedField::Email, SharedField::Nickname]
        );
        assert_eq!(request.optional, vec![SharedField::FullName]);
        assert_eq!(
            request.policy_url.as_deref(),
            Some("https://rp.example.com/privacy")
        );
        assert_eq!(
            request.response(&profile()),
            pairs(&[
                ("openid.ns.reg", SREG_1_1),
                ("openid.reg.email", "ada@example.org"),
                ("openid.reg.nickname", "ada"),
                ("openid.reg.fullname", "Ada Lovelace"),
            ])
        );
    }

    #[test]
    fn only_asked_fields_with_values_are_answered() {
        let request = SregRequest::parse(&pairs(&[
            ("openid.ns.sreg", SREG_1_1),
            ("openid.sreg.optional", "email"),
        ]))
        .unwrap();
        let answer = request.response(&[
            (SharedField::Nickname, "ada".to_owned()),
            (SharedField::Email, String::new()),
        ]);
        assert_eq!(answer, pairs(&[("openid.ns.sreg", SREG_1_1)]));
    }

    #[test]
    fn the_undeclared_1_0_form_is_read_and_answered_the_same_way() {
        let v1 = pairs(&[("openid.sreg.required", "nickname")]);
        let request = SregRequest::parse(&v1).unwrap();
        assert_eq!(request.ns, None);
        assert_eq!(
            request.response(&profile()),
            pairs(&[("openid.sreg.nickname", "ada")])
        );
        let v2 = pairs(&[("openid.ns", OPENID_2), ("openid.sreg.optional", "email")]);
        let request = SregRequest::parse(&v2).unwrap();
        assert_eq!(request.ns, Some(SREG_1_1));
        assert_eq!(
            request.response(&profile())[0],
            ("openid.ns.sreg".to_owned(), SREG_1_1.to_owned())
        );
        let declared_1_0 = pairs(&[("openid.ns.s", SREG_1_0), ("openid.s.required", "email")]);
        let request = SregRequest::parse(&declared_1_0).unwrap();
        assert_eq!(request.ns, Some(SREG_1_0));
        assert_eq!(request.alias, "s");
    }

    #[test]
    fn no_sreg_or_an_alias_taken_by_another_extension_is_no_request() {
        assert_eq!(
            SregRequest::parse(&pairs(&[("openid.mode", "checkid_setup")])),
            None
        );
        let taken = pairs(&[
            ("openid.ns.sreg", "http://example.org/other"),
            ("openid.sreg.required", "email"),
        ]);
        assert_eq!(SregRequest::parse(&taken), None);
    }
}
