//! Counters the client tests assert on: requests by status, push outcomes per device, and bytes
//! received per blob (to prove that no photo byte range is sent twice after a cut). Always
//! counted; exposed over HTTP only with test controls (`GET /v1/test/stats`) and always through
//! [`crate::Handle::stats`].

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use gridpatrol_proto::sync::{PushResult, PushStatus};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Everything counted since start (or the last reset).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StatsSnapshot {
    pub requests: RequestCounts,
    /// Push outcomes per device id.
    pub events: BTreeMap<String, EventCounts>,
    /// Upload counters per blob SHA-256.
    pub blobs: BTreeMap<String, BlobCounts>,
    /// Faults injected (test controls).
    pub faults_applied: u64,
    /// Events still waiting for a blob (filled in from storage when read).
    pub evidence_pending_events: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RequestCounts {
    pub total: u64,
    /// Responses by HTTP status code (as text, e.g. `"200"`), injected faults included.
    pub by_status: BTreeMap<String, u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EventCounts {
    pub accepted: u64,
    pub duplicate: u64,
    pub conflict: u64,
    pub rejected: u64,
    pub forbidden: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BlobCounts {
    /// Body bytes written to the partial upload, over all PATCH requests.
    pub bytes_received: u64,
    pub patch_requests: u64,
    pub completed: bool,
    pub hash_mismatches: u64,
}

/// The live counters.
#[derive(Debug, Default)]
pub struct Stats {
    inner: Mutex<StatsSnapshot>,
}

impl Stats {
    fn with<T>(&self, f: impl FnOnce(&mut StatsSnapshot) -> T) -> T {
        f(&mut self.inner.lock().unwrap_or_else(PoisonError::into_inner))
    }

    pub fn snapshot(&self) -> StatsSnapshot {
        self.with(|s| s.clone())
    }

    pub fn reset(&self) {
        self.with(|s| *s = StatsSnapshot::default());
    }

    pub fn request(&self, status: u16) {
        self.with(|s| {
            s.requests.total += 1;
            *s.requests.by_status.entry(status.to_string()).or_default() += 1;
        });
    }

    pub fn pushed(&self, device_id: &str, results: &[PushResult]) {
        self.with(|s| {
            let counts = s.events.entry(device_id.to_owned()).or_default();
            for result in results {
                *match result.status {
                    PushStatus::Accepted => &mut counts.accepted,
                    PushStatus::Duplicate => &mut counts.duplicate,
                    PushStatus::Conflict => &mut counts.conflict,
                    PushStatus::Rejected => &mut counts.rejected,
                    PushStatus::Forbidden => &mut counts.forbidden,
                } += 1;
            }
        });
    }

    pub fn blob_patch(&self, sha256: &str) {
        self.with(|s| s.blobs.entry(sha256.to_owned()).or_default().patch_requests += 1);
    }

    pub fn blob_bytes(&self, sha256: &str, bytes: u64) {
        self.with(|s| s.blobs.entry(sha256.to_owned()).or_default().bytes_received += bytes);
    }

    pub fn blob_finished(&self, sha256: &str, stored: bool) {
        self.with(|s| {
            let blob = s.blobs.entry(sha256.to_owned()).or_default();
            if stored {
                blob.completed = true;
            } else {
                blob.hash_mismatches += 1;
            }
        });
    }

    pub fn fault_applied(&self) {
        self.with(|s| s.faults_applied += 1);
    }
}
