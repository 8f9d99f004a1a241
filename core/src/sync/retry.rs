//! The retry policy, as one table with its own tests (docs/adr/0007): every HTTP status and every
//! network failure falls in exactly one class, and the class decides what the queue does.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// What a response or failure means for the item that was being sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryClass {
    /// Done.
    Success,
    /// No usable network (no route, DNS, reset, timeout, a body cut short, a captive portal):
    /// back off and try again; nothing is wrong with the item.
    Network,
    /// The server is busy or failing (408, 425, 429, 5xx including Cloudflare's 52x): back off,
    /// honouring `Retry-After`.
    Transient,
    /// The token is not accepted (401): pause the whole queue until the device enrolls again.
    Auth,
    /// The server will not take this item as it is (other 4xx): wedge it with the reason; the
    /// user decides (retry or discard).
    Permanent,
}

/// Classifies an HTTP status code.
pub fn classify(status: u16) -> RetryClass {
    match status {
        200..=299 => RetryClass::Success,
        401 => RetryClass::Auth,
        408 | 425 | 429 => RetryClass::Transient,
        // 511: a captive portal (hotel or café Wi-Fi) stands between us and the server.
        511 => RetryClass::Network,
        // The server says it can never do this (method or protocol not supported).
        501 | 505 => RetryClass::Permanent,
        500..=599 => RetryClass::Transient,
        _ => RetryClass::Permanent,
    }
}

/// First retry delay; doubled per attempt up to [`MAX_DELAY`].
pub const BASE_DELAY: Duration = Duration::from_secs(2);
/// The longest wait between attempts when the server gives no `Retry-After`.
pub const MAX_DELAY: Duration = Duration::from_secs(15 * 60);
/// The longest `Retry-After` honoured (a bad header must not park the queue for days).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60 * 60);

/// How long to wait before attempt `attempts + 1`, given `attempts` failures so far.
/// `jitter` in 0..1 spreads clients out (full delay × 0.5..1.0); `retry_after` wins when given.
pub fn delay(attempts: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
    if let Some(after) = retry_after {
        return after.min(MAX_RETRY_AFTER);
    }
    let exp = BASE_DELAY.saturating_mul(1u32 << attempts.saturating_sub(1).min(20));
    exp.min(MAX_DELAY)
        .mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
}

/// Parses `Retry-After`: delay-seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use RetryClass::*;

    /// Every status the server or a proxy can send, by class. Keep this table exhaustive: a
    /// status in the wrong class either loses field work (wedged when it should retry) or
    /// hammers a broken server (retried when it should stop).
    const TABLE: &[(u16, RetryClass)] = &[
        (200, Success),
        (201, Success),
        (204, Success),
        (206, Success),
        (301, Permanent),
        (304, Permanent),
        (307, Permanent),
        (308, Permanent),
        (400, Permanent),
        (401, Auth),
        (402, Permanent),
        (403, Permanent),
        (404, Permanent),
        (405, Permanent),
        (406, Permanent),
        (407, Permanent),
        (408, Transient),
        (409, Permanent),
        (410, Permanent),
        (411, Permanent),
        (412, Permanent),
        (413, Permanent),
        (414, Permanent),
        (415, Permanent),
        (416, Permanent),
        (417, Permanent),
        (418, Permanent),
        (421, Permanent),
        (422, Permanent),
        (423, Permanent),
        (424, Permanent),
        (425, Transient),
        (426, Permanent),
        (428, Permanent),
        (429, Transient),
        (431, Permanent),
        (451, Permanent),
        (500, Transient),
        (501, Permanent),
        (502, Transient),
        (503, Transient),
        (504, Transient),
        (505, Permanent),
        (506, Transient),
        (507, Transient),
        (508, Transient),
        (510, Transient),
        (511, Network),
        (520, Transient),
        (521, Transient),
        (522, Transient),
        (523, Transient),
        (524, Transient),
        (525, Transient),
        (526, Transient),
        (527, Transient),
        (529, Transient),
        (530, Transient),
        (598, Transient),
        (599, Transient),
    ];

    #[test]
    fn every_status_in_the_table_has_its_class() {
        for &(status, class) in TABLE {
            assert_eq!(classify(status), class, "status {status}");
        }
    }

    #[test]
    fn every_possible_status_has_exactly_one_class() {
        for status in 100..=599 {
            let class = classify(status);
            if (500..=599).contains(&status) {
                assert_ne!(class, Auth, "{status}");
                assert_ne!(class, Success, "{status}");
            }
            if (400..=499).contains(&status) && ![401, 408, 425, 429].contains(&status) {
                assert_eq!(class, Permanent, "{status}");
            }
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        assert_eq!(delay(1, None, 1.0), Duration::from_secs(2));
        assert_eq!(delay(2, None, 1.0), Duration::from_secs(4));
        assert_eq!(delay(3, None, 0.0), Duration::from_secs(4));
        assert_eq!(delay(30, None, 1.0), MAX_DELAY);
        assert_eq!(delay(0, None, 1.0), Duration::from_secs(2));
        assert_eq!(
            delay(5, Some(Duration::from_secs(7)), 0.3),
            Duration::from_secs(7)
        );
        assert_eq!(
            delay(5, Some(Duration::from_secs(86_400)), 0.3),
            MAX_RETRY_AFTER
        );
    }

    #[test]
    fn retry_after_takes_seconds_or_an_http_date() {
        let now = DateTime::parse_from_rfc3339("2026-11-28T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Sat, 28 Nov 2026 08:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Sat, 28 Nov 2026 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
