//! `openid.response_nonce` (OpenID 2.0 §10.1): the UTC time `YYYY-MM-DDTHH:MM:SSZ` followed
//! by unique printable characters, and how old (or how far ahead) a nonce may be.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate};

/// The longest nonce the specification allows.
pub const MAX_LEN: usize = 255;
/// How long after it was made an assertion's nonce is still accepted (seconds); its row in
/// `openid_nonces` is kept as long, after which age alone refuses it.
pub const MAX_AGE: i64 = 60 * 60;
/// How far ahead of our clock a nonce may be (another node's clock may run fast).
pub const MAX_AHEAD: i64 = 5 * 60;

/// Why a nonce is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NonceError {
    /// It does not start with the time, is too long, or has characters outside 33..=126.
    #[error("the response nonce is malformed")]
    Malformed,
    /// It is older than `MAX_AGE`.
    #[error("the response nonce is too old")]
    TooOld,
    /// It is more than `MAX_AHEAD` in the future.
    #[error("the response nonce is from the future")]
    FromTheFuture,
}

/// A fresh nonce: the time `now` and the random bytes in base64url.
pub fn format_nonce(now: i64, random: &[u8]) -> String {
    let time = DateTime::from_timestamp(now, 0).unwrap_or_default();
    format!(
        "{}{}",
        time.format("%Y-%m-%dT%H:%M:%SZ"),
        URL_SAFE_NO_PAD.encode(random)
    )
}

/// The Unix time a nonce names.
pub fn nonce_time(nonce: &str) -> Result<i64, NonceError> {
    if nonce.len() > MAX_LEN || !nonce.bytes().all(|b| (33..=126).contains(&b)) {
        return Err(NonceError::Malformed);
    }
    let stamp = nonce.get(..20).ok_or(NonceError::Malformed)?;
    let b = stamp.as_bytes();
    let shape_ok = b.iter().enumerate().all(|(i, c)| match i {
        4 | 7 => *c == b'-',
        10 => *c == b'T',
        13 | 16 => *c == b':',
        19 => *c == b'Z',
        _ => c.is_ascii_digit(),
    });
    if !shape_ok {
        return Err(NonceError::Malformed);
    }
    let number = |range: std::ops::Range<usize>| stamp[range].parse::<u32>().unwrap_or(u32::MAX);
    let year = i32::try_from(number(0..4)).map_err(|_| NonceError::Malformed)?;
    NaiveDate::from_ymd_opt(year, number(5..7), number(8..10))
        .and_then(|d| d.and_hms_opt(number(11..13), number(14..16), number(17..19)))
        .map(|t| t.and_utc().timestamp())
        .ok_or(NonceError::Malformed)
}

/// The nonce's time if it is well formed, at most `MAX_AGE` old and at most `MAX_AHEAD` ahead
/// of `now`.
pub fn check_fresh(nonce: &str, now: i64) -> Result<i64, NonceError> {
    let time = nonce_time(nonce)?;
    if time < now - MAX_AGE {
        return Err(NonceError::TooOld);
    }
    if time > now + MAX_AHEAD {
        return Err(NonceError::FromTheFuture);
    }
    Ok(time)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

    #[test]
    fn a_nonce_starts_with_the_utc_time_and_reads_back() {
        let nonce = format_nonce(NOW, &[1, 2, 3]);
        assert!(nonce.starts_with("2026-01-01T00:00:00Z"), "{nonce}");
        assert!(nonce.len() > 20);
        assert_eq!(nonce_time(&nonce), Ok(NOW));
        assert_eq!(nonce_time("2005-05-15T17:11:51ZUNIQUE"), Ok(1_116_177_111));
        assert_ne!(nonce, format_nonce(NOW, &[1, 2, 4]));
    }

    #[test]
    fn malformed_nonces_are_refused() {
        for bad in [
            "",
            "2026-01-01T00:00:00",
            "2026-01-01 00:00:00Zx",
            "2026-13-01T00:00:00Zx",
            "2026-02-30T00:00:00Zx",
            "2026-01-01T25:00:00Zx",
            "+026-01-01T00:00:00Zx",
            "2026-01-01T00:00:00Z with space",
            "2026-01-01T00:00:00Zé",
        ] {
            assert_eq!(nonce_time(bad), Err(NonceError::Malformed), "{bad:?}");
        }
        let long = format!("2026-01-01T00:00:00Z{}", "x".repeat(236));
        assert_eq!(nonce_time(&long), Err(NonceError::Malformed));
    }

    #[test]
    fn old_and_future_nonces_are_refused_and_fresh_ones_accepted() {
        let nonce = format_nonce(NOW, &[9]);
        assert_eq!(check_fresh(&nonce, NOW), Ok(NOW));
        assert_eq!(check_fresh(&nonce, NOW + MAX_AGE), Ok(NOW));
        assert_eq!(
            check_fresh(&nonce, NOW + MAX_AGE + 1),
            Err(NonceError::TooOld)
        );
        assert_eq!(check_fresh(&nonce, NOW - MAX_AHEAD), Ok(NOW));
        assert_eq!(
            check_fresh(&nonce, NOW - MAX_AHEAD - 1),
            Err(NonceError::FromTheFuture)
        );
    }
}
