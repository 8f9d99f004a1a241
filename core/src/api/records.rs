//! The records the screens read: one flat record per row, one `Vec` per screen, labels already
//! in the app's language. Domain queries return these directly; they are the screen contract.
//!
//! Times are UTC RFC 3339 strings with milliseconds (`2026-11-28T02:30:00.000Z`).

use serde::{Deserialize, Serialize};

pub use gridpatrol_proto::events::{HazardGrade, Verdict};
pub use gridpatrol_proto::reference::{CoordSystem, GeoPoint, RiskColour};

// Wire types from `gridpatrol-proto` that cross the FFI: uniffi needs their shape restated here
// (`uniffi::remote`); the compiler checks it matches the real definition.

/// The map coordinate system a point was recorded in: GPS reports WGS-84, Chinese maps GCJ-02.
#[uniffi::remote(Enum)]
pub enum CoordSystem {
    Wgs84,
    Gcj02,
}

/// A point on the map, with the coordinate system it was recorded in.
#[uniffi::remote(Record)]
pub struct GeoPoint {
    pub latitude: f64,
    pub longitude: f64,
    pub coord_system: CoordSystem,
}

/// A venue's risk colour (风险等级): red is highest.
#[uniffi::remote(Enum)]
pub enum RiskColour {
    Red,
    Orange,
    Yellow,
    Blue,
}

/// A checklist answer: pass, fail, or not applicable at this venue.
#[uniffi::remote(Enum)]
pub enum Verdict {
    Pass,
    Fail,
    Na,
}

/// A hazard's grade. A grid worker never decides "major": they mark it suspected.
#[uniffi::remote(Enum)]
pub enum HazardGrade {
    General,
    SuspectedMajor,
}

/// How a GridPatrol instance is opened.
#[derive(Debug, Clone, uniffi::Record)]
pub struct GridPatrolConfig {
    /// The SQLite database file; created with its folder if missing.
    pub database_path: String,
    /// Label language: `zh-CN` (default) or `en`.
    pub locale: Option<String>,
}

/// A venue in the worker's list.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct VenueRecord {
    pub venue_id: String,
    pub name: String,
    /// Venue type code, e.g. `small_eatery`.
    pub venue_type: String,
    /// The type's label in the app's language, e.g. 小餐饮场所.
    pub venue_type_name: String,
    /// One of the nine small venues (九小场所).
    pub small_venue: bool,
    pub industry: String,
    pub address: String,
    /// 区
    pub district: String,
    /// 街乡
    pub street: String,
    /// 社区
    pub community: String,
    /// 网格
    pub grid: String,
    pub location: Option<GeoPoint>,
    pub responsible_name: Option<String>,
    pub responsible_phone: Option<String>,
    pub risk_colour: RiskColour,
}

/// Whether an inspection is still being filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum InspectionStatus {
    InProgress,
    Finished,
}

/// An inspection, as the inspection list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct InspectionRecord {
    pub inspection_id: String,
    pub venue_id: String,
    pub venue_name: String,
    pub template_id: String,
    /// The checklist version pinned when the inspection started.
    pub template_version: u32,
    pub status: InspectionStatus,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// Items that apply to this venue.
    pub item_count: u32,
    pub answered_count: u32,
    pub failed_count: u32,
}

/// One row of the checklist screen: the item and its answer so far.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct ChecklistEntry {
    pub item_id: String,
    /// Hazard area code, e.g. `escape_routes`.
    pub area: String,
    pub area_name: String,
    pub title: String,
    /// A failed answer needs a photo.
    pub photo_on_fail: bool,
    /// A failure may be marked suspected major (疑似重大).
    pub may_be_major: bool,
    pub answer: Option<AnswerRecord>,
}

/// A recorded answer.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct AnswerRecord {
    pub verdict: Verdict,
    pub note: Option<String>,
    pub suspected_major: bool,
    pub answered_at: String,
}

/// A hazard in the ledger.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct HazardRecord {
    pub hazard_id: String,
    pub venue_id: String,
    pub venue_name: String,
    pub grid: String,
    pub inspection_id: String,
    pub item_id: String,
    pub item_title: String,
    pub area: String,
    pub area_name: String,
    pub grade: HazardGrade,
    /// The DOMAIN.md state, e.g. `REPORTED`.
    pub status: String,
    pub note: Option<String>,
    pub reported_at: String,
}

/// What finishing an inspection produced.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct InspectionSummary {
    pub inspection: InspectionRecord,
    /// One hazard per failed item.
    pub hazards: Vec<HazardRecord>,
}

/// The result of walking the event journal.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct JournalReport {
    /// True when every event links and matches its hash and the projections agree.
    pub intact: bool,
    /// Events verified before the first bad one (all of them when the chain is intact).
    pub events: u64,
    /// The first bad event, when there is one.
    pub first_bad: Option<BadEventRecord>,
    /// Rows where replaying the journal disagrees with the stored tables (checked only when the
    /// chain is intact).
    pub projection_differences: Vec<String>,
}

/// The first event that failed verification.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct BadEventRecord {
    pub device_seq: u64,
    pub event_id: String,
    pub problem: String,
}

/// What is waiting to be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct OutboxStatus {
    /// Waiting for the network or their next retry.
    pub pending: u64,
    /// Stopped with a reason the user must act on (retry or discard).
    pub wedged: u64,
}
