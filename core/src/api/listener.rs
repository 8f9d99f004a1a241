//! The one listener the app registers: journal and outbox changes now, sync progress later.

use super::records::OutboxStatus;

/// Implemented by the app (Kotlin, Swift, Python) to hear about changes. Calls arrive on a core
/// thread after the change is committed; hop to the UI thread before touching views.
#[uniffi::export(with_foreign)]
pub trait GridPatrolListener: Send + Sync {
    /// An event was appended to the journal (`kind` e.g. `inspection.finished`).
    fn on_journal_appended(&self, device_seq: u64, kind: String);
    /// The outbox counts changed.
    fn on_outbox_changed(&self, status: OutboxStatus);
}
