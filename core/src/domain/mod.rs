//! The field work, offline: reference data (venue types, hazard areas, checklists), venues,
//! inspections and the hazards they find, the hazard lifecycle and the ledger, residents'
//! reports and warnings. Commands validate, then record one journal event; `project` turns
//! events into the tables the screens read.

use crate::error::{Error, Result};

pub mod catalog;
pub mod hazard_view;
pub mod hazards;
pub mod inspections;
pub mod labels;
pub mod ledger;
pub mod ledger_csv;
pub mod lifecycle;
pub mod outcomes;
pub mod project;
pub mod reports;
pub mod scans;
pub mod venues;
pub mod warnings;

/// Longest free text (a note, a description, a reason) accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;

/// Trims `text`; empty is `None`. Longer than `max` characters is refused, naming `what`.
pub(crate) fn optional_text(
    what: &str,
    text: Option<String>,
    max: usize,
) -> Result<Option<String>> {
    let text = text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    if text.as_ref().is_some_and(|t| t.chars().count() > max) {
        return Err(Error::InvalidInput(format!(
            "{what} is longer than {max} characters"
        )));
    }
    Ok(text)
}

/// [`optional_text`] that must not be empty.
pub(crate) fn required_text(what: &str, text: String, max: usize) -> Result<String> {
    optional_text(what, Some(text), max)?
        .ok_or_else(|| Error::InvalidInput(format!("{what} is empty")))
}

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
