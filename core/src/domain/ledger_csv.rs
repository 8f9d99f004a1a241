//! The ledger as CSV, offline: the shared layout of `gridpatrol_proto::ledger_csv` (the same
//! columns, labels, BOM and escaping as the server's export), headers and labels in the app's
//! language, times in the device's local time like the server prints them in the district's.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Local};
use gridpatrol_proto::ledger_csv::{self, BOM, HEADERS_EN, HEADERS_ZH};

use super::{labels, Lang};
use crate::api::loop_records::LedgerRow;
use crate::error::Result;

/// A server time as the CSV prints it: `2026-12-05 16:00` in local time (as stored if it is not
/// an RFC 3339 time).
fn local(text: &str) -> String {
    DateTime::parse_from_rfc3339(text).map_or_else(
        |_| text.to_owned(),
        |t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string(),
    )
}

/// The rows as a CSV document (BOM first).
pub fn render(rows: &[LedgerRow], lang: Lang) -> String {
    let mut out = String::from(BOM);
    out.push_str(&ledger_csv::line(match lang {
        Lang::Zh => &HEADERS_ZH,
        Lang::En => &HEADERS_EN,
    }));
    for r in rows {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let cells: [String; ledger_csv::COLUMNS] = [
            r.hazard_id.clone(),
            r.district.clone(),
            r.street.clone(),
            r.community.clone(),
            r.grid.clone(),
            r.venue_id.clone(),
            r.venue_name.clone(),
            r.venue_type_name.clone(),
            r.industry.clone(),
            r.address.clone(),
            r.area_name.clone(),
            opt(&r.item_id),
            labels::grade(r.grade, lang).to_owned(),
            r.status_name.clone(),
            labels::yes_no(r.overdue, lang).to_owned(),
            r.deadline.as_deref().map(local).unwrap_or_default(),
            labels::yes_no(r.supervised, lang).to_owned(),
            labels::yes_no(r.escalated, lang).to_owned(),
            opt(&r.owner),
            opt(&r.department),
            local(&r.received_at),
            opt(&r.note),
        ];
        out.push_str(&ledger_csv::line(&cells));
    }
    out
}

/// Writes `csv` to `path` whole or not at all: a temp file beside it, synced, then renamed.
pub fn write(path: &Path, csv: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "ledger.csv".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", uuid::Uuid::new_v4()));
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(csv.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    Ok(written?)
}
