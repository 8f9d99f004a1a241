//! The ledger (台账) as CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads
//! the bytes as the local ANSI code page and Chinese turns to mojibake), CRLF line ends,
//! Chinese headers, Chinese labels for statuses, grades, hazard areas and venue types (names
//! from the reference pack), local times. Cells that a spreadsheet would run as a formula
//! (`=`, `+`, `-`, `@` first) are prefixed with `'`.

use std::collections::HashMap;

use gridpatrol_proto::events::HazardGrade;
use gridpatrol_proto::hazard_flow::HazardStatus;
use gridpatrol_proto::reference::ReferencePack;

use crate::rules::{parse_time, Rules};
use crate::store::LedgerRow;

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

const HEADERS: [&str; 22] = [
    "隐患编号",
    "区",
    "街乡",
    "社区",
    "网格",
    "场所编号",
    "场所名称",
    "场所类型",
    "行业",
    "地址",
    "隐患类别",
    "检查项",
    "隐患等级",
    "状态",
    "是否逾期",
    "整改期限",
    "督办",
    "升级",
    "整改责任人",
    "移交部门",
    "上报时间",
    "情况说明",
];

/// A status as the ledger prints it.
pub fn status_label(status: HazardStatus) -> &'static str {
    use HazardStatus as S;
    match status {
        S::Reported => "已上报",
        S::Verifying => "核实中",
        S::Confirmed => "已确认",
        S::FixedOnSite => "已当场整改",
        S::Assigned => "已交办",
        S::InProgress => "整改中",
        S::AwaitingRecheck => "待复查",
        S::RecheckPassed => "复查通过",
        S::RecheckFailed => "复查未通过",
        S::Referred => "已移交",
        S::Dismissed => "已排除",
        S::Merged => "已合并",
        S::Closed => "已销号",
    }
}

pub fn grade_label(grade: HazardGrade) -> &'static str {
    match grade {
        HazardGrade::General => "一般隐患",
        HazardGrade::SuspectedMajor => "疑似重大隐患",
    }
}

fn cell(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn yes_no(flag: bool) -> &'static str {
    if flag {
        "是"
    } else {
        "否"
    }
}

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
    let mut out = String::new();
    out.push_str(&HEADERS.join(","));
    out.push_str("\r\n");
    for row in rows {
        let h = &row.hazard;
        let rules = rules.get(&row.district).unwrap_or(&default_rules);
        let local =
            |text: &str| parse_time(text).map_or_else(|| text.to_owned(), |t| rules.local_text(t));
        let venue = row.venue.as_ref();
        let cells: [String; 22] = [
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
            grade_label(h.grade).to_owned(),
            status_label(h.status).to_owned(),
            yes_no(h.overdue).to_owned(),
            h.deadline.as_deref().map(local).unwrap_or_default(),
            yes_no(h.supervised).to_owned(),
            yes_no(h.escalated).to_owned(),
            h.owner.clone().unwrap_or_default(),
            h.department.clone().unwrap_or_default(),
            local(&h.received_at),
            h.note.clone().unwrap_or_default(),
        ];
        let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    [BOM, out.as_bytes()].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("后门锁闭"), "后门锁闭");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(cell("line\nbreak"), "\"line\nbreak\"");
    }

    #[test]
    fn an_empty_ledger_is_the_bom_and_the_headers() {
        let csv = render(&[], None, &HashMap::new());
        assert!(csv.starts_with(BOM));
        let text = std::str::from_utf8(&csv[3..]).unwrap();
        assert!(text.starts_with("隐患编号,区,街乡,社区,网格"));
        assert_eq!(text.lines().count(), 1);
    }
}
