//! The evidence tables (migration 003): reads take `&Connection`, writes `&Transaction`.
//!
//! `evidence` and `evidence_links` are projections of the journal (`domain::project`);
//! `evidence_files` is this device's bookkeeping of the files behind them (thumbnail facts, and
//! whether garbage collection removed them), written beside the events that create the rows.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use super::normalize::NormalizedPhoto;
use super::source::SourceFormat;
use super::store::evidence_paths;
use crate::api::records::{CoordSystem, EvidenceInfo, EvidenceTarget, GeoPoint};
use crate::domain::{hazard_view, inspections, reports};
use crate::error::{Error, Result};

/// Whether a recorded photo's files are on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileState {
    Stored,
    /// Garbage collection removed the files (or this device never had them).
    Collected,
}

/// Checks that `target` can take a photo now: an answer of an inspection in progress whose
/// checklist has the item, or a hazard this device knows.
pub fn check_target(conn: &Connection, target: &EvidenceTarget) -> Result<()> {
    if let EvidenceTarget::Answer { inspection_id, .. } = target {
        inspections::require_in_progress(conn, inspection_id)?;
    }
    check_target_exists(conn, target)
}

/// Checks that `target` names something this device knows (finished inspections included).
pub fn check_target_exists(conn: &Connection, target: &EvidenceTarget) -> Result<()> {
    match target {
        EvidenceTarget::Answer {
            inspection_id,
            item_id,
        } => {
            inspections::get(conn, inspection_id)?;
            let on_list: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM inspection_items
                                WHERE inspection_id = ?1 AND item_id = ?2)",
                params![inspection_id, item_id],
                |r| r.get(0),
            )?;
            if !on_list {
                return Err(Error::InvalidInput(format!(
                    "item {item_id} is not on this inspection's checklist"
                )));
            }
        }
        EvidenceTarget::Hazard { hazard_id } => {
            // Hazards this device found or opened from a report, and those of the grid it
            // pulled (re-check photos).
            if !hazard_view::exists(conn, hazard_id)? {
                return Err(Error::NotFound(format!(
                    "hazard '{hazard_id}' does not exist"
                )));
            }
        }
        EvidenceTarget::Report { report_id } => {
            // A resident's photos go with the report they sent from this device.
            if !reports::submitted_here(conn, report_id)? {
                return Err(Error::NotFound(format!(
                    "report '{report_id}' was not submitted from this device"
                )));
            }
        }
    }
    Ok(())
}

/// The evidence hash of a photo whose original had this SHA-256 and whose files are on disk.
pub fn stored_by_original(conn: &Connection, original_sha256: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT e.sha256 FROM evidence e JOIN evidence_files f ON f.sha256 = e.sha256
             WHERE e.original_sha256 = ?1 AND f.collected_at IS NULL
             ORDER BY e.added_at DESC LIMIT 1",
            [original_sha256],
            |r| r.get(0),
        )
        .optional()?)
}

/// Whether evidence `sha256` is recorded, and if so whether its files are on disk.
pub fn file_state(conn: &Connection, sha256: &str) -> Result<Option<FileState>> {
    let row: Option<Option<bool>> = conn
        .query_row(
            "SELECT f.collected_at IS NULL FROM evidence e
             LEFT JOIN evidence_files f ON f.sha256 = e.sha256 WHERE e.sha256 = ?1",
            [sha256],
            |r| r.get(0),
        )
        .optional()?;
    Ok(row.map(|stored| match stored {
        Some(true) => FileState::Stored,
        _ => FileState::Collected,
    }))
}

/// Records (or, for a collected photo stored again, renews) this device's files of `photo`.
pub fn record_files(tx: &Transaction<'_>, photo: &NormalizedPhoto, now: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO evidence_files (sha256, thumb_sha256, thumb_bytes, thumb_width, thumb_height,
             original_format, original_width, original_height, orientation, stored_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (sha256) DO UPDATE SET thumb_sha256 = excluded.thumb_sha256,
             thumb_bytes = excluded.thumb_bytes, thumb_width = excluded.thumb_width,
             thumb_height = excluded.thumb_height, original_format = excluded.original_format,
             original_width = excluded.original_width, original_height = excluded.original_height,
             orientation = excluded.orientation, stored_at = excluded.stored_at,
             collected_at = NULL",
        params![
            photo.evidence.sha256.to_hex(),
            photo.thumbnail.sha256.to_hex(),
            photo.thumbnail.bytes,
            photo.thumbnail.width,
            photo.thumbnail.height,
            match photo.original.format {
                SourceFormat::Jpeg => "jpeg",
                SourceFormat::Png => "png",
            },
            photo.original.width,
            photo.original.height,
            photo.orientation.exif_value(),
            now
        ],
    )?;
    Ok(())
}

/// The photo was ingested again: its grace period as a draft starts over.
pub fn touch(tx: &Transaction<'_>, sha256: &str, now: &str) -> Result<()> {
    tx.execute(
        "UPDATE evidence_files SET stored_at = ?2 WHERE sha256 = ?1",
        params![sha256, now],
    )?;
    Ok(())
}

/// Whether `sha256` is already attached to `target`.
pub fn is_attached(conn: &Connection, sha256: &str, target: &EvidenceTarget) -> Result<bool> {
    let [inspection_id, item_id, hazard_id, report_id] = target_columns(target);
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM evidence_links WHERE sha256 = ?1
             AND inspection_id IS ?2 AND item_id IS ?3 AND hazard_id IS ?4 AND report_id IS ?5)",
        params![sha256, inspection_id, item_id, hazard_id, report_id],
        |r| r.get(0),
    )?)
}

/// The `evidence_links` columns naming `target`: inspection, item, hazard, report.
fn target_columns(target: &EvidenceTarget) -> [Option<&str>; 4] {
    match target {
        EvidenceTarget::Answer {
            inspection_id,
            item_id,
        } => [Some(inspection_id), Some(item_id), None, None],
        EvidenceTarget::Hazard { hazard_id } => [None, None, Some(hazard_id), None],
        EvidenceTarget::Report { report_id } => [None, None, None, Some(report_id)],
    }
}

const SELECT_INFO: &str = "
    SELECT e.sha256, e.bytes, e.width, e.height, f.thumb_bytes, f.thumb_width, f.thumb_height,
           e.original_sha256, e.original_bytes, f.original_format, f.original_width,
           f.original_height, f.orientation, e.captured_at, e.latitude, e.longitude, e.added_at,
           f.collected_at IS NULL
    FROM evidence e JOIN evidence_files f ON f.sha256 = e.sha256";

fn info_from_row(dir: &Path, r: &Row<'_>) -> rusqlite::Result<EvidenceInfo> {
    let sha256: String = r.get(0)?;
    let (path, thumbnail_path) = evidence_paths(dir, &sha256);
    let latitude: Option<f64> = r.get(14)?;
    let longitude: Option<f64> = r.get(15)?;
    Ok(EvidenceInfo {
        path: path.display().to_string(),
        bytes: r.get(1)?,
        width: r.get(2)?,
        height: r.get(3)?,
        thumbnail_path: thumbnail_path.display().to_string(),
        thumbnail_bytes: r.get(4)?,
        thumbnail_width: r.get(5)?,
        thumbnail_height: r.get(6)?,
        original_sha256: r.get(7)?,
        original_bytes: r.get(8)?,
        original_format: r.get(9)?,
        original_width: r.get(10)?,
        original_height: r.get(11)?,
        orientation: r.get(12)?,
        captured_at: r.get(13)?,
        location: latitude
            .zip(longitude)
            .map(|(latitude, longitude)| GeoPoint {
                latitude,
                longitude,
                coord_system: CoordSystem::Wgs84,
            }),
        added_at: r.get(16)?,
        stored: r.get(17)?,
        sha256,
    })
}

/// One recorded photo.
pub fn info(conn: &Connection, dir: &Path, sha256: &str) -> Result<EvidenceInfo> {
    conn.prepare_cached(&format!("{SELECT_INFO} WHERE e.sha256 = ?1"))?
        .query_row([sha256], |r| info_from_row(dir, r))
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("evidence {sha256} does not exist")))
}

/// The photos attached to `target`, in the order they were attached.
pub fn list_for_target(
    conn: &Connection,
    dir: &Path,
    target: &EvidenceTarget,
) -> Result<Vec<EvidenceInfo>> {
    let [inspection_id, item_id, hazard_id, report_id] = target_columns(target);
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_INFO} JOIN evidence_links l ON l.sha256 = e.sha256
         WHERE l.inspection_id IS ?1 AND l.item_id IS ?2 AND l.hazard_id IS ?3
             AND l.report_id IS ?4
         ORDER BY l.attached_at, e.sha256"
    ))?;
    let rows = stmt.query_map(params![inspection_id, item_id, hazard_id, report_id], |r| {
        info_from_row(dir, r)
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A photo whose files are on disk, as verification needs it.
pub struct StoredRow {
    pub sha256: String,
    pub bytes: u64,
    pub thumb_sha256: String,
    pub thumb_bytes: u64,
}

/// Every photo whose files should be on disk, oldest first.
pub fn stored(conn: &Connection) -> Result<Vec<StoredRow>> {
    stored_where(conn, "1", [])
}

/// Photos nothing is attached to, stored before `before` (UTC text), with files on disk.
pub fn abandoned(conn: &Connection, before: &str) -> Result<Vec<StoredRow>> {
    stored_where(
        conn,
        "f.stored_at < ?1 AND NOT EXISTS (SELECT 1 FROM evidence_links l WHERE l.sha256 = e.sha256)",
        [before],
    )
}

fn stored_where<P: rusqlite::Params>(
    conn: &Connection,
    condition: &str,
    params: P,
) -> Result<Vec<StoredRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT e.sha256, e.bytes, f.thumb_sha256, f.thumb_bytes
         FROM evidence e JOIN evidence_files f ON f.sha256 = e.sha256
         WHERE f.collected_at IS NULL AND {condition} ORDER BY e.added_at, e.sha256"
    ))?;
    let rows = stmt.query_map(params, |r| {
        Ok(StoredRow {
            sha256: r.get(0)?,
            bytes: r.get(1)?,
            thumb_sha256: r.get(2)?,
            thumb_bytes: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Garbage collection removed the files of `sha256`.
pub fn mark_collected(tx: &Transaction<'_>, sha256: &str, now: &str) -> Result<()> {
    tx.execute(
        "UPDATE evidence_files SET collected_at = ?2 WHERE sha256 = ?1",
        params![sha256, now],
    )?;
    Ok(())
}
