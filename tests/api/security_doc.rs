//! `docs/security.md` stays true: every integration test it names (`module::test_name`, where
//! `module` is a file of this test binary) exists under that name, and so does every source
//! file it names and every unit test it names in one (`` `src/x.rs` unit test `name` ``).

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

/// The `(file, unit test)` pairs and the lone source files a document names.
fn named_sources(text: &str) -> (Vec<(String, String)>, Vec<String>) {
    let quoted: Vec<&str> = text.split('`').collect();
    let mut tests = Vec::new();
    let mut files = Vec::new();
    for (i, part) in quoted.iter().enumerate().skip(1).step_by(2) {
        if !(part.starts_with("src/") && part.ends_with(".rs")) {
            continue;
        }
        files.push((*part).to_owned());
        let between = quoted.get(i + 1).copied().unwrap_or("");
        if matches!(between.trim(), "unit test" | "unit tests")
            && let Some(name) = quoted.get(i + 2)
        {
            tests.push(((*part).to_owned(), (*name).to_owned()));
        }
    }
    (tests, files)
}

#[test]
fn every_source_file_and_unit_test_the_security_document_names_exists() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/security.md")).unwrap();
    let (tests, files) = named_sources(&doc);
    let missing_files: Vec<&String> = files.iter().filter(|f| !root.join(f).exists()).collect();
    assert!(
        missing_files.is_empty(),
        "named files that do not exist: {missing_files:?}"
    );
    let missing: Vec<String> = tests
        .iter()
        .filter(|(file, name)| {
            let code = std::fs::read_to_string(root.join(file)).unwrap_or_default();
            !code.contains(&format!("fn {name}("))
        })
        .map(|(file, name)| format!("{file}: {name}"))
        .collect();
    assert!(
        missing.is_empty(),
        "named unit tests that do not exist: {missing:?}"
    );
}

#[test]
fn a_named_unit_test_is_read_with_its_file() {
    let (tests, files) =
        named_sources("see `src/domain/x.rs` unit test `a_rule_holds`, `src/y.rs`");
    assert_eq!(
        tests,
        vec![("src/domain/x.rs".to_owned(), "a_rule_holds".to_owned())]
    );
    assert_eq!(
        files,
        vec!["src/domain/x.rs".to_owned(), "src/y.rs".to_owned()]
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
