//! The one listener the app registers: journal and outbox changes, sync progress and results.

use super::records::{OutboxStatus, SyncProgress, SyncReport};

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
}
