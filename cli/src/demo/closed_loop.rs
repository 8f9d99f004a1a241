//! The demo's second half (issue 6): the closed loop. A resident reports a hazard from the
//! venue's code; the grid worker checks it on site; the street supervisor assigns it; it is
//! fixed, re-checked with a photo and closed (销号); a warning is issued and acknowledged (叫应);
//! the ledger (CSV for Excel) and a rectification notice (PDF) are written to disk.

use std::path::Path;
use std::sync::Arc;

use gridpatrol_core::api::loop_records::HazardDetail;
use gridpatrol_core::api::report_records::{
    ReportCategory, ReportFinding, WarningLevel, WarningType,
};
use gridpatrol_core::GridPatrol;
use gridpatrol_proto::events::{EvidenceTarget, HazardGrade};
use gridpatrol_proto::hazard_flow::HazardAction;
use server_stub::Handle;

use super::office::Office;
use super::{open_phone, show, Result, FIRST_VENUE};

/// Runs the loop with `worker` (enrolled, synced) against `server`; files go to `out`.
pub async fn run(
    server: &Handle,
    worker: &Arc<GridPatrol>,
    office: &Office,
    out: &Path,
    photos: &Path,
    qr_png: &Path,
) -> Result<()> {
    show::title("9. A resident scans the eatery's posted code with the app and reports a hazard");
    let resident = open_phone(&out.join("resident"))?;
    resident
        .enroll_resident(server.base_url().into(), None)
        .await?;
    let code = resident
        .scan_image(qr_png.display().to_string())?
        .remove(0)
        .text;
    let report = resident.submit_report(
        ReportCategory::Gas,
        "后厨液化气罐放在地下室，有气味".into(),
        None,
        Some(code),
    )?;
    let target = EvidenceTarget::Report {
        report_id: report.clone(),
    };
    resident.attach_photo(
        target,
        photos.join("gas-alarm-unpowered.jpg").display().to_string(),
    )?;
    show::sync(&resident.sync_now().await?);
    show::line(&format!(
        "report {report} sent at once; the reporter stays anonymous"
    ));

    show::title(
        "10. The grid worker checks it on site: a hazard, assigned, fixed, re-checked, closed",
    );
    show::sync(&worker.sync_now().await?);
    let seen = worker
        .reports()?
        .into_iter()
        .find(|r| r.report_id == report)
        .ok_or("the report did not reach the grid")?;
    show::line(&format!(
        "report in grid {}: {:?} at {}, {} photo(s)",
        seen.grid,
        seen.category,
        seen.venue_name.as_deref().unwrap_or("?"),
        seen.photos.len()
    ));
    let checked = worker.check_report(
        report.clone(),
        ReportFinding::Hazard {
            venue_id: FIRST_VENUE.into(),
            area: "lpg".into(),
            grade: HazardGrade::SuspectedMajor,
            note: Some("地下室存放液化石油气钢瓶".into()),
        },
    )?;
    let hazard = checked
        .hazard_id
        .ok_or("checking the report opened no hazard")?;
    step(
        worker,
        &hazard,
        HazardAction::Confirm {
            grade: HazardGrade::SuspectedMajor,
        },
    )?;
    show::sync(&worker.sync_now().await?);

    let boss = open_phone(&out.join("supervisor"))?;
    let code = server
        .enrollment_code(server_stub::seed::demo_supervisor())
        .await?;
    boss.enroll(server.base_url().into(), code, Some("王静's phone".into()))
        .await?;
    show::sync(&boss.sync_now().await?);
    // A suspected-major hazard is assigned with the regulator's deadline.
    let deadline = chrono::Utc::now() + chrono::Duration::days(3);
    let deadline = deadline.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    step(
        &boss,
        &hazard,
        HazardAction::Assign {
            owner: "经营者 王师傅".into(),
            deadline: Some(deadline),
        },
    )?;
    show::sync(&boss.sync_now().await?);

    show::sync(&worker.sync_now().await?);
    step(worker, &hazard, HazardAction::Start)?;
    step(worker, &hazard, HazardAction::RequestRecheck)?;
    let target = EvidenceTarget::Hazard {
        hazard_id: hazard.clone(),
    };
    let evidence = worker.attach_photo(
        target,
        photos.join("blocked-exit.jpg").display().to_string(),
    )?;
    step(
        worker,
        &hazard,
        HazardAction::RecheckPass {
            photos: vec![evidence.sha256],
        },
    )?;
    step(worker, &hazard, HazardAction::Close)?;
    show::sync(&worker.sync_now().await?);
    show::sync(&resident.sync_now().await?);
    for mine in resident.my_reports()? {
        let steps: Vec<String> = mine
            .steps
            .iter()
            .map(|s| format!("{:?} {}", s.status, s.at))
            .collect();
        show::line(&format!("what the resident sees: {}", steps.join(" → ")));
    }

    show::title("11. A warning (预警) for the grid, acknowledged (叫应)");
    let grid = worker.account()?.ok_or("not enrolled")?.grids[0].clone();
    let warning = boss.issue_warning(
        WarningLevel::Orange,
        WarningType::Rainstorm,
        vec![grid],
        "暴雨橙色预警：立即巡查地下空间和有限空间".into(),
        30,
    )?;
    show::sync(&boss.sync_now().await?);
    show::sync(&worker.sync_now().await?);
    let got = worker
        .warnings()?
        .into_iter()
        .find(|w| w.warning_id == warning)
        .ok_or("the warning did not arrive")?;
    show::line(&format!(
        "{:?} {:?} from {}: {} (acknowledge by {})",
        got.level, got.warning_type, got.issued_by, got.text, got.ack_due_at
    ));
    worker.acknowledge_warning(warning.clone())?;
    show::sync(&worker.sync_now().await?);
    for receipt in office.warning_trail(&warning).await?.receipts {
        show::line(&format!(
            "receipt: {} (roster {}): delivered {}, acknowledged {}",
            receipt.display_name,
            receipt.roster_position,
            receipt.delivered_at.as_deref().unwrap_or("-"),
            receipt.acknowledged_at.as_deref().unwrap_or("-")
        ));
    }

    show::title("12. The ledger and the rectification notice, on disk");
    office
        .save(
            &format!("/v1/hazards/{hazard}/notice.pdf"),
            &out.join("notice.pdf"),
        )
        .await?;
    office
        .save("/v1/ledger.csv", &out.join("ledger.csv"))
        .await?;
    show::ledger(&office.ledger().await?.hazards);
    show::line(&format!(
        "written: {}, {}",
        out.join("ledger.csv").display(),
        out.join("notice.pdf").display()
    ));
    boss.shutdown();
    resident.shutdown();
    Ok(())
}

/// Takes one lifecycle step and prints it.
fn step(phone: &GridPatrol, hazard: &str, action: HazardAction) -> Result<HazardDetail> {
    let name = action.name();
    let detail = phone.transition_hazard(hazard.into(), action, None)?;
    show::line(&format!("{name} → {:?}", detail.state.status));
    Ok(detail)
}
