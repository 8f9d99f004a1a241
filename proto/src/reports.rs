//! Residents' hazard reports (DOMAIN.md "Resident reports"): what a resident sends, what the
//! grid worker sees (never who reported), and what the reporter sees (each step of their own
//! report, never another's, never the inspector's identity).

use serde::{Deserialize, Serialize};

use crate::events::HazardGrade;
use crate::reference::GeoPoint;

/// What kind of hazard a resident reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportCategory {
    Fire,
    Gas,
    Electrical,
    EscapeRoute,
    EBike,
    Building,
    FloodGeological,
    Other,
}

/// Where a report stands, as its reporter sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// The server has it.
    Received,
    /// Sent to the grid it belongs to.
    Dispatched,
    /// A grid worker checked on site and opened a hazard.
    HazardOpened,
    /// A grid worker checked on site: no hazard (with a reason).
    NoHazard,
    /// The hazard it opened was closed (fixed and re-checked).
    HazardClosed,
    /// Refused (e.g. too many reports from this device in an hour).
    Refused,
}

/// A resident's report (event `report.submitted`, or the web form). Photos arrive as
/// `evidence.attached` with a report target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportSubmitted {
    /// Made on the device (or by the server for the web form).
    pub report_id: String,
    pub category: ReportCategory,
    pub description: String,
    /// Where, if the resident shared it (WGS-84).
    pub location: Option<GeoPoint>,
    /// The venue code the resident scanned, if any (the server checks its signature).
    pub venue_token: Option<String>,
}

/// A grid worker checked a report on site (event `report.checked`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportChecked {
    pub report_id: String,
    pub outcome: ReportOutcome,
}

/// What the check found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ReportOutcome {
    /// A hazard: it enters the lifecycle as REPORTED, at this venue, in this area.
    Hazard {
        hazard_id: String,
        venue_id: String,
        area: String,
        grade: HazardGrade,
        note: Option<String>,
    },
    /// Nothing to fix; the reason is shown to the reporter.
    NoHazard { reason: String },
}

/// A report as the grid's workers see it (changes feed): no reporter identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportForGrid {
    pub report_id: String,
    pub category: ReportCategory,
    pub description: String,
    pub location: Option<GeoPoint>,
    pub venue_id: Option<String>,
    pub grid: String,
    pub status: ReportStatus,
    /// Evidence photos (SHA-256) the reporter attached.
    pub photos: Vec<String>,
    /// Server time it arrived.
    pub received_at: String,
    /// The hazard it became, once checked.
    pub hazard_id: Option<String>,
}

/// One step of a report, as its reporter sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportStep {
    pub status: ReportStatus,
    /// Server time.
    pub at: String,
    /// For `no_hazard` and `refused`: why. Never a person's name.
    pub note: Option<String>,
}

/// A resident's own report and its steps (changes feed, only to its reporter).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyReport {
    pub report_id: String,
    pub category: ReportCategory,
    pub description: String,
    pub status: ReportStatus,
    pub steps: Vec<ReportStep>,
}
