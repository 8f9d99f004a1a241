//! The field work, offline: reference data (venue types, hazard areas, checklists), venues,
//! inspections and the hazards they find. Commands validate, then record one journal event;
//! `project` turns events into the tables the screens read.

pub mod catalog;
pub mod hazards;
pub mod inspections;
pub mod project;
pub mod scans;
pub mod venues;

/// The language labels are returned in (the apps are Chinese first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Parses a BCP 47 tag loosely: anything starting with `en` is English, the rest Chinese.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// The SQL column suffix of this language's labels (`name_zh`, `title_en`, …).
    pub(crate) fn col(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}
