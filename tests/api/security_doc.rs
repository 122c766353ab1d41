//! `docs/security.md` stays true: every integration test it names (`module::test_name`, where
//! `module` is a file of this test binary) exists under that name.

use std::path::PathBuf;

/// The `module::name` pairs in backticks of a document.
fn named_tests(text: &str) -> Vec<(String, String)> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|quoted| {
            let (module, name) = quoted.split_once("::")?;
            let is_word = |s: &str| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            };
            (is_word(module) && is_word(name)).then(|| (module.to_owned(), name.to_owned()))
        })
        .collect()
}

#[test]
fn every_test_the_security_document_names_exists() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/security.md")).unwrap();
    let mut missing = Vec::new();
    for (module, name) in named_tests(&doc) {
        let file = root.join("tests/api").join(format!("{module}.rs"));
        let Ok(code) = std::fs::read_to_string(&file) else {
            continue;
        };
        if !code.contains(&format!("fn {name}(")) {
            missing.push(format!("{module}::{name}"));
        }
    }
    assert!(
        missing.is_empty(),
        "docs/security.md names tests that do not exist: {missing:?}"
    );
}

#[test]
fn a_named_test_is_read_from_backticks() {
    let found = named_tests("Covered: `login::a_team_address_is_refused`, `B1-2`, `web::x::Y`");
    assert_eq!(
        found,
        vec![("login".to_owned(), "a_team_address_is_refused".to_owned())]
    );
}
