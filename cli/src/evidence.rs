//! `gridpatrol evidence …`: take photos in (attached to an answer or a hazard, or as drafts),
//! list them, re-hash the evidence folder against the records, collect abandoned drafts.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use gridpatrol_core::api::records::{EvidenceInfo, EvidenceTarget};
use gridpatrol_core::{GridPatrol, GridPatrolError};

use crate::output::Output;

#[derive(Subcommand)]
pub enum EvidenceCommand {
    /// Take a photo (JPEG or PNG) in: normalised, hashed and stored; attached to the target,
    /// or kept as a draft when no target is given.
    Add {
        photo: PathBuf,
        #[command(flatten)]
        target: TargetArgs,
    },
    /// The photos attached to an answer or a hazard.
    List {
        #[command(flatten)]
        target: TargetArgs,
    },
    /// Re-hash every stored evidence file and thumbnail against its record; exit 1 naming the
    /// first that is missing or differs.
    Verify,
    /// Delete the files of drafts nothing was attached to (default: older than 7 days).
    Gc {
        #[arg(long)]
        older_than_hours: Option<u64>,
    },
}

/// What a photo is evidence of: an inspection's item, or a hazard.
#[derive(Args)]
pub struct TargetArgs {
    /// The inspection whose answer the photo documents (with --item).
    #[arg(long, requires = "item", conflicts_with = "target_hazard")]
    target_inspection: Option<String>,
    /// The checklist item of --target-inspection, e.g. R01.
    #[arg(long, requires = "target_inspection")]
    item: Option<String>,
    /// The hazard the photo documents (a fix, a re-check).
    #[arg(long)]
    target_hazard: Option<String>,
}

impl TargetArgs {
    fn target(self) -> Option<EvidenceTarget> {
        match (self.target_inspection, self.item, self.target_hazard) {
            (Some(inspection_id), Some(item_id), _) => Some(EvidenceTarget::Answer {
                inspection_id,
                item_id,
            }),
            (_, _, Some(hazard_id)) => Some(EvidenceTarget::Hazard { hazard_id }),
            _ => None,
        }
    }
}

pub fn run(
    gp: &GridPatrol,
    out: &Output,
    command: EvidenceCommand,
) -> Result<ExitCode, GridPatrolError> {
    match command {
        EvidenceCommand::Add { photo, target } => {
            let path = photo.display().to_string();
            let target = target.target();
            let info = match &target {
                Some(t) => gp.attach_photo(t.clone(), path)?,
                None => gp.ingest_photo(path)?,
            };
            out.print(&info, |i| {
                let mut text = describe(i);
                text.push_str(&match &target {
                    Some(t) => format!("attached to {}\n", target_text(t)),
                    None => {
                        "draft: attached to nothing yet (collected after 7 days unless attached)\n"
                            .to_owned()
                    }
                });
                text
            });
        }
        EvidenceCommand::List { target } => {
            let Some(target) = target.target() else {
                return Err(GridPatrolError::InvalidInput {
                    reason:
                        "name a target: --target-inspection ID --item ITEM, or --target-hazard ID"
                            .into(),
                });
            };
            let photos = gp.list_evidence(target.clone())?;
            out.print(&photos, |ps| {
                let mut text = format!("{} photos of {}\n", ps.len(), target_text(&target));
                for p in ps {
                    text.push_str(&describe(p));
                }
                text
            });
        }
        EvidenceCommand::Verify => {
            let report = gp.verify_evidence()?;
            out.print(&report, |r| match r.problems.first() {
                None => format!(
                    "ok: {} photos, every evidence file and thumbnail matches its record",
                    r.checked
                ),
                Some(first) => format!(
                    "{} of {} photos have problems; first: {} ({}): {}",
                    r.problems.len(),
                    r.checked,
                    first.path,
                    first.sha256,
                    first.problem
                ),
            });
            if !report.problems.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
        }
        EvidenceCommand::Gc { older_than_hours } => {
            let report = gp.collect_garbage(older_than_hours.map(|h| h * 3600))?;
            out.print(&report, |r| {
                format!(
                    "collected {} abandoned drafts, {} bytes freed",
                    r.collected, r.bytes_freed
                )
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(i: &EvidenceInfo) -> String {
    format!(
        "evidence sha256 {}\n  stored    {} ({} bytes, {}x{})\n  thumbnail {} ({} bytes, {}x{})\n  \
         original  sha256 {} ({} bytes, {} {}x{}, EXIF orientation {}){}\n",
        i.sha256,
        i.path,
        i.bytes,
        i.width,
        i.height,
        i.thumbnail_path,
        i.thumbnail_bytes,
        i.thumbnail_width,
        i.thumbnail_height,
        i.original_sha256,
        i.original_bytes,
        i.original_format,
        i.original_width,
        i.original_height,
        i.orientation,
        i.captured_at
            .as_ref()
            .map(|t| format!(", taken {t}"))
            .unwrap_or_default()
    )
}

fn target_text(target: &EvidenceTarget) -> String {
    match target {
        EvidenceTarget::Answer {
            inspection_id,
            item_id,
        } => format!("item {item_id} of inspection {inspection_id}"),
        EvidenceTarget::Hazard { hazard_id } => format!("hazard {hazard_id}"),
        EvidenceTarget::Report { report_id } => format!("report {report_id}"),
    }
}
