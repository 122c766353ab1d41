//! Scratch storage for one run: a directory (the SQLite file, the server's mail folder) and a
//! fresh PostgreSQL database, both removed after.

use std::path::Path;

use sqlx::{AnyConnection, Connection, Executor};

/// A directory of the run's own (the SQLite file, the server's mail folder), removed after.
pub struct ScratchDir(std::path::PathBuf);

impl ScratchDir {
    pub fn new() -> Result<Self, String> {
        let path =
            std::env::temp_dir().join(format!("latchkey-bench-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).map_err(|e| e.to_string())?;
        Ok(Self(path))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh PostgreSQL database for one run.
pub struct PostgresDb {
    admin: String,
    name: String,
    pub url: String,
}

impl PostgresDb {
    pub async fn create(admin: &str) -> Result<Self, String> {
        let mut conn = AnyConnection::connect(admin)
            .await
            .map_err(|e| e.to_string())?;
        let name = format!("lk_bench_{}", uuid::Uuid::new_v4().simple());
        conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .await
            .map_err(|e| e.to_string())?;
        let _ = conn.close().await;
        let mut url = url::Url::parse(admin).map_err(|e| e.to_string())?;
        url.set_path(&format!("/{name}"));
        Ok(Self {
            admin: admin.to_owned(),
            name,
            url: url.to_string(),
        })
    }

    pub async fn drop_database(self) {
        if let Ok(mut conn) = AnyConnection::connect(&self.admin).await {
            let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
            let _ = conn.execute(sqlx::AssertSqlSafe(sql)).await;
            let _ = conn.close().await;
        }
    }
}
