//! The closed loop end to end (issue 6): phones of workers, a supervisor and residents, and the
//! street office's console, against one server-stub — every transition and every invalid one,
//! the offline conflict, overdue on the server clock, residents' privacy, warnings that
//! escalate, and the ledger's counts against a hand-computed fixture.

mod ledger;
mod lifecycle;
mod residents;
mod warnings;

use std::path::PathBuf;

use gridpatrol_core::api::loop_records::{HazardDetail, LedgerFilter, LedgerRow};
use gridpatrol_core::api::records::SyncOutcome;
use gridpatrol_proto::events::EvidenceTarget;
use gridpatrol_proto::hazard_flow::HazardAction;
use gridpatrol_tests::Phone;

/// Syncs and insists the pass completed.
async fn sync(phone: &Phone) {
    let report = phone.gp.sync_now().await.unwrap();
    assert_eq!(report.outcome, SyncOutcome::Completed, "{report:?}");
}

/// Takes `action` on `hazard` through the core's API.
fn act(phone: &Phone, hazard: &str, action: HazardAction) -> HazardDetail {
    phone
        .gp
        .transition_hazard(hazard.into(), action.clone(), None)
        .unwrap_or_else(|e| panic!("{action:?} on {hazard}: {e}"))
}

/// Attaches a photo of the demo set to a hazard; its SHA-256.
fn photo(phone: &Phone, hazard: &str, name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../cli/demo/photos")
        .join(name);
    let target = EvidenceTarget::Hazard {
        hazard_id: hazard.into(),
    };
    phone
        .gp
        .attach_photo(target, path.display().to_string())
        .unwrap()
        .sha256
}

/// The phone's ledger, oldest report first by item so tests can name hazards.
fn ledger(phone: &Phone) -> Vec<LedgerRow> {
    phone.gp.ledger(LedgerFilter::default()).unwrap()
}

/// The hazard of `item` at `venue` in the phone's synced ledger.
fn hazard_of(phone: &Phone, venue: &str, item: &str) -> String {
    ledger(phone)
        .into_iter()
        .find(|r| r.venue_id == venue && r.item_id.as_deref() == Some(item))
        .unwrap_or_else(|| panic!("no hazard for {item} at {venue} in the ledger"))
        .hazard_id
}
