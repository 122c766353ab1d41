//! `latchkey-bench`: starts Latchkey (SQLite, then PostgreSQL), seeds it, drives load on
//! loopback, and measures it against the machine's floor and against peer providers, in one
//! run. `--write` puts the results into BENCHMARKS.md and `bench/chart.svg`.

mod backend;
mod browser;
mod fixture;
mod floor;
mod load;
mod measure;
mod nodes;
mod peers;
mod proc_stats;
mod report;
mod results;
mod scenarios;
mod scratch;
mod server;
mod targets;

use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::backend::run_backend;
use crate::floor::run_floor;
use crate::load::Budget;
use crate::report::Report;
use crate::scratch::{PostgresDb, ScratchDir};
use crate::server::latchkey_exe;

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
