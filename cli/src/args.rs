//! The contract's enums on the command line: an argument is the wire spelling (`escape_route`,
//! `suspected_major`, `IN_PROGRESS`), with `-` accepted for `_` and any case, so the CLI never
//! restates the lists the contract already holds; and the same spelling when printing.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Parses `text` as the wire value of `T` (a clap `value_parser`).
pub fn wire<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let code = text.trim().replace('-', "_");
    [code.to_lowercase(), code.to_uppercase()]
        .into_iter()
        .find_map(|c| serde_json::from_value(serde_json::Value::String(c)).ok())
        .ok_or_else(|| format!("'{text}' is not one of the values the contract knows"))
}

/// The wire spelling of an enum value, e.g. `escape_route`.
pub fn code<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gridpatrol_core::api::loop_records::HazardStatus;
    use gridpatrol_core::api::report_records::ReportCategory;

    #[test]
    fn arguments_take_the_wire_spelling_in_any_case_with_dashes() {
        assert_eq!(
            wire::<HazardStatus>("in-progress"),
            Ok(HazardStatus::InProgress)
        );
        assert_eq!(wire::<HazardStatus>("CLOSED"), Ok(HazardStatus::Closed));
        assert_eq!(
            wire::<ReportCategory>("Escape-Route"),
            Ok(ReportCategory::EscapeRoute)
        );
        assert!(wire::<ReportCategory>("arson").is_err());
        assert_eq!(code(&ReportCategory::EBike), "e_bike");
    }
}
