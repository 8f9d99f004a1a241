//! Schema twins of the closed loop's wire types (issue 6): residents' reports, warnings and
//! their trail, ledger counts, resident enrollment. Same rules as [`super::schema`]: same field
//! names and serde shape as the proto types, proven by the tests at the bottom; response twins
//! refuse unknown fields.

#![allow(dead_code)] // constructed only by serde and the tests

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::schema::GeoPoint;

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportCategory {
    Fire,
    Gas,
    Electrical,
    EscapeRoute,
    EBike,
    Building,
    FloodGeological,
    Other,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Received,
    Dispatched,
    HazardOpened,
    NoHazard,
    HazardClosed,
    Refused,
}

/// A resident's report as the grid's workers see it: no reporter identity.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportForGrid {
    pub report_id: String,
    pub category: ReportCategory,
    pub description: String,
    pub location: Option<GeoPoint>,
    pub venue_id: Option<String>,
    /// Empty when no venue was near enough: the street's supervisors dispatch it.
    pub grid: String,
    pub status: ReportStatus,
    pub photos: Vec<String>,
    pub received_at: String,
    pub hazard_id: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportStep {
    pub status: ReportStatus,
    pub at: String,
    pub note: Option<String>,
}

/// A resident's own report and its steps (never a name).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MyReport {
    pub report_id: String,
    pub category: ReportCategory,
    pub description: String,
    pub status: ReportStatus,
    pub steps: Vec<ReportStep>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WarningLevel {
    Blue,
    Yellow,
    Orange,
    Red,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WarningType {
    Rainstorm,
    Flood,
    Geological,
    Wind,
    Fire,
    Heat,
    Snow,
    Other,
}

/// A warning as a recipient sees it.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarningForRecipient {
    pub warning_id: String,
    pub level: WarningLevel,
    pub warning_type: WarningType,
    pub grids: Vec<String>,
    pub text: String,
    pub issued_at: String,
    pub issued_by: String,
    pub ack_due_at: String,
    pub escalated_from: Option<String>,
    pub acknowledged: bool,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarningReceipt {
    pub user_id: String,
    pub display_name: String,
    pub grid: String,
    pub roster_position: u32,
    pub delivered_at: Option<String>,
    pub acknowledged_at: Option<String>,
    pub escalated_at: Option<String>,
}

/// A warning and its receipt trail.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarningTrail {
    pub warning: WarningForRecipient,
    pub receipts: Vec<WarningReceipt>,
}

/// `GET /v1/warnings`: the caller's warnings, newest first.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarningList {
    pub warnings: Vec<WarningForRecipient>,
    pub server_time: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LedgerGroupCount {
    pub key: BTreeMap<String, String>,
    pub count: u64,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LedgerCounts {
    pub group_by: Vec<String>,
    pub groups: Vec<LedgerGroupCount>,
    pub total: u64,
    pub server_time: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ResidentEnrollRequest {
    /// The device's id (1–128 bytes), as its journal records it.
    pub device_id: String,
    /// Optional; stored, never shown to workers or venues.
    pub phone: Option<String>,
    pub device_name: Option<String>,
}

/// A warning for the twins' tests (also used by `schema`'s change test).
#[cfg(test)]
pub fn sample_warning() -> gridpatrol_proto::warnings::WarningForRecipient {
    use gridpatrol_proto::warnings as w;
    w::WarningForRecipient {
        warning_id: "w1".into(),
        level: w::WarningLevel::Orange,
        warning_type: w::WarningType::Rainstorm,
        grids: vec!["劲松三区-03".into()],
        text: "暴雨橙色预警".into(),
        issued_at: "t".into(),
        issued_by: "王静".into(),
        ack_due_at: "t".into(),
        escalated_from: Some("张伟".into()),
        acknowledged: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gridpatrol_proto::reference::{CoordSystem, GeoPoint as Point};
    use gridpatrol_proto::reports as r;
    use gridpatrol_proto::sync as proto;
    use gridpatrol_proto::warnings as w;
    use serde::de::DeserializeOwned;

    fn same_shape<T: Serialize + DeserializeOwned>(value: impl Serialize) {
        let json = serde_json::to_value(value).unwrap();
        let twin: T = serde_json::from_value(json.clone())
            .unwrap_or_else(|e| panic!("{} does not read {json}: {e}", std::any::type_name::<T>()));
        assert_eq!(serde_json::to_value(twin).unwrap(), json);
    }

    fn warning() -> w::WarningForRecipient {
        sample_warning()
    }

    #[test]
    fn report_and_warning_bodies_match_their_twins() {
        same_shape::<ReportForGrid>(r::ReportForGrid {
            report_id: "r1".into(),
            category: r::ReportCategory::EBike,
            description: "楼道充电".into(),
            location: Some(Point {
                latitude: 39.88,
                longitude: 116.46,
                coord_system: CoordSystem::Wgs84,
            }),
            venue_id: None,
            grid: String::new(),
            status: r::ReportStatus::Dispatched,
            photos: vec!["ab".into()],
            received_at: "t".into(),
            hazard_id: None,
        });
        same_shape::<MyReport>(r::MyReport {
            report_id: "r1".into(),
            category: r::ReportCategory::FloodGeological,
            description: "d".into(),
            status: r::ReportStatus::NoHazard,
            steps: vec![r::ReportStep {
                status: r::ReportStatus::NoHazard,
                at: "t".into(),
                note: Some("已整改".into()),
            }],
        });
        same_shape::<WarningTrail>(w::WarningTrail {
            warning: warning(),
            receipts: vec![w::WarningReceipt {
                user_id: "u".into(),
                display_name: "张伟".into(),
                grid: "g".into(),
                roster_position: 1,
                delivered_at: Some("t".into()),
                acknowledged_at: None,
                escalated_at: Some("t".into()),
            }],
        });
        same_shape::<LedgerCounts>(proto::LedgerCounts {
            group_by: vec!["grid".into()],
            groups: vec![proto::LedgerGroupCount {
                key: [("grid".to_owned(), "g".to_owned())].into(),
                count: 2,
            }],
            total: 2,
            server_time: "t".into(),
        });
        same_shape::<ResidentEnrollRequest>(proto::ResidentEnrollRequest {
            device_id: "d".into(),
            phone: Some("13800000000".into()),
            device_name: None,
        });
    }
}
