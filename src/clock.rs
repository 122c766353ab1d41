//! The clock every expiry decision reads, so tests can fix and move time; and times as a page
//! shows them, in its language ("3 minutes ago", "4 December 2026, 13:55 UTC").

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{Datelike, Timelike};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

use crate::i18n::Lang;

/// Unix seconds as RFC 3339 UTC, e.g. `2026-01-01T00:00:00Z`.
pub fn format_time(unix: i64) -> String {
    let secs = u64::try_from(unix).unwrap_or(0);
    humantime::format_rfc3339_seconds(UNIX_EPOCH + std::time::Duration::from_secs(secs)).to_string()
}

/// How long before `now` the moment `then` was, in words for the page's language: "just now",
/// "3 minutes ago", "2 hours ago", "5 days ago", and after a week "on 4 December 2026"
/// (plural forms come from Fluent).
pub fn time_ago(lang: Lang, then: i64, now: i64) -> String {
    let ago = now.saturating_sub(then).max(0);
    let (key, count) = match ago {
        0..60 => return lang.text("time-just-now"),
        60..3_600 => ("time-minutes-ago", ago / 60),
        3_600..86_400 => ("time-hours-ago", ago / 3_600),
        86_400..604_800 => ("time-days-ago", ago / 86_400),
        _ => return text_of(lang, "time-on-date", &[("date", date(lang, then).into())]),
    };
    text_of(lang, key, &[("count", count.into())])
}

/// A day in the page's language, e.g. "4 December 2026" or "4. Dezember 2026" (UTC).
pub fn date(lang: Lang, unix: i64) -> String {
    calendar(lang, "date", unix)
}

/// A moment in full in the page's language, e.g. "4 December 2026, 13:55 UTC".
pub fn date_time(lang: Lang, unix: i64) -> String {
    calendar(lang, "date-time", unix)
}

/// A calendar message (`date`, `date-time`) filled with the parts of `unix` in UTC.
fn calendar(lang: Lang, key: &str, unix: i64) -> String {
    let at = chrono::DateTime::from_timestamp(unix, 0).unwrap_or_default();
    let month = lang.text(&format!("month-{}", at.month()));
    // Day and year as text: Fluent would group the digits of a number ("2,026").
    text_of(
        lang,
        key,
        &[
            ("day", at.day().to_string().into()),
            ("month", month.into()),
            ("year", at.year().to_string().into()),
            (
                "time",
                format!("{:02}:{:02}", at.hour(), at.minute()).into(),
            ),
        ],
    )
}

/// A message whose arguments may be numbers, so that Fluent can choose a plural form.
fn text_of(lang: Lang, key: &str, args: &[(&'static str, FluentValue<'_>)]) -> String {
    let id: LanguageIdentifier = lang.tag().parse().unwrap_or_default();
    let args: HashMap<Cow<'static, str>, FluentValue<'_>> = args
        .iter()
        .map(|(name, value)| (Cow::Borrowed(*name), value.clone()))
        .collect();
    crate::i18n::loader().lookup_with_args(&id, key, &args)
}

/// A source of the current time in whole Unix seconds.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// Seconds since 1970-01-01T00:00:00Z.
    fn now(&self) -> i64;
}

/// The operating system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    }
}

/// A clock that stands still until told to move.
#[derive(Debug)]
pub struct FixedClock(AtomicI64);

impl FixedClock {
    /// A clock stopped at `now`.
    pub fn at(now: i64) -> Self {
        Self(AtomicI64::new(now))
    }

    /// Moves the clock forward (or back, with a negative amount).
    pub fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }

    /// Sets the clock.
    pub fn set(&self, now: i64) {
        self.0.store(now, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// The clock as shared by the application.
pub type SharedClock = Arc<dyn Clock>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_stands_still_until_moved() {
        let clock = FixedClock::at(1_000);
        assert_eq!(clock.now(), 1_000);
        clock.advance(60);
        assert_eq!(clock.now(), 1_060);
        clock.set(5);
        assert_eq!(clock.now(), 5);
    }

    /// 2026-12-04T13:55:15Z
    const DECEMBER_4: i64 = 1_796_392_515;

    #[test]
    fn dates_are_written_in_the_pages_language() {
        let (en, de) = (Lang::default_lang(), Lang::from_tag("de").expect("German"));
        assert_eq!(format_time(DECEMBER_4), "2026-12-04T13:55:15Z");
        assert_eq!(date(en, DECEMBER_4), "4 December 2026");
        assert_eq!(date(de, DECEMBER_4), "4. Dezember 2026");
        assert_eq!(date_time(en, DECEMBER_4), "4 December 2026, 13:55 UTC");
        assert_eq!(date_time(de, DECEMBER_4), "4. Dezember 2026, 13:55 UTC");
    }

    #[test]
    fn how_long_ago_takes_the_plural_form_of_its_count() {
        let (en, de) = (Lang::default_lang(), Lang::from_tag("de").expect("German"));
        let now = DECEMBER_4;
        let ago = |lang, seconds| time_ago(lang, now - seconds, now);
        assert_eq!(ago(en, 59), "just now");
        assert_eq!(ago(en, 60), "1 minute ago");
        assert_eq!(ago(en, 3 * 60 + 59), "3 minutes ago");
        assert_eq!(ago(en, 3_600), "1 hour ago");
        assert_eq!(ago(en, 5 * 3_600), "5 hours ago");
        assert_eq!(ago(en, 86_400), "1 day ago");
        assert_eq!(ago(en, 6 * 86_400), "6 days ago");
        assert_eq!(ago(en, 8 * 86_400), "on 26 November 2026");
        assert_eq!(ago(de, 30), "gerade eben");
        assert_eq!(ago(de, 60), "vor 1 Minute");
        assert_eq!(ago(de, 180), "vor 3 Minuten");
        assert_eq!(ago(de, 2 * 86_400), "vor 2 Tagen");
        assert_eq!(ago(de, 8 * 86_400), "am 26. November 2026");
        assert_eq!(
            time_ago(en, now + 30, now),
            "just now",
            "a clock slightly behind"
        );
    }

    #[test]
    fn the_system_clock_is_after_2020() {
        assert!(SystemClock.now() > 1_577_836_800);
    }
}
