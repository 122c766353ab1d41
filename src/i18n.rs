//! Localised text: the Fluent files under `locales/` compiled into the binary, and choosing a
//! language for a request (`lang` parameter, then `lang` cookie, then `Accept-Language`).

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

// Every message of every language, embedded at compile time.
fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Fluent would wrap arguments in invisible isolation marks, which show up in HTML and
        // in email subjects.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The compiled messages, for the template engine's `fluent` function.
pub fn loader() -> &'static fluent_templates::StaticLoader {
    &LOCALES
}

/// The languages Latchkey speaks, the default first.
pub const SUPPORTED: [&str; 2] = ["en", "de"];

/// The default language.
pub const DEFAULT: &str = "en";

static IDS: LazyLock<HashMap<&'static str, LanguageIdentifier>> = LazyLock::new(|| {
    SUPPORTED
        .iter()
        .filter_map(|tag| tag.parse().ok().map(|id| (*tag, id)))
        .collect()
});

/// A supported language, by its tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lang(&'static str);

impl Lang {
    /// The default language.
    pub fn default_lang() -> Self {
        Self(DEFAULT)
    }

    /// A supported language matching a tag such as `de`, `de-AT` or `EN_gb`.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        SUPPORTED.iter().find(|s| **s == primary).map(|s| Self(s))
    }

    /// The best supported language for an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut ranked: Vec<(f32, usize, Self)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
                if !(q > 0.0 && q <= 1.0) {
                    return None;
                }
                Self::from_tag(tag).map(|lang| (q, i, lang))
            })
            .collect();
        // Highest quality first; among equals, the order the client gave.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.first().map(|(_, _, lang)| *lang)
    }

    /// The tag, e.g. `de`.
    pub fn tag(self) -> &'static str {
        self.0
    }

    fn id(self) -> LanguageIdentifier {
        IDS.get(self.0).cloned().unwrap_or_default()
    }

    /// A message without arguments.
    pub fn text(self, key: &str) -> String {
        LOCALES.lookup(&self.id(), key)
    }

    /// A message with arguments, e.g. `[("email", "a@b.c")]`.
    pub fn text_with(self, key: &str, args: &[(&'static str, &str)]) -> String {
        let args: HashMap<std::borrow::Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(k, v)| (std::borrow::Cow::Borrowed(*k), FluentValue::from(*v)))
            .collect();
        LOCALES.lookup_with_args(&self.id(), key, &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_match_by_primary_subtag() {
        assert_eq!(Lang::from_tag("de-AT"), Some(Lang("de")));
        assert_eq!(Lang::from_tag("EN_gb"), Some(Lang("en")));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn accept_language_is_ranked_by_quality() {
        assert_eq!(
            Lang::from_accept_language("fr, de;q=0.8, en;q=0.5"),
            Some(Lang("de"))
        );
        assert_eq!(
            Lang::from_accept_language("en;q=0.2, de-CH;q=0.9"),
            Some(Lang("de"))
        );
        assert_eq!(Lang::from_accept_language("de, en"), Some(Lang("de")));
        assert_eq!(Lang::from_accept_language("fr, es"), None);
        assert_eq!(Lang::from_accept_language("de;q=0, en;q=banana"), None);
    }

    #[test]
    fn messages_resolve_in_both_languages() {
        assert_eq!(Lang("en").text("error-not-found"), "Page not found");
        assert_eq!(Lang("de").text("error-not-found"), "Seite nicht gefunden");
    }
}
