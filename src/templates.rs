//! Tera templates loaded from the embedded `templates/` folder, HTML auto-escaped, with a
//! `fluent(key=…, lang=…)` function for localised text. Pages and emails both use them.

use std::sync::Arc;

use crate::assets;

/// The compiled templates, cheap to clone.
#[derive(Clone)]
pub struct Templates(Arc<tera::Tera>);

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Templates")
    }
}

/// Why templates could not be loaded or rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// A template file is not UTF-8.
    #[error("template {0} is not UTF-8")]
    Encoding(String),
    /// Tera refused the templates.
    #[error("the templates could not be compiled")]
    Compile(#[source] tera::Error),
    /// Tera failed to render a template.
    #[error("template {name} could not be rendered")]
    Render {
        /// The template.
        name: String,
        /// Why.
        #[source]
        source: tera::Error,
    },
}

impl Templates {
    /// Compiles every embedded template.
    pub fn load() -> Result<Self, RenderError> {
        let mut sources = Vec::new();
        for name in assets::Templates::iter() {
            let Some(file) = assets::Templates::get(&name) else {
                continue;
            };
            let text = String::from_utf8(file.data.into_owned())
                .map_err(|_| RenderError::Encoding(name.to_string()))?;
            sources.push((name.to_string(), text));
        }
        let mut tera = tera::Tera::new();
        // Functions must be registered before templates are added.
        tera.register_function(
            "fluent",
            fluent_templates::FluentLoader::new(crate::i18n::loader()),
        );
        tera.autoescape_on([".html"]);
        tera.add_raw_templates(sources)
            .map_err(RenderError::Compile)?;
        Ok(Self(Arc::new(tera)))
    }

    /// Renders a template to a string.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<String, RenderError> {
        self.0
            .render(name, context)
            .map_err(|source| RenderError::Render {
                name: name.to_owned(),
                source,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_template_compiles() {
        Templates::load().unwrap();
    }

    #[test]
    fn values_are_html_escaped() {
        let templates = Templates::load().unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("lang", "en");
        ctx.insert("heading", "<script>alert(1)</script>");
        ctx.insert("message", "\"><svg onload=alert(1)>");
        ctx.insert("request_id", "");
        let html = templates.render("error.html", &ctx).unwrap();
        assert!(!html.contains("<script>alert"));
        assert!(!html.contains("<svg"));
        assert!(html.contains("&lt;script&gt;"));
    }

    #[test]
    fn fluent_arguments_are_html_escaped() {
        let html = tera::Tera::one_off("x", &tera::Context::new(), true).unwrap();
        assert_eq!(html, "x");
        let templates = Templates::load().unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("lang", "de");
        let html = templates.render("home.html", &ctx).unwrap();
        assert!(html.contains("Einmal anmelden"), "{html}");
    }
}
