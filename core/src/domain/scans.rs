//! Scans of venue codes as inspection events: where the phone was relative to the venue (R8:
//! recorded and flagged, never a block), the `venue.scanned` event, and the proof-of-presence
//! rows the inspection screen reads.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction};

use crate::api::records::GeoPoint;
use crate::api::scan_records::{LocationFix, Presence, ScanOutcome, VenueScanRecord};
use crate::clock::format_utc;
use crate::error::{Error, Result};
use crate::store::text_enum;
use gridpatrol_proto::events::{DomainEvent, GpsFix, VenueScanned};
use gridpatrol_proto::geo;
use gridpatrol_proto::venue_token::VenueClaim;

/// A scan farther than this from the venue, plus the fix's claimed accuracy, is flagged as far.
/// Venues are small and GPS indoors is poor: the margin flags a scan across town, not a scan
/// from the wrong end of the street.
pub const FAR_MARGIN_M: f64 = 200.0;
/// Accuracy claims above this are not believed when widening the threshold (a fix that says
/// "somewhere within 50 km" proves nothing, and must not make every scan "near").
pub const MAX_CREDITED_ACCURACY_M: f64 = 2_000.0;

/// Where the phone was relative to the venue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PresenceCheck {
    pub presence: Presence,
    pub distance_m: Option<f64>,
    pub threshold_m: f64,
}

/// Compares the fix with the venue's location (converted to WGS-84 when it was picked on a
/// GCJ-02 map).
pub fn presence(venue: Option<&GeoPoint>, fix: Option<&LocationFix>) -> PresenceCheck {
    let threshold_m = FAR_MARGIN_M + fix.map_or(0.0, |f| f.accuracy_m.min(MAX_CREDITED_ACCURACY_M));
    let (presence, distance_m) = match (venue, fix) {
        (_, None) => (Presence::NoFix, None),
        (None, Some(_)) => (Presence::VenueUnlocated, None),
        (Some(venue), Some(fix)) => {
            let d = geo::distance_m(geo::to_wgs84(venue), (fix.latitude, fix.longitude));
            let d = (d * 10.0).round() / 10.0; // decimetres: the fix is not better than that
            let presence = if d > threshold_m {
                Presence::Far
            } else {
                Presence::Near
            };
            (presence, Some(d))
        }
    };
    PresenceCheck {
        presence,
        distance_m,
        threshold_m,
    }
}

/// Refuses a fix that cannot be a real one. The message names the field, never the position.
pub fn validate_fix(fix: &LocationFix) -> Result<()> {
    let bad = |what: &str| Err(Error::InvalidInput(format!("the location fix has {what}")));
    if !fix.latitude.is_finite() || !(-90.0..=90.0).contains(&fix.latitude) {
        return bad("an invalid latitude");
    }
    if !fix.longitude.is_finite() || !(-180.0..=180.0).contains(&fix.longitude) {
        return bad("an invalid longitude");
    }
    if !fix.accuracy_m.is_finite() || fix.accuracy_m < 0.0 {
        return bad("an invalid accuracy (metres, at least 0)");
    }
    if fix.provider.trim().is_empty() || fix.provider.chars().count() > 32 {
        return bad("no provider name (1 to 32 characters)");
    }
    if DateTime::<Utc>::from_timestamp_millis(fix.fix_time_ms).is_none() {
        return bad("an invalid fix time");
    }
    Ok(())
}

/// The `venue.scanned` event for a verified `claim` and its `token`, scanned into the
/// inspection `inspection_id` (which the same transaction starts, or which is in progress).
pub fn scanned_event(
    tx: &Transaction<'_>,
    scan_id: &str,
    inspection_id: &str,
    claim: &VenueClaim,
    token: &str,
    fix: Option<&LocationFix>,
) -> Result<DomainEvent> {
    let check = presence(venue_location(tx, &claim.venue_id)?.as_ref(), fix);
    Ok(DomainEvent::VenueScanned(VenueScanned {
        scan_id: scan_id.to_owned(),
        inspection_id: inspection_id.to_owned(),
        venue_id: claim.venue_id.clone(),
        key_id: claim.key_id,
        issued_at: claim.issued_at,
        token: token.to_owned(),
        verification: ScanOutcome::Verified,
        fix: fix.map(|f| GpsFix {
            latitude: f.latitude,
            longitude: f.longitude,
            accuracy_m: f.accuracy_m,
            provider: f.provider.trim().to_owned(),
            mock: f.mock,
            fix_time: DateTime::<Utc>::from_timestamp_millis(f.fix_time_ms)
                .map(|t| format_utc(&t))
                .unwrap_or_default(),
        }),
        distance_m: check.distance_m,
        threshold_m: check.threshold_m,
        presence: check.presence,
        far_from_venue: check.presence == Presence::Far,
    }))
}

/// Projects a `venue.scanned` event recorded at `at`.
pub fn project(tx: &Transaction<'_>, e: &VenueScanned, at: &str) -> Result<()> {
    let fix = e.fix.as_ref();
    tx.execute(
        "INSERT INTO venue_scans (scan_id, inspection_id, venue_id, key_id, issued_at, token,
             verification, latitude, longitude, accuracy_m, provider, mock, fix_time, distance_m,
             threshold_m, presence, far_from_venue, scanned_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        rusqlite::params![
            e.scan_id,
            e.inspection_id,
            e.venue_id,
            e.key_id,
            e.issued_at,
            e.token,
            text_enum::to_text(&e.verification),
            fix.map(|f| f.latitude),
            fix.map(|f| f.longitude),
            fix.map(|f| f.accuracy_m),
            fix.map(|f| f.provider.as_str()),
            fix.map(|f| f.mock),
            fix.map(|f| f.fix_time.as_str()),
            e.distance_m,
            e.threshold_m,
            text_enum::to_text(&e.presence),
            e.far_from_venue,
            at
        ],
    )?;
    Ok(())
}

const SCAN_COLUMNS: &str = "scan_id, inspection_id, venue_id, key_id, issued_at, scanned_at,
    latitude, longitude, accuracy_m, provider, mock, fix_time, distance_m, threshold_m,
    presence, far_from_venue";

/// One recorded scan.
pub fn get(conn: &Connection, scan_id: &str) -> Result<VenueScanRecord> {
    conn.query_row(
        &format!("SELECT {SCAN_COLUMNS} FROM venue_scans WHERE scan_id = ?1"),
        [scan_id],
        row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("scan {scan_id} does not exist")))
}

/// The scans recorded with an inspection, oldest first.
pub fn for_inspection(conn: &Connection, inspection_id: &str) -> Result<Vec<VenueScanRecord>> {
    super::inspections::get(conn, inspection_id)?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SCAN_COLUMNS} FROM venue_scans WHERE inspection_id = ?1
         ORDER BY scanned_at, scan_id"
    ))?;
    let rows = stmt.query_map([inspection_id], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn row(r: &Row<'_>) -> rusqlite::Result<VenueScanRecord> {
    let latitude: Option<f64> = r.get(6)?;
    let fix_time: Option<String> = r.get(11)?;
    let location = match (latitude, fix_time) {
        (Some(latitude), Some(fix_time)) => Some(LocationFix {
            latitude,
            longitude: r.get(7)?,
            accuracy_m: r.get(8)?,
            provider: r.get(9)?,
            mock: r.get(10)?,
            fix_time_ms: DateTime::parse_from_rfc3339(&fix_time)
                .map(|t| t.timestamp_millis())
                .unwrap_or_default(),
        }),
        _ => None,
    };
    let presence: Presence = text_enum::get(r, 14)?;
    Ok(VenueScanRecord {
        scan_id: r.get(0)?,
        inspection_id: r.get(1)?,
        venue_id: r.get(2)?,
        key_id: r.get(3)?,
        issued_at: r.get(4)?,
        scanned_at: r.get(5)?,
        location,
        distance_m: r.get(12)?,
        threshold_m: r.get(13)?,
        presence,
        far_from_venue: r.get(15)?,
    })
}

fn venue_location(conn: &Connection, venue_id: &str) -> Result<Option<GeoPoint>> {
    // the CHECK on `venues` keeps the three columns all NULL or all set
    Ok(conn
        .query_row(
            "SELECT latitude, longitude, coord_system FROM venues
             WHERE venue_id = ?1 AND latitude IS NOT NULL",
            [venue_id],
            |r| {
                Ok(GeoPoint {
                    latitude: r.get(0)?,
                    longitude: r.get(1)?,
                    coord_system: text_enum::get(r, 2)?,
                })
            },
        )
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::records::CoordSystem;

    fn fix(latitude: f64, longitude: f64, accuracy_m: f64) -> LocationFix {
        LocationFix {
            latitude,
            longitude,
            accuracy_m,
            provider: "gps".into(),
            mock: false,
            fix_time_ms: 1_780_000_000_000,
        }
    }

    #[test]
    fn a_gcj02_venue_is_compared_in_wgs84() {
        // the venue picked on a Chinese map: eviltransform's Beijing vector, GCJ-02 side
        let venue = GeoPoint {
            latitude: 39.91334545536069,
            longitude: 116.38404722455657,
            coord_system: CoordSystem::Gcj02,
        };
        // standing on the WGS-84 side of the same point: near, though the raw numbers are
        // ~560 m apart
        let at = presence(Some(&venue), Some(&fix(39.911954, 116.377817, 10.0)));
        assert_eq!(at.presence, Presence::Near);
        assert!(at.distance_m.unwrap() < 0.1, "{at:?}");
        assert_eq!(at.threshold_m, 210.0);
        // a kilometre north: far
        let away = presence(Some(&venue), Some(&fix(39.921, 116.377817, 10.0)));
        assert_eq!(away.presence, Presence::Far);
        assert!(
            (990.0..1020.0).contains(&away.distance_m.unwrap()),
            "{away:?}"
        );
    }

    #[test]
    fn accuracy_widens_the_threshold_up_to_a_cap() {
        let venue = GeoPoint {
            latitude: 39.9,
            longitude: 116.4,
            coord_system: CoordSystem::Wgs84,
        };
        // 300 m away: far with a 10 m fix, near with a 150 m (indoor) fix
        let p = |acc| presence(Some(&venue), Some(&fix(39.9027, 116.4, acc)));
        assert_eq!(p(10.0).presence, Presence::Far);
        assert_eq!(p(150.0).presence, Presence::Near);
        assert_eq!(p(1e9).threshold_m, FAR_MARGIN_M + MAX_CREDITED_ACCURACY_M);
    }

    #[test]
    fn no_fix_or_no_venue_location_means_the_distance_is_unknown() {
        let venue = GeoPoint {
            latitude: 39.9,
            longitude: 116.4,
            coord_system: CoordSystem::Wgs84,
        };
        let none = presence(Some(&venue), None);
        assert_eq!((none.presence, none.distance_m), (Presence::NoFix, None));
        let unlocated = presence(None, Some(&fix(39.9, 116.4, 5.0)));
        assert_eq!(unlocated.presence, Presence::VenueUnlocated);
        assert_eq!(unlocated.distance_m, None);
    }

    #[test]
    fn impossible_fixes_are_refused_without_echoing_the_position() {
        for bad in [
            fix(91.0, 116.4, 5.0),
            fix(39.9, f64::NAN, 5.0),
            fix(39.9, 116.4, -1.0),
            LocationFix {
                provider: " ".into(),
                ..fix(39.9, 116.4, 5.0)
            },
        ] {
            let err = validate_fix(&bad).unwrap_err().to_string();
            assert!(err.starts_with("the location fix has"), "{err}");
            assert!(!err.contains("39.9") && !err.contains("116.4"), "{err}");
        }
        assert!(validate_fix(&fix(39.9, 116.4, 5.0)).is_ok());
    }
}
