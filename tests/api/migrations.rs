//! The two migration folders pair up, match what the binary embeds, and apply cleanly.

use std::collections::BTreeSet;
use std::path::Path;

use latchkey::db::migrate::{self, POSTGRES, SQLITE};

use crate::helpers::{TestDb, latchkey, spawn_app};

fn files_in(dir: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(dir);
    std::fs::read_dir(path)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn the_sqlite_and_postgres_folders_hold_the_same_numbers_and_names() {
    let sqlite = files_in("sqlite");
    let postgres = files_in("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
    for name in &sqlite {
        let (number, rest) = name.split_once('_').expect("NNNN_name.sql");
        assert_eq!(number.len(), 4, "{name}");
        assert!(number.chars().all(|c| c.is_ascii_digit()), "{name}");
        assert!(rest.ends_with(".sql"), "{name}");
    }
}

#[test]
fn every_migration_file_is_embedded_in_order() {
    for (dir, embedded) in [("sqlite", SQLITE), ("postgres", POSTGRES)] {
        let files: Vec<String> = files_in(dir).into_iter().collect();
        let names: Vec<String> = embedded
            .iter()
            .map(|m| format!("{:04}_{}.sql", m.version, m.name))
            .collect();
        assert_eq!(files, names, "{dir}");
        for (i, m) in embedded.iter().enumerate() {
            assert_eq!(
                m.version,
                i64::try_from(i).unwrap() + 1,
                "numbers run 1, 2, 3…"
            );
        }
    }
}

#[tokio::test]
async fn migrating_twice_applies_nothing_the_second_time() {
    let app = spawn_app().await;
    assert_eq!(migrate::run(&app.db).await.unwrap(), 0);
    assert!(migrate::is_current(&app.db).await.unwrap());
}

#[tokio::test]
async fn the_migrate_command_prepares_an_empty_database() {
    let db = TestDb::new().await;
    let out = latchkey(&db, &["migrate"], None).await;
    assert!(out.ok().contains("up to date"), "{out:?}");
    let again = latchkey(&db, &["migrate"], None).await;
    again.ok();
}

#[tokio::test]
async fn several_nodes_starting_together_on_postgresql_migrate_once() {
    let Some(db) = crate::helpers::postgres_test_db().await else {
        return;
    };
    // Three processes at once, as three nodes starting together would.
    let mut runs = Vec::new();
    for _ in 0..3 {
        let (dir, url) = (db.dir.path().to_owned(), db.url.clone());
        runs.push(tokio::spawn(async move {
            crate::helpers::run_exe(
                &dir,
                &["migrate"],
                &[("LATCHKEY__DATABASE__URL", &url)],
                None,
            )
            .await
        }));
    }
    for run in runs {
        run.await.unwrap().ok();
    }
    let pool = latchkey::db::Db::connect(
        &db.url,
        latchkey::db::PoolOptions {
            max_connections: 1,
            acquire_timeout: std::time::Duration::from_secs(5),
        },
    )
    .await
    .unwrap();
    let row = sqlx::query("SELECT COUNT(*) AS n FROM schema_migrations")
        .fetch_one(pool.pool())
        .await
        .unwrap();
    let n: i64 = sqlx::Row::get(&row, "n");
    assert_eq!(usize::try_from(n).unwrap(), POSTGRES.len());
}
