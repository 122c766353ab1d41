//! `latchkey-bench`: starts Latchkey (SQLite, then PostgreSQL), seeds it, drives load on
//! loopback, and measures it against the machine's floor and against peer providers, in one
//! run. `--write` puts the results into BENCHMARKS.md and `bench/chart.svg`.

mod browser;
mod fixture;
mod floor;
mod load;
mod nodes;
mod peers;
mod proc_stats;
mod report;
mod results;
mod scenarios;
mod server;
mod targets;

use std::path::Path;
use std::time::Duration;

use clap::{Parser, Subcommand};
use latchkey::config::Settings;
use latchkey::db::{Db, PoolOptions};
use sqlx::{AnyConnection, Connection, Executor};

use crate::load::{Budget, Op, Stats, drive};
use crate::report::{Report, Row};
use crate::server::{ServerProcess, latchkey_command, latchkey_exe};

/// How the benchmark runs.
#[derive(Debug, Parser)]
#[command(
    name = "latchkey-bench",
    about = "Measure Latchkey against the machine and its peers"
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Seconds per load scenario.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Concurrent clients per load scenario.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// People in the large database of the login-latency comparison.
    #[arg(long, default_value_t = 1_000_000)]
    people: i64,
    /// Backends to measure (`none` for the floor and the peers only).
    #[arg(long, value_delimiter = ',', default_values_t = ["sqlite".to_owned(), "postgres".to_owned()])]
    backends: Vec<String>,
    /// The PostgreSQL server (a fresh database is made on it and dropped after).
    #[arg(
        long,
        default_value = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
    )]
    postgres_url: String,
    /// Do not start peer providers.
    #[arg(long)]
    no_peers: bool,
    /// Write the results into BENCHMARKS.md and bench/chart.svg.
    #[arg(long)]
    write: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the bare actix-web handler (the benchmark starts this itself).
    FloorServer,
}

/// People in the small database.
const SMALL: i64 = 1_000;

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    if let Some(Command::FloorServer) = args.command {
        return match floor::serve_bare_handler() {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("floor server: {e}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    latchkey::tls::install_default_provider();
    sqlx::any::install_default_drivers();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("no runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("latchkey-bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: &Args) -> Result<(), String> {
    let exe = latchkey_exe()?;
    let mut report = Report::default();
    let budget = Budget {
        concurrency: args.concurrency,
        duration: Duration::from_secs(args.seconds),
        max_ops: 5_000_000,
    };
    for backend in &args.backends {
        match backend.as_str() {
            "sqlite" => {
                let dir = ScratchDir::new()?;
                let url = format!("sqlite://{}/bench.db", dir.path().display());
                run_backend(&mut report, &exe, dir.path(), &url, "SQLite", args, budget).await?;
            }
            "postgres" => match PostgresDb::create(&args.postgres_url).await {
                Ok(pg) => {
                    let dir = ScratchDir::new()?;
                    let result = run_backend(
                        &mut report,
                        &exe,
                        dir.path(),
                        &pg.url,
                        "PostgreSQL",
                        args,
                        budget,
                    )
                    .await;
                    pg.drop_database().await;
                    result?;
                }
                Err(e) => report.skipped.push(format!(
                    "PostgreSQL: cannot reach {}: {e}",
                    args.postgres_url
                )),
            },
            "none" => {}
            other => {
                return Err(format!(
                    "unknown backend {other}: use sqlite,postgres or none"
                ));
            }
        }
    }
    run_floor(&mut report, budget).await?;
    if args.no_peers {
        report.skipped.push("peers: --no-peers".to_owned());
    } else {
        peers::run_all(&mut report, budget).await;
    }
    targets::check_targets(&mut report);
    println!("\n{}", report.markdown());
    if args.write {
        results::write_results(&report, args)?;
    }
    Ok(())
}

/// A directory of the run's own (the SQLite file, the server's mail folder), removed after.
struct ScratchDir(std::path::PathBuf);

impl ScratchDir {
    fn new() -> Result<Self, String> {
        let path =
            std::env::temp_dir().join(format!("latchkey-bench-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).map_err(|e| e.to_string())?;
        Ok(Self(path))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fresh PostgreSQL database for one run.
struct PostgresDb {
    admin: String,
    name: String,
    url: String,
}

impl PostgresDb {
    async fn create(admin: &str) -> Result<Self, String> {
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

    async fn drop_database(self) {
        if let Ok(mut conn) = AnyConnection::connect(&self.admin).await {
            let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
            let _ = conn.execute(sqlx::AssertSqlSafe(sql)).await;
            let _ = conn.close().await;
        }
    }
}

/// Runs one scenario against a server and records it.
pub(crate) async fn measure(
    report: &mut Report,
    servers: &[&ServerProcess],
    system: &str,
    scenario: &str,
    op: Op,
    budget: Budget,
) -> Stats {
    for server in servers {
        proc_stats::tree_reset_peak(server.pid());
    }
    let cpu_of = || servers.iter().map(|s| s.cpu_seconds()).sum::<f64>();
    let cpu = cpu_of();
    let stats = drive(op, budget).await;
    let cpu = cpu_of() - cpu;
    let peak = servers
        .iter()
        .map(|s| proc_stats::tree_peak_rss_kib(s.pid()))
        .sum::<u64>() as f64
        / 1024.0;
    let row = Row {
        system: system.to_owned(),
        scenario: scenario.to_owned(),
        per_second: stats.per_second(),
        p50_ms: stats.quantile_ms(0.5),
        p99_ms: stats.quantile_ms(0.99),
        errors: stats.errors,
        cpu_s: cpu,
        peak_rss_mib: peak,
    };
    eprintln!(
        "{system:<28} {scenario:<24} {:>9.0}/s  p50 {:>7.2} ms  p99 {:>7.2} ms  errors {}{}",
        row.per_second,
        row.p50_ms,
        row.p99_ms,
        row.errors,
        stats
            .first_error
            .as_deref()
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default()
    );
    report.rows.push(row);
    stats
}

async fn start_latchkey(exe: &Path, dir: &Path, url: &str) -> Result<ServerProcess, String> {
    ServerProcess::start(
        latchkey_command(exe, dir, url),
        "Latchkey is listening on ",
        "/readyz",
    )
    .await
}

async fn run_backend(
    report: &mut Report,
    exe: &Path,
    dir: &Path,
    url: &str,
    backend: &str,
    args: &Args,
    budget: Budget,
) -> Result<(), String> {
    let system = format!("Latchkey ({backend})");
    eprintln!("\n== {system}: seeding {SMALL} people");
    let hashing = Settings::default().password;
    let seeded = fixture::seed(url, hashing, SMALL - 1).await?;

    // The first start makes the signing keys; later starts find an existing database.
    start_latchkey(exe, dir, url).await?.stop();
    let mut startups = Vec::new();
    for _ in 0..5 {
        let server = start_latchkey(exe, dir, url).await?;
        startups.push(server.startup);
        server.stop();
    }
    startups.sort();
    let startup_ms = startups[startups.len() / 2].as_secs_f64() * 1000.0;
    report.figures.push((
        format!("{system}: start to /readyz (median of 5)"),
        startup_ms,
        "ms",
    ));

    let server = start_latchkey(exe, dir, url).await?;
    let idle = proc_stats::settled_rss_kib(server.pid(), Duration::from_secs(3)).unwrap_or(0);
    report
        .figures
        .push((format!("{system}: idle RSS"), idle as f64 / 1024.0, "MiB"));
    let target = scenarios::Target::new(&server.url, seeded)?;
    let flows = Budget {
        concurrency: budget.concurrency.min(8),
        ..budget
    };
    let tokens = scenarios::worker_tokens(&target, budget.concurrency).await?;
    let plan: Vec<(&str, Op, Budget)> = vec![
        (
            "discovery",
            scenarios::get_ok(&target, "/.well-known/openid-configuration"),
            budget,
        ),
        ("JWKS", scenarios::get_ok(&target, "/jwks.json"), budget),
        ("password login", scenarios::login(&target), flows),
        (
            "authorization-code flow",
            scenarios::authorization_code(&target),
            flows,
        ),
        (
            "refresh-token grant",
            scenarios::refresh(&target, &tokens),
            budget,
        ),
        (
            "client-credentials grant",
            scenarios::client_credentials(&target),
            budget,
        ),
        ("userinfo", scenarios::userinfo(&target, &tokens), budget),
        (
            "handshake create + consume",
            scenarios::handshake(&target),
            budget,
        ),
        ("whoami (API key)", scenarios::whoami(&target), budget),
        (
            "web hook (placeholder)",
            scenarios::web_hook(&target),
            budget,
        ),
    ];
    let mut small_login_p50 = None;
    for (scenario, op, b) in plan {
        let stats = measure(report, &[&server], &system, scenario, op, b).await;
        if scenario == "password login" {
            small_login_p50 = Some(stats.quantile_ms(0.5));
        }
    }
    if backend == "PostgreSQL" {
        nodes::two_nodes(report, exe, dir, url, &system, &server, &target, budget).await?;
    }
    server.stop();

    if args.people > SMALL {
        eprintln!("== {system}: adding people up to {}", args.people);
        let db = Db::connect(
            url,
            PoolOptions {
                max_connections: 1,
                acquire_timeout: Duration::from_secs(60),
            },
        )
        .await
        .map_err(|e| e.to_string())?;
        let hash = hashing
            .hash(&latchkey::domain::Password::parse(fixture::PASSWORD).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
        latchkey::db::seed::insert_many_people(db.pool(), "bulk", args.people - SMALL, &hash, 0)
            .await
            .map_err(|e| e.to_string())?;
        db.close().await;
        let server = start_latchkey(exe, dir, url).await?;
        let big = format!("{system}, {} people", args.people);
        let stats = measure(
            report,
            &[&server],
            &big,
            "password login",
            scenarios::login(&target_on(&server, &target)),
            flows,
        )
        .await;
        server.stop();
        if let Some(small) = small_login_p50 {
            let large = stats.quantile_ms(0.5);
            report.figures.push((
                format!("{system}: login p50 with {SMALL} people"),
                small,
                "ms",
            ));
            report.figures.push((
                format!("{system}: login p50 with {} people", args.people),
                large,
                "ms",
            ));
        }
    }
    Ok(())
}

fn target_on(server: &ServerProcess, like: &scenarios::Target) -> scenarios::Target {
    scenarios::Target {
        base: server.url.clone(),
        ..like.clone()
    }
}

async fn run_floor(report: &mut Report, budget: Budget) -> Result<(), String> {
    eprintln!("\n== floor");
    let params = Settings::default().password;
    let per_second = tokio::task::spawn_blocking(move || {
        floor::argon2_verify_per_second(params, Duration::from_secs(5))
    })
    .await
    .map_err(|e| e.to_string())??;
    report.figures.push((
        format!(
            "floor: argon2id verify on all cores (m={} KiB, t={}, p={})",
            params.memory_kib, params.iterations, params.parallelism
        ),
        per_second,
        "per s",
    ));
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut cmd = std::process::Command::new(me);
    cmd.arg("floor-server");
    let server = ServerProcess::start(cmd, "floor listening on ", "/fixed").await?;
    let target = scenarios::Target::new(&server.url, empty_seeded())?;
    measure(
        report,
        &[&server],
        "floor: bare actix-web",
        "fixed JSON",
        scenarios::get_ok(&target, "/fixed"),
        budget,
    )
    .await;
    server.stop();
    Ok(())
}

fn empty_seeded() -> fixture::Seeded {
    fixture::Seeded {
        client_id: String::new(),
        client_secret: String::new(),
        hook_token: String::new(),
        api_key: String::new(),
    }
}
