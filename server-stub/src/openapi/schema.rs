//! Schema twins of the proto wire types, for the OpenAPI document only: same field names, same
//! serde shape, plus `ToSchema`. The tests at the bottom serialise real proto values, read them
//! into the twins and write them back unchanged, so a twin that drifts from the contract (a
//! field missing, added or of another type) fails the build's tests.
//!
//! Response twins refuse unknown fields (`additionalProperties: false`), which keeps the
//! `oneOf` of a push refusal and a plain error disjoint; request twins do not, because the
//! server ignores unknown request fields.

#![allow(dead_code)] // constructed only by serde and the tests

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

pub use super::loop_schema::*;

/// The one error shape: a stable machine code and a sentence for people.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    /// e.g. `unauthorized`, `forbidden`, `not_found`, `hash_mismatch`, `offset_mismatch`.
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Worker,
    Supervisor,
    Resident,
}

impl From<Role> for gridpatrol_proto::sync::Role {
    fn from(role: Role) -> Self {
        match role {
            Role::Worker => Self::Worker,
            Role::Supervisor => Self::Supervisor,
            Role::Resident => Self::Resident,
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct EnrollRequest {
    /// The code from the street office, e.g. `K7QM-2XHD-93TW` (case and dashes ignored).
    pub code: String,
    /// The device's id (1–128 bytes), as its journal records it.
    pub device_id: String,
    pub device_name: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrollResponse {
    pub token: String,
    pub user_id: String,
    pub display_name: String,
    pub role: Role,
    pub grids: Vec<String>,
    pub street: Option<String>,
    pub server_time: String,
}

/// One journal event; `hash` is SHA-256 of the canonical JSON of every other field.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct EventEnvelope {
    pub event_id: String,
    pub device_id: String,
    pub device_seq: u64,
    /// e.g. `inspection.started`, `evidence.attached`.
    pub kind: String,
    #[schema(value_type = Object)]
    pub payload: Value,
    pub device_time: String,
    pub utc_offset_min: i32,
    pub uptime_ms: u64,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PushRequest {
    pub device_id: String,
    pub events: Vec<EventEnvelope>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushResponse {
    pub results: Vec<PushResult>,
    pub server_time: String,
}

/// A push that stopped at an event the server did not take: the push response plus the
/// error shape's `code` (`conflict`, `rejected`, `forbidden`) and `message` (the reason).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushFailure {
    pub code: String,
    pub message: String,
    pub results: Vec<PushResult>,
    pub server_time: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushResult {
    pub event_id: String,
    pub device_seq: u64,
    pub status: PushStatus,
    pub server_seq: Option<u64>,
    pub reason: Option<String>,
    pub missing_blobs: Vec<String>,
    pub refused: Option<String>,
    pub conflict_with: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PushStatus {
    Accepted,
    Duplicate,
    Conflict,
    Rejected,
    Forbidden,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlobState {
    pub sha256: String,
    pub offset: u64,
    pub length: Option<u64>,
    pub complete: bool,
}

/// 409 on a blob: the error shape plus the server's blob state; resume from `offset`.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlobConflict {
    pub code: String,
    pub message: String,
    pub sha256: String,
    pub offset: u64,
    pub length: Option<u64>,
    pub complete: bool,
}

/// What a refused push answers: the push results with `code` and `message` (an event was not
/// taken), or the plain error shape (the request as a whole was refused).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum PushRefusal {
    Event(PushFailure),
    Request(ErrorBody),
}

/// Raw bytes.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct BlobBytes(Vec<u8>);

/// A blob's name.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct BlobName {
    /// Lowercase hex SHA-256 of the blob.
    #[param(pattern = "^[0-9a-f]{64}$")]
    pub sha256: String,
}

/// The PATCH headers.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Header)]
pub struct BlobUploadHeaders {
    /// The offset this body starts at: what HEAD said the server holds.
    #[serde(rename = "upload-offset")]
    #[param(rename = "upload-offset", minimum = 0)]
    pub upload_offset: u64,
    /// The blob's total size.
    #[serde(rename = "upload-length")]
    #[param(rename = "upload-length", minimum = 0)]
    pub upload_length: u64,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangesResponse {
    pub changes: Vec<Change>,
    pub next_cursor: u64,
    pub more: bool,
    pub server_time: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct Change {
    pub server_seq: u64,
    #[serde(flatten)]
    pub body: ChangeBody,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum ChangeBody {
    Venue(Venue),
    ReferencePack(ReferencePack),
    SigningKey(SigningKeyInfo),
    VenueCodesRevoked { venue_id: String, before: u32 },
    Hazard(HazardState),
    Report(ReportForGrid),
    MyReport(MyReport),
    Warning(WarningForRecipient),
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Venue {
    pub venue_id: String,
    pub name: String,
    pub venue_type: String,
    pub industry: String,
    pub address: String,
    pub district: String,
    pub street: String,
    pub community: String,
    pub grid: String,
    pub location: Option<GeoPoint>,
    pub responsible_name: Option<String>,
    pub responsible_phone: Option<String>,
    pub risk_colour: RiskColour,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GeoPoint {
    pub latitude: f64,
    pub longitude: f64,
    pub coord_system: CoordSystem,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CoordSystem {
    Wgs84,
    Gcj02,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RiskColour {
    Red,
    Orange,
    Yellow,
    Blue,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferencePack {
    pub pack_version: u32,
    pub venue_types: Vec<VenueType>,
    pub hazard_areas: Vec<HazardArea>,
    pub templates: Vec<Template>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VenueType {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub small_venue: bool,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HazardArea {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub template_id: String,
    pub version: u32,
    pub title_zh: String,
    pub title_en: String,
    pub items: Vec<TemplateItem>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateItem {
    pub item_id: String,
    pub area: String,
    pub title_zh: String,
    pub title_en: String,
    pub photo_on_fail: bool,
    pub may_be_major: bool,
    pub applies: Applicability,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Applicability {
    All,
    Types(Vec<String>),
    Except(Vec<String>),
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SigningKeyInfo {
    pub key_id: u32,
    /// Ed25519 public key, base64url.
    pub public_key: String,
    pub revoked: bool,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HazardState {
    pub hazard_id: String,
    pub venue_id: String,
    pub grid: String,
    pub inspection_id: Option<String>,
    pub item_id: Option<String>,
    pub report_id: Option<String>,
    pub area: String,
    pub grade: HazardGrade,
    /// e.g. `REPORTED`.
    pub status: String,
    pub note: Option<String>,
    pub reported_at: String,
    pub received_at: String,
    pub evidence_pending: bool,
    pub deadline: Option<String>,
    pub overdue: bool,
    pub supervised: bool,
    pub escalated: bool,
    pub owner: Option<String>,
    pub department: Option<String>,
    pub merged_into: Option<String>,
    pub conflicts: Vec<String>,
    pub timeline: Vec<HazardStep>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HazardStep {
    pub action: String,
    pub status: String,
    pub at: String,
    pub by: String,
    pub note: Option<String>,
    pub photos: Vec<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HazardGrade {
    General,
    SuspectedMajor,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LedgerResponse {
    pub hazards: Vec<HazardState>,
    pub server_time: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use gridpatrol_proto::events::HazardGrade as Grade;
    use gridpatrol_proto::reference::{ReferencePack as Pack, VenueFile};
    use gridpatrol_proto::sync as proto;
    use serde::de::DeserializeOwned;

    /// The proto value's JSON read into the twin `T` and written back must be unchanged.
    fn same_shape<T: Serialize + DeserializeOwned>(value: impl Serialize) {
        let json = serde_json::to_value(value).unwrap();
        let twin: T = serde_json::from_value(json.clone())
            .unwrap_or_else(|e| panic!("{} does not read {json}: {e}", std::any::type_name::<T>()));
        assert_eq!(serde_json::to_value(twin).unwrap(), json);
    }

    fn hazard() -> proto::HazardState {
        proto::HazardState {
            hazard_id: "h1".into(),
            venue_id: "CY-JS-001".into(),
            grid: "劲松三区-03".into(),
            inspection_id: Some("i1".into()),
            item_id: Some("R01".into()),
            report_id: None,
            area: "escape_routes".into(),
            grade: Grade::SuspectedMajor,
            status: gridpatrol_proto::hazard_flow::HazardStatus::Assigned,
            note: Some("后门锁闭".into()),
            reported_at: "2026-11-28T02:00:00.000Z".into(),
            received_at: "2026-11-28T02:00:01.000Z".into(),
            evidence_pending: true,
            deadline: Some("2026-12-05T02:00:01.000Z".into()),
            overdue: false,
            supervised: true,
            escalated: false,
            owner: Some("店主".into()),
            department: None,
            merged_into: None,
            conflicts: vec!["e9".into()],
            timeline: vec![proto::HazardStep {
                action: "assign".into(),
                status: gridpatrol_proto::hazard_flow::HazardStatus::Assigned,
                at: "2026-11-28T03:00:00.000Z".into(),
                by: "supervisor".into(),
                note: None,
                photos: vec![],
            }],
        }
    }

    #[test]
    fn every_change_kind_matches_its_twin() {
        let pack: Pack =
            serde_json::from_str(include_str!("../../../core/data/reference-pack.json")).unwrap();
        let venues: VenueFile =
            serde_json::from_str(include_str!("../../data/demo-venues.json")).unwrap();
        let bodies = vec![
            proto::ChangeBody::Venue(venues.venues[0].clone()),
            proto::ChangeBody::Venue(venues.venues[3].clone()), // no location
            proto::ChangeBody::ReferencePack(pack),
            proto::ChangeBody::SigningKey(proto::SigningKeyInfo {
                key_id: 1,
                public_key: "k".into(),
                revoked: false,
            }),
            proto::ChangeBody::VenueCodesRevoked {
                venue_id: "CY-JS-001".into(),
                before: 7,
            },
            proto::ChangeBody::Hazard(hazard()),
            proto::ChangeBody::Warning(super::super::loop_schema::sample_warning()),
            proto::ChangeBody::MyReport(gridpatrol_proto::reports::MyReport {
                report_id: "r".into(),
                category: gridpatrol_proto::reports::ReportCategory::Fire,
                description: "d".into(),
                status: gridpatrol_proto::reports::ReportStatus::Received,
                steps: vec![],
            }),
        ];
        same_shape::<ChangesResponse>(proto::ChangesResponse {
            changes: bodies
                .into_iter()
                .enumerate()
                .map(|(i, body)| proto::Change {
                    server_seq: i as u64 + 1,
                    body,
                })
                .collect(),
            next_cursor: 8,
            more: false,
            server_time: "t".into(),
        });
    }

    #[test]
    fn request_and_response_bodies_match_their_twins() {
        let event = gridpatrol_proto::EventEnvelope {
            event_id: "e".into(),
            device_id: "d".into(),
            device_seq: 1,
            kind: "inspection.started".into(),
            payload: serde_json::json!({"a": 1}),
            device_time: "t".into(),
            utc_offset_min: 480,
            uptime_ms: 5,
            prev_hash: "0".into(),
            hash: "h".into(),
        };
        same_shape::<PushRequest>(proto::PushRequest {
            device_id: "d".into(),
            events: vec![event],
        });
        let result = proto::PushResult {
            event_id: "e".into(),
            device_seq: 1,
            status: proto::PushStatus::Accepted,
            server_seq: Some(3),
            reason: None,
            missing_blobs: vec!["ab".into()],
            refused: Some("a hazard that is CLOSED cannot be start".into()),
            conflict_with: None,
        };
        same_shape::<PushResponse>(proto::PushResponse {
            results: vec![result],
            server_time: "t".into(),
        });
        same_shape::<EnrollRequest>(proto::EnrollRequest {
            code: "c".into(),
            device_id: "d".into(),
            device_name: None,
        });
        same_shape::<EnrollResponse>(proto::EnrollResponse {
            token: "t".into(),
            user_id: "u".into(),
            display_name: "张伟".into(),
            role: proto::Role::Supervisor,
            grids: vec!["g".into()],
            street: Some("s".into()),
            server_time: "t".into(),
        });
        same_shape::<BlobState>(proto::BlobState {
            sha256: "s".into(),
            offset: 1,
            length: Some(2),
            complete: false,
        });
        same_shape::<LedgerResponse>(proto::LedgerResponse {
            hazards: vec![hazard()],
            server_time: "t".into(),
        });
        same_shape::<ErrorBody>(proto::ErrorBody {
            code: "c".into(),
            message: "m".into(),
        });
    }
}
