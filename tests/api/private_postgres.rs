//! A PostgreSQL cluster of the test's own, from the local PostgreSQL installation, that asks for
//! a password (scram-sha-256): the machine's shared server trusts every loopback connection, so
//! a wrong password can only be refused by a cluster set up to check it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::helpers::strict;

/// The superuser's password in a private cluster.
pub const PASSWORD: &str = "right-password";

/// A running private cluster; stopped when dropped.
pub struct PrivatePostgres {
    /// The loopback port it listens on.
    pub port: u16,
    bin: PathBuf,
    data: PathBuf,
    as_postgres: bool,
    _dir: tempfile::TempDir,
}

fn find_bin() -> Option<PathBuf> {
    let from_pg_config = Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    let candidates = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("bin"));
    from_pg_config
        .into_iter()
        .chain(candidates)
        .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

/// Runs a PostgreSQL tool, as the `postgres` user when the tests run as root (`initdb`
/// refuses root).
fn run(bin: &Path, as_postgres: bool, tool: &str, args: &[&str]) -> Result<(), String> {
    let program = bin.join(tool);
    let output = if as_postgres {
        let mut line = shell_quote(&program.to_string_lossy());
        for arg in args {
            line.push(' ');
            line.push_str(&shell_quote(arg));
        }
        Command::new("su").args(["postgres", "-c", &line]).output()
    } else {
        Command::new(&program).args(args).output()
    };
    let output = output.map_err(|e| format!("{tool}: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{tool} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl PrivatePostgres {
    /// Creates and starts a cluster, or says why not and returns `None` (a failure under
    /// `LATCHKEY_TEST_STRICT=1`).
    pub fn start() -> Option<Self> {
        match Self::try_start() {
            Ok(cluster) => Some(cluster),
            Err(why) => {
                assert!(
                    !strict(),
                    "LATCHKEY_TEST_STRICT=1 and no private PostgreSQL cluster: {why}"
                );
                eprintln!("skipped: this test needs a private PostgreSQL cluster: {why}");
                None
            }
        }
    }

    fn try_start() -> Result<Self, String> {
        let bin = find_bin().ok_or("no initdb and pg_ctl on this machine")?;
        let as_postgres = running_as_root();
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let data = dir.path().join("data");
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, PASSWORD).map_err(|e| e.to_string())?;
        if as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .map_err(|e| e.to_string())?;
            if !status.success() {
                return Err("cannot give the cluster directory to postgres".to_owned());
            }
        }
        let dir_text = dir.path().to_string_lossy().into_owned();
        let data_text = data.to_string_lossy().into_owned();
        run(
            &bin,
            as_postgres,
            "initdb",
            &[
                "-D",
                &data_text,
                "-U",
                "postgres",
                "--auth=scram-sha-256",
                &format!("--pwfile={}", pwfile.display()),
                "--no-sync",
            ],
        )?;
        let port = free_port();
        let options = format!("-p {port} -k {dir_text} -c listen_addresses=127.0.0.1 -c fsync=off");
        run(
            &bin,
            as_postgres,
            "pg_ctl",
            &[
                "-D",
                &data_text,
                "-o",
                &options,
                "-l",
                &format!("{dir_text}/server.log"),
                "-w",
                "-t",
                "30",
                "start",
            ],
        )?;
        let cluster = Self {
            port,
            bin,
            data,
            as_postgres,
            _dir: dir,
        };
        cluster.wait_until_accepting()?;
        Ok(cluster)
    }

    fn wait_until_accepting(&self) -> Result<(), String> {
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err(format!("the cluster does not listen on port {}", self.port))
    }

    /// A DSN for the cluster's `postgres` database with the given password.
    pub fn dsn(&self, password: &str) -> String {
        format!(
            "postgres://postgres:{password}@127.0.0.1:{}/postgres",
            self.port
        )
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let data = self.data.to_string_lossy().into_owned();
        let stopped = run(
            &self.bin,
            self.as_postgres,
            "pg_ctl",
            &["-D", &data, "-m", "immediate", "-w", "stop"],
        );
        if let Err(e) = stopped {
            eprintln!("the private PostgreSQL cluster did not stop: {e}");
        }
    }
}
