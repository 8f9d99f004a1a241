//! What the core told the CLI while a command ran: warnings that reached the user and events
//! the server took but did not apply. `warnings watch` prints each warning as it arrives;
//! `sync` prints what it heard after the pass.

use std::sync::{Mutex, PoisonError};

use gridpatrol_core::api::loop_records::RefusalRecord;
use gridpatrol_core::api::records::{OutboxStatus, SyncProgress, SyncReport};
use gridpatrol_core::api::report_records::WarningRecord;
use gridpatrol_core::GridPatrolListener;

/// Collects warnings and refusals; with `echo`, prints each warning at once (JSON lines when
/// `json`).
#[derive(Default)]
pub struct Heard {
    echo: bool,
    json: bool,
    warnings: Mutex<Vec<WarningRecord>>,
    refusals: Mutex<Vec<RefusalRecord>>,
}

impl Heard {
    /// Prints each warning as it arrives (JSON lines when `json`).
    pub fn echoing(json: bool) -> Heard {
        Heard {
            echo: true,
            json,
            ..Heard::default()
        }
    }

    pub fn warnings(&self) -> Vec<WarningRecord> {
        self.warnings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn refusals(&self) -> Vec<RefusalRecord> {
        self.refusals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl GridPatrolListener for Heard {
    fn on_journal_appended(&self, _device_seq: u64, _kind: String) {}
    fn on_outbox_changed(&self, _status: OutboxStatus) {}
    fn on_sync_progress(&self, _progress: SyncProgress) {}
    fn on_sync_finished(&self, _report: SyncReport) {}
    fn on_warning(&self, warning: WarningRecord) {
        if self.echo {
            if self.json {
                let line = serde_json::to_string(&warning).expect("records serialise");
                println!("{line}");
            } else {
                println!("{}", crate::warnings::line(&warning));
            }
        }
        self.warnings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(warning);
    }
    fn on_event_refused(&self, refusal: RefusalRecord) {
        self.refusals
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(refusal);
    }
}

/// A refusal as one line of text.
pub fn refusal_line(r: &RefusalRecord) -> String {
    format!(
        "taken but not applied by the server: event {} ({}{}): {}",
        r.device_seq,
        r.kind,
        r.subject_id
            .as_ref()
            .map(|s| format!(" {s}"))
            .unwrap_or_default(),
        r.reason
    )
}
