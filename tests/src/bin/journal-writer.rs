//! Test helper for the crash test: records inspections through the public core API in an endless
//! loop, as fast as the disk allows, until it is killed.
//!
//! Usage: `journal-writer DATABASE VENUES_JSON`

use gridpatrol_core::api::records::{GridPatrolConfig, Verdict};
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
    gp.import_venues_file(venues)?;
    let venues = gp.list_venues()?;
    for round in 0usize.. {
        let venue = &venues[round % venues.len()];
        // Continues an inspection a previous (killed) run left in progress.
        let inspection = gp.start_inspection(venue.venue_id.clone())?;
        for entry in gp.checklist(inspection.inspection_id.clone())? {
            if entry.answer.is_some() {
                continue;
            }
            let fail = (round + entry.item_id.len() + entry.area.len()) % 5 == 0;
            gp.answer_item(
                inspection.inspection_id.clone(),
                entry.item_id,
                if fail { Verdict::Fail } else { Verdict::Pass },
                fail.then(|| format!("round {round}")),
                false,
            )?;
        }
        gp.finish_inspection(inspection.inspection_id)?;
    }
    Ok(())
}
