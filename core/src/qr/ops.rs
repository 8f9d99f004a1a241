//! The engine's scan commands: decode a camera frame or an image file, verify every payload
//! offline, start (or continue) an inspection from a verified code with the scan recorded as
//! its own journal event, and import the key set codes are verified with.

use std::path::Path;

use super::verify::{self, Checked};
use super::{keys, LumaPlane, QrCode, QrDecoder};
use crate::api::scan_records::{
    LocationFix, ScanInspection, ScanPoint, ScanResult, ScanVerification, VenueScanRecord,
};
use crate::domain::{inspections, scans};
use crate::engine::Engine;
use crate::error::Result;
use gridpatrol_proto::venue_token::VenueClaim;

impl Engine {
    /// Every code in a camera luma plane (`row_stride` bytes per row, the last row may omit
    /// its padding), each with its verification. No code is an empty list, not an error.
    pub fn scan_frame(
        &self,
        bytes: &[u8],
        width: u32,
        height: u32,
        row_stride: u32,
    ) -> Result<Vec<ScanResult>> {
        let plane = LumaPlane::new(bytes, width, height, row_stride)?;
        self.verify_codes(QrDecoder::new().decode_plane(&plane))
    }

    /// Every code in a JPEG or PNG file, each with its verification.
    pub fn scan_image(&self, path: &Path) -> Result<Vec<ScanResult>> {
        let codes = QrDecoder::new().decode_file(path)?;
        self.verify_codes(codes)
    }

    /// Verifies a payload the app got another way (a deep link from the system camera).
    pub fn verify_scan(&self, text: &str) -> Result<ScanVerification> {
        Ok(self
            .core
            .store
            .read(|c| verify::check(c, text))?
            .verification)
    }

    /// Verifies `text` offline and, if it is a valid code of a venue in this worker's list,
    /// starts the inspection of that venue (or continues the one in progress) and records the
    /// scan with the fix and the distance to the venue, in one transaction. Any other outcome
    /// is an error naming it, and nothing is written.
    pub fn start_inspection_from_scan(
        &self,
        text: &str,
        fix: Option<LocationFix>,
    ) -> Result<ScanInspection> {
        if let Some(fix) = &fix {
            scans::validate_fix(fix)?;
        }
        let new_inspection = uuid::Uuid::now_v7().to_string();
        let scan_id = uuid::Uuid::now_v7().to_string();
        let mut inspection_id = new_inspection.clone();
        let mut continued = false;
        self.record_all(|tx| {
            // verified inside the write transaction: a key revoked by a sync a moment ago counts
            let Checked {
                token,
                verification,
            } = verify::check(tx, text)?;
            if let Some(refusal) = verify::refusal(&verification) {
                return Err(refusal);
            }
            let (
                ScanVerification::Verified {
                    venue_id,
                    key_id,
                    issued_at,
                    ..
                },
                Some(token),
            ) = (verification, token)
            else {
                unreachable!("a verified code has a token");
            };
            let mut events = Vec::new();
            match inspections::start(tx, &venue_id, &new_inspection)? {
                inspections::Start::Continue(existing) => {
                    inspection_id = existing;
                    continued = true;
                }
                inspections::Start::New(event) => events.push(event),
            }
            let claim = VenueClaim {
                venue_id,
                key_id,
                issued_at,
            };
            events.push(scans::scanned_event(
                tx,
                &scan_id,
                &inspection_id,
                &claim,
                &token,
                fix.as_ref(),
            )?);
            Ok(events)
        })?;
        let inspection = self.inspection(&inspection_id)?;
        let scan = self.core.store.read(|c| scans::get(c, &scan_id))?;
        Ok(ScanInspection {
            inspection,
            scan,
            continued,
        })
    }

    /// The scans recorded with an inspection (its proof of presence), oldest first.
    pub fn inspection_scans(&self, inspection_id: &str) -> Result<Vec<VenueScanRecord>> {
        self.core
            .store
            .read(|c| scans::for_inspection(c, inspection_id))
    }

    /// Imports a published key set (JSON list of `{key_id, public_key, revoked}`); all or
    /// nothing. Returns how many keys it held.
    pub fn import_signing_keys(&self, json: &str) -> Result<u32> {
        self.core.store.write(|tx| keys::import_json(tx, json))
    }

    fn verify_codes(&self, codes: Vec<QrCode>) -> Result<Vec<ScanResult>> {
        if codes.is_empty() {
            return Ok(Vec::new());
        }
        self.core.store.read(|c| {
            codes
                .into_iter()
                .map(|code| {
                    Ok(ScanResult {
                        verification: verify::check(c, &code.text)?.verification,
                        corners: code
                            .corners
                            .iter()
                            .map(|p| ScanPoint { x: p.x, y: p.y })
                            .collect(),
                        text: code.text,
                    })
                })
                .collect()
        })
    }
}
