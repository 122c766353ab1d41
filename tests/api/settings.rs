//! Settings precedence (defaults < file < environment) and unknown keys, on the executable.

use std::path::Path;

use crate::helpers::run_exe;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[tokio::test]
async fn the_default_database_is_data_latchkey_db_in_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    run_exe(dir.path(), &["migrate"], &[], None).await.ok();
    assert!(dir.path().join("data/latchkey.db").exists());
}

#[tokio::test]
async fn latchkey_toml_overrides_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "latchkey.toml",
        "[database]\nurl = \"sqlite://from-file.db\"\n",
    );
    run_exe(dir.path(), &["migrate"], &[], None).await.ok();
    assert!(dir.path().join("from-file.db").exists());
    assert!(!dir.path().join("data/latchkey.db").exists());
}

#[tokio::test]
async fn the_environment_overrides_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "latchkey.toml",
        "[database]\nurl = \"sqlite://from-file.db\"\n",
    );
    let env = [("LATCHKEY__DATABASE__URL", "sqlite://from-env.db")];
    run_exe(dir.path(), &["migrate"], &env, None).await.ok();
    assert!(dir.path().join("from-env.db").exists());
    assert!(!dir.path().join("from-file.db").exists());
}

#[tokio::test]
async fn config_names_another_file() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "latchkey.toml",
        "[database]\nurl = \"sqlite://default-file.db\"\n",
    );
    write(
        dir.path(),
        "other.toml",
        "[database]\nurl = \"sqlite://other-file.db\"\n",
    );
    run_exe(
        dir.path(),
        &["--config", "other.toml", "migrate"],
        &[],
        None,
    )
    .await
    .ok();
    assert!(dir.path().join("other-file.db").exists());
    assert!(!dir.path().join("default-file.db").exists());
}

#[tokio::test]
async fn an_unknown_key_in_the_file_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "latchkey.toml",
        "[server]\npublic_adr = \"127.0.0.1:1\"\n",
    );
    let out = run_exe(dir.path(), &["migrate"], &[], None).await;
    let err = out.fails_with(3);
    assert!(err.contains("public_adr"), "{err}");
    assert!(err.contains("server.public_adr"), "{err}");
    assert!(!dir.path().join("data").exists(), "nothing was created");
}

#[tokio::test]
async fn an_unknown_section_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "latchkey.toml",
        "[databse]\nurl = \"sqlite://x.db\"\n",
    );
    let out = run_exe(dir.path(), &["migrate"], &[], None).await;
    assert!(out.fails_with(3).contains("databse"));
}

#[tokio::test]
async fn an_unknown_environment_key_is_an_error_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("LATCHKEY__DATABASE__URI", "sqlite://x.db")];
    let out = run_exe(dir.path(), &["migrate"], &env, None).await;
    let err = out.fails_with(3);
    assert!(err.contains("LATCHKEY__DATABASE__URI"), "{err}");
}

#[tokio::test]
async fn a_missing_config_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_exe(dir.path(), &["--config", "nope.toml", "migrate"], &[], None).await;
    assert!(out.fails_with(3).contains("nope.toml"));
}

#[tokio::test]
async fn the_example_config_is_valid_and_complete() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    std::fs::copy(&example, dir.path().join("latchkey.toml")).unwrap();
    run_exe(dir.path(), &["migrate"], &[], None).await.ok();
    // Every section of the settings is documented in the example.
    let text = std::fs::read_to_string(example).unwrap();
    for section in [
        "[server]",
        "[database]",
        "[mail]",
        "[login]",
        "[password]",
        "[lifetimes]",
        "[auth_delegation]",
        "[api_keys]",
        "[redis]",
        "[log]",
    ] {
        assert!(text.contains(section), "{section} is documented");
    }
    for key in [
        "public_addr",
        "private_addr",
        "public_url",
        "url",
        "transport",
        "dir",
        "smtp_url",
        "hide_account_existence",
        "allowed_hosts",
        "allow_http",
        "allow_query_parameter",
        "rate_limits",
        "sessions",
    ] {
        assert!(text.contains(&format!("{key} =")), "{key} is documented");
    }
}

#[tokio::test]
async fn an_unreachable_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let env = [
        (
            "LATCHKEY__DATABASE__URL",
            "postgres://nobody@127.0.0.1:1/none",
        ),
        ("LATCHKEY__DATABASE__ACQUIRE_TIMEOUT_SECS", "2"),
    ];
    let out = run_exe(dir.path(), &["person", "show", "a@example.org"], &env, None).await;
    let err = out.fails_with(4);
    assert!(err.contains("cannot connect to the database"), "{err}");
}

#[tokio::test]
async fn a_database_url_of_an_unknown_kind_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("LATCHKEY__DATABASE__URL", "mysql://root@127.0.0.1/test")];
    let out = run_exe(dir.path(), &["migrate"], &env, None).await;
    assert!(out.fails_with(3).contains("database.url"));
}
