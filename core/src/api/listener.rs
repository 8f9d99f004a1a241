//! The one listener the app registers: journal and outbox changes, sync progress and results,
//! warnings that must be acknowledged, and events the server took but did not apply.

use super::loop_records::RefusalRecord;
use super::records::{OutboxStatus, SyncProgress, SyncReport};
use super::report_records::WarningRecord;

/// Implemented by the app (Kotlin, Swift, Python) to hear about changes. Calls arrive on a core
/// thread after the change is committed; hop to the UI thread before touching views.
#[uniffi::export(with_foreign)]
pub trait GridPatrolListener: Send + Sync {
    /// An event was appended to the journal (`kind` e.g. `inspection.finished`).
    fn on_journal_appended(&self, device_seq: u64, kind: String);
    /// The outbox counts changed.
    fn on_outbox_changed(&self, status: OutboxStatus);
    /// A sync pass made progress (throttled: ≥1 % or 250 ms apart).
    fn on_sync_progress(&self, progress: SyncProgress);
    /// A sync pass ended (also when it ran in the background).
    fn on_sync_finished(&self, report: SyncReport);
    /// A warning reached this user, or was escalated to them: show it until acknowledged (叫应).
    fn on_warning(&self, warning: WarningRecord);
    /// The server took one of this device's events into its chain but did not apply it
    /// (refused, or a conflicting hazard transition): show `reason`.
    fn on_event_refused(&self, refusal: RefusalRecord);
}
