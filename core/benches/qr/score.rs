//! Scoring and the printed tables: decode rate and false positives per tag, median times.
//!
//! An image counts as read when every labelled payload was returned. A false positive is any
//! returned text that is not one of the image's payloads (on no-code images: anything at all).

use std::collections::{BTreeMap, HashSet};

use crate::corpus::Sample;

/// One decoder's answers: per sample (same order as the corpus) the texts and the fastest of
/// the repeated decode times.
pub struct Run {
    pub name: String,
    pub results: Vec<Option<(Vec<String>, f64)>>,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    images: u32,
    with_codes: u32,
    read: u32,
    false_pos: u32,
}

fn tally(samples: &[Sample], run: &Run, tag: Option<&str>) -> Option<Tally> {
    let mut t = Tally::default();
    for (s, r) in samples.iter().zip(&run.results) {
        if tag.is_some_and(|tag| !s.tags.iter().any(|x| x == tag)) {
            continue;
        }
        let (texts, _) = r.as_ref()?;
        let got: HashSet<&str> = texts.iter().map(String::as_str).collect();
        t.images += 1;
        t.false_pos += got
            .iter()
            .filter(|g| !s.payloads.iter().any(|p| p == *g))
            .count() as u32;
        if !s.payloads.is_empty() {
            t.with_codes += 1;
            t.read += s.payloads.iter().all(|p| got.contains(p.as_str())) as u32;
        }
    }
    Some(t)
}

fn cell(t: Option<Tally>) -> String {
    let Some(t) = t else {
        return "n/a".into();
    };
    let rate = if t.with_codes == 0 {
        "-".to_string()
    } else {
        format!(
            "{:.1} %",
            100.0 * f64::from(t.read) / f64::from(t.with_codes)
        )
    };
    if t.false_pos > 0 {
        format!("{rate} (FP {})", t.false_pos)
    } else {
        rate
    }
}

/// Tags in a stable order: groups in corpus order, then the secondary tags alphabetically.
fn tag_order(samples: &[Sample]) -> Vec<String> {
    let mut groups: Vec<String> = Vec::new();
    let mut others = BTreeMap::new();
    for s in samples {
        if !groups.contains(&s.group) {
            groups.push(s.group.clone());
        }
        for t in &s.tags {
            others.entry(t.clone()).or_insert(());
        }
    }
    let rest: Vec<String> = others.into_keys().filter(|t| !groups.contains(t)).collect();
    groups.into_iter().chain(rest).collect()
}

pub fn print_tables(samples: &[Sample], runs: &[Run]) {
    let names: Vec<&str> = runs.iter().map(|r| r.name.as_str()).collect();
    println!("\n### Decode rate (all codes of the image read) and false positives, per tag\n");
    println!("| tag | images | {} |", names.join(" | "));
    println!("|---|---:|{}", "---:|".repeat(runs.len()));
    for tag in tag_order(samples) {
        let n = samples.iter().filter(|s| s.tags.contains(&tag)).count();
        let cells: Vec<String> = runs
            .iter()
            .map(|r| cell(tally(samples, r, Some(&tag))))
            .collect();
        println!("| {tag} | {n} | {} |", cells.join(" | "));
    }
    let cells: Vec<String> = runs.iter().map(|r| cell(tally(samples, r, None))).collect();
    println!("| **all** | {} | {} |", samples.len(), cells.join(" | "));
    let fps: Vec<String> = runs
        .iter()
        .map(|r| tally(samples, r, None).map_or("n/a".into(), |t| t.false_pos.to_string()))
        .collect();
    println!("| **false positives** | | {} |", fps.join(" | "));

    println!("\n### Decode time (ms): median over the images of each image's fastest run\n");
    println!("| input | n | {} |", names.join(" | "));
    println!("|---|---:|{}", "---:|".repeat(runs.len()));
    for class in ["image", "720p frame", "1080p frame"] {
        let n = samples.iter().filter(|s| s.timing_class() == class).count();
        let cells: Vec<String> = runs.iter().map(|r| median_ms(samples, r, class)).collect();
        println!("| {class} | {n} | {} |", cells.join(" | "));
    }
}

fn median_ms(samples: &[Sample], run: &Run, class: &str) -> String {
    let mut ms: Vec<f64> = samples
        .iter()
        .zip(&run.results)
        .filter(|(s, _)| s.timing_class() == class)
        .filter_map(|(_, r)| r.as_ref().map(|(_, t)| *t))
        .collect();
    if ms.is_empty() {
        return "n/a".into();
    }
    ms.sort_by(f64::total_cmp);
    format!("{:.2}", median(&ms))
}

pub fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// Writes, per decoder, the ids of images not fully read and of images with a false positive
/// (one line per decoder), for looking at the failures.
pub fn write_misses(
    path: &std::path::Path,
    samples: &[Sample],
    runs: &[Run],
) -> Result<(), String> {
    let mut out = String::new();
    for run in runs {
        let (mut missed, mut false_pos) = (Vec::new(), Vec::new());
        for (s, r) in samples.iter().zip(&run.results) {
            let Some((texts, _)) = r else { continue };
            if !s.payloads.iter().all(|p| texts.contains(p)) {
                missed.push(s.id.as_str());
            }
            if texts.iter().any(|t| !s.payloads.contains(t)) {
                false_pos.push(s.id.as_str());
            }
        }
        out += &format!("{}\tmissed\t{}\n", run.name, missed.join(" "));
        out += &format!("{}\tfalse_positive\t{}\n", run.name, false_pos.join(" "));
    }
    std::fs::write(path, out).map_err(|e| format!("{}: {e}", path.display()))
}
