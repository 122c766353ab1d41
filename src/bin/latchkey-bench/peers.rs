//! Peer providers measured on the same work: started by the scripts in `bench/peers/` when
//! their runtime is installed, skipped (and said so) otherwise.

use crate::load::Budget;
use crate::report::Report;

/// Measures every peer that can be started.
pub async fn run_all(report: &mut Report, _budget: Budget) {
    report
        .skipped
        .push("peers: not yet wired into this benchmark".to_owned());
}

/// Adds the peer targets for one Latchkey system.
pub fn check(_report: &mut Report, _system: &str) {}
