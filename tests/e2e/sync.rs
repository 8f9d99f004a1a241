//! The phone's sync engine against a real server-stub on loopback: enrollment, push, pull, the
//! ledger the server builds, auth, and what a refused event does to the queue.

use gridpatrol_core::api::records::{OutboxItemKind, SyncOutcome};
use gridpatrol_core::GridPatrolError;
use gridpatrol_tests::{demo_server, Phone, GRID_A};

#[tokio::test]
async fn an_offline_inspection_reaches_the_server_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(&dir).await;
    let phone = Phone::new();
    phone.enroll(&server, "u-a", GRID_A).await;

    // First sync pulls the venues of grid A (and only those), the pack and the signing key.
    let first = phone.gp.sync_now().await.unwrap();
    assert_eq!(first.outcome, SyncOutcome::Completed, "{first:?}");
    assert!(first.changes_pulled > 0);
    let venues = phone.gp.list_venues().unwrap();
    assert_eq!(venues.len(), 7);
    assert!(venues.iter().all(|v| v.grid == GRID_A));

    // Offline work: two inspections, three hazards.
    phone.inspect("CY-JS-001", &["P01", "G04"]);
    phone.inspect("CY-JS-002", &["P02"]);
    let queued = phone.gp.outbox_status().unwrap().events_pending;
    assert!(queued > 40);

    let report = phone.gp.sync_now().await.unwrap();
    assert_eq!(report.outcome, SyncOutcome::Completed, "{report:?}");
    assert_eq!(report.events_sent, queued);
    assert_eq!(report.duplicates, 0);
    assert_eq!(phone.gp.outbox_status().unwrap().events_pending, 0);
    assert!(report.bytes_sent > 0 && report.clock_skew_ms.is_some());

    // The server's ledger (pulled back) holds the three hazards as REPORTED.
    let stats = server.stats().await;
    let device = phone.gp.device_id().unwrap();
    assert_eq!(stats.events[&device].accepted, queued);
    let again = phone.gp.sync_now().await.unwrap();
    assert_eq!((again.events_sent, again.duplicates), (0, 0));
    server.shutdown().await;
}

#[tokio::test]
async fn an_unknown_code_is_rejected_and_an_unreachable_server_is_a_network_error() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(&dir).await;
    let phone = Phone::new();
    let err = phone
        .gp
        .enroll(server.base_url().into(), "AAAA-BBBB-CCCC".into(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, GridPatrolError::Rejected { .. }), "{err:?}");
    let url = server.base_url().to_owned();
    server.shutdown().await;
    let err = phone
        .gp
        .enroll(url, "AAAA-BBBB-CCCC".into(), None)
        .await
        .unwrap_err();
    assert!(matches!(err, GridPatrolError::Network { .. }), "{err:?}");
    assert!(phone.gp.account().unwrap().is_none());
}

#[tokio::test]
async fn work_done_while_the_server_is_down_is_sent_when_it_is_back() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(&dir).await;
    let addr = server.addr();
    let phone = Phone::new();
    phone.enroll(&server, "u-a", GRID_A).await;
    phone.gp.sync_now().await.unwrap();
    server.shutdown().await;

    phone.inspect("CY-JS-005", &[]);
    let offline = phone.gp.sync_now().await.unwrap();
    assert_eq!(offline.outcome, SyncOutcome::Offline, "{offline:?}");
    let pending = phone.gp.outbox_status().unwrap().events_pending;
    assert!(pending > 0);

    let server = server_stub::spawn(
        server_stub::Config::in_dir(dir.path().join("server"))
            .with_test_controls()
            .listening_on(addr),
    )
    .await
    .unwrap();
    let back = phone.gp.sync_now().await.unwrap();
    assert_eq!(back.outcome, SyncOutcome::Completed, "{back:?}");
    assert_eq!(back.events_sent, pending);
    server.shutdown().await;
}

#[tokio::test]
async fn an_event_about_another_grid_is_wedged_and_blocks_only_the_chain_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(&dir).await;
    let phone = Phone::new();
    phone.enroll(&server, "u-a", GRID_A).await;
    phone.gp.sync_now().await.unwrap();
    // A venue of grid B, known to this phone only through a stale import file.
    phone
        .gp
        .import_venues_file(
            gridpatrol_tests::fixtures()
                .join("venues.json")
                .display()
                .to_string(),
        )
        .unwrap();
    phone.inspect("CY-JS-004", &[]);
    let report = phone.gp.sync_now().await.unwrap();
    assert_eq!(report.rejected, 1, "{report:?}");
    let wedged = phone.gp.wedged_items().unwrap();
    assert_eq!(wedged.len(), 1);
    assert_eq!(wedged[0].kind, OutboxItemKind::Event);
    assert_eq!(wedged[0].what, "inspection.started");
    assert!(wedged[0].reason.contains("refused"), "{}", wedged[0].reason);
    let status = phone.gp.outbox_status().unwrap();
    assert_eq!(status.events_wedged, 1);
    assert!(status.events_pending > 0, "events after the wedge wait");
    // Events cannot be discarded; retry puts it back (and the server refuses it again).
    assert!(matches!(
        phone
            .gp
            .discard_wedged(OutboxItemKind::Event, wedged[0].id.clone()),
        Err(GridPatrolError::Conflict { .. })
    ));
    phone
        .gp
        .retry_wedged(OutboxItemKind::Event, wedged[0].id.clone())
        .unwrap();
    assert_eq!(phone.gp.outbox_status().unwrap().events_wedged, 0);
    assert_eq!(phone.gp.sync_now().await.unwrap().rejected, 1);
    server.shutdown().await;
}

#[tokio::test]
async fn a_refused_token_pauses_the_queue_until_the_device_enrolls_again() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(&dir).await;
    let phone = Phone::new();
    phone.enroll(&server, "u-a", GRID_A).await;
    phone.gp.sync_now().await.unwrap();
    // The same device re-enrolled elsewhere would replace the token; here: a 401 from a fault.
    server
        .set_faults(
            serde_json::from_value(serde_json::json!({"faults": [
                {"path_prefix": "/v1/events", "action": {"type": "status", "status": 401}}
            ]}))
            .unwrap(),
        )
        .unwrap();
    phone.inspect("CY-JS-006", &[]);
    let refused = phone.gp.sync_now().await.unwrap();
    assert_eq!(refused.outcome, SyncOutcome::AuthRequired, "{refused:?}");
    assert!(phone.gp.outbox_status().unwrap().auth_required);
    let still = phone.gp.sync_now().await.unwrap();
    assert_eq!(still.outcome, SyncOutcome::AuthRequired);
    phone.enroll(&server, "u-a", GRID_A).await;
    let resumed = phone.gp.sync_now().await.unwrap();
    assert_eq!(resumed.outcome, SyncOutcome::Completed, "{resumed:?}");
    assert_eq!(phone.gp.outbox_status().unwrap().events_pending, 0);
    server.shutdown().await;
}

/// An app's secret store (the Keychain's stand-in), counting what it was asked.
#[derive(Default)]
struct Vault {
    token: std::sync::Mutex<Option<String>>,
    refuse: bool,
}

impl gridpatrol_core::api::CredentialStore for Vault {
    fn load_token(&self) -> Option<String> {
        self.token.lock().unwrap().clone()
    }
    fn save_token(&self, token: Option<String>) -> bool {
        if self.refuse {
            return false;
        }
        *self.token.lock().unwrap() = token;
        true
    }
}

fn token_in_database(phone: &Phone) -> String {
    let db = rusqlite::Connection::open(phone.dir.path().join("gridpatrol.db")).unwrap();
    db.query_row("SELECT token FROM account", [], |r| r.get(0))
        .unwrap()
}

#[tokio::test]
async fn the_token_can_live_in_the_apps_secret_store_instead_of_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let server = demo_server(&dir).await;

    // Set before enrolling: the token never touches the database.
    let phone = Phone::new();
    let vault = std::sync::Arc::new(Vault::default());
    phone.gp.set_credential_store(Some(vault.clone())).unwrap();
    phone.enroll(&server, "u-a", GRID_A).await;
    assert_eq!(token_in_database(&phone), "");
    let token = vault.load_token_for_test();
    assert!(token.len() >= 32, "the vault holds the token");
    assert_eq!(
        phone.gp.sync_now().await.unwrap().outcome,
        SyncOutcome::Completed
    );

    // The app relaunches and sets its store again: the token stays there and syncing works.
    phone.gp.shutdown();
    let phone = Phone {
        gp: Phone::open_in(&phone.dir),
        dir: phone.dir,
    };
    phone.gp.set_credential_store(Some(vault.clone())).unwrap();
    assert_eq!(token_in_database(&phone), "");
    assert_eq!(
        phone.gp.sync_now().await.unwrap().outcome,
        SyncOutcome::Completed
    );

    // Taken away: the token moves back into the database; syncing still works.
    phone.gp.set_credential_store(None).unwrap();
    assert_eq!(token_in_database(&phone), token);
    assert_eq!(vault.load_token_for_test(), "");
    assert_eq!(
        phone.gp.sync_now().await.unwrap().outcome,
        SyncOutcome::Completed
    );

    // A store that refuses leaves the token where it was and says so.
    let refusing = std::sync::Arc::new(Vault {
        refuse: true,
        ..Vault::default()
    });
    let err = phone.gp.set_credential_store(Some(refusing)).unwrap_err();
    assert!(matches!(err, GridPatrolError::Storage { .. }), "{err:?}");
    assert_eq!(token_in_database(&phone), token);
    server.shutdown().await;
}

impl Vault {
    fn load_token_for_test(&self) -> String {
        self.token.lock().unwrap().clone().unwrap_or_default()
    }
}
