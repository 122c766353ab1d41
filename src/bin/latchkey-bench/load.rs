//! The load driver: a fixed number of workers repeat one operation until a deadline or an
//! operation budget is reached; every latency is kept for percentiles.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// One operation of a scenario, run by worker `n`.
pub type Op =
    Arc<dyn Fn(usize) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>> + Send + Sync>;

/// How much load to drive.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Workers running at once.
    pub concurrency: usize,
    /// How long to run.
    pub duration: Duration,
    /// At most this many operations in all.
    pub max_ops: u64,
}

/// What a run measured.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Operations that succeeded.
    pub ok: u64,
    /// Operations that failed.
    pub errors: u64,
    /// The first failure, to say what went wrong.
    pub first_error: Option<String>,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// Latency of every successful operation, in microseconds, sorted.
    pub latencies_us: Vec<u64>,
}

impl Stats {
    /// Successful operations per second.
    pub fn per_second(&self) -> f64 {
        if self.elapsed.is_zero() {
            return 0.0;
        }
        self.ok as f64 / self.elapsed.as_secs_f64()
    }

    /// The latency at quantile `q` (0–1), in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return 0.0;
        }
        let last = self.latencies_us.len() - 1;
        let index = ((last as f64) * q).round() as usize;
        self.latencies_us[index.min(last)] as f64 / 1000.0
    }
}

/// Runs `op` with `budget.concurrency` workers.
pub async fn drive(op: Op, budget: Budget) -> Stats {
    let started = Instant::now();
    let deadline = started + budget.duration;
    let issued = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::new();
    for n in 0..budget.concurrency {
        let op = op.clone();
        let issued = issued.clone();
        workers.push(tokio::spawn(async move {
            let mut mine = Stats::default();
            while Instant::now() < deadline
                && issued.fetch_add(1, Ordering::Relaxed) < budget.max_ops
            {
                let t = Instant::now();
                match op(n).await {
                    Ok(()) => {
                        mine.ok += 1;
                        mine.latencies_us
                            .push(u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX));
                    }
                    Err(e) => {
                        mine.errors += 1;
                        mine.first_error.get_or_insert(e);
                    }
                }
            }
            mine
        }));
    }
    let mut all = Stats::default();
    for worker in workers {
        if let Ok(mine) = worker.await {
            all.ok += mine.ok;
            all.errors += mine.errors;
            if all.first_error.is_none() {
                all.first_error = mine.first_error;
            }
            all.latencies_us.extend(mine.latencies_us);
        }
    }
    all.elapsed = started.elapsed();
    all.latencies_us.sort_unstable();
    all
}
