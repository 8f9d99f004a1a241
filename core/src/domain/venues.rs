//! Venues (场所底数): imported from a JSON file for now, later pulled from the server. Venues
//! are reference data, not user actions, so importing one writes no journal event.

use gridpatrol_proto::reference::{Venue, VenueFile};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use super::Lang;
use crate::api::records::{GeoPoint, VenueRecord};
use crate::error::{Error, Result};
use crate::store::text_enum;

/// Imports (or updates) every venue in `json` (`{"venues": [...]}`); all or nothing. Returns how
/// many were imported.
pub fn import_json(tx: &Transaction<'_>, json: &str) -> Result<u32> {
    let file: VenueFile = serde_json::from_str(json)
        .map_err(|e| Error::InvalidInput(format!("venue file is not valid: {e}")))?;
    upsert(tx, &file.venues)
}

/// Inserts or updates `venues`, after validating all of them.
pub fn upsert(tx: &Transaction<'_>, venues: &[Venue]) -> Result<u32> {
    for v in venues {
        validate(tx, v)?;
    }
    let mut stmt = tx.prepare_cached(
        "INSERT INTO venues (venue_id, name, venue_type, industry, address, district, street,
             community, grid, latitude, longitude, coord_system, responsible_name,
             responsible_phone, risk_colour)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT (venue_id) DO UPDATE SET name = excluded.name,
             venue_type = excluded.venue_type, industry = excluded.industry,
             address = excluded.address, district = excluded.district, street = excluded.street,
             community = excluded.community, grid = excluded.grid, latitude = excluded.latitude,
             longitude = excluded.longitude, coord_system = excluded.coord_system,
             responsible_name = excluded.responsible_name,
             responsible_phone = excluded.responsible_phone, risk_colour = excluded.risk_colour",
    )?;
    for v in venues {
        let loc = v.location.as_ref();
        stmt.execute(params![
            v.venue_id,
            v.name,
            v.venue_type,
            v.industry,
            v.address,
            v.district,
            v.street,
            v.community,
            v.grid,
            loc.map(|p| p.latitude),
            loc.map(|p| p.longitude),
            loc.map(|p| text_enum::to_text(&p.coord_system)),
            v.responsible_name,
            v.responsible_phone,
            text_enum::to_text(&v.risk_colour),
        ])?;
    }
    Ok(venues.len() as u32)
}

fn validate(conn: &Connection, v: &Venue) -> Result<()> {
    let bad = |what: String| Error::InvalidInput(format!("venue '{}': {what}", v.venue_id));
    if v.venue_id.trim().is_empty() {
        return Err(Error::InvalidInput("a venue has an empty venue_id".into()));
    }
    if v.name.trim().is_empty() {
        return Err(bad("empty name".into()));
    }
    let known: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM venue_types WHERE code = ?1)",
        [&v.venue_type],
        |r| r.get(0),
    )?;
    if !known {
        return Err(bad(format!("unknown venue type '{}'", v.venue_type)));
    }
    if let Some(p) = &v.location {
        if !(-90.0..=90.0).contains(&p.latitude) || !(-180.0..=180.0).contains(&p.longitude) {
            return Err(bad("location out of range".into()));
        }
    }
    Ok(())
}

/// Every venue, by grid then name.
pub fn list(conn: &Connection, lang: Lang) -> Result<Vec<VenueRecord>> {
    let mut stmt = conn.prepare_cached(&select(lang, "ORDER BY v.grid, v.name, v.venue_id"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One venue.
pub fn get(conn: &Connection, lang: Lang, venue_id: &str) -> Result<VenueRecord> {
    conn.prepare_cached(&select(lang, "WHERE v.venue_id = ?1"))?
        .query_row([venue_id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound(format!("venue '{venue_id}' is not in this device's list")))
}

fn select(lang: Lang, tail: &str) -> String {
    format!(
        "SELECT v.venue_id, v.name, v.venue_type, t.name_{l}, t.small_venue, v.industry, v.address,
                v.district, v.street, v.community, v.grid, v.latitude, v.longitude, v.coord_system,
                v.responsible_name, v.responsible_phone, v.risk_colour
         FROM venues v JOIN venue_types t ON t.code = v.venue_type {tail}",
        l = lang.col()
    )
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<VenueRecord> {
    let location = match (r.get::<_, Option<f64>>(11)?, r.get::<_, Option<f64>>(12)?) {
        (Some(latitude), Some(longitude)) => Some(GeoPoint {
            latitude,
            longitude,
            coord_system: text_enum::get(r, 13)?,
        }),
        _ => None,
    };
    Ok(VenueRecord {
        venue_id: r.get(0)?,
        name: r.get(1)?,
        venue_type: r.get(2)?,
        venue_type_name: r.get(3)?,
        small_venue: r.get(4)?,
        industry: r.get(5)?,
        address: r.get(6)?,
        district: r.get(7)?,
        street: r.get(8)?,
        community: r.get(9)?,
        grid: r.get(10)?,
        location,
        responsible_name: r.get(14)?,
        responsible_phone: r.get(15)?,
        risk_colour: text_enum::get(r, 16)?,
    })
}
