//! The Prometheus text exposition format (version 0.0.4): `# HELP`, `# TYPE` and one line per
//! sample, label values escaped.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::process::ProcessStats;
use super::{LATENCY_BUCKETS, RouteStats};

/// The content type of the format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// What a scrape reports besides the request counters.
#[derive(Debug, Clone)]
pub struct Gauges {
    /// Mail waiting to be sent, sent, and given up on.
    pub outbox: (i64, i64, i64),
    /// The process's own figures, where the system gives them.
    pub process: Option<ProcessStats>,
    /// The running version.
    pub version: &'static str,
    /// Passwords checked against a hash since start.
    pub password_checks: u64,
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

fn bound(b: f64) -> String {
    format!("{b}")
}

/// Renders every metric.
pub fn render(routes: &BTreeMap<String, RouteStats>, gauges: &Gauges) -> String {
    let mut out = String::new();
    header(
        &mut out,
        "latchkey_build_info",
        "gauge",
        "The running version (always 1).",
    );
    let _ = writeln!(
        out,
        "latchkey_build_info{{version=\"{}\"}} 1",
        escape(gauges.version)
    );

    header(
        &mut out,
        "latchkey_password_verifications_total",
        "counter",
        "Passwords checked against a hash (logins, re-authentication, password changes).",
    );
    let _ = writeln!(
        out,
        "latchkey_password_verifications_total {}",
        gauges.password_checks
    );

    header(
        &mut out,
        "latchkey_http_requests_total",
        "counter",
        "Requests answered by the public listener, by route pattern, method and status.",
    );
    for (route, stats) in routes {
        for ((method, status), n) in &stats.answers {
            let _ = writeln!(
                out,
                "latchkey_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                escape(route),
                escape(method)
            );
        }
    }

    header(
        &mut out,
        "latchkey_http_request_duration_seconds",
        "histogram",
        "Time to answer a request on the public listener, by route pattern.",
    );
    for (route, stats) in routes {
        let route = escape(route);
        let mut cumulative = 0;
        for (i, b) in LATENCY_BUCKETS.iter().enumerate() {
            cumulative += stats.buckets.get(i).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "latchkey_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{}\"}} {cumulative}",
                bound(*b)
            );
        }
        let count: u64 = stats.buckets.iter().sum();
        let _ = writeln!(
            out,
            "latchkey_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {count}"
        );
        let _ = writeln!(
            out,
            "latchkey_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
            stats.seconds
        );
        let _ = writeln!(
            out,
            "latchkey_http_request_duration_seconds_count{{route=\"{route}\"}} {count}"
        );
    }

    header(
        &mut out,
        "latchkey_outbox_messages",
        "gauge",
        "Email in the outbox, by state (shared by every node on the database).",
    );
    let (queued, sent, failed) = gauges.outbox;
    for (state, n) in [("queued", queued), ("sent", sent), ("failed", failed)] {
        let _ = writeln!(out, "latchkey_outbox_messages{{state=\"{state}\"}} {n}");
    }

    if let Some(p) = gauges.process {
        let samples: [(&str, &str, &str, String); 5] = [
            (
                "process_cpu_seconds_total",
                "counter",
                "User and system CPU time spent, in seconds.",
                p.cpu_seconds.to_string(),
            ),
            (
                "process_resident_memory_bytes",
                "gauge",
                "Resident memory size, in bytes.",
                p.resident_bytes.to_string(),
            ),
            (
                "process_virtual_memory_bytes",
                "gauge",
                "Virtual memory size, in bytes.",
                p.virtual_bytes.to_string(),
            ),
            (
                "process_open_fds",
                "gauge",
                "Open file descriptors.",
                p.open_fds.to_string(),
            ),
            (
                "process_start_time_seconds",
                "gauge",
                "Start time of the process, in Unix seconds.",
                p.start_time_seconds.to_string(),
            ),
        ];
        for (name, kind, help, value) in samples {
            header(&mut out, name, kind, help);
            let _ = writeln!(out, "{name} {value}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Metrics;
    use std::time::Duration;

    fn gauges() -> Gauges {
        Gauges {
            outbox: (2, 5, 1),
            process: None,
            version: "1.2.3",
            password_checks: 42,
        }
    }

    #[test]
    fn counters_and_a_cumulative_histogram_are_rendered() {
        let m = Metrics::default();
        m.observe("/token", "POST", 200, Duration::from_millis(7));
        m.observe("/token", "POST", 400, Duration::from_millis(70));
        let text = render(&m.snapshot(), &gauges());
        assert!(text.contains(
            "latchkey_http_requests_total{route=\"/token\",method=\"POST\",status=\"200\"} 1\n"
        ));
        assert!(text.contains(
            "latchkey_http_request_duration_seconds_bucket{route=\"/token\",le=\"0.005\"} 0\n"
        ));
        assert!(text.contains(
            "latchkey_http_request_duration_seconds_bucket{route=\"/token\",le=\"0.01\"} 1\n"
        ));
        assert!(text.contains(
            "latchkey_http_request_duration_seconds_bucket{route=\"/token\",le=\"0.1\"} 2\n"
        ));
        assert!(text.contains(
            "latchkey_http_request_duration_seconds_bucket{route=\"/token\",le=\"+Inf\"} 2\n"
        ));
        assert!(
            text.contains("latchkey_http_request_duration_seconds_count{route=\"/token\"} 2\n")
        );
        assert!(text.contains("latchkey_outbox_messages{state=\"failed\"} 1\n"));
        assert!(text.contains("latchkey_build_info{version=\"1.2.3\"} 1\n"));
        assert!(text.contains("latchkey_password_verifications_total 42\n"));
    }

    #[test]
    fn label_values_are_escaped() {
        let m = Metrics::default();
        m.observe("/a\"b\\c\nd", "GET", 200, Duration::ZERO);
        let text = render(&m.snapshot(), &gauges());
        assert!(text.contains("route=\"/a\\\"b\\\\c\\nd\""), "{text}");
    }

    #[test]
    fn every_sample_has_a_declared_type() {
        let m = Metrics::default();
        m.observe("/", "GET", 200, Duration::ZERO);
        let text = render(
            &m.snapshot(),
            &Gauges {
                process: crate::metrics::process::read(),
                ..gauges()
            },
        );
        let declared: Vec<&str> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# TYPE "))
            .filter_map(|l| l.split(' ').next())
            .collect();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let name = line.split(['{', ' ']).next().unwrap();
            assert!(
                declared.iter().any(|d| name.starts_with(d)),
                "{name} has no # TYPE"
            );
            let value = line.rsplit(' ').next().unwrap();
            assert!(value.parse::<f64>().is_ok(), "{line}");
        }
    }
}
