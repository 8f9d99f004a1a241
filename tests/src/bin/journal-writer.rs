//! Test helper for the crash test: records inspections through the public core API in an endless
//! loop, as fast as the disk allows, until it is killed. Failed items that need a photo get one
//! (`photos/exif_full.jpg` beside the venue file), so kills also land inside the transaction that
//! records a photo's two events.
//!
//! Usage: `journal-writer DATABASE VENUES_JSON`

use std::path::Path;

use gridpatrol_core::api::records::{EvidenceTarget, GridPatrolConfig, Verdict};
use gridpatrol_core::{GridPatrol, GridPatrolError};

fn main() -> Result<(), GridPatrolError> {
    let mut args = std::env::args().skip(1);
    let (Some(database_path), Some(venues)) = (args.next(), args.next()) else {
        eprintln!("usage: journal-writer DATABASE VENUES_JSON");
        std::process::exit(2);
    };
    let gp = GridPatrol::open(GridPatrolConfig {
        evidence_dir: format!("{database_path}.evidence"),
        database_path,
        locale: None,
    })?;
    let photo = Path::new(&venues)
        .with_file_name("photos/exif_full.jpg")
        .display()
        .to_string();
    gp.import_venues_file(venues)?;
    let venues = gp.list_venues()?;
    for round in 0usize.. {
        let venue = &venues[round % venues.len()];
        // Continues an inspection a previous (killed) run left in progress.
        let inspection = gp.start_inspection(venue.venue_id.clone())?;
        for entry in gp.checklist(inspection.inspection_id.clone())? {
            let fail = match &entry.answer {
                Some(answer) => answer.verdict == Verdict::Fail,
                None => {
                    let fail = (round + entry.item_id.len() + entry.area.len()) % 5 == 0;
                    gp.answer_item(
                        inspection.inspection_id.clone(),
                        entry.item_id.clone(),
                        if fail { Verdict::Fail } else { Verdict::Pass },
                        fail.then(|| format!("round {round}")),
                        false,
                    )?;
                    fail
                }
            };
            // Also after a kill between the answer and its photo.
            if fail && entry.photo_on_fail && entry.photo_count == 0 {
                let target = EvidenceTarget::Answer {
                    inspection_id: inspection.inspection_id.clone(),
                    item_id: entry.item_id,
                };
                gp.attach_photo(target, photo.clone())?;
            }
        }
        gp.finish_inspection(inspection.inspection_id)?;
    }
    Ok(())
}
