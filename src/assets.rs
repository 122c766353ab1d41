//! Templates, static files and locales, embedded in the binary so `latchkey` runs from any
//! working directory.

use rust_embed::Embed;

/// `templates/`: tera templates.
#[derive(Embed)]
#[folder = "templates/"]
pub struct Templates;

/// `static/`: CSS and images served under `/static/`.
#[derive(Embed)]
#[folder = "static/"]
pub struct Static;

/// `locales/`: Fluent message files, one folder per language.
#[derive(Embed)]
#[folder = "locales/"]
pub struct Locales;

/// The languages with a folder under `locales/`, sorted.
pub fn languages() -> Vec<String> {
    let mut langs: Vec<String> = Locales::iter()
        .filter_map(|path| path.split('/').next().map(str::to_owned))
        .collect();
    langs.sort();
    langs.dedup();
    langs
}

/// The message ids defined in one language's Fluent files (`id = …` lines), sorted.
pub fn message_ids(lang: &str) -> Vec<String> {
    let prefix = format!("{lang}/");
    let mut ids: Vec<String> = Locales::iter()
        .filter(|path| path.starts_with(&prefix) && path.ends_with(".ftl"))
        .filter_map(|path| Locales::get(&path))
        .flat_map(|file| {
            String::from_utf8_lossy(&file.data)
                .lines()
                .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
                .filter_map(|line| line.split_once('=').map(|(id, _)| id.trim().to_owned()))
                .collect::<Vec<_>>()
        })
        .collect();
    ids.sort();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_defines_exactly_the_english_messages() {
        let english = message_ids("en");
        assert!(!english.is_empty());
        for lang in languages() {
            assert_eq!(message_ids(&lang), english, "{lang} differs from en");
        }
    }

    #[test]
    fn the_base_template_and_stylesheet_are_embedded() {
        assert!(Templates::get("base.html").is_some());
        assert!(Static::get("css/latchkey.css").is_some());
    }

    #[test]
    fn english_and_german_locales_are_embedded() {
        let langs = languages();
        assert!(langs.contains(&"en".to_owned()), "{langs:?}");
        assert!(langs.contains(&"de".to_owned()), "{langs:?}");
    }
}
