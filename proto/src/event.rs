//! The journal event envelope and its SHA-256 hash chain (docs/adr/0001-event-journal.md).
//!
//! The hash covers the canonical JSON of every envelope field, the previous event's hash
//! included, so editing, removing or reordering any event breaks the chain from that point on.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::canonical::{canonical_json, CanonicalError};

/// `prev_hash` of a device's first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One user action as recorded on the phone and sent to the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventEnvelope {
    /// UUIDv7, generated on the device.
    pub event_id: String,
    /// The device that recorded the event.
    pub device_id: String,
    /// 1, 2, 3, … per device, without gaps.
    pub device_seq: u64,
    /// What happened, e.g. `inspection.started`.
    pub kind: String,
    /// The event's data; hashed in canonical form.
    pub payload: Value,
    /// Device wall-clock time, UTC, RFC 3339 with milliseconds.
    pub device_time: String,
    /// The device's UTC offset in minutes at `device_time` (Beijing: 480).
    pub utc_offset_min: i32,
    /// Milliseconds since the device booted (monotonic, counts deep sleep where the OS allows).
    pub uptime_ms: u64,
    /// `hash` of the previous event of this device, or [`GENESIS_HASH`].
    pub prev_hash: String,
    /// Lowercase hex SHA-256 of [`EventEnvelope::canonical_bytes`].
    pub hash: String,
}

impl EventEnvelope {
    /// The canonical bytes the hash covers: every field except `hash` itself.
    pub fn canonical_bytes(&self) -> Result<String, CanonicalError> {
        #[derive(Serialize)]
        struct Hashed<'a> {
            event_id: &'a str,
            device_id: &'a str,
            device_seq: u64,
            kind: &'a str,
            payload: &'a Value,
            device_time: &'a str,
            utc_offset_min: i32,
            uptime_ms: u64,
            prev_hash: &'a str,
        }
        canonical_json(&Hashed {
            event_id: &self.event_id,
            device_id: &self.device_id,
            device_seq: self.device_seq,
            kind: &self.kind,
            payload: &self.payload,
            device_time: &self.device_time,
            utc_offset_min: self.utc_offset_min,
            uptime_ms: self.uptime_ms,
            prev_hash: &self.prev_hash,
        })
    }

    /// Computes the hash this envelope should carry.
    pub fn compute_hash(&self) -> Result<String, CanonicalError> {
        Ok(hex::encode(Sha256::digest(
            self.canonical_bytes()?.as_bytes(),
        )))
    }

    /// Fills in `hash` from the other fields.
    pub fn seal(mut self) -> Result<Self, CanonicalError> {
        self.hash = self.compute_hash()?;
        Ok(self)
    }

    /// True when `hash` matches the other fields.
    pub fn hash_is_valid(&self) -> bool {
        self.compute_hash().is_ok_and(|h| h == self.hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> EventEnvelope {
        EventEnvelope {
            event_id: "0193a1b2-0000-7000-8000-000000000001".into(),
            device_id: "dev-1".into(),
            device_seq: 1,
            kind: "inspection.started".into(),
            payload: json!({"venue_id": "v1", "inspection_id": "i1"}),
            device_time: "2026-11-28T02:00:00.000Z".into(),
            utc_offset_min: 480,
            uptime_ms: 12_345,
            prev_hash: GENESIS_HASH.into(),
            hash: String::new(),
        }
        .seal()
        .unwrap()
    }

    #[test]
    fn hash_is_sha256_of_the_canonical_envelope() {
        let e = sample();
        let expected = hex::encode(Sha256::digest(e.canonical_bytes().unwrap().as_bytes()));
        assert_eq!(e.hash, expected);
        assert!(e
            .canonical_bytes()
            .unwrap()
            .starts_with(r#"{"device_id":"dev-1","device_seq":1,"#));
        assert!(e.hash_is_valid());
    }

    #[test]
    fn any_field_change_breaks_the_hash() {
        let base = sample();
        let mut edits: Vec<EventEnvelope> = Vec::new();
        let mut e = base.clone();
        e.payload = json!({"venue_id": "v2", "inspection_id": "i1"});
        edits.push(e);
        let mut e = base.clone();
        e.device_seq = 2;
        edits.push(e);
        let mut e = base.clone();
        e.prev_hash = "ab".repeat(32);
        edits.push(e);
        let mut e = base.clone();
        e.uptime_ms += 1;
        edits.push(e);
        for edited in edits {
            assert!(!edited.hash_is_valid(), "{edited:?}");
        }
    }

    #[test]
    fn the_wire_form_round_trips() {
        let e = sample();
        let text = serde_json::to_string(&e).unwrap();
        let back: EventEnvelope = serde_json::from_str(&text).unwrap();
        assert_eq!(back, e);
        assert!(back.hash_is_valid());
    }
}
