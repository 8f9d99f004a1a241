//! `gridpatrol`: a headless field client for demos, testers and scripts. It drives the same
//! `GridPatrol` object the Android and iOS apps hold; every command takes `--json`.

mod args;
mod commands;
mod evidence;
mod hazard;
mod heard;
mod output;
mod reports;
mod scan;
mod warnings;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use gridpatrol_core::api::records::{GridPatrolConfig, Verdict};
use gridpatrol_core::GridPatrol;

/// GridPatrol (网格巡查) field client.
#[derive(Parser)]
#[command(name = "gridpatrol", version)]
struct Cli {
    /// Folder holding this client's database.
    #[arg(long, global = true, default_value = "./gridpatrol-data")]
    data: PathBuf,
    /// Label language: zh-CN or en.
    #[arg(long, global = true, default_value = "zh-CN")]
    lang: String,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Venues in this device's list.
    #[command(subcommand)]
    Venues(VenuesCommand),
    /// Inspect a venue against its checklist.
    #[command(subcommand)]
    Inspect(InspectCommand),
    /// Hazards found on this device.
    #[command(subcommand)]
    Hazards(HazardsCommand),
    /// Act on one hazard (verify, confirm, fix-on-site, assign, start, …) or show it.
    #[command(subcommand)]
    Hazard(hazard::HazardCommand),
    /// The grid's hazard ledger (台账) from the last sync: filter, count, export CSV.
    Ledger(hazard::LedgerArgs),
    /// Residents' reports: submit and follow (residents), list and check (workers).
    #[command(subcommand)]
    Report(reports::ReportCommand),
    /// Resident mode: register this device as a resident's.
    #[command(subcommand)]
    Resident(reports::ResidentCommand),
    /// Warnings (预警): list, acknowledge (叫应), issue (supervisors), watch live.
    #[command(subcommand)]
    Warnings(warnings::WarningsCommand),
    /// Evidence photos: add (attach or draft), list, verify, gc.
    #[command(subcommand)]
    Evidence(evidence::EvidenceCommand),
    /// The device's event journal.
    #[command(subcommand)]
    Journal(JournalCommand),
    /// Enroll this device with a sync server using a code from the street office.
    Enroll {
        /// e.g. http://127.0.0.1:8700
        server: String,
        code: String,
        /// A name for this device in the server's list.
        #[arg(long)]
        device_name: Option<String>,
    },
    /// Send what is queued (evidence, then events) and pull changes.
    Sync,
    /// What is waiting to be sent, wedged items with reasons, and the enrollment.
    Status,
    /// Scan an image for venue codes and verify each. Exit 0: a verified venue code was
    /// found; 2: no code; 3: codes, but none verified.
    Scan { image: PathBuf },
    /// The public keys venue codes are verified with.
    #[command(subcommand)]
    Keys(scan::KeysCommand),
    /// Venue codes (for tests and demos until the server prints them).
    #[command(subcommand)]
    Qr(scan::QrCommand),
}

#[derive(Subcommand)]
enum VenuesCommand {
    /// Import or update venues from a JSON file `{"venues": [...]}`.
    Import { file: PathBuf },
    /// List venues.
    List,
}

#[derive(Subcommand)]
enum InspectCommand {
    /// Start (or continue) the inspection of a venue.
    Start { venue_id: String },
    /// Answer one checklist item.
    Answer {
        inspection_id: String,
        item_id: String,
        verdict: VerdictArg,
        /// What the inspector saw.
        #[arg(long)]
        note: Option<String>,
        /// Mark a failed item as a suspected major hazard (疑似重大).
        #[arg(long)]
        major: bool,
    },
    /// Finish an inspection; failed items become hazards.
    Finish { inspection_id: String },
    /// Show an inspection's checklist and answers.
    Show { inspection_id: String },
    /// List inspections.
    List,
}

#[derive(Subcommand)]
enum HazardsCommand {
    /// List hazards.
    List,
}

#[derive(Subcommand)]
enum JournalCommand {
    /// Verify the hash chain; exit 1 naming the first bad event.
    Verify,
}

#[derive(Clone, Copy, ValueEnum)]
enum VerdictArg {
    Pass,
    Fail,
    Na,
}

impl From<VerdictArg> for Verdict {
    fn from(v: VerdictArg) -> Verdict {
        match v {
            VerdictArg::Pass => Verdict::Pass,
            VerdictArg::Fail => Verdict::Fail,
            VerdictArg::Na => Verdict::Na,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = output::Output { json: cli.json };
    let config = GridPatrolConfig {
        database_path: cli.data.join("gridpatrol.db").display().to_string(),
        evidence_dir: cli.data.join("evidence").display().to_string(),
        locale: Some(cli.lang.clone()),
    };
    let result = GridPatrol::open(config).and_then(|gp| {
        if let Some(moved) = gp.quarantined_database()? {
            eprintln!("warning: the database was unreadable and was moved to {moved}");
        }
        let code = commands::run(&gp, &out, cli.command);
        gp.shutdown();
        code
    });
    match result {
        Ok(code) => code,
        Err(err) => out.error(&err),
    }
}
