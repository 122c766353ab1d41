//! Attribute Exchange 1.0, fetch only: the attributes Latchkey answers (email, full name,
//! nickname, under the axschema.org URIs and the older schema.openid.net ones), required or
//! if available, and the `fetch_response`.

use super::extension::{ExtensionArgs, alias_allowed};
use super::shared_field::SharedField;

/// AX 1.0's namespace URI.
pub const AX_NS: &str = "http://openid.net/srv/ax/1.0";

/// The attribute type URIs Latchkey answers, and the detail each stands for.
pub const AX_TYPES: &[(&str, SharedField)] = &[
    ("http://axschema.org/contact/email", SharedField::Email),
    ("http://axschema.org/namePerson", SharedField::FullName),
    (
        "http://axschema.org/namePerson/friendly",
        SharedField::Nickname,
    ),
    ("http://schema.openid.net/contact/email", SharedField::Email),
    ("http://schema.openid.net/namePerson", SharedField::FullName),
    (
        "http://schema.openid.net/namePerson/friendly",
        SharedField::Nickname,
    ),
];

/// The most attributes one request may ask Latchkey to answer.
const MAX_ATTRIBUTES: usize = 32;

/// One attribute asked for, that Latchkey knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AxAttribute {
    /// The attribute's alias in the request.
    pub alias: String,
    /// The type URI exactly as the request spelled it (the answer repeats it).
    pub type_uri: String,
    /// The detail it stands for.
    pub field: SharedField,
    /// Listed in `required` rather than `if_available`.
    pub required: bool,
    /// The request sent `count.<alias>`, so the answer uses the counted form.
    pub counted: bool,
}

/// An AX fetch request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AxRequest {
    /// The extension's alias in the request.
    pub alias: String,
    /// The attributes Latchkey knows, in alias order; others are not answered.
    pub attributes: Vec<AxAttribute>,
}

impl AxRequest {
    /// The AX fetch request in a message, if any (a store request or another mode is none).
    pub fn parse(pairs: &[(String, String)]) -> Option<Self> {
        let args = ExtensionArgs::find(pairs, AX_NS)?;
        if args.get("mode") != Some("fetch_request") {
            return None;
        }
        let listed = |name: &str| -> Vec<String> {
            args.get(name)
                .unwrap_or_default()
                .split(',')
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty())
                .collect()
        };
        let required = listed("required");
        let mut attributes = Vec::new();
        for (key, type_uri) in &args.fields {
            let Some(alias) = key.strip_prefix("type.") else {
                continue;
            };
            let Some(field) = field_of(type_uri) else {
                continue;
            };
            if !alias_allowed(alias) {
                continue;
            }
            let counted = match args.get(&format!("count.{alias}")) {
                None => false,
                Some("unlimited") => true,
                Some(n) if n.parse::<u32>().is_ok_and(|n| n > 0) => true,
                Some(_) => continue,
            };
            attributes.push(AxAttribute {
                alias: alias.to_owned(),
                type_uri: type_uri.clone(),
                field,
                required: required.iter().any(|r| r == alias),
                counted,
            });
            if attributes.len() == MAX_ATTRIBUTES {
                break;
            }
        }
        Some(Self {
            alias: args.alias,
            attributes,
        })
    }

    /// Every detail asked, with whether it is required (a detail asked twice is required if
    /// either asks it so).
    pub fn asked(&self) -> Vec<(SharedField, bool)> {
        let mut asked: Vec<(SharedField, bool)> = Vec::new();
        for attribute in &self.attributes {
            match asked.iter_mut().find(|(f, _)| *f == attribute.field) {
                Some((_, required)) => *required |= attribute.required,
                None => asked.push((attribute.field, attribute.required)),
            }
        }
        asked
    }

    /// The `fetch_response`: each asked attribute that has a value in `values` (the caller
    /// passes only what the person agreed to share), under the request's aliases.
    pub fn response(&self, values: &[(SharedField, String)]) -> Vec<(String, String)> {
        let args = ExtensionArgs {
            alias: self.alias.clone(),
            fields: Default::default(),
        };
        let mut out = vec![
            args.ns_pair(AX_NS),
            (args.key("mode"), "fetch_response".to_owned()),
        ];
        for attribute in &self.attributes {
            let Some((_, value)) = values
                .iter()
                .find(|(f, v)| *f == attribute.field && !v.is_empty())
            else {
                continue;
            };
            let alias = &attribute.alias;
            out.push((
                args.key(&format!("type.{alias}")),
                attribute.type_uri.clone(),
            ));
            if attribute.counted {
                out.push((args.key(&format!("count.{alias}")), "1".to_owned()));
                out.push((args.key(&format!("value.{alias}.1")), value.clone()));
            } else {
                out.push((args.key(&format!("value.{alias}")), value.clone()));
            }
        }
        out
    }
}

/// The detail an attribute type URI stands for, if Latchkey answers it.
pub fn field_of(type_uri: &str) -> Option<SharedField> {
    AX_TYPES
        .iter()
        .find(|(uri, _)| *uri == type_uri)
        .map(|(_, field)| *field)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn values() -> Vec<(SharedField, String)> {
        vec![
            (SharedField::Nickname, "ada".to_owned()),
            (SharedField::Email, "ada@example.org".to_owned()),
            (SharedField::FullName, "Ada Lovelace".to_owned()),
        ]
    }

    #[test]
    fn a_fetch_under_any_alias_is_answered_under_the_same_aliases_and_uris() {
        let request = AxRequest::parse(&pairs(&[
            ("openid.ns.attr", AX_NS),
            ("openid.attr.mode", "fetch_request"),
            (
                "openid.attr.type.mail",
                "http://schema.openid.net/contact/email",
            ),
            ("openid.attr.type.name", "http://axschema.org/namePerson"),
            ("openid.attr.type.dob", "http://axschema.org/birthDate"),
            ("openid.attr.required", "mail,dob"),
            ("openid.attr.if_available", "name"),
        ]))
        .unwrap();
        assert_eq!(request.alias, "attr");
        assert_eq!(
            request.asked(),
            vec![(SharedField::Email, true), (SharedField::FullName, false)]
        );
        assert_eq!(
            request.response(&values()),
            pairs(&[
                ("openid.ns.attr", AX_NS),
                ("openid.attr.mode", "fetch_response"),
                (
                    "openid.attr.type.mail",
                    "http://schema.openid.net/contact/email"
                ),
                ("openid.attr.value.mail", "ada@example.org"),
                ("openid.attr.type.name", "http://axschema.org/namePerson"),
                ("openid.attr.value.name", "Ada Lovelace"),
            ])
        );
    }

    #[test]
    fn a_counted_attribute_is_answered_in_the_counted_form() {
        let request = AxRequest::parse(&pairs(&[
            ("openid.ns.ax", AX_NS),
            ("openid.ax.mode", "fetch_request"),
            (
                "openid.ax.type.nick",
                "http://axschema.org/namePerson/friendly",
            ),
            ("openid.ax.count.nick", "unlimited"),
            ("openid.ax.type.bad", "http://axschema.org/contact/email"),
            ("openid.ax.count.bad", "0"),
        ]))
        .unwrap();
        assert_eq!(request.asked(), vec![(SharedField::Nickname, false)]);
        assert_eq!(
            request.response(&values())[2..],
            pairs(&[
                (
                    "openid.ax.type.nick",
                    "http://axschema.org/namePerson/friendly"
                ),
                ("openid.ax.count.nick", "1"),
                ("openid.ax.value.nick.1", "ada"),
            ])
        );
    }

    #[test]
    fn withheld_details_are_left_out_and_the_answer_still_names_its_mode() {
        let request = AxRequest::parse(&pairs(&[
            ("openid.ns.ax", AX_NS),
            ("openid.ax.mode", "fetch_request"),
            ("openid.ax.type.email", "http://axschema.org/contact/email"),
        ]))
        .unwrap();
        assert_eq!(
            request.response(&[]),
            pairs(&[
                ("openid.ns.ax", AX_NS),
                ("openid.ax.mode", "fetch_response")
            ])
        );
    }

    #[test]
    fn a_store_request_or_no_mode_is_no_fetch() {
        for mode in [Some("store_request"), None] {
            let mut message = pairs(&[
                ("openid.ns.ax", AX_NS),
                ("openid.ax.type.email", "http://axschema.org/contact/email"),
            ]);
            if let Some(mode) = mode {
                message.push(("openid.ax.mode".to_owned(), mode.to_owned()));
            }
            assert_eq!(AxRequest::parse(&message), None);
        }
    }
}
