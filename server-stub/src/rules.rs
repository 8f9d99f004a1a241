//! The district's rules (DOMAIN.md "Hazards": deadlines are server-side data, districts differ):
//! how long a general hazard has to be fixed, how many working days a re-check may take, how
//! soon a suspected-major hazard must go up, when an overdue hazard escalates by itself, how many
//! reports a device may send an hour, how far a report may be from a venue to be dispatched to
//! its grid. Stored per district (`district_rules`); a district without a row uses
//! [`Rules::default`]. Pure: the time arithmetic lives here, the clock is the caller's.

use chrono::{DateTime, Datelike, Duration, FixedOffset, Utc, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One district's rules. Missing fields take the defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// A general hazard assigned without a deadline must be fixed within this many days.
    pub general_fix_days: u32,
    /// A re-check is due this many working days (Mon–Fri) after it is requested.
    pub recheck_working_days: u32,
    /// A suspected-major hazard must be escalated or assigned (to the regulator's deadline)
    /// within this many hours of reaching the server.
    pub major_report_hours: u32,
    /// A hazard overdue for this many hours more is escalated by the server.
    pub escalate_after_overdue_hours: u32,
    /// Reports one device (or one web client) may send in a rolling hour.
    pub reports_per_hour: u32,
    /// A report within this many metres of a venue goes to that venue's grid; farther, to the
    /// street's supervisors.
    pub dispatch_radius_m: f64,
    /// The district's UTC offset, for working days and printed dates (Beijing: +480).
    pub utc_offset_minutes: i32,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            general_fix_days: 7,
            recheck_working_days: 3,
            major_report_hours: 24,
            escalate_after_overdue_hours: 24,
            reports_per_hour: 5,
            dispatch_radius_m: 300.0,
            utc_offset_minutes: 8 * 60,
        }
    }
}

impl Rules {
    fn offset(&self) -> FixedOffset {
        FixedOffset::east_opt(self.utc_offset_minutes * 60)
            .unwrap_or_else(|| FixedOffset::east_opt(8 * 3600).expect("a valid offset"))
    }

    /// The fix deadline of a general hazard assigned at `at`.
    pub fn fix_deadline(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        at + Duration::days(i64::from(self.general_fix_days))
    }

    /// When a suspected-major hazard received at `at` must have gone up.
    pub fn major_report_deadline(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        at + Duration::hours(i64::from(self.major_report_hours))
    }

    /// When a re-check requested at `at` is due: that many working days later (Mon–Fri in the
    /// district's time), same time of day.
    pub fn recheck_due(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        add_working_days(at, self.recheck_working_days, self.offset())
    }

    /// Past `due` by the grace, the server escalates.
    pub fn escalation_at(&self, due: DateTime<Utc>) -> DateTime<Utc> {
        due + Duration::hours(i64::from(self.escalate_after_overdue_hours))
    }

    /// A server time as the district reads it, e.g. `2026-12-05 10:00`.
    pub fn local_text(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.offset())
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    /// A server time's local date, e.g. `2026年12月05日`.
    pub fn local_date(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.offset())
            .format("%Y年%m月%d日")
            .to_string()
    }

    /// Checks values a district may set.
    pub fn validate(&self) -> Result<(), String> {
        if self.general_fix_days == 0 || self.recheck_working_days == 0 {
            return Err("fix days and re-check working days must be at least 1".into());
        }
        if self.reports_per_hour == 0 {
            return Err("reports_per_hour must be at least 1".into());
        }
        if !(0.0..=50_000.0).contains(&self.dispatch_radius_m) {
            return Err("dispatch_radius_m must be 0 to 50000".into());
        }
        if !(-12 * 60..=14 * 60).contains(&self.utc_offset_minutes) {
            return Err("utc_offset_minutes must be -720 to 840".into());
        }
        Ok(())
    }
}

/// `at` plus `days` working days (Mon–Fri in `offset`'s local time), same time of day. A start
/// on a weekend counts from the next Monday.
pub fn add_working_days(at: DateTime<Utc>, days: u32, offset: FixedOffset) -> DateTime<Utc> {
    let mut local = at.with_timezone(&offset);
    let mut left = days;
    while left > 0 {
        local += Duration::days(1);
        if !matches!(local.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    local.with_timezone(&Utc)
}

/// Reads an RFC 3339 time (any offset) as UTC.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> DateTime<Utc> {
        parse_time(text).unwrap()
    }

    #[test]
    fn working_days_skip_the_weekend_in_beijing_time() {
        let rules = Rules::default();
        // Friday 10:00 in Beijing (02:00 UTC) + 3 working days = Wednesday 10:00.
        assert_eq!(
            rules.recheck_due(t("2026-11-27T02:00:00Z")),
            t("2026-12-02T02:00:00Z")
        );
        // Monday + 3 = Thursday.
        assert_eq!(
            rules.recheck_due(t("2026-11-30T02:00:00Z")),
            t("2026-12-03T02:00:00Z")
        );
        // Friday 23:30 UTC is already Saturday 07:30 in Beijing: Mon, Tue, Wed 07:30.
        assert_eq!(
            rules.recheck_due(t("2026-11-27T23:30:00Z")),
            t("2026-12-01T23:30:00Z")
        );
    }

    #[test]
    fn defaults_follow_domain_md_and_partial_json_fills_in() {
        let rules = Rules::default();
        assert_eq!(
            rules.fix_deadline(t("2026-11-28T02:00:00Z")),
            t("2026-12-05T02:00:00Z")
        );
        assert_eq!(
            rules.major_report_deadline(t("2026-11-28T02:00:00Z")),
            t("2026-11-29T02:00:00Z")
        );
        let partial: Rules = serde_json::from_str(r#"{"general_fix_days": 3}"#).unwrap();
        assert_eq!(partial.general_fix_days, 3);
        assert_eq!(partial.reports_per_hour, 5);
        assert!(serde_json::from_str::<Rules>(r#"{"nonsense": 1}"#).is_err());
        assert!(Rules {
            reports_per_hour: 0,
            ..Rules::default()
        }
        .validate()
        .is_err());
        assert_eq!(
            rules.local_text(t("2026-11-28T02:00:00Z")),
            "2026-11-28 10:00"
        );
    }
}
