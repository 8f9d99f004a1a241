//! `gridpatrol hazard <action> ID …` and `gridpatrol hazard show ID`: the hazard lifecycle from
//! the command line, checked offline like the app does it; `gridpatrol ledger …`: the synced
//! ledger (台账) with filters, counts per group and CSV export.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use gridpatrol_core::api::loop_records::{
    HazardAction, HazardDetail, HazardStatus, LedgerFilter, LedgerGroup,
};
use gridpatrol_core::api::records::{EvidenceTarget, HazardGrade};
use gridpatrol_core::{GridPatrol, GridPatrolError};

use crate::args::wire;
use crate::output::{table, Output};

#[derive(Subcommand)]
pub enum HazardCommand {
    /// The hazard's state (with this device's pending actions), timeline, refusals, conflicts
    /// and the actions you may take now.
    Show { hazard_id: String },
    /// Start checking a report (REPORTED → VERIFYING).
    Verify(Target),
    /// It is a hazard, of this grade.
    Confirm {
        #[command(flatten)]
        target: Target,
        /// general or suspected_major.
        #[arg(long, value_parser = wire::<HazardGrade>)]
        grade: HazardGrade,
    },
    /// Not a hazard after all.
    Dismiss {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        reason: String,
    },
    /// The same hazard as another (supervisors).
    Merge {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        into: String,
    },
    /// Fixed on site: photos before and after (files, attached now, or SHA-256s already attached).
    FixOnSite {
        #[command(flatten)]
        target: Target,
        #[arg(long, required = true, num_args = 1..)]
        before: Vec<String>,
        #[arg(long, required = true, num_args = 1..)]
        after: Vec<String>,
    },
    /// Give it to someone to fix (supervisors); deadline as RFC 3339.
    Assign {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        owner: String,
        #[arg(long)]
        deadline: Option<String>,
    },
    /// Work on the fix starts.
    Start(Target),
    /// The owner says it is fixed.
    RequestRecheck(Target),
    /// Re-checked on site: fixed (photos: files or SHA-256s).
    RecheckPass {
        #[command(flatten)]
        target: Target,
        #[arg(long = "photo", required = true, num_args = 1..)]
        photos: Vec<String>,
    },
    /// Re-checked on site: not fixed.
    RecheckFail {
        #[command(flatten)]
        target: Target,
        #[arg(long = "photo", required = true, num_args = 1..)]
        photos: Vec<String>,
    },
    /// Hand it to a department (supervisors).
    Refer {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        department: String,
    },
    /// Close it (销号).
    Close(Target),
    /// Put under supervision (督办), or take it off with --off (supervisors).
    Supervise {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        off: bool,
    },
    /// Escalate to the street or district (supervisors).
    Escalate(Target),
    /// Settle a conflict: the transition of event --keep stands (supervisors).
    ResolveConflict {
        #[command(flatten)]
        target: Target,
        #[arg(long)]
        keep: String,
    },
}

/// The hazard an action is for, and an optional note.
#[derive(Args)]
pub struct Target {
    hazard_id: String,
    #[arg(long)]
    note: Option<String>,
}

pub fn run(gp: &GridPatrol, out: &Output, command: HazardCommand) -> Result<(), GridPatrolError> {
    use HazardCommand as C;
    let (target, action) = match command {
        C::Show { hazard_id } => {
            let detail = gp.hazard_detail(hazard_id)?;
            out.print(&detail, describe);
            return Ok(());
        }
        C::Verify(t) => (t, HazardAction::Verify),
        C::Confirm { target, grade } => (target, HazardAction::Confirm { grade }),
        C::Dismiss { target, reason } => (target, HazardAction::Dismiss { reason }),
        C::Merge { target, into } => (
            target,
            HazardAction::Merge {
                into_hazard_id: into,
            },
        ),
        C::FixOnSite {
            target,
            before,
            after,
        } => {
            let before = photos(gp, &target.hazard_id, before)?;
            let after = photos(gp, &target.hazard_id, after)?;
            (target, HazardAction::FixOnSite { before, after })
        }
        C::Assign {
            target,
            owner,
            deadline,
        } => (target, HazardAction::Assign { owner, deadline }),
        C::Start(t) => (t, HazardAction::Start),
        C::RequestRecheck(t) => (t, HazardAction::RequestRecheck),
        C::RecheckPass { target, photos: p } => {
            let photos = photos(gp, &target.hazard_id, p)?;
            (target, HazardAction::RecheckPass { photos })
        }
        C::RecheckFail { target, photos: p } => {
            let photos = photos(gp, &target.hazard_id, p)?;
            (target, HazardAction::RecheckFail { photos })
        }
        C::Refer { target, department } => (target, HazardAction::Refer { department }),
        C::Close(t) => (t, HazardAction::Close),
        C::Supervise { target, off } => (target, HazardAction::Supervise { on: !off }),
        C::Escalate(t) => (t, HazardAction::Escalate),
        C::ResolveConflict { target, keep } => (
            target,
            HazardAction::ResolveConflict {
                keep_event_id: keep,
            },
        ),
    };
    let detail = gp.transition_hazard(target.hazard_id, action, target.note)?;
    out.print(&detail, describe);
    Ok(())
}

/// Photos as SHA-256s: a 64-hex argument is one already attached; anything else is a file,
/// attached to the hazard now.
fn photos(
    gp: &GridPatrol,
    hazard_id: &str,
    args: Vec<String>,
) -> Result<Vec<String>, GridPatrolError> {
    args.into_iter()
        .map(|arg| {
            if gridpatrol_proto::sync::is_sha256_hex(&arg) {
                return Ok(arg);
            }
            let target = EvidenceTarget::Hazard {
                hazard_id: hazard_id.to_owned(),
            };
            Ok(gp.attach_photo(target, arg)?.sha256)
        })
        .collect()
}

fn status(s: HazardStatus) -> &'static str {
    s.as_str()
}

/// The detail screen as text.
pub fn describe(d: &HazardDetail) -> String {
    let s = &d.state;
    let mut text = format!(
        "hazard {} at {} ({}), {}: {}{}\n",
        s.hazard_id,
        s.venue_name.as_deref().unwrap_or(&s.venue_id),
        s.grid,
        s.area_name,
        status(s.status),
        match s.server_status {
            Some(server) if server != s.status => format!(" (server: {})", status(server)),
            Some(_) => String::new(),
            None => " (not synced yet)".into(),
        }
    );
    let flags: Vec<String> = [
        s.overdue.then(|| "OVERDUE".to_owned()),
        s.supervised.then(|| "supervised".to_owned()),
        s.escalated.then(|| "escalated".to_owned()),
        s.deadline.as_ref().map(|d| format!("deadline {d}")),
        s.owner.as_ref().map(|o| format!("owner {o}")),
        s.department.as_ref().map(|d| format!("referred to {d}")),
        s.merged_into.as_ref().map(|m| format!("merged into {m}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !flags.is_empty() {
        text.push_str(&format!("  {}\n", flags.join(", ")));
    }
    for step in &d.timeline {
        text.push_str(&format!(
            "  {} {} → {} by {}\n",
            step.at,
            step.action,
            status(step.status),
            step.by
        ));
    }
    for p in &d.pending_actions {
        text.push_str(&format!(
            "  pending: {} → {} ({})\n",
            p.action.name(),
            status(p.to_status),
            if p.sent { "sent" } else { "not sent" }
        ));
    }
    for (label, r) in d
        .refusals
        .iter()
        .map(|r| ("refused", r))
        .chain(d.conflicts.iter().map(|r| ("conflict", r)))
    {
        text.push_str(&format!(
            "  {label}: {}: {}\n",
            r.action.as_deref().unwrap_or(&r.kind),
            r.reason
        ));
    }
    for c in &s.open_conflicts {
        text.push_str(&format!("  open conflict: event {c}\n"));
    }
    text.push_str(&format!(
        "  you may: {}\n",
        if d.available_actions.is_empty() {
            "nothing".into()
        } else {
            d.available_actions.join(", ")
        }
    ));
    text
}

/// `gridpatrol ledger …`.
#[derive(Args)]
pub struct LedgerArgs {
    #[arg(long)]
    district: Option<String>,
    #[arg(long)]
    street: Option<String>,
    #[arg(long)]
    community: Option<String>,
    #[arg(long)]
    grid: Option<String>,
    /// Hazard area code, e.g. escape_routes.
    #[arg(long)]
    area: Option<String>,
    /// DOMAIN.md state, e.g. IN_PROGRESS (or in-progress).
    #[arg(long, value_parser = wire::<HazardStatus>)]
    status: Option<HazardStatus>,
    /// general or suspected_major.
    #[arg(long, value_parser = wire::<HazardGrade>)]
    grade: Option<HazardGrade>,
    /// Only overdue hazards.
    #[arg(long, conflicts_with = "not_overdue")]
    overdue: bool,
    /// Only hazards that are not overdue.
    #[arg(long)]
    not_overdue: bool,
    /// Venue type code, e.g. small_eatery.
    #[arg(long)]
    venue_type: Option<String>,
    #[arg(long)]
    industry: Option<String>,
    /// Count per group instead of listing: district, street, community, grid, area,
    /// venue_type, industry, grade or status.
    #[arg(long, value_parser = wire::<LedgerGroup>, conflicts_with = "csv")]
    group_by: Option<LedgerGroup>,
    /// Write CSV (UTF-8 with BOM) to FILE, or to stdout with `-`.
    #[arg(long, value_name = "FILE|-")]
    csv: Option<PathBuf>,
}

impl LedgerArgs {
    fn filter(&self) -> LedgerFilter {
        LedgerFilter {
            district: self.district.clone(),
            street: self.street.clone(),
            community: self.community.clone(),
            grid: self.grid.clone(),
            area: self.area.clone(),
            venue_type: self.venue_type.clone(),
            industry: self.industry.clone(),
            grade: self.grade,
            status: self.status,
            overdue: match (self.overdue, self.not_overdue) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            },
        }
    }
}

pub fn ledger(
    gp: &GridPatrol,
    out: &Output,
    args: LedgerArgs,
) -> Result<ExitCode, GridPatrolError> {
    let filter = args.filter();
    if let Some(group) = args.group_by {
        let counts = gp.ledger_counts(filter, group)?;
        out.print(&counts, |cs| {
            table(
                &["group", "total", "open", "overdue", "suspected major"],
                cs.iter()
                    .map(|c| {
                        vec![
                            c.label.clone(),
                            c.total.to_string(),
                            c.open.to_string(),
                            c.overdue.to_string(),
                            c.suspected_major.to_string(),
                        ]
                    })
                    .collect(),
            )
        });
        return Ok(ExitCode::SUCCESS);
    }
    match &args.csv {
        Some(path) if path.as_os_str() == "-" => {
            print!("{}", gp.ledger_csv(filter)?);
        }
        Some(path) => {
            let n = gp.export_ledger_csv(filter, path.display().to_string())?;
            out.print(
                &serde_json::json!({"rows": n, "file": path.display().to_string()}),
                |_| format!("wrote {n} hazards to {}", path.display()),
            );
        }
        None => {
            let rows = gp.ledger(filter)?;
            out.print(&rows, |rs| {
                table(
                    &[
                        "hazard", "venue", "grid", "area", "grade", "status", "overdue",
                    ],
                    rs.iter()
                        .map(|r| {
                            vec![
                                r.hazard_id.clone(),
                                r.venue_name.clone(),
                                r.grid.clone(),
                                r.area_name.clone(),
                                crate::commands::grade(r.grade).into(),
                                format!(
                                    "{}{}",
                                    r.status_name,
                                    if r.pending_actions > 0 { " *" } else { "" }
                                ),
                                if r.overdue { "OVERDUE" } else { "" }.into(),
                            ]
                        })
                        .collect(),
                )
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}
