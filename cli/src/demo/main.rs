//! `gridpatrol-demo`: one grid worker's morning, end to end, in one process (the README's demo).
//!
//! A server-stub with the demo district starts on a free loopback port; the street office
//! (supervisor) prints a venue's QR code; a phone (the same core the apps hold) enrolls, syncs,
//! scans the code from that PNG, inspects the venue with photos, loses the network (the server
//! goes down) and inspects a second venue, comes back, syncs, and the ledger the server now
//! holds is printed with the bytes sent. Then the closed loop: a resident's report becomes a
//! hazard that is assigned, fixed, re-checked and closed; a warning is issued and acknowledged;
//! the ledger (CSV) and a rectification notice (PDF) are written. Everything lands in
//! `demo-output/`.

mod closed_loop;
mod office;
mod show;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gridpatrol_core::api::records::{GridPatrolConfig, SyncReport, Verdict};
use gridpatrol_core::api::scan_records::{LocationFix, ScanVerification};
use gridpatrol_core::GridPatrol;
use gridpatrol_proto::events::EvidenceTarget;
use server_stub::Config;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The first venue inspected (a small eatery in worker 张伟's grid) and the second.
const FIRST_VENUE: &str = "CY-JS-001";
const SECOND_VENUE: &str = "CY-JS-002";

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "demo-output".into()),
    );
    if out.exists() {
        std::fs::remove_dir_all(&out)?;
    }
    std::fs::create_dir_all(&out)?;
    let photos = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/photos");

    show::title(
        "1. The street's sync server starts (server-stub, demo district 朝阳区 › 劲松街道)",
    );
    let server = server_stub::spawn(Config::in_dir(out.join("server")).with_demo()).await?;
    show::line(&format!("listening on {}", server.base_url()));
    for code in server.demo_codes() {
        show::line(&format!(
            "enrollment code for {} ({:?}, {}): {}",
            code.display_name, code.role, code.covers, code.code
        ));
    }
    let office = office::Office::enroll(&server).await?;
    let qr_png = out.join(format!("{FIRST_VENUE}-qr.png"));
    office.venue_qr(FIRST_VENUE, &qr_png).await?;
    show::line(&format!(
        "the street office printed {}'s code: {}",
        FIRST_VENUE,
        qr_png.display()
    ));

    show::title(
        "2. Grid worker 张伟 enrolls the phone and syncs (venues, checklist pack, signing key)",
    );
    let phone = open_phone(&out.join("phone"))?;
    let worker = server
        .demo_codes()
        .iter()
        .find(|c| c.user_id == "u-zhangwei")
        .ok_or("no demo worker")?;
    let account = phone
        .enroll(
            server.base_url().into(),
            worker.code.clone(),
            Some("张伟's phone".into()),
        )
        .await?;
    show::line(&format!(
        "enrolled as {} for grid {}",
        account.display_name,
        account.grids.join(", ")
    ));
    let mut reports = vec![phone.sync_now().await?];
    show::sync(&reports[0]);
    show::venues(&phone.list_venues()?);

    show::title("3. In the basement eatery: scan the posted code (from the PNG the server made)");
    let scans = phone.scan_image(qr_png.display().to_string())?;
    for scan in &scans {
        show::line(&format!(
            "found {} → {}",
            scan.text,
            show::verification(&scan.verification)
        ));
    }
    let token = scans
        .iter()
        .find(|s| matches!(s.verification, ScanVerification::Verified { .. }))
        .ok_or("the printed code did not verify")?
        .text
        .clone();
    let started = phone.start_inspection_from_scan(token, Some(fix_near_first_venue()))?;
    show::line(&format!(
        "inspection {} of {} started, checklist {} v{} ({} items); proof of presence: {:?}, {} m from the venue",
        started.inspection.inspection_id,
        started.inspection.venue_name,
        started.inspection.template_id,
        started.inspection.template_version,
        started.inspection.item_count,
        started.scan.presence,
        started.scan.distance_m.map_or("?".into(), |d| format!("{d:.0}")),
    ));

    show::title("4. Inspect offline, photographing each failure");
    let first = started.inspection.inspection_id;
    inspect(
        &phone,
        &first,
        &[
            ("R01", true, "后门上锁，通道堆放纸箱", "blocked-exit.jpg"),
            ("B01", false, "楼道内电动自行车充电", "ebike-charging.jpg"),
            ("G01", true, "燃气报警器未通电", "gas-alarm-unpowered.jpg"),
        ],
        &photos,
    )?;
    let summary = phone.finish_inspection(first)?;
    show::hazards(&summary.hazards);

    show::title("5. The network is gone (server down): a second inspection, queued");
    let addr = server.addr();
    server.shutdown().await;
    phone.set_online(false)?;
    let second = phone.start_inspection(SECOND_VENUE.into())?.inspection_id;
    inspect(
        &phone,
        &second,
        &[("C01", false, "插线板串接，私拉电线", "tangled-wiring.jpg")],
        &photos,
    )?;
    show::hazards(&phone.finish_inspection(second)?.hazards);
    let offline = phone.sync_now().await?;
    show::sync(&offline);
    show::outbox(&phone.outbox_status()?);

    show::title("6. Back in signal: the server is up again, the queue drains");
    let server = server_stub::spawn(Config::in_dir(out.join("server")).listening_on(addr)).await?;
    phone.set_online(true)?;
    reports.push(phone.sync_now().await?);
    show::sync(reports.last().expect("a report"));
    show::outbox(&phone.outbox_status()?);
    reports.push(offline);

    show::title("7. The hazard ledger (台账) the server now holds, as the street office sees it");
    let office = office::Office::enroll(&server).await?;
    let ledger = office.ledger().await?;
    show::ledger(&ledger.hazards);
    std::fs::write(
        out.join("ledger.json"),
        serde_json::to_vec_pretty(&ledger.hazards)?,
    )?;
    office
        .grid_sheet(&account.grids[0], &out.join("grid-qr-sheet.png"))
        .await?;

    closed_loop::run(&server, &phone, &office, &out, &photos, &qr_png).await?;

    show::title("13. What went over the wire, and the phone's journal");
    show::totals(&reports);
    let journal = phone.verify_journal()?;
    show::line(&format!(
        "journal: {} events, intact: {}",
        journal.events, journal.intact
    ));
    show::line(&format!("files: {}", out.display()));
    phone.shutdown();
    server.shutdown().await;
    if !journal.intact {
        return Err("the journal did not verify".into());
    }
    Ok(())
}

fn open_phone(dir: &Path) -> Result<Arc<GridPatrol>> {
    Ok(GridPatrol::open(GridPatrolConfig {
        database_path: dir.join("gridpatrol.db").display().to_string(),
        evidence_dir: dir.join("evidence").display().to_string(),
        locale: Some("zh-CN".into()),
    })?)
}

/// A GPS fix (WGS-84) at the eatery's door, as a phone in a basement stairwell reports it.
fn fix_near_first_venue() -> LocationFix {
    LocationFix {
        latitude: 39.882830,
        longitude: 116.456210,
        accuracy_m: 18.0,
        provider: "gps".into(),
        mock: false,
        fix_time_ms: chrono::Utc::now().timestamp_millis(),
    }
}

/// Answers every item: the listed failures (item, suspected major, note, photo), the rest pass.
fn inspect(
    phone: &GridPatrol,
    inspection_id: &str,
    failures: &[(&str, bool, &str, &str)],
    photos: &Path,
) -> Result<()> {
    for entry in phone.checklist(inspection_id.into())? {
        match failures.iter().find(|f| f.0 == entry.item_id) {
            Some((item, major, note, photo)) => {
                phone.answer_item(
                    inspection_id.into(),
                    (*item).into(),
                    Verdict::Fail,
                    Some((*note).into()),
                    *major,
                )?;
                let target = EvidenceTarget::Answer {
                    inspection_id: inspection_id.into(),
                    item_id: (*item).into(),
                };
                let evidence =
                    phone.attach_photo(target, photos.join(photo).display().to_string())?;
                show::line(&format!(
                    "{item} FAIL{} — {note}; photo {} ({}×{}, {} bytes, sha256 {}…)",
                    if *major {
                        " (疑似重大 suspected major)"
                    } else {
                        ""
                    },
                    photo,
                    evidence.width,
                    evidence.height,
                    evidence.bytes,
                    &evidence.sha256[..12]
                ));
            }
            None => {
                phone.answer_item(
                    inspection_id.into(),
                    entry.item_id,
                    Verdict::Pass,
                    None,
                    false,
                )?;
            }
        }
    }
    Ok(())
}

/// Sums what the passes sent.
fn bytes(reports: &[SyncReport]) -> (u64, u64, u64) {
    reports.iter().fold((0, 0, 0), |(s, r, b), x| {
        (s + x.bytes_sent, r + x.bytes_received, b + x.blob_bytes)
    })
}
