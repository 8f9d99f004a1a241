//! The ledger (台账) as CSV, one layout for the server's export and a phone's offline one, so a
//! street office gets the same file whichever produced it: UTF-8 with a byte-order mark (without
//! it Excel reads the bytes as the local ANSI code page and Chinese turns to mojibake), CRLF
//! line ends, the columns below, and the labels of the lifecycle's codes in Chinese and English.
//! A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first) gets a `'`.

use crate::events::HazardGrade;
use crate::hazard_flow::HazardStatus;

/// The UTF-8 byte-order mark, the first thing in the file.
pub const BOM: &str = "\u{feff}";

/// How many columns a row has.
pub const COLUMNS: usize = 22;

/// The header line, in Chinese (what a street office expects).
pub const HEADERS_ZH: [&str; COLUMNS] = [
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

/// The header line, in English.
pub const HEADERS_EN: [&str; COLUMNS] = [
    "hazard id",
    "district",
    "street",
    "community",
    "grid",
    "venue id",
    "venue",
    "venue type",
    "industry",
    "address",
    "hazard area",
    "checklist item",
    "grade",
    "status",
    "overdue",
    "deadline",
    "supervised",
    "escalated",
    "owner",
    "department",
    "reported at",
    "note",
];

/// A state's label: `(Chinese, English)`, e.g. `("待复查", "awaiting re-check")`.
pub fn status_label(status: HazardStatus) -> (&'static str, &'static str) {
    use HazardStatus as S;
    match status {
        S::Reported => ("已上报", "reported"),
        S::Verifying => ("核实中", "verifying"),
        S::Confirmed => ("已确认", "confirmed"),
        S::FixedOnSite => ("已当场整改", "fixed on site"),
        S::Assigned => ("已交办", "assigned"),
        S::InProgress => ("整改中", "in progress"),
        S::AwaitingRecheck => ("待复查", "awaiting re-check"),
        S::RecheckPassed => ("复查通过", "re-check passed"),
        S::RecheckFailed => ("复查未通过", "re-check failed"),
        S::Referred => ("已移交", "referred"),
        S::Dismissed => ("已排除", "dismissed"),
        S::Merged => ("已合并", "merged"),
        S::Closed => ("已销号", "closed"),
    }
}

/// A grade's label: `(Chinese, English)`.
pub fn grade_label(grade: HazardGrade) -> (&'static str, &'static str) {
    match grade {
        HazardGrade::General => ("一般隐患", "general"),
        HazardGrade::SuspectedMajor => ("疑似重大隐患", "suspected major"),
    }
}

/// Yes or no: `(Chinese, English)`.
pub fn yes_no(flag: bool) -> (&'static str, &'static str) {
    if flag {
        ("是", "yes")
    } else {
        ("否", "no")
    }
}

/// One cell: defused when it starts like a formula, quoted when it must be.
pub fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\r', '\n']) || text.starts_with(' ') || text.ends_with(' ') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// One line: the cells, escaped, comma-separated, CRLF at the end.
pub fn line<S: AsRef<str>>(cells: &[S]) -> String {
    let mut out = cells
        .iter()
        .map(|c| cell(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("后门锁闭"), "后门锁闭");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1"), "'-1");
        assert_eq!(cell(" padded"), "\" padded\"");
        assert_eq!(line(&["a", "b,c"]), "a,\"b,c\"\r\n");
    }

    #[test]
    fn every_state_has_a_distinct_label_in_both_languages() {
        let all = [
            HazardStatus::Reported,
            HazardStatus::Verifying,
            HazardStatus::Confirmed,
            HazardStatus::FixedOnSite,
            HazardStatus::Assigned,
            HazardStatus::InProgress,
            HazardStatus::AwaitingRecheck,
            HazardStatus::RecheckPassed,
            HazardStatus::RecheckFailed,
            HazardStatus::Referred,
            HazardStatus::Dismissed,
            HazardStatus::Merged,
            HazardStatus::Closed,
        ];
        let zh: std::collections::HashSet<_> = all.iter().map(|s| status_label(*s).0).collect();
        let en: std::collections::HashSet<_> = all.iter().map(|s| status_label(*s).1).collect();
        assert_eq!((zh.len(), en.len()), (all.len(), all.len()));
    }
}
