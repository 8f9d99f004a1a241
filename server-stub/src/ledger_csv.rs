//! The ledger (台账) as CSV for Excel, in the layout phones write too
//! (`gridpatrol_proto::ledger_csv`: UTF-8 with BOM, CRLF, Chinese headers, escaping): the
//! server's rows with Chinese labels for statuses, grades, hazard areas and venue types (names
//! from the reference pack) and times in the district's local time.

use std::collections::HashMap;

use gridpatrol_proto::ledger_csv::{grade_label, line, status_label, yes_no, BOM, HEADERS_ZH};
use gridpatrol_proto::reference::ReferencePack;

use crate::rules::{parse_time, Rules};
use crate::store::LedgerRow;

/// The CSV file: BOM, header line, one line per ledger row. `rules` gives each district's
/// local time (default: the built-in rules).
pub fn render(
    rows: &[LedgerRow],
    pack: Option<&ReferencePack>,
    rules: &HashMap<String, Rules>,
) -> Vec<u8> {
    let area_name = |code: &str| -> String {
        pack.and_then(|p| p.hazard_areas.iter().find(|a| a.code == code))
            .map_or_else(|| code.to_owned(), |a| a.name_zh.clone())
    };
    let type_name = |code: &str| -> String {
        pack.and_then(|p| p.venue_types.iter().find(|t| t.code == code))
            .map_or_else(|| code.to_owned(), |t| t.name_zh.clone())
    };
    let default_rules = Rules::default();
    let mut out = String::from(BOM);
    out.push_str(&line(&HEADERS_ZH));
    for row in rows {
        let h = &row.hazard;
        let rules = rules.get(&row.district).unwrap_or(&default_rules);
        let local =
            |text: &str| parse_time(text).map_or_else(|| text.to_owned(), |t| rules.local_text(t));
        let venue = row.venue.as_ref();
        let cells: [String; HEADERS_ZH.len()] = [
            h.hazard_id.clone(),
            row.district.clone(),
            row.street.clone(),
            row.community.clone(),
            h.grid.clone(),
            h.venue_id.clone(),
            venue.map(|v| v.name.clone()).unwrap_or_default(),
            venue.map(|v| type_name(&v.venue_type)).unwrap_or_default(),
            venue.map(|v| v.industry.clone()).unwrap_or_default(),
            venue.map(|v| v.address.clone()).unwrap_or_default(),
            area_name(&h.area),
            h.item_id.clone().unwrap_or_default(),
            grade_label(h.grade).0.to_owned(),
            status_label(h.status).0.to_owned(),
            yes_no(h.overdue).0.to_owned(),
            h.deadline.as_deref().map(local).unwrap_or_default(),
            yes_no(h.supervised).0.to_owned(),
            yes_no(h.escalated).0.to_owned(),
            h.owner.clone().unwrap_or_default(),
            h.department.clone().unwrap_or_default(),
            local(&h.received_at),
            h.note.clone().unwrap_or_default(),
        ];
        out.push_str(&line(&cells));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_ledger_is_the_bom_and_the_headers() {
        let csv = render(&[], None, &HashMap::new());
        assert!(csv.starts_with(BOM.as_bytes()));
        let text = std::str::from_utf8(&csv[BOM.len()..]).unwrap();
        assert!(text.starts_with("隐患编号,区,街乡,社区,网格"));
        assert_eq!(text.lines().count(), 1);
    }
}
