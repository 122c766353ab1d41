//! The results: a table on standard output, the same table in Markdown for BENCHMARKS.md, the
//! target checks, and a bar chart as SVG.

use std::fmt::Write as _;

/// One measured scenario on one system.
#[derive(Debug, Clone)]
pub struct Row {
    /// e.g. `Latchkey (SQLite)`, `bare actix-web`, `oidc-provider`.
    pub system: String,
    /// e.g. `discovery`.
    pub scenario: String,
    /// Successful operations per second.
    pub per_second: f64,
    /// Median latency.
    pub p50_ms: f64,
    /// 99th-percentile latency.
    pub p99_ms: f64,
    /// Failed operations.
    pub errors: u64,
    /// Server CPU seconds spent during the scenario.
    pub cpu_s: f64,
    /// Server peak resident memory during the scenario, MiB.
    pub peak_rss_mib: f64,
}

/// Everything one run measured.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Load scenarios.
    pub rows: Vec<Row>,
    /// Single figures: (what, value, unit).
    pub figures: Vec<(String, f64, &'static str)>,
    /// Target checks: (target, measured, met).
    pub checks: Vec<(String, String, bool)>,
    /// What was skipped and why.
    pub skipped: Vec<String>,
}

impl Report {
    /// The throughput of a scenario on a system, if measured.
    pub fn per_second(&self, system: &str, scenario: &str) -> Option<f64> {
        self.rows
            .iter()
            .find(|r| r.system == system && r.scenario == scenario && r.errors == 0)
            .map(|r| r.per_second)
    }

    /// A single figure, if measured.
    pub fn figure(&self, what: &str) -> Option<f64> {
        self.figures
            .iter()
            .find(|(w, _, _)| w == what)
            .map(|(_, v, _)| *v)
    }

    /// Records a target and whether it was met.
    pub fn check(&mut self, target: &str, measured: String, met: bool) {
        self.checks.push((target.to_owned(), measured, met));
    }

    /// The whole report as Markdown.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "| system | scenario | ops/s | p50 ms | p99 ms | errors | server CPU s | peak RSS MiB |"
        );
        let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|");
        for r in &self.rows {
            let _ = writeln!(
                out,
                "| {} | {} | {:.0} | {:.2} | {:.2} | {} | {:.1} | {:.1} |",
                r.system,
                r.scenario,
                r.per_second,
                r.p50_ms,
                r.p99_ms,
                r.errors,
                r.cpu_s,
                r.peak_rss_mib
            );
        }
        if !self.figures.is_empty() {
            let _ = writeln!(out, "\n| figure | value |\n|---|---:|");
            for (what, value, unit) in &self.figures {
                let _ = writeln!(out, "| {what} | {value:.1} {unit} |");
            }
        }
        if !self.checks.is_empty() {
            let _ = writeln!(out, "\n| target | measured | met |\n|---|---|---|");
            for (target, measured, met) in &self.checks {
                let mark = if *met { "yes" } else { "**no**" };
                let _ = writeln!(out, "| {target} | {measured} | {mark} |");
            }
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(out, "\nSkipped:\n");
            for s in &self.skipped {
                let _ = writeln!(out, "- {s}");
            }
        }
        out
    }

    /// Throughput per scenario and system as a horizontal bar chart (log scale).
    pub fn svg(&self) -> String {
        let bar_height = 14.0;
        let label_width = 330.0;
        let chart_width = 520.0;
        let max = self
            .rows
            .iter()
            .map(|r| r.per_second)
            .fold(1.0_f64, f64::max);
        let scale = |v: f64| {
            if v <= 1.0 {
                0.0
            } else {
                chart_width * v.log10() / max.log10().max(1.0)
            }
        };
        let height = 40.0 + bar_height * 1.3 * self.rows.len() as f64;
        let mut out = String::new();
        let _ = writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{height:.0}" font-family="sans-serif" font-size="11">"#,
            w = label_width + chart_width + 90.0
        );
        let _ = writeln!(
            out,
            r#"<text x="4" y="16" font-size="13">Operations per second (log scale), higher is better</text>"#
        );
        for (i, r) in self.rows.iter().enumerate() {
            let y = 30.0 + i as f64 * bar_height * 1.3;
            let colour = if r.system.starts_with("Latchkey") {
                "#2b6cb0"
            } else if r.system.starts_with("floor") {
                "#718096"
            } else {
                "#dd6b20"
            };
            let _ = writeln!(
                out,
                r#"<text x="{x:.0}" y="{ty:.1}" text-anchor="end">{system}: {scenario}</text><rect x="{lx:.0}" y="{y:.1}" width="{bw:.1}" height="{bar_height}" fill="{colour}"/><text x="{vx:.1}" y="{ty:.1}">{v:.0}</text>"#,
                x = label_width - 6.0,
                ty = y + bar_height - 3.0,
                system = escape(&r.system),
                scenario = escape(&r.scenario),
                lx = label_width,
                bw = scale(r.per_second),
                vx = label_width + scale(r.per_second) + 4.0,
                v = r.per_second,
            );
        }
        out.push_str("</svg>\n");
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
