//! How the demo prints: section titles, tables, and one line per sync pass.

use gridpatrol_core::api::records::{
    HazardGrade, HazardRecord, OutboxStatus, SyncReport, VenueRecord,
};
use gridpatrol_core::api::scan_records::ScanVerification;
use gridpatrol_proto::sync::HazardState;

pub fn title(text: &str) {
    println!("\n\x1b[1m== {text}\x1b[0m");
}

pub fn line(text: &str) {
    println!("  {text}");
}

fn table(header: &[&str], rows: Vec<Vec<String>>) {
    let width = |s: &str| {
        s.chars()
            .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
            .sum::<usize>()
    };
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c}{}", " ".repeat(w - width(c))))
            .collect();
        println!("  {}", cells.join("  ").trim_end());
    }
}

pub fn venues(venues: &[VenueRecord]) {
    table(
        &["venue", "type", "risk", "name"],
        venues
            .iter()
            .map(|v| {
                vec![
                    v.venue_id.clone(),
                    v.venue_type_name.clone(),
                    format!("{:?}", v.risk_colour).to_lowercase(),
                    v.name.clone(),
                ]
            })
            .collect(),
    );
}

pub fn verification(v: &ScanVerification) -> String {
    match v {
        ScanVerification::Verified {
            venue_id,
            venue_name,
            key_id,
            ..
        } => {
            format!("verified offline: {venue_name} ({venue_id}), signed with key {key_id}")
        }
        other => format!("{other:?}"),
    }
}

fn grade(g: HazardGrade) -> &'static str {
    match g {
        HazardGrade::General => "一般 general",
        HazardGrade::SuspectedMajor => "疑似重大 suspected major",
    }
}

pub fn hazards(hazards: &[HazardRecord]) {
    table(
        &["item", "area", "grade", "status", "note"],
        hazards
            .iter()
            .map(|h| {
                vec![
                    h.item_id.clone(),
                    h.area_name.clone(),
                    grade(h.grade).into(),
                    h.status.clone(),
                    h.note.clone().unwrap_or_default(),
                ]
            })
            .collect(),
    );
}

pub fn ledger(hazards: &[HazardState]) {
    table(
        &[
            "venue",
            "grid",
            "item",
            "area",
            "grade",
            "status",
            "evidence",
            "received (server time)",
        ],
        hazards
            .iter()
            .map(|h| {
                vec![
                    h.venue_id.clone(),
                    h.grid.clone(),
                    h.item_id.clone().unwrap_or_else(|| "report".into()),
                    h.area.clone(),
                    grade(h.grade).into(),
                    h.status.as_str().into(),
                    if h.evidence_pending {
                        "pending"
                    } else {
                        "complete"
                    }
                    .into(),
                    h.received_at.clone(),
                ]
            })
            .collect(),
    );
}

pub fn sync(r: &SyncReport) {
    line(&format!(
        "sync {:?}: {} events sent, {} duplicates, {} photos ({} bytes), {} changes pulled; {} bytes sent, {} received{}",
        r.outcome,
        r.events_sent,
        r.duplicates,
        r.blobs_uploaded,
        r.blob_bytes,
        r.changes_pulled,
        r.bytes_sent,
        r.bytes_received,
        r.message.as_ref().map(|m| format!(" — {m}")).unwrap_or_default()
    ));
}

pub fn outbox(s: &OutboxStatus) {
    line(&format!(
        "outbox: {} events and {} photos waiting, {} wedged; last sync {}",
        s.events_pending,
        s.blobs_pending,
        s.events_wedged + s.blobs_wedged,
        s.last_synced_at.as_deref().unwrap_or("never")
    ));
}

pub fn totals(reports: &[SyncReport]) {
    let (sent, received, photos) = super::bytes(reports);
    line(&format!(
        "all passes: {sent} bytes sent ({photos} of them photo bytes), {received} received, \
         {} events sent once, {} duplicates",
        reports.iter().map(|r| r.events_sent).sum::<u64>(),
        reports.iter().map(|r| r.duplicates).sum::<u64>()
    ));
}
