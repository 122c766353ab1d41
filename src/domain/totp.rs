//! Authenticator-app codes (TOTP, RFC 6238 over HOTP, RFC 4226): HMAC-SHA-1, 6 digits, 30-second
//! steps, one step of drift either way, and each step's code accepted once.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

/// Seconds per step.
pub const STEP_SECS: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;

/// The HOTP value of `secret` at `counter`, with `digits` digits (RFC 4226 §5.3).
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else {
        // HMAC takes keys of any length; this branch cannot be reached.
        return 0;
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let word = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    word % 10_u32.pow(digits)
}

/// The step that holds the Unix time `now`.
pub fn step_of(now: i64) -> i64 {
    now.div_euclid(STEP_SECS)
}

/// The 6-digit code of `secret` at the Unix time `now`.
pub fn code_at(secret: &[u8], now: i64) -> u32 {
    hotp(secret, u64::try_from(step_of(now)).unwrap_or(0), DIGITS)
}

/// The step a typed code belongs to, if it is the code of the current step or one step either
/// side and that step is later than `last_used` (so a code, once accepted, is never accepted
/// again). Spaces in the typed code are ignored.
pub fn accepted_step(secret: &[u8], typed: &str, now: i64, last_used: Option<i64>) -> Option<i64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != DIGITS as usize || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: u32 = typed.parse().ok()?;
    let current = step_of(now);
    (current - 1..=current + 1)
        .filter(|step| last_used.is_none_or(|used| *step > used))
        .find(|step| u64::try_from(*step).is_ok_and(|s| hotp(secret, s, DIGITS) == value))
}

/// RFC 4648 base32 without padding, as authenticator apps take a secret.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0_u32, 0_u32);
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SHA-1 seed of RFC 6238 Appendix B.
    const SEED: &[u8] = b"12345678901234567890";

    #[test]
    fn the_rfc_6238_sha1_vectors_hold() {
        for (time, expected) in [
            (59, 94_287_082),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
        ] {
            let step = u64::try_from(step_of(time)).expect("a positive step");
            assert_eq!(hotp(SEED, step, 8), expected, "at {time}");
        }
        assert_eq!(code_at(SEED, 59), 287_082);
    }

    #[test]
    fn a_code_one_step_either_side_is_accepted_and_two_steps_are_not() {
        let now = 1_111_111_111;
        let code = |t: i64| format!("{:06}", code_at(SEED, t));
        assert_eq!(
            accepted_step(SEED, &code(now), now, None),
            Some(step_of(now))
        );
        assert!(accepted_step(SEED, &code(now - 30), now, None).is_some());
        assert!(accepted_step(SEED, &code(now + 30), now, None).is_some());
        assert_eq!(accepted_step(SEED, &code(now - 60), now, None), None);
        assert_eq!(accepted_step(SEED, &code(now + 60), now, None), None);
    }

    #[test]
    fn a_code_is_accepted_once() {
        let now = 1_111_111_111;
        let code = format!("{:06}", code_at(SEED, now));
        let step = accepted_step(SEED, &code, now, None).expect("accepted");
        assert_eq!(accepted_step(SEED, &code, now, Some(step)), None);
    }

    #[test]
    fn malformed_codes_are_refused() {
        for typed in ["", "12345", "1234567", "12a456", "１２３４５６"] {
            assert_eq!(accepted_step(SEED, typed, 59, None), None, "{typed}");
        }
        let spaced = format!("{} {}", &"287082"[..3], &"287082"[3..]);
        assert!(accepted_step(SEED, &spaced, 59, None).is_some());
    }

    #[test]
    fn secrets_are_shown_in_rfc_4648_base32() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(SEED), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }
}
