//! Enums are stored as their serde names (`'pass'`, `'suspected_major'`, …), the same text the
//! wire and the CHECK constraints use, so there is one spelling per value.

use rusqlite::types::{FromSqlError, Type};
use rusqlite::Row;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The stored text of an enum value.
pub fn to_text<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        other => unreachable!("text enums serialise to strings, got {other:?}"),
    }
}

/// Reads column `idx` of `row` as an enum stored by [`to_text`].
pub fn get<T: DeserializeOwned>(row: &Row<'_>, idx: usize) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    serde_json::from_value(serde_json::Value::String(text)).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(
            idx,
            Type::Text,
            Box::new(FromSqlError::Other(Box::new(e))),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::records::{HazardGrade, Verdict};

    #[test]
    fn enum_text_round_trips_through_sqlite() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let text = to_text(&HazardGrade::SuspectedMajor);
        assert_eq!(text, "suspected_major");
        let back: HazardGrade = conn.query_row("SELECT ?1", [&text], |r| get(r, 0)).unwrap();
        assert_eq!(back, HazardGrade::SuspectedMajor);
        let bad = conn.query_row("SELECT 'maybe'", [], |r| get::<Verdict>(r, 0));
        assert!(bad.is_err());
    }
}
