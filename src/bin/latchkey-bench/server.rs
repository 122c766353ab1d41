//! Servers under test as child processes: Latchkey itself, the bare actix-web floor, and peers.
//! Each prints the URL it serves on as its first line of standard output.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::proc_stats;

/// A running server process.
pub struct ServerProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub url: String,
    /// How long from spawn to the first request answered by `ready_path`.
    pub startup: Duration,
}

impl ServerProcess {
    /// Spawns `cmd`, reads the URL from the first line it prints (after `marker`), and waits
    /// until `ready_path` answers 200.
    pub async fn start(mut cmd: Command, marker: &str, ready_path: &str) -> Result<Self, String> {
        let spawned = Instant::now();
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {cmd:?}: {e}"))?;
        let stdout = child.stdout.take().ok_or("no standard output")?;
        let marker = marker.to_owned();
        let first = tokio::task::spawn_blocking(move || {
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref() {
                let line = line.map_err(|e| e.to_string())?;
                if let Some(url) = line.split(&marker).nth(1) {
                    let url = url.trim().to_owned();
                    // Keep draining so the child never blocks on a full pipe.
                    std::thread::spawn(move || lines.for_each(drop));
                    return Ok(url);
                }
            }
            Err("the server exited before printing its URL".to_owned())
        });
        let url = tokio::time::timeout(Duration::from_secs(60), first)
            .await
            .map_err(|_| "the server printed no URL within 60 s".to_owned())?
            .map_err(|e| e.to_string())??;
        let client = reqwest::Client::new();
        let ready = format!("{url}{ready_path}");
        loop {
            if let Ok(res) = client.get(&ready).send().await
                && res.status().is_success()
            {
                break;
            }
            if spawned.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                return Err(format!("{ready} did not answer within 60 s"));
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        Ok(Self {
            child,
            url,
            startup: spawned.elapsed(),
        })
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// CPU seconds used so far by the server and its worker processes.
    pub fn cpu_seconds(&self) -> f64 {
        proc_stats::tree_cpu_seconds(self.pid())
    }

    /// Stops the process (SIGKILL is enough: nothing it holds matters to the benchmark).
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `latchkey` executable next to this one, built first if it is missing.
pub fn latchkey_exe() -> Result<PathBuf, String> {
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let dir = me.parent().ok_or("no directory")?;
    let exe = dir.join("latchkey");
    if !exe.exists() {
        let mut args = vec!["build", "--bin", "latchkey"];
        if dir.ends_with("release") {
            args.push("--release");
        }
        eprintln!("building the latchkey server: cargo {}", args.join(" "));
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(&args)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() || !exe.exists() {
            return Err("cannot build the latchkey server".to_owned());
        }
    }
    Ok(exe)
}

/// A command running Latchkey on `database_url` in `dir`, listening on free loopback ports.
pub fn latchkey_command(exe: &Path, dir: &Path, database_url: &str) -> Command {
    let mut cmd = Command::new(exe);
    cmd.arg("serve")
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("LATCHKEY__DATABASE__URL", database_url)
        .env("LATCHKEY__SERVER__PUBLIC_ADDR", "127.0.0.1:0")
        .env("LATCHKEY__SERVER__PRIVATE_ADDR", "127.0.0.1:0")
        .env("LATCHKEY__LOG__LEVEL", "error")
        .env("LATCHKEY__MAIL__TRANSPORT", "file");
    cmd
}
