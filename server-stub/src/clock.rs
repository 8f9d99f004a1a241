//! Server time. Deadlines and overdue are computed here, never from a phone's clock (DOMAIN.md),
//! so tests need to move this clock: it is the real clock plus an offset that only the test
//! controls (and [`crate::Handle::advance_clock`]) change. Every server timestamp — receipt
//! times, `server_time`, the `Date` header, code expiry — comes from here.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, SecondsFormat, Utc};

/// The real clock shifted by an offset.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// The current shift from the real clock, in seconds.
    pub fn offset_seconds(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed) / 1000
    }

    /// Sets the shift from the real clock.
    pub fn set_offset_seconds(&self, seconds: i64) {
        self.offset_ms
            .store(seconds.saturating_mul(1000), Ordering::Relaxed);
    }

    /// Moves the clock forward (or back, with a negative value) by `seconds`.
    pub fn advance_seconds(&self, seconds: i64) {
        self.offset_ms
            .fetch_add(seconds.saturating_mul(1000), Ordering::Relaxed);
    }
}

/// UTC, RFC 3339 with milliseconds and `Z`: the one text form of server times.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The HTTP `Date` header form (RFC 9110 IMF-fixdate).
pub fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_moves_now_and_the_formats_are_fixed() {
        let clock = Clock::default();
        let real = clock.now();
        clock.advance_seconds(3 * 86_400);
        let shifted = clock.now();
        assert!(shifted - real >= Duration::days(3));
        assert_eq!(clock.offset_seconds(), 3 * 86_400);
        let t = DateTime::parse_from_rfc3339("2026-11-28T02:03:04.5Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(rfc3339(t), "2026-11-28T02:03:04.500Z");
        assert_eq!(http_date(t), "Sat, 28 Nov 2026 02:03:04 GMT");
    }
}
