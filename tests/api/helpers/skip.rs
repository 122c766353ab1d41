//! How a test that cannot run here says so: one `skipped:` line, or a failure when the run is
//! strict (`LATCHKEY_TEST_STRICT=1`, as in CI, where every component must be present).

use std::fmt::Display;

/// Whether a missing external component must fail the run instead of skipping.
pub fn strict() -> bool {
    std::env::var("LATCHKEY_TEST_STRICT").is_ok_and(|v| v == "1")
}

/// Reports that the running test lacks `component` and returns, printing
/// `skipped: <test> needs <component>: <why>`; under a strict run it fails instead.
#[track_caller]
pub fn skip(component: &str, why: impl Display) {
    // The test harness names each test's thread after the test.
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("this test");
    assert!(
        !strict(),
        "LATCHKEY_TEST_STRICT=1 and {test} needs {component}: {why}"
    );
    eprintln!("skipped: {test} needs {component}: {why}");
}
