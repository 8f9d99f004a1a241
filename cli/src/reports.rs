//! Residents' reports from the command line: `gridpatrol resident enroll SERVER [--phone P]`,
//! `gridpatrol report submit|mine` for a resident, `gridpatrol report list|check` for a worker.

use std::path::PathBuf;

use clap::Subcommand;
use gridpatrol_core::api::records::{CoordSystem, EvidenceTarget, GeoPoint, HazardGrade};
use gridpatrol_core::api::report_records::{
    MyReportRecord, ReportCategory, ReportFinding, ReportRecord, ReportStatus,
};
use gridpatrol_core::{GridPatrol, GridPatrolError};

use crate::args::{code, wire};
use crate::commands::block_on;
use crate::output::{table, Output};

#[derive(Subcommand)]
pub enum ResidentCommand {
    /// Register this device as a resident's with a server (no code needed).
    Enroll {
        server: String,
        /// Optional; never shown to venues or workers.
        #[arg(long)]
        phone: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum ReportCommand {
    /// Report a hazard (resident accounts); prints the report id.
    Submit {
        /// fire, gas, electrical, escape_route, e_bike, building, flood_geological or other.
        #[arg(value_parser = wire::<ReportCategory>)]
        category: ReportCategory,
        description: String,
        /// Where (WGS-84, as GPS reports it), with --lon.
        #[arg(long, requires = "lon", allow_hyphen_values = true)]
        lat: Option<f64>,
        #[arg(long, requires = "lat", allow_hyphen_values = true)]
        lon: Option<f64>,
        /// The venue code scanned (its URL or token).
        #[arg(long)]
        venue_code: Option<String>,
        /// Photos to attach (JPEG or PNG).
        #[arg(long = "photo")]
        photos: Vec<PathBuf>,
    },
    /// Your own reports and each step (resident accounts).
    Mine,
    /// Reports dispatched to your grids (workers), those to check first.
    List,
    /// Record what you found checking a report on site: a hazard (--venue --area) or
    /// --no-hazard REASON.
    Check {
        report_id: String,
        #[arg(long, conflicts_with_all = ["venue", "area"], required_unless_present = "venue")]
        no_hazard: Option<String>,
        #[arg(long, requires = "area")]
        venue: Option<String>,
        /// Hazard area code, e.g. escape_routes.
        #[arg(long, requires = "venue")]
        area: Option<String>,
        /// general or suspected_major.
        #[arg(long, value_parser = wire::<HazardGrade>, default_value = "general")]
        grade: HazardGrade,
        #[arg(long)]
        note: Option<String>,
    },
}

pub fn resident(
    gp: &GridPatrol,
    out: &Output,
    command: ResidentCommand,
) -> Result<(), GridPatrolError> {
    let ResidentCommand::Enroll { server, phone } = command;
    let account = block_on(gp.enroll_resident(server, phone))?;
    out.print(&account, |a| {
        format!(
            "registered with {} as a resident ({})",
            a.server_url, a.user_id
        )
    });
    Ok(())
}

pub fn run(gp: &GridPatrol, out: &Output, command: ReportCommand) -> Result<(), GridPatrolError> {
    match command {
        ReportCommand::Submit {
            category,
            description,
            lat,
            lon,
            venue_code,
            photos,
        } => {
            let location = lat.zip(lon).map(|(latitude, longitude)| GeoPoint {
                latitude,
                longitude,
                coord_system: CoordSystem::Wgs84,
            });
            let id = gp.submit_report(category, description, location, venue_code)?;
            let mut attached = Vec::new();
            for photo in photos {
                let target = EvidenceTarget::Report {
                    report_id: id.clone(),
                };
                attached.push(gp.attach_photo(target, photo.display().to_string())?.sha256);
            }
            out.print(
                &serde_json::json!({"report_id": id, "photos": attached}),
                |_| format!("report {id} queued with {} photos", attached.len()),
            );
        }
        ReportCommand::Mine => {
            let reports = gp.my_reports()?;
            out.print(&reports, |rs| rs.iter().map(mine).collect::<String>());
        }
        ReportCommand::List => {
            let reports = gp.reports()?;
            out.print(&reports, |rs| list(rs));
        }
        ReportCommand::Check {
            report_id,
            no_hazard,
            venue,
            area,
            grade,
            note,
        } => {
            let finding = match (no_hazard, venue, area) {
                (Some(reason), _, _) => ReportFinding::NoHazard { reason },
                (None, Some(venue_id), Some(area)) => ReportFinding::Hazard {
                    venue_id,
                    area,
                    grade,
                    note,
                },
                _ => {
                    return Err(GridPatrolError::InvalidInput {
                        reason: "say what you found: --venue V --area A, or --no-hazard REASON"
                            .into(),
                    })
                }
            };
            let report = gp.check_report(report_id, finding)?;
            out.print(&report, |r| match &r.hazard_id {
                Some(h) => format!("report {} checked: hazard {h} opened", r.report_id),
                None => format!("report {} checked: no hazard", r.report_id),
            });
        }
    }
    Ok(())
}

fn mine(r: &MyReportRecord) -> String {
    let mut text = format!(
        "{} [{}] {}: {}\n",
        r.report_id,
        code(&r.category),
        r.status
            .as_ref()
            .map_or("waiting to be sent".into(), |s: &ReportStatus| code(s)),
        r.description
    );
    for step in &r.steps {
        text.push_str(&format!(
            "  {} {}{}\n",
            step.at,
            code(&step.status),
            step.note
                .as_ref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default()
        ));
    }
    text
}

fn list(reports: &[ReportRecord]) -> String {
    table(
        &[
            "report",
            "category",
            "status",
            "venue",
            "hazard",
            "description",
        ],
        reports
            .iter()
            .map(|r| {
                vec![
                    r.report_id.clone(),
                    code(&r.category),
                    format!(
                        "{}{}",
                        code(&r.status),
                        if r.checked_here {
                            " (checked here)"
                        } else {
                            ""
                        }
                    ),
                    r.venue_name
                        .clone()
                        .or_else(|| r.venue_id.clone())
                        .unwrap_or_default(),
                    r.hazard_id.clone().unwrap_or_default(),
                    r.description.clone(),
                ]
            })
            .collect(),
    )
}
