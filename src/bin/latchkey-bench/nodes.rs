//! Two nodes on one PostgreSQL database, the clients split evenly between them: once with
//! sessions and lockout counters in the database, once with both in Redis.

use std::path::Path;
use std::time::Duration;

use crate::backend::{start_latchkey, target_on};
use crate::load::{Budget, Op};
use crate::measure::measure;
use crate::report::Report;
use crate::scenarios;
use crate::server::{ServerProcess, latchkey_command};

const REDIS: &str = "redis://127.0.0.1:6379";

/// Runs the two-node scenarios next to the one-node figures of `system`.
#[allow(
    clippy::too_many_arguments,
    reason = "the backend's run hands over everything it has started"
)]
pub async fn two_nodes(
    report: &mut Report,
    exe: &Path,
    dir: &Path,
    url: &str,
    system: &str,
    first: &ServerProcess,
    target: &scenarios::Target,
    budget: Budget,
) -> Result<(), String> {
    let second = start_latchkey(exe, dir, url).await?;
    split_between(report, system, "2 nodes", [first, &second], target, budget).await;
    second.stop();

    if !redis_answers().await {
        eprintln!("== skipped: 2 nodes with Redis (no Redis at {REDIS})");
        return Ok(());
    }
    let a = start_with_redis(exe, dir, url).await?;
    let b = start_with_redis(exe, dir, url).await?;
    split_between(report, system, "2 nodes, Redis", [&a, &b], target, budget).await;
    a.stop();
    b.stop();
    Ok(())
}

/// The password login, the client-credentials grant and whoami, round-robin over two nodes.
async fn split_between(
    report: &mut Report,
    system: &str,
    label: &str,
    nodes: [&ServerProcess; 2],
    target: &scenarios::Target,
    budget: Budget,
) {
    let [a, b] = nodes.map(|node| target_on(node, target));
    let flows = Budget {
        concurrency: budget.concurrency.min(8),
        ..budget
    };
    let plan: Vec<(&str, Op, Op, Budget)> = vec![
        (
            "password login",
            scenarios::login(&a),
            scenarios::login(&b),
            flows,
        ),
        (
            "client-credentials grant",
            scenarios::client_credentials(&a),
            scenarios::client_credentials(&b),
            budget,
        ),
        (
            "whoami (API key)",
            scenarios::whoami(&a),
            scenarios::whoami(&b),
            budget,
        ),
    ];
    let rows = format!("{system}, {label}");
    for (scenario, one, other, budget) in plan {
        let stats = measure(
            report,
            &nodes,
            &rows,
            scenario,
            scenarios::round_robin(vec![one, other]),
            budget,
        )
        .await;
        if let Some(single) = report.per_second(system, scenario) {
            report.figures.push((
                format!("{system}: {scenario}, {label} ÷ 1 node"),
                stats.per_second() / single,
                "×",
            ));
        }
    }
}

/// A node that keeps sessions and lockout counters in the local Redis.
async fn start_with_redis(exe: &Path, dir: &Path, url: &str) -> Result<ServerProcess, String> {
    let mut cmd = latchkey_command(exe, dir, url);
    cmd.env("LATCHKEY__REDIS__URL", REDIS)
        .env("LATCHKEY__REDIS__SESSIONS", "true")
        .env("LATCHKEY__REDIS__RATE_LIMITS", "true");
    ServerProcess::start(cmd, "Latchkey is listening on ", "/readyz").await
}

async fn redis_answers() -> bool {
    let Ok(client) = redis::Client::open(REDIS) else {
        return false;
    };
    matches!(
        tokio::time::timeout(
            Duration::from_secs(2),
            client.get_multiplexed_async_connection()
        )
        .await,
        Ok(Ok(_))
    )
}
