//! The records of the hazard lifecycle and the ledger (台账): the lifecycle's wire types restated
//! for uniffi, the hazard detail screen (state, timeline, pending actions, refusals, conflicts)
//! and the ledger's rows, filter and counts.

use serde::{Deserialize, Serialize};

use super::records::HazardGrade;
pub use gridpatrol_proto::hazard_flow::{HazardAction, HazardStatus};
pub use gridpatrol_proto::sync::HazardStep;

/// Where a hazard is in its lifecycle (DOMAIN.md "Hazards").
#[uniffi::remote(Enum)]
pub enum HazardStatus {
    Reported,
    Verifying,
    Confirmed,
    FixedOnSite,
    Assigned,
    InProgress,
    AwaitingRecheck,
    RecheckPassed,
    RecheckFailed,
    Referred,
    Dismissed,
    Merged,
    Closed,
}

/// What someone does to a hazard. Photos are SHA-256s of evidence already attached to the
/// hazard with `attach_photo(EvidenceTarget::Hazard)`.
#[uniffi::remote(Enum)]
pub enum HazardAction {
    /// Start checking a report (REPORTED → VERIFYING).
    Verify,
    /// It is a hazard, of this grade (REPORTED/VERIFYING → CONFIRMED). A worker may only say
    /// `SuspectedMajor`; a regulator confirms "major" outside this app.
    Confirm { grade: HazardGrade },
    /// Not a hazard after all (VERIFYING → DISMISSED).
    Dismiss { reason: String },
    /// The same hazard as another (VERIFYING → MERGED). Supervisors only.
    Merge { into_hazard_id: String },
    /// Fixed while the worker was there, photos before and after (CONFIRMED → FIXED_ON_SITE).
    FixOnSite {
        before: Vec<String>,
        after: Vec<String>,
    },
    /// Given to someone to fix (CONFIRMED → ASSIGNED). Supervisors only; `deadline` (RFC 3339)
    /// overrides the district's rule (suspected-major hazards: the regulator's deadline).
    Assign {
        owner: String,
        deadline: Option<String>,
    },
    /// Work on the fix starts (ASSIGNED/RECHECK_FAILED → IN_PROGRESS).
    Start,
    /// The owner says it is fixed (IN_PROGRESS → AWAITING_RECHECK).
    RequestRecheck,
    /// Re-checked on site: fixed (AWAITING_RECHECK → RECHECK_PASSED).
    RecheckPass { photos: Vec<String> },
    /// Re-checked on site: not fixed (AWAITING_RECHECK → RECHECK_FAILED).
    RecheckFail { photos: Vec<String> },
    /// Handed to a department (吹哨报到) (CONFIRMED → REFERRED). Supervisors only.
    Refer { department: String },
    /// Closed (销号) (RECHECK_PASSED/FIXED_ON_SITE/REFERRED → CLOSED).
    Close,
    /// Put under (or taken off) supervision (督办); any open state. Supervisors only.
    Supervise { on: bool },
    /// Escalated to the street or district; any open state. Supervisors only.
    Escalate,
    /// Settles a conflict: the transition of event `keep_event_id` stands. Supervisors only.
    ResolveConflict { keep_event_id: String },
}

/// One step of a hazard's lifecycle as the server applied it.
#[uniffi::remote(Record)]
pub struct HazardStep {
    /// The action's name (`confirm`, `recheck_pass`, …), or `reported`.
    pub action: String,
    pub status: HazardStatus,
    /// Server time it was applied.
    pub at: String,
    /// Who took it, as the server names them.
    pub by: String,
    pub note: Option<String>,
    /// Evidence photos (SHA-256) of this step.
    pub photos: Vec<String>,
}

/// A hazard as this device knows it: the server's ledger row (when synced) with this device's
/// actions the ledger does not show yet applied on top.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct HazardView {
    pub hazard_id: String,
    pub venue_id: String,
    /// The venue's name, when the venue is in this device's list.
    pub venue_name: Option<String>,
    pub grid: String,
    /// Hazard area code, e.g. `escape_routes`, and its label in the app's language.
    pub area: String,
    pub area_name: String,
    pub grade: HazardGrade,
    /// The phone's best knowledge: the server's status, then this device's pending actions.
    pub status: HazardStatus,
    /// The status in the server's ledger; `None` until a sync brought the hazard.
    pub server_status: Option<HazardStatus>,
    pub note: Option<String>,
    /// Device time of the report.
    pub reported_at: String,
    /// Server time the report arrived; `None` until synced.
    pub received_at: Option<String>,
    /// The fix is due by then (server time); computed by the server.
    pub deadline: Option<String>,
    /// Past its deadline by the server's clock (never the phone's).
    pub overdue: bool,
    /// Under supervision (督办).
    pub supervised: bool,
    pub escalated: bool,
    /// Who fixes it, or the department it was referred to.
    pub owner: Option<String>,
    pub department: Option<String>,
    pub merged_into: Option<String>,
    /// Where it came from: an inspection's item, or a resident's report.
    pub inspection_id: Option<String>,
    pub item_id: Option<String>,
    pub report_id: Option<String>,
    /// The server still waits for some of its photos.
    pub evidence_pending: bool,
    /// Transitions (event ids) that clashed and wait for a supervisor's `ResolveConflict`.
    pub open_conflicts: Vec<String>,
}

/// An action this device recorded that the server's ledger does not show yet: not sent, or sent
/// and applied but not pulled back.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct PendingAction {
    pub event_id: String,
    pub device_seq: u64,
    pub action: HazardAction,
    /// The state the device saw, and the one the action leads to.
    pub expected_status: HazardStatus,
    pub to_status: HazardStatus,
    pub note: Option<String>,
    /// Device time it was recorded.
    pub recorded_at: String,
    /// The server acknowledged it (it awaits the next pull); false: still in the outbox.
    pub sent: bool,
}

/// An event the server took into this device's chain but did not apply: refused (with the
/// server's reason), or recorded as a conflict with another device's transition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct RefusalRecord {
    pub event_id: String,
    pub device_seq: u64,
    /// The event kind, e.g. `hazard.transitioned`, `report.submitted`.
    pub kind: String,
    /// The hazard, report or warning the event was about.
    pub subject_id: Option<String>,
    /// For a hazard transition: the action's name, e.g. `recheck_pass`.
    pub action: Option<String>,
    /// Why, for people: the server's reason, or the conflict explained.
    pub reason: String,
    /// The other device's event this one clashed with (a conflict for a supervisor to resolve).
    pub conflict_with: Option<String>,
    /// Device time the event was recorded, and the time the server's answer arrived.
    pub recorded_at: String,
    pub answered_at: String,
}

/// The hazard detail screen: one call.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct HazardDetail {
    pub state: HazardView,
    /// Every step the server applied, oldest first (empty until synced).
    pub timeline: Vec<HazardStep>,
    /// This device's actions the ledger does not show yet, oldest first.
    pub pending_actions: Vec<PendingAction>,
    /// This device's actions on the hazard the server refused.
    pub refusals: Vec<RefusalRecord>,
    /// This device's actions the server recorded as conflicts.
    pub conflicts: Vec<RefusalRecord>,
    /// Names of the actions this user may take now (e.g. `start`, `request_recheck`).
    pub available_actions: Vec<String>,
}

/// Which hazards of the synced ledger to show; every field left empty matches all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, uniffi::Record)]
pub struct LedgerFilter {
    /// 区, 街乡, 社区, 网格 (as the venues carry them).
    #[uniffi(default)]
    pub district: Option<String>,
    #[uniffi(default)]
    pub street: Option<String>,
    #[uniffi(default)]
    pub community: Option<String>,
    #[uniffi(default)]
    pub grid: Option<String>,
    /// Hazard area code, e.g. `electrical`.
    #[uniffi(default)]
    pub area: Option<String>,
    /// Venue type code, e.g. `small_eatery`.
    #[uniffi(default)]
    pub venue_type: Option<String>,
    #[uniffi(default)]
    pub industry: Option<String>,
    #[uniffi(default)]
    pub grade: Option<HazardGrade>,
    #[uniffi(default)]
    pub status: Option<HazardStatus>,
    /// `Some(true)`: only overdue hazards; `Some(false)`: only those that are not.
    #[uniffi(default)]
    pub overdue: Option<bool>,
}

/// One row of the ledger, labels in the app's language.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct LedgerRow {
    pub hazard_id: String,
    pub venue_id: String,
    /// Venue facts are empty when the venue is not in this device's list.
    pub venue_name: String,
    pub venue_type: String,
    pub venue_type_name: String,
    pub industry: String,
    pub address: String,
    pub district: String,
    pub street: String,
    pub community: String,
    pub grid: String,
    pub area: String,
    pub area_name: String,
    pub grade: HazardGrade,
    pub status: HazardStatus,
    pub status_name: String,
    pub overdue: bool,
    pub deadline: Option<String>,
    pub supervised: bool,
    pub escalated: bool,
    pub owner: Option<String>,
    pub department: Option<String>,
    pub inspection_id: Option<String>,
    pub item_id: Option<String>,
    pub report_id: Option<String>,
    pub note: Option<String>,
    pub reported_at: String,
    pub received_at: String,
    pub evidence_pending: bool,
    /// Actions of this device on the hazard the ledger does not show yet.
    pub pending_actions: u32,
}

/// What the ledger is counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum LedgerGroup {
    District,
    Street,
    Community,
    Grid,
    Area,
    VenueType,
    Industry,
    Grade,
    Status,
}

/// The hazards of one group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct LedgerCount {
    /// The group's value (a code, e.g. `small_eatery`, or a name, e.g. a grid's).
    pub key: String,
    /// Its label in the app's language.
    pub label: String,
    pub total: u32,
    /// Not closed, dismissed or merged.
    pub open: u32,
    pub overdue: u32,
    pub suspected_major: u32,
}
