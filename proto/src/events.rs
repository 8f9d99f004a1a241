//! The journal's event kinds and their payloads, shared by the phone (which records and projects
//! them) and the server (which applies them). Each payload carries everything needed to
//! apply it (ids made on the device, the pinned item list, the hazards created), so replaying
//! the journal rebuilds the same projections on the phone and on the server.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub use crate::hazard_flow::{HazardAction, HazardStatus};
pub use crate::reports::{ReportChecked, ReportSubmitted};
pub use crate::warnings::{WarningAcknowledged, WarningIssued};

use crate::reference::GeoPoint;
use crate::EventEnvelope;

/// Every kind of event the core records, tagged on the wire by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload")]
pub enum DomainEvent {
    #[serde(rename = "inspection.started")]
    InspectionStarted(InspectionStarted),
    #[serde(rename = "inspection.answered")]
    InspectionAnswered(InspectionAnswered),
    #[serde(rename = "inspection.finished")]
    InspectionFinished(InspectionFinished),
    #[serde(rename = "evidence.added")]
    EvidenceAdded(EvidenceAdded),
    #[serde(rename = "evidence.attached")]
    EvidenceAttached(EvidenceAttached),
    #[serde(rename = "venue.scanned")]
    VenueScanned(VenueScanned),
    #[serde(rename = "hazard.transitioned")]
    HazardTransitioned(HazardTransitioned),
    #[serde(rename = "report.submitted")]
    ReportSubmitted(ReportSubmitted),
    #[serde(rename = "report.checked")]
    ReportChecked(ReportChecked),
    #[serde(rename = "warning.issued")]
    WarningIssued(WarningIssued),
    #[serde(rename = "warning.acknowledged")]
    WarningAcknowledged(WarningAcknowledged),
}

/// Someone acted on a hazard (docs/adr/0012-closed-loop.md). `expected_status` is the state the
/// device saw: when the server's hazard is no longer there because another device's transition
/// came first, this one is recorded as a conflict to resolve, never applied over it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HazardTransitioned {
    pub hazard_id: String,
    #[serde(flatten)]
    pub action: HazardAction,
    pub expected_status: HazardStatus,
    pub note: Option<String>,
}

/// A grid worker started inspecting a venue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionStarted {
    pub inspection_id: String,
    pub venue_id: String,
    pub template_id: String,
    pub template_version: u32,
    /// The checklist items that applied to the venue, pinned for this inspection.
    pub items: Vec<String>,
}

/// An item was answered (again: the latest answer counts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionAnswered {
    pub inspection_id: String,
    pub item_id: String,
    pub verdict: Verdict,
    pub note: Option<String>,
    pub suspected_major: bool,
}

/// The inspection was finished; each failed item became a hazard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectionFinished {
    pub inspection_id: String,
    pub hazards: Vec<HazardFound>,
}

/// A hazard created when an inspection finished, status `REPORTED`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HazardFound {
    pub hazard_id: String,
    pub item_id: String,
    pub area: String,
    pub grade: HazardGrade,
    pub note: Option<String>,
}

/// A photo was taken and normalised into the evidence store. Metadata only: the file itself is
/// uploaded (as a blob) once the photo is attached to something.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceAdded {
    /// SHA-256 of the stored evidence JPEG: what attachments reference and the server verifies.
    pub sha256: String,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
    /// SHA-256 and size of the photo as the camera wrote it.
    pub original_sha256: String,
    pub original_bytes: u64,
    /// Capture time from the original's EXIF, RFC 3339 (with its offset when EXIF has one).
    pub captured_at: Option<String>,
    /// Where the camera says it was (EXIF GPS, WGS-84).
    pub location: Option<GeoPoint>,
}

/// A photo was attached as evidence to an answer or a hazard. The server expects its blob.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceAttached {
    pub sha256: String,
    pub target: EvidenceTarget,
}

/// What a photo is evidence of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EvidenceTarget {
    /// A checklist answer (typically a failed item).
    Answer {
        inspection_id: String,
        item_id: String,
    },
    /// A hazard (before/after photos of a fix, re-check photos).
    Hazard { hazard_id: String },
    /// A resident's report (photos of what they report), attached on the reporter's device.
    Report { report_id: String },
}

/// A venue's posted code was scanned and verified offline, and the inspection `inspection_id`
/// started or continued on it: the proof of presence (R8). Where the phone was is recorded and
/// flagged, never used to refuse the scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VenueScanned {
    /// Made on the device; one per scan.
    pub scan_id: String,
    pub inspection_id: String,
    pub venue_id: String,
    /// The signing key the code names, and when the code was issued (Unix seconds).
    pub key_id: u32,
    pub issued_at: u32,
    /// The token as scanned (without the URL around it), so the server can check it again.
    pub token: String,
    /// What the offline check said (the core records only `verified` scans).
    pub verification: ScanOutcome,
    /// The phone's location fix at the scan, if it had one.
    pub fix: Option<GpsFix>,
    /// Metres from the fix to the venue's recorded location (both in WGS-84); `None` when the
    /// fix or the venue's location is missing.
    pub distance_m: Option<f64>,
    /// The distance above which the scan counts as far: a fixed margin plus the fix's accuracy.
    pub threshold_m: f64,
    pub presence: Presence,
    /// `presence == far`, spelled out for readers of the ledger.
    pub far_from_venue: bool,
}

/// A location fix as the phone's location service reported it (WGS-84).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GpsFix {
    pub latitude: f64,
    pub longitude: f64,
    /// Horizontal accuracy (radius, metres) the location service claims.
    pub accuracy_m: f64,
    /// e.g. `gps`, `network`, `fused`.
    pub provider: String,
    /// The OS says the location came from a mock provider (developer options, spoofing apps).
    pub mock: bool,
    /// When the fix was taken, UTC RFC 3339 with milliseconds.
    pub fix_time: String,
}

/// The result of checking a scanned code offline (docs/adr/0006-venue-token.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScanOutcome {
    /// Signed by a known, unrevoked key, for a venue in the worker's list.
    Verified,
    /// Validly signed, but the venue is not in this device's list.
    VenueNotInList,
    /// Someone else's QR code (not a GridPatrol venue URL or token).
    NotGridpatrol,
    /// Looks like a venue code but cannot be decoded (damaged, truncated, unknown version).
    Malformed,
    /// Signed with a key this device has not synced.
    UnknownKey,
    /// The signature does not match: forged or altered.
    Forged,
    /// The key is revoked, or the venue's codes issued before a date are.
    Revoked,
}

/// How a scan's location relates to the venue's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Within the threshold of the venue.
    Near,
    /// Farther than the threshold: flagged.
    Far,
    /// The phone had no location fix: distance unknown, flagged.
    NoFix,
    /// The venue has no recorded location: distance unknown.
    VenueUnlocated,
}

/// A checklist answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
    /// Not applicable at this venue (e.g. no hydrant in a 20 m² shop).
    Na,
}

/// A hazard's grade. A grid worker never decides "major": they mark it suspected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HazardGrade {
    General,
    SuspectedMajor,
}

impl DomainEvent {
    /// Splits the event into its `kind` and payload for the journal.
    pub fn into_parts(self) -> serde_json::Result<(String, Value)> {
        let mut tagged = serde_json::to_value(self)?;
        let kind = tagged["kind"].as_str().unwrap_or_default().to_owned();
        Ok((kind, tagged["payload"].take()))
    }

    /// SHA-256s of the blobs (evidence files) the server must hold before this event is complete.
    pub fn blobs(&self) -> Vec<&str> {
        match self {
            DomainEvent::EvidenceAttached(e) => vec![e.sha256.as_str()],
            DomainEvent::HazardTransitioned(e) => e.action.photos(),
            _ => Vec::new(),
        }
    }

    /// Reads a journal event back; fails on an unknown kind or a payload of the wrong shape.
    pub fn from_envelope(event: &EventEnvelope) -> serde_json::Result<DomainEvent> {
        serde_json::from_value(json!({"kind": event.kind, "payload": event.payload}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_and_payload_split_and_rejoin() {
        let event = DomainEvent::InspectionAnswered(InspectionAnswered {
            inspection_id: "i1".into(),
            item_id: "R01".into(),
            verdict: Verdict::Fail,
            note: Some("后门锁闭".into()),
            suspected_major: true,
        });
        let (kind, payload) = event.clone().into_parts().unwrap();
        assert_eq!(kind, "inspection.answered");
        assert_eq!(payload["verdict"], "fail");
        let envelope = EventEnvelope {
            event_id: "e".into(),
            device_id: "d".into(),
            device_seq: 1,
            kind,
            payload,
            device_time: String::new(),
            utc_offset_min: 0,
            uptime_ms: 0,
            prev_hash: String::new(),
            hash: String::new(),
        };
        assert_eq!(DomainEvent::from_envelope(&envelope).unwrap(), event);
    }

    #[test]
    fn a_scan_event_names_its_outcome_and_presence_in_snake_case() {
        let event = DomainEvent::VenueScanned(VenueScanned {
            scan_id: "s1".into(),
            inspection_id: "i1".into(),
            venue_id: "CY-JS-001".into(),
            key_id: 1,
            issued_at: 1_780_000_000,
            token: "AQ".into(),
            verification: ScanOutcome::Verified,
            fix: None,
            distance_m: None,
            threshold_m: 200.0,
            presence: Presence::NoFix,
            far_from_venue: false,
        });
        let (kind, payload) = event.into_parts().unwrap();
        assert_eq!(kind, "venue.scanned");
        assert_eq!(payload["verification"], "verified");
        assert_eq!(payload["presence"], "no_fix");
        assert_eq!(
            serde_json::to_value(ScanOutcome::NotGridpatrol).unwrap(),
            "not_gridpatrol"
        );
    }
}
