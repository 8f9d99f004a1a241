use std::sync::{Arc, Mutex};

use gridpatrol_core::api::loop_records::RefusalRecord;
use gridpatrol_core::api::records::{OutboxStatus, SyncProgress, SyncReport};
use gridpatrol_core::api::report_records::WarningRecord;
use gridpatrol_core::GridPatrolListener;

use crate::Fixture;

#[derive(Default)]
struct Recorder {
    calls: Mutex<Vec<String>>,
}

impl GridPatrolListener for Recorder {
    fn on_journal_appended(&self, device_seq: u64, kind: String) {
        self.calls
            .lock()
            .unwrap()
            .push(format!("{device_seq} {kind}"));
    }
    fn on_outbox_changed(&self, status: OutboxStatus) {
        self.calls
            .lock()
            .unwrap()
            .push(format!("outbox {}", status.events_pending));
    }
    fn on_sync_progress(&self, progress: SyncProgress) {
        self.calls
            .lock()
            .unwrap()
            .push(format!("progress {:?}", progress.phase));
    }
    fn on_sync_finished(&self, report: SyncReport) {
        self.calls
            .lock()
            .unwrap()
            .push(format!("finished {:?}", report.outcome));
    }
    fn on_warning(&self, warning: WarningRecord) {
        self.calls
            .lock()
            .unwrap()
            .push(format!("warning {}", warning.warning_id));
    }
    fn on_event_refused(&self, refusal: RefusalRecord) {
        self.calls
            .lock()
            .unwrap()
            .push(format!("refused {}", refusal.device_seq));
    }
}

#[test]
fn the_listener_hears_each_committed_event_and_the_outbox_count() {
    let f = Fixture::new();
    let recorder = Arc::new(Recorder::default());
    f.gp.set_listener(Some(recorder.clone())).unwrap();
    let id =
        f.gp.start_inspection("CY-JS-002".into())
            .unwrap()
            .inspection_id;
    f.gp.start_inspection("CY-JS-002".into()).unwrap(); // continuing records nothing
    let _ = f.gp.finish_inspection(id); // refused: nothing recorded, nothing heard
    assert_eq!(
        *recorder.calls.lock().unwrap(),
        vec!["1 inspection.started".to_string(), "outbox 1".to_string()]
    );
    f.gp.set_listener(None).unwrap();
    f.gp.start_inspection("CY-JS-001".into()).unwrap();
    assert_eq!(recorder.calls.lock().unwrap().len(), 2);
}
