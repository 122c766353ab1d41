//! The growing lockout: how long to refuse attempts after a number of failures.

/// Seconds to lock a key that has just reached `failures`: nothing below `threshold`, then
/// `increment`, doubling with each further failure, never more than `max`.
pub fn lockout_secs(failures: i64, threshold: i64, increment: i64, max: i64) -> i64 {
    if threshold <= 0 || failures < threshold {
        return 0;
    }
    let doublings = u32::try_from((failures - threshold).min(30)).unwrap_or(30);
    increment.saturating_mul(1_i64 << doublings).min(max)
}

/// A lockout's wait in whole minutes, rounded up, at least one.
pub fn minutes_to_wait(wait_secs: i64) -> i64 {
    (wait_secs.saturating_add(59) / 60).max(1)
}

/// The throttle key of an address (its normalised key).
pub fn account_key(email_key: &str) -> String {
    format!("account:{email_key}")
}

/// The throttle key of a client address.
pub fn ip_key(ip: &str) -> String {
    format!("ip:{ip}")
}

/// The throttle key that counts emailed links for an address or client key.
pub fn mail_key(key: &str) -> String {
    format!("mail:{key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_is_shown_in_whole_minutes_rounded_up() {
        assert_eq!(minutes_to_wait(0), 1);
        assert_eq!(minutes_to_wait(60), 1);
        assert_eq!(minutes_to_wait(61), 2);
    }

    #[test]
    fn no_lockout_below_the_threshold() {
        assert_eq!(lockout_secs(9, 10, 60, 900), 0);
    }

    #[test]
    fn the_lockout_grows_and_is_capped() {
        assert_eq!(lockout_secs(10, 10, 60, 900), 60);
        assert_eq!(lockout_secs(11, 10, 60, 900), 120);
        assert_eq!(lockout_secs(12, 10, 60, 900), 240);
        assert_eq!(lockout_secs(14, 10, 60, 900), 900);
        assert_eq!(lockout_secs(1000, 10, 60, 900), 900);
    }

    #[test]
    fn a_zero_threshold_never_locks() {
        assert_eq!(lockout_secs(100, 0, 60, 900), 0);
    }
}
