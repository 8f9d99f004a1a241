//! Reference data: grids, venues, checklist packs, venue-code signing keys and revocations.
//! Each write appends its change to the feed in the same transaction.

use chrono::{DateTime, Utc};
use gridpatrol_proto::reference::{ReferencePack, Venue};
use gridpatrol_proto::sync::{ChangeBody, SigningKeyInfo};
use gridpatrol_proto::venue_token;
use rusqlite::{params, OptionalExtension, Transaction};

use super::feed::append_change;
use super::ts;
use crate::store::{GridInfo, SigningKeyRecord, StoreError, StoreResult};

pub fn upsert_venue(tx: &Transaction<'_>, venue: &Venue, now: DateTime<Utc>) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO grids (grid, community, street, district) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (grid) DO UPDATE SET community = excluded.community,
             street = excluded.street, district = excluded.district",
        params![venue.grid, venue.community, venue.street, venue.district],
    )?;
    let body = serde_json::to_string(venue)?;
    let old: Option<String> = tx
        .query_row(
            "SELECT body FROM venues WHERE venue_id = ?1",
            [&venue.venue_id],
            |r| r.get(0),
        )
        .optional()?;
    if old.as_deref() == Some(body.as_str()) {
        return Ok(());
    }
    tx.execute(
        "INSERT INTO venues (venue_id, grid, street, body, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (venue_id) DO UPDATE SET grid = excluded.grid, street = excluded.street,
             body = excluded.body, updated_at = excluded.updated_at",
        params![venue.venue_id, venue.grid, venue.street, body, ts(now)],
    )?;
    append_change(
        tx,
        &ChangeBody::Venue(venue.clone()),
        &venue.venue_id,
        Some((&venue.grid, &venue.street)),
        now,
    )
}

pub fn venue(tx: &Transaction<'_>, venue_id: &str) -> StoreResult<Option<Venue>> {
    let body: Option<String> = tx
        .query_row(
            "SELECT body FROM venues WHERE venue_id = ?1",
            [venue_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(body.map(|b| serde_json::from_str(&b)).transpose()?)
}

pub fn grid(tx: &Transaction<'_>, grid: &str) -> StoreResult<Option<GridInfo>> {
    Ok(tx
        .query_row(
            "SELECT grid, community, street, district FROM grids WHERE grid = ?1",
            [grid],
            |r| {
                Ok(GridInfo {
                    grid: r.get(0)?,
                    community: r.get(1)?,
                    street: r.get(2)?,
                    district: r.get(3)?,
                })
            },
        )
        .optional()?)
}

/// Every venue, by id (dispatch looks for the nearest).
pub fn all_venues(tx: &Transaction<'_>) -> StoreResult<Vec<Venue>> {
    let mut stmt = tx.prepare_cached("SELECT body FROM venues ORDER BY venue_id")?;
    let bodies = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut venues = Vec::new();
    for body in bodies {
        venues.push(serde_json::from_str(&body?)?);
    }
    Ok(venues)
}

pub fn grid_venues(tx: &Transaction<'_>, grid: &str) -> StoreResult<Vec<Venue>> {
    let mut stmt =
        tx.prepare_cached("SELECT body FROM venues WHERE grid = ?1 ORDER BY venue_id")?;
    let bodies = stmt.query_map([grid], |r| r.get::<_, String>(0))?;
    let mut venues = Vec::new();
    for body in bodies {
        venues.push(serde_json::from_str(&body?)?);
    }
    Ok(venues)
}

pub fn street_grids(tx: &Transaction<'_>, street: &str) -> StoreResult<Vec<String>> {
    let mut stmt = tx.prepare_cached("SELECT grid FROM grids WHERE street = ?1 ORDER BY grid")?;
    let rows = stmt.query_map([street], |r| r.get(0))?;
    Ok(rows.collect::<Result<Vec<String>, _>>()?)
}

pub fn publish_pack(
    tx: &Transaction<'_>,
    pack: &ReferencePack,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let inserted = tx.execute(
        "INSERT OR IGNORE INTO reference_packs (pack_version, body, published_at)
         VALUES (?1, ?2, ?3)",
        params![pack.pack_version, serde_json::to_string(pack)?, ts(now)],
    )?;
    if inserted == 0 {
        return Ok(());
    }
    append_change(
        tx,
        &ChangeBody::ReferencePack(pack.clone()),
        &pack.pack_version.to_string(),
        None,
        now,
    )
}

pub fn latest_pack(tx: &Transaction<'_>) -> StoreResult<Option<ReferencePack>> {
    let body: Option<String> = tx
        .query_row(
            "SELECT body FROM reference_packs ORDER BY pack_version DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(body.map(|b| serde_json::from_str(&b)).transpose()?)
}

pub fn add_signing_key(
    tx: &Transaction<'_>,
    key: &SigningKeyRecord,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let public_key = venue_token::encode_public_key(
        &ed25519_dalek::SigningKey::from_bytes(&key.secret).verifying_key(),
    );
    tx.execute(
        "INSERT INTO signing_keys (key_id, secret_key, public_key, revoked, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            key.key_id,
            key.secret.as_slice(),
            public_key,
            key.revoked,
            ts(now)
        ],
    )?;
    append_change(
        tx,
        &ChangeBody::SigningKey(SigningKeyInfo {
            key_id: key.key_id,
            public_key,
            revoked: key.revoked,
        }),
        &key.key_id.to_string(),
        None,
        now,
    )
}

pub fn active_signing_key(tx: &Transaction<'_>) -> StoreResult<Option<SigningKeyRecord>> {
    let row: Option<(u32, Vec<u8>)> = tx
        .query_row(
            "SELECT key_id, secret_key FROM signing_keys WHERE revoked = 0
             ORDER BY key_id DESC LIMIT 1",
            [],
            |r| r.try_into(),
        )
        .optional()?;
    row.map(|(key_id, secret)| {
        let secret: [u8; 32] = secret
            .try_into()
            .map_err(|_| StoreError::Backend("a stored signing key is not 32 bytes".into()))?;
        Ok(SigningKeyRecord {
            key_id,
            secret,
            revoked: false,
        })
    })
    .transpose()
}

pub fn revoke_venue_codes(
    tx: &Transaction<'_>,
    venue_id: &str,
    before: u32,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let place: Option<(String, String)> = tx
        .query_row(
            "SELECT grid, street FROM venues WHERE venue_id = ?1",
            [venue_id],
            |r| r.try_into(),
        )
        .optional()?;
    let (grid, street) =
        place.ok_or_else(|| StoreError::NotFound(format!("no venue '{venue_id}'")))?;
    tx.execute(
        "INSERT INTO venue_code_revocations (venue_id, before, revoked_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (venue_id) DO UPDATE SET before = excluded.before,
             revoked_at = excluded.revoked_at",
        params![venue_id, before, ts(now)],
    )?;
    append_change(
        tx,
        &ChangeBody::VenueCodesRevoked {
            venue_id: venue_id.to_owned(),
            before,
        },
        venue_id,
        Some((&grid, &street)),
        now,
    )
}
