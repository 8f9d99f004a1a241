//! Time as the journal records it (R7): device wall clock in UTC, the UTC offset, and monotonic
//! uptime since boot. Wall clocks on phones are wrong surprisingly often (dated 1980, hours off);
//! uptime orders events on one device regardless, and the server later estimates the skew.

use chrono::{DateTime, Local, SecondsFormat, Utc};

/// The moment an event was recorded, as the device saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// UTC wall-clock time.
    pub utc: DateTime<Utc>,
    /// Local UTC offset in minutes (Beijing: +480).
    pub utc_offset_min: i32,
    /// Milliseconds since boot, including deep sleep where the OS can tell.
    pub uptime_ms: u64,
}

impl Stamp {
    /// Reads the clocks now.
    pub fn now() -> Self {
        let local = Local::now();
        Stamp {
            utc: local.with_timezone(&Utc),
            utc_offset_min: local.offset().local_minus_utc() / 60,
            uptime_ms: uptime_ms(),
        }
    }

    /// The UTC time as stored and sent: RFC 3339, milliseconds, `Z`.
    pub fn utc_text(&self) -> String {
        format_utc(&self.utc)
    }
}

/// Formats a UTC time the way the journal and the wire carry it.
pub fn format_utc(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Monotonic milliseconds since boot. Linux and Android: `CLOCK_BOOTTIME` (Android's
/// `elapsedRealtime`, counts deep sleep); Apple: `CLOCK_MONOTONIC` (counts sleep there).
fn uptime_ms() -> u64 {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    const CLOCK: libc::clockid_t = libc::CLOCK_BOOTTIME;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    const CLOCK: libc::clockid_t = libc::CLOCK_MONOTONIC;
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec and CLOCK is supported on these targets.
    let rc = unsafe { libc::clock_gettime(CLOCK, &mut ts) };
    if rc != 0 {
        return 0;
    }
    (ts.tv_sec as u64) * 1000 + (ts.tv_nsec as u64) / 1_000_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_utc_millis_and_uptime_does_not_go_back() {
        let a = Stamp::now();
        let b = Stamp::now();
        assert!(a.utc_text().ends_with('Z'));
        assert_eq!(a.utc_text().len(), "2026-11-28T02:00:00.000Z".len());
        assert!(a.uptime_ms > 0);
        assert!(b.uptime_ms >= a.uptime_ms);
        assert!((-720..=840).contains(&a.utc_offset_min));
    }
}
