//! Prometheus metrics: what the public listener has answered (by route, method and status, with
//! latency buckets), and at scrape time the mail queue and the process itself. Served as text on
//! the private listener's `/metrics`.

pub mod process;
pub mod text;

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds, in seconds, of the request-latency histogram's buckets.
pub const LATENCY_BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// What one route has answered: requests by method and status, and their latencies.
#[derive(Debug, Default, Clone)]
pub struct RouteStats {
    /// (method, status) → requests.
    pub answers: BTreeMap<(String, u16), u64>,
    /// Requests per latency bucket (cumulative counts are made when rendering); the last slot
    /// is above every bound.
    pub buckets: [u64; LATENCY_BUCKETS.len() + 1],
    /// Sum of latencies, in seconds.
    pub seconds: f64,
}

/// The counters of one running server.
#[derive(Debug, Default)]
pub struct Metrics {
    routes: Mutex<BTreeMap<String, RouteStats>>,
}

impl Metrics {
    /// Counts one answered request. `route` is the matched route pattern, never the path itself,
    /// so that tokens in paths stay out of the metrics and the label set stays small.
    pub fn observe(&self, route: &str, method: &str, status: u16, took: Duration) {
        let seconds = took.as_secs_f64();
        let slot = LATENCY_BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(LATENCY_BUCKETS.len());
        let mut routes = self
            .routes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let stats = routes.entry(route.to_owned()).or_default();
        *stats
            .answers
            .entry((method.to_owned(), status))
            .or_default() += 1;
        if let Some(bucket) = stats.buckets.get_mut(slot) {
            *bucket += 1;
        }
        stats.seconds += seconds;
    }

    /// A copy of the counters, for rendering.
    pub fn snapshot(&self) -> BTreeMap<String, RouteStats> {
        self.routes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_counted_by_route_method_and_status_in_its_latency_bucket() {
        let m = Metrics::default();
        m.observe("/+login", "GET", 200, Duration::from_millis(3));
        m.observe("/+login", "GET", 200, Duration::from_millis(30));
        m.observe("/+login", "POST", 303, Duration::from_secs(20));
        let snap = m.snapshot();
        let login = &snap["/+login"];
        assert_eq!(login.answers[&("GET".to_owned(), 200)], 2);
        assert_eq!(login.answers[&("POST".to_owned(), 303)], 1);
        assert_eq!(login.buckets[0], 1, "3 ms is in the 5 ms bucket");
        assert_eq!(login.buckets[3], 1, "30 ms is in the 50 ms bucket");
        assert_eq!(
            login.buckets[LATENCY_BUCKETS.len()],
            1,
            "20 s is above them all"
        );
        assert!((login.seconds - 20.033).abs() < 1e-9);
    }
}
