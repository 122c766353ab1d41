//! Writing a run's results where the repository keeps them.

use std::path::Path;

use crate::Args;
use crate::report::Report;

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    format!("{cores} cores, {cpu}")
}

/// Puts the results into BENCHMARKS.md (between its markers) and `bench/chart.svg`.
pub fn write_results(report: &Report, args: &Args) -> Result<(), String> {
    let command = format!(
        "cargo run --release --bin latchkey-bench -- --write --seconds {} --concurrency {} --people {}{}",
        args.seconds,
        args.concurrency,
        args.people,
        if args.no_peers { " --no-peers" } else { "" }
    );
    let section = format!(
        "<!-- bench:begin -->\nMeasured {} on {} with `{command}`.\n\n{}\n![Throughput per scenario](bench/chart.svg)\n<!-- bench:end -->",
        chrono_like_now(),
        machine(),
        report.markdown()
    );
    let path = Path::new("BENCHMARKS.md");
    let current = std::fs::read_to_string(path).unwrap_or_default();
    let updated = match (
        current.find("<!-- bench:begin -->"),
        current.find("<!-- bench:end -->"),
    ) {
        (Some(start), Some(end)) if end > start => format!(
            "{}{section}{}",
            &current[..start],
            &current[end + "<!-- bench:end -->".len()..]
        ),
        _ => format!("{current}\n{section}\n"),
    };
    std::fs::write(path, updated).map_err(|e| e.to_string())?;
    std::fs::create_dir_all("bench").map_err(|e| e.to_string())?;
    std::fs::write("bench/chart.svg", report.svg()).map_err(|e| e.to_string())?;
    eprintln!("wrote BENCHMARKS.md and bench/chart.svg");
    Ok(())
}

fn chrono_like_now() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    latchkey::clock::format_time(i64::try_from(now).unwrap_or(0))
}
