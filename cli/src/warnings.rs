//! Warnings (预警) and 叫应 from the command line: `gridpatrol warnings list`, `ack ID`, `issue …`
//! (supervisors) and `watch [--seconds N]`, which holds the server's live warning stream open
//! and prints each warning that reaches this user as it arrives.

use std::sync::{mpsc, Arc};
use std::time::Duration;

use clap::Subcommand;
use gridpatrol_core::api::report_records::{WarningLevel, WarningRecord, WarningType};
use gridpatrol_core::{GridPatrol, GridPatrolError};

use crate::args::{code, wire};
use crate::commands::block_on;
use crate::heard::Heard;
use crate::output::{table, Output};

#[derive(Subcommand)]
pub enum WarningsCommand {
    /// Warnings for you: those to acknowledge first.
    List,
    /// Acknowledge (叫应) a warning; sent with the next sync.
    Ack { warning_id: String },
    /// Issue a warning for some of your street's grids (supervisors); prints its id.
    Issue {
        /// blue, yellow, orange or red.
        #[arg(long, value_parser = wire::<WarningLevel>)]
        level: WarningLevel,
        /// rainstorm, flood, geological, wind, fire, heat, snow or other.
        #[arg(long = "type", value_parser = wire::<WarningType>)]
        warning_type: WarningType,
        /// A grid it is for (repeat); none: every grid of your street.
        #[arg(long = "grid")]
        grids: Vec<String>,
        #[arg(long)]
        text: String,
        /// Minutes a recipient has to acknowledge before it escalates.
        #[arg(long, default_value_t = 30)]
        ack_within: u32,
    },
    /// Hold the server's live warning stream open and print each warning as it reaches you
    /// (for N seconds, or until interrupted).
    Watch {
        #[arg(long)]
        seconds: Option<u64>,
    },
}

/// A warning as one line of text.
pub fn line(w: &WarningRecord) -> String {
    format!(
        "{} [{} {}] {}{}{}",
        w.warning_id,
        code(&w.level),
        code(&w.warning_type),
        w.text,
        match (w.acknowledged, w.ack_unconfirmed) {
            (true, true) => " (acknowledged, not sent yet)".to_owned(),
            (true, false) => " (acknowledged)".to_owned(),
            (false, _) => format!(" — acknowledge by {}", w.ack_due_at),
        },
        w.escalated_from
            .as_ref()
            .map(|f| format!(", escalated from {f}"))
            .unwrap_or_default()
    )
}

pub fn run(gp: &GridPatrol, out: &Output, command: WarningsCommand) -> Result<(), GridPatrolError> {
    match command {
        WarningsCommand::List => {
            let warnings = gp.warnings()?;
            out.print(&warnings, |ws| {
                table(
                    &[
                        "warning",
                        "level",
                        "type",
                        "acknowledged",
                        "issued by",
                        "text",
                    ],
                    ws.iter()
                        .map(|w| {
                            vec![
                                w.warning_id.clone(),
                                code(&w.level),
                                code(&w.warning_type),
                                if w.acknowledged { "yes" } else { "NO" }.into(),
                                w.issued_by.clone(),
                                w.text.clone(),
                            ]
                        })
                        .collect(),
                )
            });
        }
        WarningsCommand::Ack { warning_id } => {
            let warning = gp.acknowledge_warning(warning_id)?;
            out.print(&warning, line);
        }
        WarningsCommand::Issue {
            level,
            warning_type,
            grids,
            text,
            ack_within,
        } => {
            let id = gp.issue_warning(level, warning_type, grids, text, ack_within)?;
            out.print(&serde_json::json!({"warning_id": id}), |_| {
                format!("warning {id} queued")
            });
        }
        WarningsCommand::Watch { seconds } => {
            let printer = Arc::new(Heard::echoing(out.json));
            gp.set_listener(Some(printer.clone()))?;
            let (done, finished) = mpsc::channel::<()>();
            let watched = std::thread::scope(|s| {
                if let Some(seconds) = seconds {
                    s.spawn(move || {
                        if finished.recv_timeout(Duration::from_secs(seconds)).is_err() {
                            let _ = gp.pause_sync();
                        }
                    });
                }
                let watched = block_on(gp.watch_warnings());
                let _ = done.send(());
                watched
            });
            gp.set_listener(None)?;
            watched?;
            if !out.json {
                println!("watched: {} warnings heard", printer.warnings().len());
            }
        }
    }
    Ok(())
}
