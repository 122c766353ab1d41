//! The Containerfile: every path it copies exists and is not excluded from the build context,
//! the settings it sets are ones Latchkey accepts, and the image runs `latchkey serve` as an
//! unprivileged user. Building the image itself needs a container engine.

use std::path::Path;

use latchkey::config::Settings;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The Containerfile's instructions: (keyword, arguments), continuation lines joined, comments
/// dropped.
fn instructions() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(root().join("Containerfile")).unwrap();
    let mut joined = Vec::new();
    let mut current = String::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with('#') || (line.is_empty() && current.is_empty()) {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(head) => current.push_str(head),
            None => {
                current.push_str(line);
                joined.push(std::mem::take(&mut current));
            }
        }
    }
    joined
        .into_iter()
        .filter_map(|line| {
            let (keyword, args) = line.split_once(' ')?;
            Some((keyword.to_owned(), args.trim().to_owned()))
        })
        .collect()
}

fn arguments_of(keyword: &str) -> Vec<String> {
    instructions()
        .into_iter()
        .filter(|(k, _)| k == keyword)
        .map(|(_, args)| args)
        .collect()
}

#[test]
fn every_path_the_containerfile_copies_exists_and_is_not_ignored() {
    let ignored: Vec<String> = std::fs::read_to_string(root().join(".containerignore"))
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect();
    let docker_ignored = std::fs::read_to_string(root().join(".dockerignore")).unwrap();
    assert_eq!(
        docker_ignored,
        std::fs::read_to_string(root().join(".containerignore")).unwrap(),
        "both engines see the same build context"
    );
    let copies = arguments_of("COPY");
    assert!(copies.len() >= 5, "{copies:?}");
    for copy in copies.iter().filter(|c| !c.starts_with("--from")) {
        let words: Vec<&str> = copy.split_whitespace().collect();
        let (sources, _destination) = words.split_at(words.len() - 1);
        for source in sources {
            assert!(root().join(source).exists(), "COPY {source}: no such path");
            assert!(
                !ignored
                    .iter()
                    .any(|i| source == i || source.starts_with(&format!("{i}/"))),
                "COPY {source} is excluded by .containerignore"
            );
        }
    }
    for needed in [
        "Cargo.lock",
        "src",
        "templates",
        "static",
        "locales",
        "migrations",
    ] {
        assert!(
            copies
                .iter()
                .any(|c| c.split_whitespace().any(|w| w == needed)),
            "{needed} is copied into the build stage"
        );
    }
}

#[test]
fn the_containerfile_sets_only_settings_latchkey_accepts() {
    let env: Vec<(String, String)> = arguments_of("ENV")
        .iter()
        .flat_map(|args| {
            args.split_whitespace()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .map(|pair| {
            let (key, value) = pair.split_once('=').expect("ENV KEY=VALUE");
            (key.to_owned(), value.to_owned())
        })
        .collect();
    assert!(!env.is_empty());
    // The image has no settings file; the built-in defaults are the example file's.
    let example = root().join("config.example.toml");
    let settings = Settings::load(Some(&example), env).expect("the image's settings load");
    assert_eq!(settings.server.public_addr, "0.0.0.0:8080");
    assert!(
        settings.server.private_addr.starts_with("127.0.0.1:"),
        "the private listener stays on the container's loopback"
    );
    // The run command in docs/operations.md passes the trusted proxies as a list.
    let documented = Settings::load(
        Some(&example),
        [(
            "LATCHKEY__SERVER__TRUSTED_PROXIES".to_owned(),
            r#"["10.88.0.1"]"#.to_owned(),
        )],
    )
    .unwrap();
    assert_eq!(documented.server.trusted_proxies, ["10.88.0.1"]);
}

#[test]
fn the_image_builds_the_server_and_runs_it_unprivileged() {
    let runs = arguments_of("RUN").join("\n");
    assert!(
        runs.contains("cargo build --release --locked --bin latchkey"),
        "{runs}"
    );
    let user = arguments_of("USER");
    assert_eq!(user, ["latchkey"], "not root");
    assert_eq!(
        arguments_of("ENTRYPOINT"),
        [r#"["/usr/local/bin/latchkey"]"#]
    );
    assert_eq!(arguments_of("CMD"), [r#"["serve"]"#]);
    assert_eq!(arguments_of("VOLUME"), [r#"["/var/lib/latchkey"]"#]);
    assert_eq!(
        arguments_of("WORKDIR").last().map(String::as_str),
        Some("/var/lib/latchkey")
    );
}
