//! The targets Latchkey is held to, checked against one run's figures.

use crate::SMALL;
use crate::peers;
use crate::report::Report;

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    }
}

/// Checks every target of the issue the run has figures for.
pub fn check_targets(report: &mut Report) {
    let bare = report.per_second("floor: bare actix-web", "fixed JSON");
    let argon = report
        .figures
        .iter()
        .find(|(w, _, _)| w.starts_with("floor: argon2id"))
        .map(|(_, v, _)| *v);
    for backend in ["SQLite", "PostgreSQL"] {
        let system = format!("Latchkey ({backend})");
        for scenario in ["discovery", "JWKS"] {
            if let Some(r) = ratio(report.per_second(&system, scenario), bare) {
                report.check(
                    &format!("{system} {scenario} ≥ 60 % of the bare handler"),
                    format!("{:.0} %", r * 100.0),
                    r >= 0.6,
                );
            }
        }
        if let Some(r) = ratio(report.per_second(&system, "password login"), argon) {
            report.check(
                &format!("{system} password login ≥ 85 % of argon2id verify"),
                format!("{:.0} %", r * 100.0),
                r >= 0.85,
            );
        }
        if let Some(idle) = report.figure(&format!("{system}: idle RSS")) {
            report.check(
                &format!("{system} idle RSS ≤ 30 MB"),
                format!("{idle:.1} MiB"),
                idle * 1.048_576 <= 30.0,
            );
        }
        if let Some(peak) = report
            .rows
            .iter()
            .find(|r| r.system == system && r.scenario == "password login")
            .map(|r| r.peak_rss_mib)
        {
            report.check(
                &format!("{system} peak RSS under login ≤ 100 MB"),
                format!("{peak:.1} MiB"),
                peak * 1.048_576 <= 100.0,
            );
        }
        if let Some(ms) = report.figure(&format!("{system}: start to /readyz (median of 5)")) {
            report.check(
                &format!("{system} start to ready ≤ 200 ms"),
                format!("{ms:.0} ms"),
                ms <= 200.0,
            );
        }
        let small = report
            .figures
            .iter()
            .find(|(w, _, _)| w.starts_with(&format!("{system}: login p50 with {SMALL} people")))
            .map(|(_, v, _)| *v);
        let large = report
            .figures
            .iter()
            .find(|(w, _, _)| {
                w.starts_with(&format!("{system}: login p50 with"))
                    && !w.contains(&format!("with {SMALL} people"))
            })
            .map(|(_, v, _)| *v);
        if let (Some(small), Some(large)) = (small, large) {
            report.check(
                &format!("{system} login p50, many people within 15 % of {SMALL}"),
                format!("{large:.1} ms vs {small:.1} ms"),
                large <= small * 1.15,
            );
        }
        peers::check(report, &system);
    }
}
