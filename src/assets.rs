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

#[cfg(test)]
mod tests {
    use super::*;

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
