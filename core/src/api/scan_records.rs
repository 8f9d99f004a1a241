//! The records of scan-to-inspect: what a scan found and how each payload verified, the GPS
//! fix the app passes in, and the proof of presence recorded with an inspection.

use serde::Serialize;

use super::records::InspectionRecord;
pub use gridpatrol_proto::events::{Presence, ScanOutcome};

/// How a scan's location relates to the venue's recorded location.
#[uniffi::remote(Enum)]
pub enum Presence {
    /// Within the threshold of the venue.
    Near,
    /// Farther than the threshold (a fixed margin plus the fix's accuracy): flagged, not blocked.
    Far,
    /// The phone had no location fix: the distance is unknown, and that is flagged.
    NoFix,
    /// The venue has no recorded location: the distance is unknown.
    VenueUnlocated,
}

/// A location fix from the phone's location service, in WGS-84 as GPS reports it.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct LocationFix {
    pub latitude: f64,
    pub longitude: f64,
    /// Horizontal accuracy radius in metres, as the OS reports it.
    pub accuracy_m: f64,
    /// The provider, e.g. `gps`, `network`, `fused`.
    pub provider: String,
    /// The OS flagged the fix as coming from a mock location provider.
    pub mock: bool,
    /// When the fix was taken: Unix time in milliseconds (Android `Location.getTime()`).
    pub fix_time_ms: i64,
}

/// A corner of a found code, in frame (or image) pixel coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, uniffi::Record)]
pub struct ScanPoint {
    pub x: f32,
    pub y: f32,
}

/// What the offline check says about one scanned payload. Only `Verified` can start an
/// inspection; each other outcome has its own message for the worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Enum)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ScanVerification {
    /// A valid code of a venue in this worker's list.
    Verified {
        venue_id: String,
        venue_name: String,
        key_id: u32,
        /// When the code was issued, Unix seconds.
        issued_at: u32,
    },
    /// A validly signed code of a venue that is not in this device's list (another grid).
    VenueNotInList {
        venue_id: String,
        key_id: u32,
        issued_at: u32,
    },
    /// Someone else's QR code (a payment code, a Wi-Fi code, another site's URL).
    NotGridpatrol,
    /// A GridPatrol venue URL whose token cannot be decoded (damaged, truncated, unknown
    /// version).
    Malformed { reason: String },
    /// Signed with a key this device has not synced: sync, then scan again.
    UnknownKey { key_id: u32 },
    /// The signature does not match the key it names: a forged or altered code.
    Forged { key_id: u32 },
    /// The signing key was revoked (`key_revoked`), or this venue's codes issued before a
    /// date were (a copied code was found; a reprinted code is valid).
    Revoked {
        venue_id: String,
        key_id: u32,
        issued_at: u32,
        key_revoked: bool,
    },
}

impl ScanVerification {
    /// The outcome without its details (`verified`, `forged`, … on the wire and in the CLI).
    pub fn outcome(&self) -> ScanOutcome {
        match self {
            ScanVerification::Verified { .. } => ScanOutcome::Verified,
            ScanVerification::VenueNotInList { .. } => ScanOutcome::VenueNotInList,
            ScanVerification::NotGridpatrol => ScanOutcome::NotGridpatrol,
            ScanVerification::Malformed { .. } => ScanOutcome::Malformed,
            ScanVerification::UnknownKey { .. } => ScanOutcome::UnknownKey,
            ScanVerification::Forged { .. } => ScanOutcome::Forged,
            ScanVerification::Revoked { .. } => ScanOutcome::Revoked,
        }
    }
}

/// One code found in a frame or image, and its verification.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct ScanResult {
    /// The payload as decoded (for a venue code: its URL).
    pub text: String,
    pub verification: ScanVerification,
    /// The code's corners, to outline it on the preview.
    pub corners: Vec<ScanPoint>,
}

/// A recorded scan: the proof of presence the inspection screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct VenueScanRecord {
    pub scan_id: String,
    pub inspection_id: String,
    pub venue_id: String,
    pub key_id: u32,
    pub issued_at: u32,
    /// Device time of the scan, UTC RFC 3339.
    pub scanned_at: String,
    /// The fix recorded with the scan (WGS-84), if the phone had one.
    pub location: Option<LocationFix>,
    /// Metres from the fix to the venue, if both are known.
    pub distance_m: Option<f64>,
    /// Farther than this counts as far: a fixed margin plus the fix's accuracy.
    pub threshold_m: f64,
    pub presence: Presence,
    pub far_from_venue: bool,
}

/// What `start_inspection_from_scan` did: the inspection (new, or the one already in progress at
/// the venue) and the scan recorded with it.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct ScanInspection {
    pub inspection: InspectionRecord,
    pub scan: VenueScanRecord,
    /// True when an inspection of this venue was already in progress and continues.
    pub continued: bool,
}
