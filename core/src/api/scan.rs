//! The scan-to-inspect part of `GridPatrol` (扫码检查): decoding camera frames and image files,
//! verifying venue codes offline, starting an inspection from a verified code with proof of
//! presence, and the key set codes are verified with.

use std::path::Path;

use super::gridpatrol::GridPatrol;
use super::scan_records::{
    LocationFix, ScanInspection, ScanResult, ScanVerification, VenueScanRecord,
};
use super::GridPatrolError;
use crate::error::Error;

type Result<T> = std::result::Result<T, GridPatrolError>;

#[uniffi::export]
impl GridPatrol {
    /// Every QR code in a camera frame's luma (Y) plane, each with its verification. Pass the
    /// plane as the camera gives it: `row_stride` bytes per row (≥ `width`; the last row may
    /// omit its padding). Light-on-dark codes are found too. No code: an empty list.
    /// Inconsistent sizes: `InvalidInput`. Takes tens of milliseconds: call off the UI thread.
    pub fn scan_frame(
        &self,
        bytes: Vec<u8>,
        width: u32,
        height: u32,
        row_stride: u32,
    ) -> Result<Vec<ScanResult>> {
        Ok(self
            .engine()?
            .scan_frame(&bytes, width, height, row_stride)?)
    }

    /// Every QR code in a JPEG or PNG file, each with its verification. An unreadable file is
    /// `InvalidInput`, a missing one `NotFound`.
    pub fn scan_image(&self, path: String) -> Result<Vec<ScanResult>> {
        Ok(self.engine()?.scan_image(Path::new(&path))?)
    }

    /// Verifies a scanned text (a venue URL or a bare token) offline, e.g. from a deep link.
    pub fn verify_scan(&self, text: String) -> Result<ScanVerification> {
        Ok(self.engine()?.verify_scan(&text)?)
    }

    /// Starts the inspection of the venue whose code was scanned (or continues the one in
    /// progress there), recording the scan, the location fix and the distance to the venue.
    /// A far-away fix or no fix is recorded and flagged, never refused. A code that does not
    /// verify starts nothing and fails with a reason naming the outcome: `InvalidInput` (not a
    /// GridPatrol code, malformed), `NotFound` (unknown key: sync first; venue not in this
    /// worker's list), `Rejected` (forged, revoked).
    pub fn start_inspection_from_scan(
        &self,
        token_or_url: String,
        location: Option<LocationFix>,
    ) -> Result<ScanInspection> {
        Ok(self
            .engine()?
            .start_inspection_from_scan(&token_or_url, location)?)
    }

    /// The scans recorded with an inspection (its proof of presence), oldest first.
    pub fn inspection_scans(&self, inspection_id: String) -> Result<Vec<VenueScanRecord>> {
        Ok(self.engine()?.inspection_scans(&inspection_id)?)
    }

    /// Imports a published key set, a JSON list of `{"key_id", "public_key", "revoked"}`
    /// (sync brings the same keys); all or nothing. Returns how many keys it held.
    pub fn import_signing_keys(&self, json: String) -> Result<u32> {
        Ok(self.engine()?.import_signing_keys(&json)?)
    }

    /// [`Self::import_signing_keys`] from a file.
    pub fn import_signing_keys_file(&self, path: String) -> Result<u32> {
        let json = std::fs::read_to_string(&path)
            .map_err(|e| Error::InvalidInput(format!("cannot read key file {path}: {e}")))?;
        Ok(self.engine()?.import_signing_keys(&json)?)
    }
}
