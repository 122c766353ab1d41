//! What a `User-Agent` says in words a person recognises: the browser and the operating system
//! ("Chrome", "Linux"), read with the ua-parser project's maintained patterns (`regexes.json`:
//! the browser and system parsers of uap-core's `regexes.yaml`, converted to JSON so that no
//! YAML parser is needed; refresh it from a newer `ua-parser` release the same way).

use std::sync::LazyLock;

use serde::Deserialize;
use ua_parser::{os, user_agent};

/// The patterns, compiled into the binary.
const PATTERNS: &str = include_str!("regexes.json");

/// The browser and system parsers of `regexes.json`.
#[derive(Deserialize)]
struct Patterns<'a> {
    #[serde(borrow)]
    user_agent_parsers: Vec<user_agent::Parser<'a>>,
    #[serde(borrow)]
    os_parsers: Vec<os::Parser<'a>>,
}

/// The two extractors, built once (compiling the patterns takes a moment).
struct Extractors {
    browser: user_agent::Extractor<'static>,
    system: os::Extractor<'static>,
}

/// Why the embedded patterns could not be compiled (a defect of the file, caught by a test).
#[derive(Debug, thiserror::Error)]
enum PatternError {
    /// The file is not the expected JSON.
    #[error("the user-agent patterns are not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A browser pattern is not a valid regular expression.
    #[error("a browser pattern does not compile: {0}")]
    Browser(#[from] ua_parser::Error),
    /// A system pattern is not a valid regular expression.
    #[error("a system pattern does not compile: {0}")]
    System(#[from] ua_parser::ParseError),
    /// The patterns could not be combined.
    #[error("the user-agent patterns could not be combined: {0}")]
    Build(#[from] ua_parser::BuildError),
}

fn compile() -> Result<Extractors, PatternError> {
    let patterns: Patterns<'static> = serde_json::from_str(PATTERNS)?;
    let browser = user_agent::Builder::new()
        .push_all(patterns.user_agent_parsers)?
        .build()?;
    let system = os::Builder::new().push_all(patterns.os_parsers)?.build()?;
    Ok(Extractors { browser, system })
}

// A defect of the embedded file names no browser rather than failing a page; the test
// `the_patterns_compile` keeps it from being shipped.
static EXTRACTORS: LazyLock<Option<Extractors>> = LazyLock::new(|| compile().ok());

/// A browser and its operating system, as far as the `User-Agent` tells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrowserName {
    /// The browser's family, e.g. `Firefox`, `Chrome Mobile`.
    pub browser: Option<String>,
    /// The operating system's family, e.g. `Linux`, `Mac OS X`, `Android`.
    pub system: Option<String>,
}

/// What the patterns call a family they do not know.
const UNKNOWN: &str = "Other";

impl BrowserName {
    /// Reads a `User-Agent`; the parts the patterns do not recognise stay `None`.
    pub fn of(user_agent: &str) -> Self {
        let Some(found) = EXTRACTORS.as_ref() else {
            return Self::default();
        };
        let known = |family: &str| (family != UNKNOWN && !family.is_empty()).then(|| family.into());
        Self {
            browser: found
                .browser
                .extract(user_agent)
                .and_then(|v| known(&v.family)),
            system: found.system.extract(user_agent).and_then(|v| known(&v.os)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(ua: &str) -> (Option<String>, Option<String>) {
        let name = BrowserName::of(ua);
        (name.browser, name.system)
    }

    #[test]
    fn the_patterns_compile() {
        assert!(compile().is_ok());
    }

    #[test]
    fn common_browsers_are_named_with_their_system() {
        let some = |a: &str, b: &str| (Some(a.to_owned()), Some(b.to_owned()));
        assert_eq!(
            named(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) \
                 Chrome/131.0.0.0 Safari/537.36"
            ),
            some("Chrome", "Linux")
        );
        assert_eq!(
            named(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0"
            ),
            some("Firefox", "Windows")
        );
        assert_eq!(
            named(
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
                 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
            ),
            some("Mobile Safari", "iOS")
        );
    }

    #[test]
    fn what_is_not_a_known_browser_is_not_named() {
        assert_eq!(named("<laptop>"), (None, None));
        assert_eq!(named(""), (None, None));
    }
}
