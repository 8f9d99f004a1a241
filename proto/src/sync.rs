//! The HTTP API between phones and the sync server (docs/adr/0007-sync-protocol.md): paths,
//! headers, and the JSON bodies both sides serialise. Every error response is [`ErrorBody`].

use serde::{Deserialize, Serialize};

use crate::event::EventEnvelope;
use crate::reference::{ReferencePack, Venue};

/// `POST`: an enrollment code and a device id in, a bearer token out.
pub const ENROLL_PATH: &str = "/v1/enroll";
/// `POST`: an anonymous resident device registers (no code) → a resident token.
pub const RESIDENT_ENROLL_PATH: &str = "/v1/residents";
/// `POST`: a batch of journal events of one device.
pub const EVENTS_PATH: &str = "/v1/events";
/// `GET ?since=<cursor>&limit=<n>`: what changed in the caller's scope.
pub const CHANGES_PATH: &str = "/v1/changes";
/// `HEAD` / `PATCH` `/v1/blobs/{sha256}`: resumable, content-addressed uploads.
pub const BLOBS_PATH: &str = "/v1/blobs";
/// `GET ?grid=&status=&area=`: the hazards in the caller's scope (the ledger, 台账).
pub const LEDGER_PATH: &str = "/v1/ledger";
/// `GET`: Server-Sent Events, one `warning` event (data: `WarningForRecipient` JSON) for each
/// of the caller's warnings now and whenever one arrives or changes; for a phone in the
/// foreground.
pub const WARNINGS_STREAM_PATH: &str = "/v1/warnings/stream";

/// `HEAD` response and `PATCH` request: the byte offset the server holds / the body starts at.
pub const UPLOAD_OFFSET: &str = "upload-offset";
/// `PATCH` request: the blob's total size.
pub const UPLOAD_LENGTH: &str = "upload-length";
/// `HEAD` response: `true` once the blob is complete and its SHA-256 verified.
pub const BLOB_COMPLETE: &str = "blob-complete";

/// The path of one blob.
pub fn blob_path(sha256: &str) -> String {
    format!("{BLOBS_PATH}/{sha256}")
}

/// True for a lowercase hex SHA-256.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Who a token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 网格员: inspects the venues of their grids.
    Worker,
    /// 街乡 staff: sees and supervises every grid of their street.
    Supervisor,
    /// 群众: reports hazards and sees only their own reports.
    Resident,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrollRequest {
    pub code: String,
    pub device_id: String,
    pub device_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrollResponse {
    /// Bearer token for every later request (the server stores only its hash).
    pub token: String,
    pub user_id: String,
    pub display_name: String,
    pub role: Role,
    /// Grids the user works in (a supervisor: every grid of their street).
    pub grids: Vec<String>,
    pub street: Option<String>,
    pub server_time: String,
}

/// `POST /v1/events`: events of the authenticated device, in `device_seq` order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub device_id: String,
    pub events: Vec<EventEnvelope>,
}

/// The answer to a push. The server processes events in order and stops at the first one it
/// does not take; events after it are absent from `results` and must be sent again. HTTP status:
/// 200 when every result is `accepted`/`duplicate`, else that of the failing event (409
/// `conflict`, 422 `rejected`, 403 out of scope).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<PushResult>,
    pub server_time: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResult {
    pub event_id: String,
    pub device_seq: u64,
    pub status: PushStatus,
    /// Position in the server's commit order, for `accepted` and `duplicate`.
    pub server_seq: Option<u64>,
    /// Why the event was not taken (`conflict`, `rejected`, `forbidden`): shown to the user.
    pub reason: Option<String>,
    /// Blobs this event needs that the server does not hold yet (the event is evidence-pending).
    pub missing_blobs: Vec<String>,
    /// An `accepted` event the server keeps in the device's chain but does not apply, and why
    /// (an invalid hazard transition, a report over the rate limit): shown to the user.
    #[serde(default)]
    pub refused: Option<String>,
    /// An `accepted` hazard transition that clashed with another device's (event id): recorded
    /// as a conflict for a supervisor to resolve, not applied.
    #[serde(default)]
    pub conflict_with: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushStatus {
    /// Stored now.
    Accepted,
    /// Stored before with the same hash: success again (R2).
    Duplicate,
    /// An event with this id or sequence number was stored with different content (R2).
    Conflict,
    /// Integrity failure: bad hash, broken chain link, sequence gap, unreadable payload.
    Rejected,
    /// About a venue or grid outside the caller's scope.
    Forbidden,
}

/// Where a blob upload stands; the `PATCH` response body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobState {
    pub sha256: String,
    /// Bytes the server holds.
    pub offset: u64,
    /// The total size, once an upload declared it.
    pub length: Option<u64>,
    /// Stored and its SHA-256 verified.
    pub complete: bool,
}

/// `GET /v1/changes` response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangesResponse {
    pub changes: Vec<Change>,
    /// Pass as `since` next time (store it in the same transaction as the changes).
    pub next_cursor: u64,
    /// More changes are waiting: ask again at once.
    pub more: bool,
    pub server_time: String,
}

/// One change, in server commit order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub server_seq: u64,
    #[serde(flatten)]
    pub body: ChangeBody,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum ChangeBody {
    /// A venue in the caller's scope, new or updated.
    Venue(Venue),
    /// Venue types, hazard areas and checklist templates.
    ReferencePack(ReferencePack),
    /// A key that signs venue codes ([`crate::venue_token`]).
    SigningKey(SigningKeyInfo),
    /// Codes of this venue issued before `before` (Unix seconds) are no longer valid.
    VenueCodesRevoked { venue_id: String, before: u32 },
    /// The server's view of a hazard in the caller's scope.
    Hazard(HazardState),
    /// A resident's report dispatched to one of the caller's grids (workers, supervisors).
    Report(crate::reports::ReportForGrid),
    /// One of the caller's own reports and its steps (residents).
    MyReport(crate::reports::MyReport),
    /// A warning for the caller (new, escalated to them, or acknowledged).
    Warning(crate::warnings::WarningForRecipient),
}

/// A public key phones verify venue codes with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningKeyInfo {
    pub key_id: u32,
    /// Ed25519 public key, base64url.
    pub public_key: String,
    /// A revoked key verifies nothing, whatever the signature.
    pub revoked: bool,
}

/// A hazard as the server holds it (the ledger, 台账).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HazardState {
    pub hazard_id: String,
    pub venue_id: String,
    pub grid: String,
    /// The inspection and checklist item that found it; absent when a resident's report did.
    pub inspection_id: Option<String>,
    pub item_id: Option<String>,
    /// The resident's report it came from, if any.
    #[serde(default)]
    pub report_id: Option<String>,
    pub area: String,
    pub grade: crate::events::HazardGrade,
    /// DOMAIN.md state, e.g. `REPORTED`.
    pub status: crate::hazard_flow::HazardStatus,
    pub note: Option<String>,
    /// Device time of the report.
    pub reported_at: String,
    /// Server time the report arrived.
    pub received_at: String,
    /// Evidence blobs still missing.
    pub evidence_pending: bool,
    /// The fix is due by then (server time, from the district's rules or a supervisor).
    #[serde(default)]
    pub deadline: Option<String>,
    /// Past its deadline (or its re-check window) and not settled, by the server's clock.
    #[serde(default)]
    pub overdue: bool,
    /// Under supervision (督办).
    #[serde(default)]
    pub supervised: bool,
    #[serde(default)]
    pub escalated: bool,
    /// Who fixes it (ASSIGNED and after), or the department it was referred to.
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub merged_into: Option<String>,
    /// Transitions that clashed (event ids) and wait for a supervisor's `resolve_conflict`.
    #[serde(default)]
    pub conflicts: Vec<String>,
    /// Every applied transition, oldest first.
    #[serde(default)]
    pub timeline: Vec<HazardStep>,
}

/// One applied step of a hazard's lifecycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HazardStep {
    /// The action's name (`confirm`, `recheck_pass`, …), or `reported`.
    pub action: String,
    pub status: crate::hazard_flow::HazardStatus,
    /// Server time it was applied.
    pub at: String,
    /// The role that took it (workers and supervisors see names; residents never get this).
    pub by: String,
    pub note: Option<String>,
    /// Evidence photos (SHA-256) of this step.
    pub photos: Vec<String>,
}

/// `GET /v1/ledger` response: the hazards in the caller's scope, newest report first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerResponse {
    pub hazards: Vec<HazardState>,
    pub server_time: String,
}

/// `POST /v1/residents`: an anonymous resident device registers (no enrollment code). The
/// answer is an [`EnrollResponse`] with role `resident`, no grids and no street.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResidentEnrollRequest {
    pub device_id: String,
    /// A phone number, if the resident gives one: stored, never shown to workers or venues.
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub device_name: Option<String>,
}

/// `GET /v1/ledger/counts?group_by=…`: how many hazards of the caller's scope (after the same
/// filters as the ledger) fall in each group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerCounts {
    /// The grouping columns, in the order asked (e.g. `["grid", "status"]`).
    pub group_by: Vec<String>,
    /// One entry per non-empty group, ordered by its key.
    pub groups: Vec<LedgerGroupCount>,
    /// Hazards counted (the sum of `groups`).
    pub total: u64,
    pub server_time: String,
}

/// One group of [`LedgerCounts`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerGroupCount {
    /// The group's value per grouping column, e.g. `{"grid": "劲松三区-03", "status": "REPORTED"}`.
    pub key: std::collections::BTreeMap<String, String>,
    pub count: u64,
}

/// The one error shape of every endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Stable machine code, e.g. `unauthorized`, `forbidden`, `hash_mismatch`, `offset_mismatch`.
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_tagged_by_type() {
        let change = Change {
            server_seq: 7,
            body: ChangeBody::VenueCodesRevoked {
                venue_id: "V1".into(),
                before: 100,
            },
        };
        let text = serde_json::to_string(&change).unwrap();
        assert_eq!(
            text,
            r#"{"server_seq":7,"type":"venue_codes_revoked","data":{"venue_id":"V1","before":100}}"#
        );
        assert_eq!(serde_json::from_str::<Change>(&text).unwrap(), change);
    }

    #[test]
    fn sha256_hex_is_checked() {
        assert!(is_sha256_hex(&"ab".repeat(32)));
        assert!(!is_sha256_hex(&"AB".repeat(32)));
        assert!(!is_sha256_hex("../../etc/passwd"));
    }
}
