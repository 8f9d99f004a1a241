//! Reference data as districts publish it and the server sends it: venue types, hazard areas,
//! versioned checklist templates with per-venue-type applicability rules, and venues.

use serde::{Deserialize, Serialize};

/// Venue types, hazard areas and checklist templates, as a district publishes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferencePack {
    pub pack_version: u32,
    pub venue_types: Vec<VenueType>,
    pub hazard_areas: Vec<HazardArea>,
    pub templates: Vec<Template>,
}

/// A venue type (e.g. `small_eatery`, 小餐饮场所).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VenueType {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub small_venue: bool,
}

/// An area checklist items and hazards are grouped by (e.g. `escape_routes`, 疏散通道).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HazardArea {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// One version of a checklist template; immutable once published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    pub template_id: String,
    pub version: u32,
    pub title_zh: String,
    pub title_en: String,
    pub items: Vec<TemplateItem>,
}

/// One checklist item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateItem {
    pub item_id: String,
    pub area: String,
    pub title_zh: String,
    pub title_en: String,
    pub photo_on_fail: bool,
    pub may_be_major: bool,
    pub applies: Applicability,
}

/// Which venue types a checklist item applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Applicability {
    /// Every venue type.
    All,
    /// Only these venue types.
    Types(Vec<String>),
    /// Every venue type but these.
    Except(Vec<String>),
}

impl Applicability {
    /// True when an item with this rule applies to a venue of `venue_type`.
    pub fn applies_to(&self, venue_type: &str) -> bool {
        match self {
            Applicability::All => true,
            Applicability::Types(types) => types.iter().any(|t| t == venue_type),
            Applicability::Except(types) => !types.iter().any(|t| t == venue_type),
        }
    }
}

/// The map coordinate system a point was recorded in. Chinese maps (AMap, Tencent) use GCJ-02;
/// GPS receivers report WGS-84.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CoordSystem {
    Wgs84,
    Gcj02,
}

/// A point on the map, with the coordinate system it was recorded in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub latitude: f64,
    pub longitude: f64,
    pub coord_system: CoordSystem,
}

/// A venue's risk colour (风险等级): red is highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RiskColour {
    Red,
    Orange,
    Yellow,
    Blue,
}

/// A venue (场所) as an import file or the server describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Venue {
    pub venue_id: String,
    pub name: String,
    pub venue_type: String,
    pub industry: String,
    pub address: String,
    /// 区
    pub district: String,
    /// 街乡
    pub street: String,
    /// 社区
    pub community: String,
    /// 网格
    pub grid: String,
    pub location: Option<GeoPoint>,
    pub responsible_name: Option<String>,
    pub responsible_phone: Option<String>,
    pub risk_colour: RiskColour,
}

/// A venue list file: `{"venues": [ ... ]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VenueFile {
    pub venues: Vec<Venue>,
}
