//! Telling the app: the one registered listener, called after commits and outside every lock,
//! and the throttle that keeps progress callbacks cheap over JNA (≥1 % or 250 ms apart).

use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use crate::api::loop_records::RefusalRecord;
use crate::api::records::{OutboxStatus, SyncProgress, SyncReport};
use crate::api::report_records::WarningRecord;
use crate::api::GridPatrolListener;

/// The registered listener, if any.
#[derive(Default)]
pub struct Notifier {
    listener: RwLock<Option<Arc<dyn GridPatrolListener>>>,
}

impl Notifier {
    pub fn set(&self, listener: Option<Arc<dyn GridPatrolListener>>) {
        *self
            .listener
            .write()
            .unwrap_or_else(PoisonError::into_inner) = listener;
    }

    fn get(&self) -> Option<Arc<dyn GridPatrolListener>> {
        self.listener
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn journal_appended(&self, device_seq: u64, kind: String) {
        if let Some(l) = self.get() {
            l.on_journal_appended(device_seq, kind);
        }
    }

    pub fn outbox_changed(&self, status: OutboxStatus) {
        if let Some(l) = self.get() {
            l.on_outbox_changed(status);
        }
    }

    pub fn sync_progress(&self, progress: SyncProgress) {
        if let Some(l) = self.get() {
            l.on_sync_progress(progress);
        }
    }

    pub fn sync_finished(&self, report: SyncReport) {
        if let Some(l) = self.get() {
            l.on_sync_finished(report);
        }
    }

    pub fn warning(&self, warning: WarningRecord) {
        if let Some(l) = self.get() {
            l.on_warning(warning);
        }
    }

    pub fn event_refused(&self, refusal: RefusalRecord) {
        if let Some(l) = self.get() {
            l.on_event_refused(refusal);
        }
    }
}

/// Decides whether a progress update is worth a callback.
pub struct Throttle {
    last_at: Option<Instant>,
    last_fraction: f64,
}

const MIN_STEP: f64 = 0.01;
const MIN_INTERVAL: Duration = Duration::from_millis(250);

impl Throttle {
    pub fn new() -> Throttle {
        Throttle {
            last_at: None,
            last_fraction: 0.0,
        }
    }

    /// True when `fraction` (0..=1) moved ≥1 % or 250 ms passed since the last emitted update;
    /// the first and the final (1.0) update always pass.
    pub fn should_emit(&mut self, fraction: f64, now: Instant) -> bool {
        let due = match self.last_at {
            None => true,
            Some(at) => {
                fraction >= 1.0
                    || fraction - self.last_fraction >= MIN_STEP
                    || now.duration_since(at) >= MIN_INTERVAL
            }
        };
        if due {
            self.last_at = Some(now);
            self.last_fraction = fraction;
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_throttled_to_one_percent_or_a_quarter_second() {
        let mut t = Throttle::new();
        let start = Instant::now();
        assert!(t.should_emit(0.0, start));
        assert!(!t.should_emit(0.005, start + Duration::from_millis(10)));
        assert!(t.should_emit(0.011, start + Duration::from_millis(20)));
        assert!(!t.should_emit(0.012, start + Duration::from_millis(100)));
        assert!(t.should_emit(0.013, start + Duration::from_millis(300)));
        assert!(t.should_emit(1.0, start + Duration::from_millis(301)));
        // 10,000 tiny steps within a second produce at most ~100 + 4 callbacks.
        let mut t = Throttle::new();
        let n = (0..=10_000)
            .filter(|i| {
                t.should_emit(
                    *i as f64 / 10_000.0,
                    start + Duration::from_micros(*i * 100),
                )
            })
            .count();
        assert!(n <= 105, "{n} callbacks");
    }
}
