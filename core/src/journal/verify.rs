//! Walks the journal and reports the first event that breaks the chain: a gap in `device_seq`,
//! a `prev_hash` that does not link, content that no longer matches its hash, a payload that is
//! not canonical JSON, or a head that no longer matches the newest stored event.
//!
//! It detects edits, removals and reordering made without recomputing the chain. Someone who
//! rewrites the whole chain is caught by the server, which already holds the synced hashes.

use gridpatrol_proto::{canonical_json, GENESIS_HASH};
use rusqlite::Connection;

use super::{recorded_head, scan_raw};
use crate::error::Result;

/// The result of walking the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Events read before the walk stopped (all of them when the chain is intact).
    pub events: u64,
    /// The first event that is wrong, if any.
    pub first_bad: Option<BadEvent>,
}

/// An event the verifier rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadEvent {
    /// Its position: the `device_seq` stored in the row.
    pub device_seq: u64,
    /// Its id as stored.
    pub event_id: String,
    /// What is wrong with it.
    pub problem: Problem,
}

/// What is wrong with an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Events before it are missing: its `device_seq` is not the next number.
    SequenceGap { expected: u64 },
    /// Its `prev_hash` is not the hash of the event before it.
    BrokenLink,
    /// Its content no longer matches its hash.
    HashMismatch,
    /// Its payload is not (canonical) JSON.
    BadPayload,
    /// It was recorded by another device.
    ForeignDevice,
    /// It is the newest stored event, but the recorded journal head names another: events after
    /// it were removed, or it was replaced.
    HeadMismatch { head_seq: u64 },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::SequenceGap { expected } => {
                write!(f, "device_seq gap: expected {expected}; events are missing")
            }
            Problem::BrokenLink => write!(f, "prev_hash does not match the previous event"),
            Problem::HashMismatch => write!(f, "content does not match its hash (altered)"),
            Problem::BadPayload => write!(f, "payload is not canonical JSON"),
            Problem::ForeignDevice => write!(f, "recorded by another device"),
            Problem::HeadMismatch { head_seq } => write!(
                f,
                "the recorded journal head is event {head_seq} with another hash; \
                 events were removed or replaced"
            ),
        }
    }
}

/// Verifies the whole journal of `device_id`.
pub fn verify(conn: &Connection, device_id: &str) -> Result<VerifyReport> {
    let mut events = 0u64;
    let mut prev_hash = GENESIS_HASH.to_owned();
    let mut last: Option<(u64, String, String)> = None; // seq, event_id, hash
    let mut first_bad = None;
    scan_raw(conn, |raw| {
        let problem = if raw.device_seq != events + 1 {
            Some(Problem::SequenceGap {
                expected: events + 1,
            })
        } else if raw.device_id != device_id {
            Some(Problem::ForeignDevice)
        } else if raw.prev_hash != prev_hash {
            Some(Problem::BrokenLink)
        } else {
            check_content(&raw)
        };
        if let Some(problem) = problem {
            first_bad = Some(BadEvent {
                device_seq: raw.device_seq,
                event_id: raw.event_id,
                problem,
            });
            return false;
        }
        events += 1;
        prev_hash = raw.hash.clone();
        last = Some((raw.device_seq, raw.event_id, raw.hash));
        true
    })?;
    if first_bad.is_none() {
        first_bad = check_head(conn, last)?;
    }
    Ok(VerifyReport { events, first_bad })
}

fn check_content(raw: &super::RawEvent) -> Option<Problem> {
    let Ok(envelope) = raw.to_envelope() else {
        return Some(Problem::BadPayload);
    };
    if canonical_json(&envelope.payload).ok().as_deref() != Some(raw.payload.as_str()) {
        return Some(Problem::BadPayload);
    }
    (!envelope.hash_is_valid()).then_some(Problem::HashMismatch)
}

fn check_head(conn: &Connection, last: Option<(u64, String, String)>) -> Result<Option<BadEvent>> {
    let Some((head_seq, head_hash)) = recorded_head(conn)? else {
        // No head recorded: only valid for an empty journal.
        return Ok(last.map(|(seq, id, _)| BadEvent {
            device_seq: seq,
            event_id: id,
            problem: Problem::HeadMismatch { head_seq: 0 },
        }));
    };
    Ok(match last {
        Some((seq, _, hash)) if seq == head_seq && hash == head_hash => None,
        Some((seq, id, _)) => Some(BadEvent {
            device_seq: seq,
            event_id: id,
            problem: Problem::HeadMismatch { head_seq },
        }),
        None => Some(BadEvent {
            device_seq: 0,
            event_id: String::new(),
            problem: Problem::HeadMismatch { head_seq },
        }),
    })
}
