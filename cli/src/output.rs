//! Printing: JSON for scripts, aligned text for people; errors as `error: <reason>` (and as a
//! JSON object with `--json`) with exit code 1.

use std::process::ExitCode;

use gridpatrol_core::GridPatrolError;
use serde::Serialize;

pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints `value` as JSON, or the text `human` makes from it.
    pub fn print<T: Serialize>(&self, value: &T, human: impl FnOnce(&T) -> String) {
        if self.json {
            println!(
                "{}",
                serde_json::to_string_pretty(value).expect("records serialise")
            );
        } else {
            let text = human(value);
            if !text.is_empty() {
                println!("{}", text.trim_end());
            }
        }
    }

    pub fn error(&self, err: &GridPatrolError) -> ExitCode {
        let kind = match err {
            GridPatrolError::InvalidInput { .. } => "invalid_input",
            GridPatrolError::NotFound { .. } => "not_found",
            GridPatrolError::Conflict { .. } => "conflict",
            GridPatrolError::Storage { .. } => "storage",
            GridPatrolError::Network { .. } => "network",
            GridPatrolError::Rejected { .. } => "rejected",
        };
        if self.json {
            let body = serde_json::json!({"error": {"kind": kind, "reason": err.to_string()}});
            println!("{body}");
        }
        eprintln!("error: {err}");
        ExitCode::FAILURE
    }
}

/// Formats rows as columns separated by two spaces, padded by display width (CJK counts 2).
pub fn table(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let mut out = String::new();
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(rows.iter()) {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(w - width(cell) + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn columns_line_up_with_chinese_text() {
        let t = super::table(
            &["id", "name"],
            vec![
                vec!["1".into(), "小餐馆".into()],
                vec!["22".into(), "ab".into()],
            ],
        );
        assert_eq!(t, "id  name\n1   小餐馆\n22  ab\n");
    }
}
