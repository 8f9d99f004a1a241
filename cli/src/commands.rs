//! One function per command: call the core, print the result.

use std::process::ExitCode;

use gridpatrol_core::api::records::{
    HazardGrade, InspectionRecord, InspectionStatus, SyncOutcome, Verdict,
};
use gridpatrol_core::{GridPatrol, GridPatrolError};

use crate::heard::Heard;
use crate::output::{table, Output};
use crate::scan;
use crate::{Command, HazardsCommand, InspectCommand, JournalCommand, VenuesCommand};

pub fn run(gp: &GridPatrol, out: &Output, command: Command) -> Result<ExitCode, GridPatrolError> {
    match command {
        Command::Venues(VenuesCommand::Import { file }) => {
            let n = gp.import_venues_file(file.display().to_string())?;
            out.print(&serde_json::json!({"imported": n}), |_| {
                format!("imported {n} venues")
            });
        }
        Command::Venues(VenuesCommand::List) => {
            let venues = gp.list_venues()?;
            out.print(&venues, |vs| {
                table(
                    &["venue", "type", "grid", "risk", "name"],
                    vs.iter()
                        .map(|v| {
                            vec![
                                v.venue_id.clone(),
                                v.venue_type_name.clone(),
                                v.grid.clone(),
                                format!("{:?}", v.risk_colour).to_lowercase(),
                                v.name.clone(),
                            ]
                        })
                        .collect(),
                )
            });
        }
        Command::Inspect(cmd) => inspect(gp, out, cmd)?,
        Command::Hazard(cmd) => crate::hazard::run(gp, out, cmd)?,
        Command::Ledger(args) => return crate::hazard::ledger(gp, out, args),
        Command::Report(cmd) => crate::reports::run(gp, out, cmd)?,
        Command::Resident(cmd) => crate::reports::resident(gp, out, cmd)?,
        Command::Warnings(cmd) => crate::warnings::run(gp, out, cmd)?,
        Command::Evidence(cmd) => return crate::evidence::run(gp, out, cmd),
        Command::Scan { image } => return scan::scan(gp, out, &image),
        Command::Keys(cmd) => scan::keys(gp, out, cmd)?,
        Command::Qr(cmd) => scan::qr(out, cmd)?,
        Command::Hazards(HazardsCommand::List) => {
            let hazards = gp.list_hazards()?;
            out.print(&hazards, |hs| {
                table(
                    &["hazard", "venue", "item", "area", "grade", "status", "note"],
                    hs.iter()
                        .map(|h| {
                            vec![
                                short(&h.hazard_id),
                                h.venue_name.clone(),
                                h.item_id.clone(),
                                h.area_name.clone(),
                                grade(h.grade).into(),
                                h.status.clone(),
                                h.note.clone().unwrap_or_default(),
                            ]
                        })
                        .collect(),
                )
            });
        }
        Command::Journal(JournalCommand::Verify) => {
            let report = gp.verify_journal()?;
            out.print(&report, |r| match (&r.first_bad, r.projection_differences.first()) {
                (None, None) => format!("ok: {} events", r.events),
                (Some(bad), _) => format!(
                    "journal broken at event {} (id {}): {}",
                    bad.device_seq, bad.event_id, bad.problem
                ),
                (None, Some(first)) => format!(
                    "chain ok ({} events) but projections disagree with it ({} rows), first: {first}",
                    r.events,
                    r.projection_differences.len()
                ),
            });
            if !report.intact {
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Enroll {
            server,
            code,
            device_name,
        } => {
            let account = block_on(gp.enroll(server, code, device_name))?;
            out.print(&account, |a| {
                format!(
                    "enrolled with {} as {} ({:?}), grids: {}",
                    a.server_url,
                    a.display_name,
                    a.role,
                    a.grids.join(", ")
                )
                .to_lowercase()
            });
        }
        Command::Sync => {
            let heard = std::sync::Arc::new(Heard::default());
            gp.set_listener(Some(heard.clone()))?;
            let report = block_on(gp.sync_now());
            gp.set_listener(None)?;
            let report = report?;
            if !out.json {
                for w in heard.warnings() {
                    println!("new warning: {}", crate::warnings::line(&w));
                }
                for r in heard.refusals() {
                    println!("{}", crate::heard::refusal_line(&r));
                }
            }
            out.print(&report, |r| {
                format!(
                    "sync {:?}: {} events sent, {} duplicates, {} rejected, {} photos ({} bytes), \
                     {} changes pulled, {} bytes sent, {} received{}",
                    r.outcome,
                    r.events_sent,
                    r.duplicates,
                    r.rejected,
                    r.blobs_uploaded,
                    r.blob_bytes,
                    r.changes_pulled,
                    r.bytes_sent,
                    r.bytes_received,
                    r.message
                        .as_ref()
                        .map(|m| format!("\n  {m}"))
                        .unwrap_or_default()
                )
            });
            if report.outcome != SyncOutcome::Completed {
                return Ok(ExitCode::from(2));
            }
        }
        Command::Status => {
            let status = gp.outbox_status()?;
            let wedged = gp.wedged_items()?;
            let account = gp.account()?;
            let refused = gp.refusals()?;
            let all = serde_json::json!({"outbox": status, "wedged": wedged, "account": account,
                                         "refused": refused});
            out.print(&all, |_| {
                let mut text = format!(
                    "events: {} pending, {} wedged\nphotos: {} pending, {} wedged\n",
                    status.events_pending,
                    status.events_wedged,
                    status.blobs_pending,
                    status.blobs_wedged
                );
                for w in &wedged {
                    text.push_str(&format!(
                        "  wedged {:?} {} ({}), {} attempts: {}\n",
                        w.kind, w.id, w.what, w.attempts, w.reason
                    ));
                }
                for r in &refused {
                    text.push_str(&format!("  {}\n", crate::heard::refusal_line(r)));
                }
                match &account {
                    None => text.push_str("not enrolled\n"),
                    Some(a) => text.push_str(&format!(
                        "enrolled with {} as {}{}\n",
                        a.server_url,
                        a.display_name,
                        if a.auth_required {
                            " (token refused: enroll again)"
                        } else {
                            ""
                        }
                    )),
                }
                text.push_str(&format!(
                    "last sync: {}, clock skew: {}",
                    status.last_synced_at.as_deref().unwrap_or("never"),
                    status
                        .clock_skew_ms
                        .map_or("unknown".into(), |ms| format!("{ms} ms"))
                ));
                text
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn inspect(gp: &GridPatrol, out: &Output, command: InspectCommand) -> Result<(), GridPatrolError> {
    match command {
        InspectCommand::Start { venue_id } => {
            let inspection = gp.start_inspection(venue_id)?;
            out.print(&inspection, |i| {
                format!(
                    "inspection {} of {} ({} items, checklist {} v{}){}",
                    i.inspection_id,
                    i.venue_name,
                    i.item_count,
                    i.template_id,
                    i.template_version,
                    if i.answered_count > 0 {
                        format!(", continuing: {} answered", i.answered_count)
                    } else {
                        String::new()
                    }
                )
            });
        }
        InspectCommand::Answer {
            inspection_id,
            item_id,
            verdict,
            note,
            major,
        } => {
            let inspection =
                gp.answer_item(inspection_id, item_id.clone(), verdict.into(), note, major)?;
            out.print(&inspection, |i| {
                format!("{item_id} recorded: {}", progress(i))
            });
        }
        InspectCommand::Finish { inspection_id } => {
            let summary = gp.finish_inspection(inspection_id)?;
            out.print(&summary, |s| {
                let mut text = format!(
                    "finished {} at {}: {} items, {} hazards\n",
                    s.inspection.inspection_id,
                    s.inspection.venue_name,
                    s.inspection.item_count,
                    s.hazards.len()
                );
                for h in &s.hazards {
                    text.push_str(&format!(
                        "  hazard {} {} {} [{}]\n",
                        short(&h.hazard_id),
                        h.item_id,
                        h.item_title,
                        grade(h.grade)
                    ));
                }
                text
            });
        }
        InspectCommand::Show { inspection_id } => {
            let inspection = gp.get_inspection(inspection_id.clone())?;
            let checklist = gp.checklist(inspection_id)?;
            out.print(
                &serde_json::json!({"inspection": inspection, "checklist": checklist}),
                |_| {
                    let mut text = format!(
                        "{} {}: {}\n",
                        inspection.inspection_id,
                        inspection.venue_name,
                        progress(&inspection)
                    );
                    text.push_str(&table(
                        &["item", "area", "answer", "title"],
                        checklist
                            .iter()
                            .map(|e| {
                                let answer = match &e.answer {
                                    None => "-".to_string(),
                                    Some(a) => format!(
                                        "{}{}",
                                        verdict(a.verdict),
                                        if a.suspected_major { " (major?)" } else { "" }
                                    ),
                                };
                                vec![
                                    e.item_id.clone(),
                                    e.area_name.clone(),
                                    answer,
                                    e.title.clone(),
                                ]
                            })
                            .collect(),
                    ));
                    text
                },
            );
        }
        InspectCommand::List => {
            let inspections = gp.list_inspections()?;
            out.print(&inspections, |is| {
                table(
                    &["inspection", "venue", "progress", "started"],
                    is.iter()
                        .map(|i| {
                            vec![
                                i.inspection_id.clone(),
                                i.venue_name.clone(),
                                progress(i),
                                i.started_at.clone(),
                            ]
                        })
                        .collect(),
                )
            });
        }
    }
    Ok(())
}

fn progress(i: &InspectionRecord) -> String {
    let state = match i.status {
        InspectionStatus::InProgress => "in progress",
        InspectionStatus::Finished => "finished",
    };
    format!(
        "{}/{} answered, {} failed, {state}",
        i.answered_count, i.item_count, i.failed_count
    )
}

fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Fail => "FAIL",
        Verdict::Na => "n/a",
    }
}

pub fn grade(g: HazardGrade) -> &'static str {
    match g {
        HazardGrade::General => "general",
        HazardGrade::SuspectedMajor => "suspected major",
    }
}

/// The random tail of a UUIDv7 (its head is a timestamp shared by ids made together).
fn short(id: &str) -> String {
    id[id.len().saturating_sub(8)..].to_owned()
}

/// Waits for one of the core's async calls (the work itself runs on the core's runtime).
pub fn block_on<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a current-thread runtime")
        .block_on(future)
}
