//! Latchkey on one database: seeded, started five times for the start-up figure, measured on
//! every scenario (and on two nodes with PostgreSQL), then again with a large database for the
//! login-latency comparison.

use std::path::Path;
use std::time::Duration;

use latchkey::config::Settings;
use latchkey::db::{Db, PoolOptions};

use crate::load::{Budget, Op};
use crate::measure::measure;
use crate::report::Report;
use crate::server::{ServerProcess, latchkey_command};
use crate::{Args, SMALL, fixture, nodes, proc_stats, scenarios};

pub async fn start_latchkey(exe: &Path, dir: &Path, url: &str) -> Result<ServerProcess, String> {
    ServerProcess::start(
        latchkey_command(exe, dir, url),
        "Latchkey is listening on ",
        "/readyz",
    )
    .await
}

pub async fn run_backend(
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

pub fn target_on(server: &ServerProcess, like: &scenarios::Target) -> scenarios::Target {
    scenarios::Target {
        base: server.url.clone(),
        ..like.clone()
    }
}
