//! Warnings and 叫应: issued by the street supervisor from their phone, delivered to the grid's
//! worker at the next sync, not acknowledged in time, escalated to the next person on the grid's
//! duty roster (its 网格长), acknowledged there; the receipt trail shows all of it in server time.

use gridpatrol_core::api::report_records::{WarningLevel, WarningType};
use gridpatrol_tests::office::Console;
use gridpatrol_tests::{demo_server, supervisor, Phone, GRID_A};

use super::sync;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unacknowledged_warning_escalates_to_the_next_on_the_roster() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(&dir).await;
    let (worker, lead, boss) = (Phone::new(), Phone::new(), Phone::new());
    worker.enroll(&server, "u-rain", GRID_A).await;
    let lead_code = server
        .demo_codes()
        .iter()
        .find(|c| c.user_id == "u-lead-js3-03")
        .expect("grid A's lead")
        .code
        .clone();
    lead.gp
        .enroll(server.base_url().into(), lead_code, None)
        .await
        .unwrap();
    boss.enroll_as(&server, supervisor("u-boss")).await;
    for p in [&worker, &lead, &boss] {
        sync(p).await;
    }

    let id = boss
        .gp
        .issue_warning(
            WarningLevel::Orange,
            WarningType::Rainstorm,
            vec![GRID_A.into()],
            "暴雨橙色预警：地下空间立即巡查".into(),
            10,
        )
        .unwrap();
    sync(&boss).await;
    sync(&worker).await;
    let got = worker.gp.warnings().unwrap();
    assert!(
        got.iter().any(|w| w.warning_id == id),
        "delivered at the next sync"
    );
    sync(&lead).await;
    assert!(
        lead.gp
            .warnings()
            .unwrap()
            .iter()
            .all(|w| w.warning_id != id),
        "not the lead's yet"
    );

    // Eleven minutes later, nobody has acknowledged: it reaches the grid's lead.
    server.advance_clock(11 * 60);
    sync(&lead).await;
    let escalated = lead
        .gp
        .warnings()
        .unwrap()
        .into_iter()
        .find(|w| w.warning_id == id)
        .expect("escalated to the lead");
    assert!(escalated.escalated_from.is_some(), "{escalated:?}");
    lead.gp.acknowledge_warning(id.clone()).unwrap();
    sync(&lead).await;

    let office = Console::enroll(&server, supervisor("u-office")).await;
    let trail = office.warning_trail(&id).await;
    let worker_line = trail
        .receipts
        .iter()
        .find(|r| r.user_id == "u-rain")
        .expect("the worker's receipt");
    assert!(worker_line.delivered_at.is_some() && worker_line.acknowledged_at.is_none());
    let lead_line = trail
        .receipts
        .iter()
        .find(|r| r.user_id == "u-lead-js3-03")
        .expect("the lead's receipt");
    assert!(
        lead_line.escalated_at.is_some()
            && lead_line.delivered_at.is_some()
            && lead_line.acknowledged_at.is_some()
    );
    assert!(lead_line.roster_position > worker_line.roster_position);
    server.shutdown().await;
}
