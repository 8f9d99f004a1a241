//! The evidence part of `GridPatrol`: photos taken in, attached to answers and hazards, listed,
//! verified and cleaned up; and the records those calls return.

use std::path::Path;
use std::time::Duration;

use serde::Serialize;

use super::gridpatrol::GridPatrol;
use super::records::GeoPoint;
use super::GridPatrolError;

pub use gridpatrol_proto::events::EvidenceTarget;

type Result<T> = std::result::Result<T, GridPatrolError>;

/// What a photo is evidence of.
#[uniffi::remote(Enum)]
pub enum EvidenceTarget {
    /// A checklist answer of an inspection (typically a failed item).
    Answer {
        inspection_id: String,
        item_id: String,
    },
    /// A hazard (before/after photos of a fix, re-check photos).
    Hazard { hazard_id: String },
    /// A resident's report (photos of what they report), on the reporter's device.
    Report { report_id: String },
}

/// A stored evidence photo: the normalised JPEG (upright, long edge ≤ 1600 px, q80, no EXIF)
/// and its thumbnail, named by the evidence file's SHA-256, with what was read from the original.
#[derive(Debug, Clone, PartialEq, Serialize, uniffi::Record)]
pub struct EvidenceInfo {
    /// SHA-256 of the evidence file: what events reference and the server verifies.
    pub sha256: String,
    /// The evidence file (`<evidence_dir>/<sha256>.jpg`).
    pub path: String,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
    /// The thumbnail for lists (`<evidence_dir>/thumbs/<sha256>.jpg`, long edge ≤ 320 px).
    pub thumbnail_path: String,
    pub thumbnail_bytes: u64,
    pub thumbnail_width: u32,
    pub thumbnail_height: u32,
    /// SHA-256 and size of the photo as the camera wrote it (the original is never modified).
    pub original_sha256: String,
    pub original_bytes: u64,
    /// `jpeg` or `png`.
    pub original_format: String,
    /// The original's pixel size as stored, before `orientation` was applied.
    pub original_width: u32,
    pub original_height: u32,
    /// The EXIF orientation (1–8) that was applied to the pixels.
    pub orientation: u8,
    /// Capture time from the original's EXIF, RFC 3339 (local time when EXIF has no offset).
    pub captured_at: Option<String>,
    /// Where the camera says it was (EXIF GPS, WGS-84); kept in the record, not in the file.
    pub location: Option<GeoPoint>,
    /// When this device first recorded the photo.
    pub added_at: String,
    /// The files are on disk (false once an abandoned draft was garbage-collected).
    pub stored: bool,
}

/// One evidence file that does not match its record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct EvidenceProblem {
    /// The photo's evidence hash.
    pub sha256: String,
    /// The file with the problem (the evidence file or its thumbnail).
    pub path: String,
    /// What is wrong: missing, unreadable, or different content.
    pub problem: String,
}

/// The result of re-hashing the evidence folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct EvidenceReport {
    /// Photos checked (each: evidence file and thumbnail).
    pub checked: u64,
    /// Files that are missing or differ from their record; empty when all is well.
    pub problems: Vec<EvidenceProblem>,
}

/// What a garbage collection removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct GarbageReport {
    /// Abandoned drafts whose files were deleted.
    pub collected: u32,
    pub bytes_freed: u64,
}

#[uniffi::export]
impl GridPatrol {
    /// Takes the photo at `path` (JPEG or PNG, e.g. from the in-app camera) into the evidence
    /// folder and attaches it to `target`: an answer of an inspection in progress, or a hazard.
    /// The original file is only read. The same photo taken in twice is one evidence record;
    /// attaching it to the same target again changes nothing. A bad photo (empty, truncated,
    /// not an image, a decompression bomb, too many pixels) is `InvalidInput`; a missing or
    /// vanishing file `NotFound`; too little free space `Storage`. Nothing is saved on error.
    pub fn attach_photo(&self, target: EvidenceTarget, path: String) -> Result<EvidenceInfo> {
        Ok(self.engine()?.attach_photo(&target, Path::new(&path))?)
    }

    /// Takes the photo at `path` in as a draft, attached to nothing yet (show it, then
    /// `attach_photo` with the same path: it is not decoded again). Drafts nothing is attached
    /// to are deleted after a grace period (`collect_garbage`).
    pub fn ingest_photo(&self, path: String) -> Result<EvidenceInfo> {
        Ok(self.engine()?.ingest_photo(Path::new(&path))?)
    }

    /// The photos attached to `target`, in the order they were attached.
    pub fn list_evidence(&self, target: EvidenceTarget) -> Result<Vec<EvidenceInfo>> {
        Ok(self.engine()?.list_evidence(&target)?)
    }

    /// Re-hashes every stored evidence file and thumbnail against its record.
    pub fn verify_evidence(&self) -> Result<EvidenceReport> {
        Ok(self.engine()?.verify_evidence()?)
    }

    /// Deletes the files of drafts nothing was attached to that were last taken in more than
    /// `older_than_seconds` ago (default: 7 days, what also runs when the core opens).
    /// Attached photos are never deleted.
    pub fn collect_garbage(&self, older_than_seconds: Option<u64>) -> Result<GarbageReport> {
        let grace =
            older_than_seconds.map_or(crate::evidence::DEFAULT_GC_GRACE, Duration::from_secs);
        Ok(self.engine()?.collect_garbage(grace)?)
    }
}
