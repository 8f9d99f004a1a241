//! The public keys venue codes are verified with (`signing_keys`, filled by sync pull and by an
//! explicit import of a published key set), and the per-venue code revocations.

use gridpatrol_proto::sync::SigningKeyInfo;
use gridpatrol_proto::venue_token::decode_public_key;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::error::{Error, Result};

/// A stored key: the public key (base64url, checked when it arrived) and whether it was revoked.
pub struct StoredKey {
    pub public_key: String,
    pub revoked: bool,
}

/// Imports a key set (a JSON list of `{key_id, public_key, revoked}`), all or nothing. A key
/// already known is replaced (a revocation arrives as the same key with `revoked: true`).
pub fn import_json(tx: &Transaction<'_>, json: &str) -> Result<u32> {
    let keys: Vec<SigningKeyInfo> = serde_json::from_str(json).map_err(|e| {
        Error::InvalidInput(format!(
            "a key set is a JSON list of {{key_id, public_key, revoked}}: {e}"
        ))
    })?;
    for key in &keys {
        decode_public_key(&key.public_key)
            .map_err(|e| Error::InvalidInput(format!("signing key {}: {e}", key.key_id)))?;
        upsert(tx, key)?;
    }
    Ok(keys.len() as u32)
}

/// Stores or replaces one key.
pub fn upsert(tx: &Transaction<'_>, key: &SigningKeyInfo) -> Result<()> {
    tx.execute(
        "INSERT INTO signing_keys (key_id, public_key, revoked) VALUES (?1, ?2, ?3)
         ON CONFLICT (key_id) DO UPDATE SET public_key = excluded.public_key,
             revoked = excluded.revoked",
        params![key.key_id, key.public_key, key.revoked],
    )?;
    Ok(())
}

/// The key `key_id`, if this device has it.
pub fn get(conn: &Connection, key_id: u32) -> Result<Option<StoredKey>> {
    Ok(conn
        .query_row(
            "SELECT public_key, revoked FROM signing_keys WHERE key_id = ?1",
            [key_id],
            |r| {
                Ok(StoredKey {
                    public_key: r.get(0)?,
                    revoked: r.get(1)?,
                })
            },
        )
        .optional()?)
}

/// Codes of `venue_id` issued before this time (Unix seconds) are revoked.
pub fn venue_revoked_before(conn: &Connection, venue_id: &str) -> Result<Option<u32>> {
    Ok(conn
        .query_row(
            "SELECT before FROM venue_code_revocations WHERE venue_id = ?1",
            [venue_id],
            |r| r.get(0),
        )
        .optional()?)
}
