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

    /// A message with text arguments, e.g. `[("email", "a@b.c")]`.
    pub fn text_with(self, key: &str, args: &[(&'static str, &str)]) -> String {
        let args: Vec<(&'static str, Arg<'_>)> =
            args.iter().map(|(k, v)| (*k, Arg::Text(v))).collect();
        self.text_with_args(key, &args)
    }

    /// A message with text and number arguments, e.g. `[("minutes", Arg::Number(5))]`: a
    /// number lets the message choose its plural form (`{ $minutes -> [one] … *[other] … }`).
    pub fn text_with_args(self, key: &str, args: &[(&'static str, Arg<'_>)]) -> String {
        let args: HashMap<std::borrow::Cow<'static, str>, FluentValue<'_>> = args
            .iter()
            .map(|(k, v)| (std::borrow::Cow::Borrowed(*k), v.value()))
            .collect();
        LOCALES.lookup_with_args(&self.id(), key, &args)
    }

    /// A message with one number argument, such as "in 5 minutes".
    pub fn count(self, key: &str, name: &'static str, n: i64) -> String {
        self.text_with_args(key, &[(name, Arg::Number(n))])
    }
}

/// An argument of a message. Fluent chooses plural forms only for numbers: a count passed as
/// text would always take the `*[other]` form ("in 1 minutes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg<'a> {
    /// Text, inserted as it is.
    Text(&'a str),
    /// A number: it selects the plural form and is written in digits.
    Number(i64),
}

impl<'a> Arg<'a> {
    fn value(self) -> FluentValue<'a> {
        match self {
            Self::Text(text) => FluentValue::from(text),
            Self::Number(n) => FluentValue::from(n),
        }
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
    fn a_wait_of_one_minute_is_singular_and_of_two_plural() {
        let en = |n| Lang("en").count("login-error-locked", "minutes", n);
        assert_eq!(
            en(1),
            "Too many failed attempts. Please try again in 1 minute."
        );
        assert_eq!(
            en(2),
            "Too many failed attempts. Please try again in 2 minutes."
        );
        let de = |n| Lang("de").count("login-error-locked", "minutes", n);
        assert_eq!(
            de(1),
            "Zu viele fehlgeschlagene Versuche. Bitte versuchen Sie es in 1 Minute erneut."
        );
        assert_eq!(
            de(2),
            "Zu viele fehlgeschlagene Versuche. Bitte versuchen Sie es in 2 Minuten erneut."
        );
    }

    #[test]
    fn every_message_with_minutes_has_a_singular_in_both_languages() {
        let cases = [
            ("api-keys-confirm-intro", "1 minute.", "1 Minute"),
            ("codes-reauth-hint", "1 minute ago", "1 Minute"),
            ("passkeys-confirm-intro", "1 minute.", "1 Minute lang"),
        ];
        for (key, en, de) in cases {
            let one = Lang("en").count(key, "minutes", 1);
            assert!(one.contains(en) && !one.contains("minutes"), "{key}: {one}");
            let one = Lang("de").count(key, "minutes", 1);
            assert!(one.contains(de) && !one.contains("Minuten"), "{key}: {one}");
            let many = Lang("en").count(key, "minutes", 15);
            assert!(many.contains("15 minutes"), "{key}: {many}");
            let many = Lang("de").count(key, "minutes", 15);
            assert!(many.contains("15 Minuten"), "{key}: {many}");
        }
    }

    #[test]
    fn recovery_codes_left_say_none_one_or_the_number() {
        let en = |n| Lang("en").count("mail-factor-codes-left", "left", n);
        assert!(en(0).starts_with("No recovery codes are left"), "{}", en(0));
        assert_eq!(en(1), "One recovery code is left.");
        assert_eq!(en(4), "4 recovery codes are left.");
        let de = |n| Lang("de").count("codes-recovery-left", "count", n);
        assert!(de(0).contains("keine"), "{}", de(0));
        assert_eq!(
            de(1),
            "Sie haben noch einen unbenutzten Wiederherstellungscode."
        );
        assert_eq!(
            de(7),
            "Sie haben noch 7 unbenutzte Wiederherstellungscodes."
        );
    }

    #[test]
    fn a_count_passed_as_text_would_not_choose_the_singular() {
        // Why counts are numbers: as text, "1" matches no plural category.
        let as_text = Lang("en").text_with("login-error-locked", &[("minutes", "1")]);
        assert!(as_text.ends_with("1 minutes."), "{as_text}");
    }

    #[test]
    fn templates_pass_numbers_to_fluent_as_numbers() {
        let mut tera = tera::Tera::new();
        tera.register_function("fluent", fluent_templates::FluentLoader::new(loader()));
        tera.add_raw_template(
            "t",
            r#"{{ fluent(key="login-error-locked", lang=lang, minutes=minutes) }}"#,
        )
        .expect("a template");
        let render = |lang: &str, minutes: i64| {
            let mut ctx = tera::Context::new();
            ctx.insert("lang", lang);
            ctx.insert("minutes", &minutes);
            tera.render("t", &ctx).expect("rendered")
        };
        assert!(render("en", 1).ends_with("in 1 minute."));
        assert!(render("en", 3).ends_with("in 3 minutes."));
        assert!(render("de", 1).ends_with("in 1 Minute erneut."));
        assert!(render("de", 3).ends_with("in 3 Minuten erneut."));
    }

    #[test]
    fn messages_resolve_in_both_languages() {
        assert_eq!(Lang("en").text("error-not-found"), "Page not found");
        assert_eq!(Lang("de").text("error-not-found"), "Seite nicht gefunden");
    }
}
