//! Authenticator-app codes (TOTP, RFC 6238, computed by `totp-rs`): HMAC-SHA-1, 6 digits,
//! 30-second steps, one step of drift either way, and each step's code accepted once.

use totp_rs::{Algorithm, Builder, Secret, Totp};

/// Seconds per step.
pub const STEP_SECS: i64 = 30;
/// Digits per code.
pub const DIGITS: u8 = 6;
/// Bytes of a new secret (160 bits, as RFC 4226 recommends).
pub const SECRET_BYTES: usize = 20;

/// A generator for `secret` with `digits` digits and no drift of its own: the drift window is
/// walked here, so that a step already used can be skipped.
fn generator(secret: &[u8], digits: u8) -> Option<Totp> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(digits)
        .with_skew(0)
        .with_step_duration(STEP_SECS.unsigned_abs())
        .with_secret(Secret::new(secret.to_vec().into_boxed_slice()))
        .build()
        .ok()
}

/// The step that holds the Unix time `now`.
pub fn step_of(now: i64) -> i64 {
    now.div_euclid(STEP_SECS)
}

/// The `digits`-digit code of `secret` at the Unix time `now`, as an authenticator app shows it
/// (leading zeros kept). `None` for a secret shorter than 128 bits.
pub fn code_with_digits(secret: &[u8], now: i64, digits: u8) -> Option<String> {
    let time = u64::try_from(now).ok()?;
    Some(generator(secret, digits)?.generate(time).to_string())
}

/// The 6-digit code of `secret` at the Unix time `now`.
pub fn code_at(secret: &[u8], now: i64) -> Option<String> {
    code_with_digits(secret, now, DIGITS)
}

/// The step a typed code belongs to, if it is the code of the current step or one step either
/// side and that step is later than `last_used` (so a code, once accepted, is never accepted
/// again). Spaces in the typed code are ignored.
pub fn accepted_step(secret: &[u8], typed: &str, now: i64, last_used: Option<i64>) -> Option<i64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != usize::from(DIGITS) || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let totp = generator(secret, DIGITS)?;
    let current = step_of(now);
    (current - 1..=current + 1)
        .filter(|step| last_used.is_none_or(|used| *step > used))
        .find(|step| {
            u64::try_from(*step)
                .ok()
                .and_then(|s| totp.check(&typed, s * STEP_SECS.unsigned_abs()))
                .is_some()
        })
}

/// RFC 4648 base32 without padding, as authenticator apps take a secret.
pub fn base32(bytes: &[u8]) -> String {
    Secret::new(bytes.to_vec().into_boxed_slice())
        .to_base32()
        .trim_end_matches('=')
        .to_owned()
}

/// The `otpauth://` URI an authenticator app scans: issuer and account, the secret, and the
/// parameters spelled out (apps that ignore them use the same defaults).
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    let enc = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        enc(issuer),
        enc(account),
        base32(secret),
        enc(issuer),
    )
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
            let code = code_with_digits(SEED, time, 8).expect("a code");
            assert_eq!(code, format!("{expected:08}"), "at {time}");
        }
        assert_eq!(code_at(SEED, 59).as_deref(), Some("287082"));
    }

    #[test]
    fn a_code_one_step_either_side_is_accepted_and_two_steps_are_not() {
        let now = 1_111_111_111;
        let code = |t: i64| code_at(SEED, t).expect("a code");
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
        let code = code_at(SEED, now).expect("a code");
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
    fn the_otpauth_uri_names_issuer_account_and_parameters() {
        let uri = otpauth_uri("Latchkey", "ada@example.org", SEED);
        assert_eq!(
            uri,
            "otpauth://totp/Latchkey:ada%40example%2Eorg?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=Latchkey&algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn secrets_are_shown_in_rfc_4648_base32() {
        assert_eq!(base32(b""), "");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(SEED), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }
}
