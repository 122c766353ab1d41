//! The process's own figures, read from `/proc/self` on Linux (absent elsewhere).

/// CPU time, memory and open files of this process.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProcessStats {
    /// User plus system CPU time, in seconds.
    pub cpu_seconds: f64,
    /// Resident memory, in bytes.
    pub resident_bytes: u64,
    /// Virtual memory, in bytes.
    pub virtual_bytes: u64,
    /// Open file descriptors.
    pub open_fds: u64,
    /// Start time, in Unix seconds.
    pub start_time_seconds: f64,
}

/// Clock ticks per second of `/proc/self/stat` times (`CLK_TCK`, 100 on Linux everywhere).
const TICKS_PER_SECOND: f64 = 100.0;
/// Page size of `statm` (4 KiB on the platforms Latchkey runs on).
const PAGE_BYTES: u64 = 4096;

/// The figures now, or `None` where `/proc` is not there.
pub fn read() -> Option<ProcessStats> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let uptime = std::fs::read_to_string("/proc/uptime").ok()?;
    let open_fds = std::fs::read_dir("/proc/self/fd").ok()?.count() as u64;
    parse(&stat, &statm, &uptime, open_fds, now_unix())
}

fn now_unix() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// Reads the figures from the texts of `/proc/self/stat`, `/proc/self/statm` and
/// `/proc/uptime`.
pub fn parse(
    stat: &str,
    statm: &str,
    uptime: &str,
    open_fds: u64,
    now: f64,
) -> Option<ProcessStats> {
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // After the name: state is field 3 of the man page, so field N is at index N - 3.
    let ticks = |n: usize| fields.get(n - 3)?.parse::<f64>().ok();
    let cpu_seconds = (ticks(14)? + ticks(15)?) / TICKS_PER_SECOND;
    let started_after_boot = ticks(22)? / TICKS_PER_SECOND;
    let mut pages = statm.split_whitespace().map(|v| v.parse::<u64>().ok());
    let virtual_pages = pages.next()??;
    let resident_pages = pages.next()??;
    let up: f64 = uptime.split_whitespace().next()?.parse().ok()?;
    Some(ProcessStats {
        cpu_seconds,
        resident_bytes: resident_pages * PAGE_BYTES,
        virtual_bytes: virtual_pages * PAGE_BYTES,
        open_fds,
        start_time_seconds: now - up + started_after_boot,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_texts_are_read_even_with_a_strange_command_name() {
        let stat = "4242 (lat key) (x)) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 50 0 0 20 0 \
                    9 0 1000 123456789 2048 18446744073709551615";
        let stats = parse(
            stat,
            "5000 3000 100 1 0 900 0\n",
            "5000.50 9000.00\n",
            17,
            100_000.0,
        )
        .unwrap();
        assert!((stats.cpu_seconds - 3.0).abs() < 1e-9, "{stats:?}");
        assert_eq!(stats.resident_bytes, 3000 * 4096);
        assert_eq!(stats.virtual_bytes, 5000 * 4096);
        assert_eq!(stats.open_fds, 17);
        assert!((stats.start_time_seconds - (100_000.0 - 5000.5 + 10.0)).abs() < 1e-6);
    }

    #[test]
    fn garbage_reads_as_nothing() {
        assert_eq!(parse("", "", "", 0, 0.0), None);
        assert_eq!(parse("1 (x) S", "a b", "x", 0, 0.0), None);
    }

    #[test]
    fn this_process_has_figures_on_linux() {
        if cfg!(target_os = "linux") {
            let stats = read().expect("/proc is there");
            assert!(stats.resident_bytes > 0 && stats.open_fds > 0);
        }
    }
}
