//! OpenID 2.0 extension namespaces (§12): the alias a message gave an extension's URI, and
//! the extension's fields under that alias. The alias is whatever the relying party chose.

use std::collections::BTreeMap;

/// Aliases a message may not give an extension: the core protocol's own field names (§12).
const RESERVED_ALIASES: &[&str] = &[
    "assoc_handle",
    "assoc_type",
    "claimed_id",
    "contact",
    "delegate",
    "dh_consumer_public",
    "dh_gen",
    "dh_modulus",
    "error",
    "identity",
    "invalidate_handle",
    "mode",
    "ns",
    "op_endpoint",
    "openid",
    "realm",
    "reference",
    "response_nonce",
    "return_to",
    "server",
    "session_type",
    "sig",
    "signed",
    "trust_root",
];

/// One extension's part of a message: its alias and its fields (keys without the
/// `openid.<alias>.` prefix; the first of repeated keys wins).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionArgs {
    /// The alias the message used (`sreg`, `ext1`, …).
    pub alias: String,
    /// Field name → value.
    pub fields: BTreeMap<String, String>,
}

impl ExtensionArgs {
    /// The extension declared with namespace URI `ns` (`openid.ns.<alias>=ns`), if any. When
    /// a message declares the URI under several aliases, the first declaration counts.
    pub fn find(pairs: &[(String, String)], ns: &str) -> Option<Self> {
        let alias = alias_of(pairs, ns)?;
        Some(Self::under(pairs, alias))
    }

    /// The fields under `alias`, declared or not (SREG 1.0 used `openid.sreg.*` without a
    /// namespace).
    pub fn under(pairs: &[(String, String)], alias: &str) -> Self {
        let prefix = format!("openid.{alias}.");
        let mut fields = BTreeMap::new();
        for (key, value) in pairs {
            if let Some(name) = key.strip_prefix(&prefix) {
                fields
                    .entry(name.to_owned())
                    .or_insert_with(|| value.clone());
            }
        }
        Self {
            alias: alias.to_owned(),
            fields,
        }
    }

    /// A field's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }

    /// Whether the message carried any field under this alias.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The full key of a field under this alias: `openid.<alias>.<name>`.
    pub fn key(&self, name: &str) -> String {
        format!("openid.{}.{name}", self.alias)
    }

    /// The pair that declares the namespace under this alias: `openid.ns.<alias>=ns`.
    pub fn ns_pair(&self, ns: &str) -> (String, String) {
        (format!("openid.ns.{}", self.alias), ns.to_owned())
    }
}

/// The alias a message gave namespace URI `ns`, if a usable one.
pub fn alias_of<'a>(pairs: &'a [(String, String)], ns: &str) -> Option<&'a str> {
    pairs.iter().find_map(|(key, value)| {
        let alias = key.strip_prefix("openid.ns.")?;
        (value == ns && alias_allowed(alias)).then_some(alias)
    })
}

/// Whether `alias` may name an extension: not empty, no period or comma, printable ASCII,
/// and not a core field name.
pub fn alias_allowed(alias: &str) -> bool {
    !alias.is_empty()
        && alias.len() <= 64
        && alias
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'.' && b != b',')
        && !RESERVED_ALIASES.contains(&alias)
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
    fn an_extension_is_found_under_whatever_alias_the_message_gave_it() {
        let message = pairs(&[
            ("openid.ns", "http://specs.openid.net/auth/2.0"),
            ("openid.ns.x9", "http://example.org/ext"),
            ("openid.x9.a", "1"),
            ("openid.x9.a", "2"),
            ("openid.x9.b.c", "3"),
            ("openid.other.a", "4"),
        ]);
        let ext = ExtensionArgs::find(&message, "http://example.org/ext").unwrap();
        assert_eq!(ext.alias, "x9");
        assert_eq!(ext.get("a"), Some("1"));
        assert_eq!(ext.get("b.c"), Some("3"));
        assert_eq!(ext.fields.len(), 2);
        assert_eq!(ext.key("z"), "openid.x9.z");
        assert_eq!(
            ext.ns_pair("http://example.org/ext"),
            (
                "openid.ns.x9".to_owned(),
                "http://example.org/ext".to_owned()
            )
        );
    }

    #[test]
    fn an_undeclared_or_unusable_alias_finds_nothing() {
        let message = pairs(&[
            ("openid.sreg.email", "x"),
            ("openid.ns.mode", "http://example.org/ext"),
            ("openid.ns.a.b", "http://example.org/ext"),
            ("openid.ns.", "http://example.org/ext"),
        ]);
        assert_eq!(
            ExtensionArgs::find(&message, "http://example.org/ext"),
            None
        );
        assert_eq!(
            ExtensionArgs::find(&message, "http://example.org/none"),
            None
        );
        assert!(ExtensionArgs::under(&message, "nothing").is_empty());
    }

    #[test]
    fn the_first_alias_declared_for_a_uri_counts() {
        let message = pairs(&[
            ("openid.ns.one", "http://example.org/ext"),
            ("openid.ns.two", "http://example.org/ext"),
        ]);
        assert_eq!(alias_of(&message, "http://example.org/ext"), Some("one"));
    }
}
