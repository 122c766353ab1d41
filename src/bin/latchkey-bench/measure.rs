//! One measured scenario: drive the load, then record throughput, latency, errors, and the
//! servers' CPU time and peak memory as a row of the report.

use crate::load::{Budget, Op, Stats, drive};
use crate::proc_stats;
use crate::report::{Report, Row};
use crate::server::ServerProcess;

/// Runs one scenario against a server and records it.
pub async fn measure(
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
