//! Labels of the closed loop's codes (hazard states, grades, yes/no) in the app's language, as
//! the ledger and its CSV show them: the contract's own pairs (`gridpatrol_proto::ledger_csv`),
//! so the phone and the server say the same words.

use gridpatrol_proto::events::HazardGrade;
use gridpatrol_proto::hazard_flow::HazardStatus;
use gridpatrol_proto::ledger_csv;

use super::Lang;

/// The state's label, e.g. 待复查 / awaiting re-check.
pub fn status(status: HazardStatus, lang: Lang) -> &'static str {
    pick(lang, ledger_csv::status_label(status))
}

/// The grade's label: 一般隐患 / 疑似重大隐患.
pub fn grade(grade: HazardGrade, lang: Lang) -> &'static str {
    pick(lang, ledger_csv::grade_label(grade))
}

/// Yes or no.
pub fn yes_no(value: bool, lang: Lang) -> &'static str {
    pick(lang, ledger_csv::yes_no(value))
}

/// The Chinese or English one of a `(zh, en)` pair.
pub fn pick(lang: Lang, (zh, en): (&'static str, &'static str)) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
