//! The closed-loop commands as users run them, each device a `gridpatrol --data DIR` folder,
//! against a real server-stub with the demo district: a hazard from found to closed with an
//! offline conflict between two workers shown and resolved, the ledger and its CSV, a
//! resident's report that becomes a hazard, and a warning heard live and acknowledged.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use server_stub::{Config, Handle};
use tempfile::TempDir;

/// A server-stub with the demo district on a free loopback port, and the runtime it runs on.
struct Server {
    handle: Handle,
    _runtime: tokio::runtime::Runtime,
    _dir: TempDir,
}

impl Server {
    fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let handle = runtime
            .block_on(server_stub::spawn(
                Config::in_dir(dir.path().join("server")).with_demo(),
            ))
            .expect("server-stub starts");
        Server {
            handle,
            _runtime: runtime,
            _dir: dir,
        }
    }

    fn url(&self) -> String {
        self.handle.base_url().to_owned()
    }

    /// The demo enrollment code of `user_id`.
    fn code(&self, user_id: &str) -> String {
        self.handle
            .demo_codes()
            .iter()
            .find(|c| c.user_id == user_id)
            .expect("a demo user")
            .code
            .clone()
    }
}

/// One device: a data folder the CLI works in.
struct Device {
    dir: TempDir,
}

impl Device {
    fn new() -> Device {
        Device {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn data(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_gridpatrol"))
            .arg("--data")
            .arg(self.data())
            .args(args)
            .output()
            .expect("the gridpatrol binary runs")
    }

    /// Runs a command that must succeed; returns its text output.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(&[&["--json"], args].concat())).unwrap()
    }

    /// Enrolls as the demo user `user_id` and pulls their grid.
    fn enroll(&self, server: &Server, user_id: &str) -> &Device {
        self.ok(&["enroll", &server.url(), &server.code(user_id)]);
        self.sync();
        self
    }

    fn sync(&self) {
        self.ok(&["sync"]);
    }

    /// Inspects `venue`, failing only `item` (one that needs no photo); returns the hazard id.
    fn find_hazard(&self, venue: &str, item: &str) -> String {
        let id = self.json(&["inspect", "start", venue])["inspection_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let shown = self.json(&["inspect", "show", &id]);
        for entry in shown["checklist"].as_array().unwrap() {
            let item_id = entry["item_id"].as_str().unwrap();
            let verdict = if item_id == item { "fail" } else { "pass" };
            self.ok(&["inspect", "answer", &id, item_id, verdict]);
        }
        let summary = self.json(&["inspect", "finish", &id]);
        summary["hazards"][0]["hazard_id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    fn hazard(&self, hazard_id: &str) -> Value {
        self.json(&["hazard", "show", hazard_id])
    }
}

fn photo(name: &str) -> String {
    format!(
        "{}/../tests/fixtures/photos/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn status(detail: &Value) -> (&str, Option<&str>) {
    (
        detail["state"]["status"].as_str().unwrap(),
        detail["state"]["server_status"].as_str(),
    )
}

#[test]
fn a_hazard_goes_from_found_to_closed_through_an_offline_conflict() {
    let server = Server::start();
    let worker = Device::new();
    let lead = Device::new();
    let supervisor = Device::new();
    worker.enroll(&server, "u-zhangwei");
    supervisor.enroll(&server, "u-wangjing");
    let h = worker.find_hazard("CY-JS-001", "P02");

    // Refused at once, in the server's words; nothing recorded.
    let refused = worker.run(&["--json", "hazard", "close", &h]);
    assert!(!refused.status.success());
    let error: Value = serde_json::from_slice(&refused.stdout).unwrap();
    assert_eq!(error["error"]["kind"], "invalid_input");
    assert_eq!(
        error["error"]["reason"],
        format!("hazard {h}: a hazard that is REPORTED cannot be close")
    );
    worker.ok(&["hazard", "verify", &h]);
    let detail = worker.json(&["hazard", "confirm", &h, "--grade", "general"]);
    assert_eq!(status(&detail), ("CONFIRMED", None));
    assert_eq!(detail["pending_actions"].as_array().unwrap().len(), 2);
    worker.sync();
    assert_eq!(status(&worker.hazard(&h)), ("CONFIRMED", Some("CONFIRMED")));

    supervisor.sync();
    let detail = supervisor.json(&["hazard", "assign", &h, "--owner", "店主"]);
    assert_eq!(status(&detail), ("ASSIGNED", Some("CONFIRMED")));
    supervisor.sync();
    worker.sync();
    worker.ok(&["hazard", "start", &h]);
    worker.ok(&["hazard", "request-recheck", &h, "--note", "店主说已整改"]);
    worker.sync();

    // Both of the grid's workers re-check offline; the lead's reaches the server first.
    lead.enroll(&server, "u-lead-js3-03");
    let pass = lead.json(&[
        "hazard",
        "recheck-pass",
        &h,
        "--photo",
        &photo("exif_full.jpg"),
    ]);
    assert_eq!(status(&pass), ("RECHECK_PASSED", Some("AWAITING_RECHECK")));
    worker.ok(&["hazard", "recheck-fail", &h, "--photo", &photo("gray.jpg")]);
    lead.sync();
    let told = worker.ok(&["sync"]);
    assert!(
        told.contains("taken but not applied by the server"),
        "{told}"
    );
    let detail = worker.hazard(&h);
    assert_eq!(status(&detail), ("RECHECK_PASSED", Some("RECHECK_PASSED")));
    let conflicts = detail["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{detail}");
    assert_eq!(conflicts[0]["action"], "recheck_fail");
    let applied = conflicts[0]["conflict_with"].as_str().unwrap().to_owned();
    let shown = worker.ok(&["status"]);
    assert!(
        shown.contains("taken but not applied by the server"),
        "{shown}"
    );

    // The supervisor settles it: the lead's re-check stands.
    supervisor.sync();
    let open = supervisor.hazard(&h)["state"]["open_conflicts"].clone();
    assert_eq!(open.as_array().unwrap().len(), 1, "{open}");
    supervisor.ok(&["hazard", "resolve-conflict", &h, "--keep", &applied]);
    supervisor.sync();
    worker.sync();
    assert!(worker.hazard(&h)["state"]["open_conflicts"]
        .as_array()
        .unwrap()
        .is_empty());
    worker.ok(&["hazard", "close", &h]);
    worker.sync();
    assert_eq!(status(&worker.hazard(&h)), ("CLOSED", Some("CLOSED")));

    // The ledger, offline: filters, counts, the CSV Excel opens.
    let closed = worker.json(&["ledger", "--status", "closed"]);
    assert_eq!(closed.as_array().unwrap().len(), 1);
    assert_eq!(closed[0]["status_name"], "已销号");
    let counts = worker.json(&["ledger", "--group-by", "status"]);
    assert_eq!(counts[0]["key"], "CLOSED");
    assert_eq!(counts[0]["open"], 0);
    let csv = worker.run(&["ledger", "--grid", "劲松三区-03", "--csv", "-"]);
    assert!(csv.stdout.starts_with(&[0xEF, 0xBB, 0xBF]), "no BOM");
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(text.contains(&format!("{h},朝阳区,劲松街道,")), "{text}");
    let file: PathBuf = worker.data().join("台账.csv");
    worker.ok(&["ledger", "--csv", file.to_str().unwrap()]);
    assert!(std::fs::read(&file)
        .unwrap()
        .starts_with(&[0xEF, 0xBB, 0xBF]));
    assert!(worker.ok(&["journal", "verify"]).starts_with("ok:"));
}

#[test]
fn a_residents_report_becomes_a_hazard_and_the_reporter_sees_each_step() {
    let server = Server::start();
    let resident = Device::new();
    let worker = Device::new();
    worker.enroll(&server, "u-zhangwei");
    let account = resident.json(&[
        "resident",
        "enroll",
        &server.url(),
        "--phone",
        "138 0000 0000",
    ]);
    assert_eq!(account["role"], "resident");
    let submitted = resident.json(&[
        "report",
        "submit",
        "escape-route",
        "楼道堆满纸箱，后门锁着",
        "--lat",
        "39.8829",
        "--lon",
        "116.4561",
        "--photo",
        &photo("no_exif.jpg"),
    ]);
    let report_id = submitted["report_id"].as_str().unwrap().to_owned();
    assert_eq!(submitted["photos"].as_array().unwrap().len(), 1);
    let mine = resident.json(&["report", "mine"]);
    assert_eq!(mine[0]["status"], Value::Null);
    resident.sync();
    assert_eq!(
        resident.json(&["report", "mine"])[0]["status"],
        "dispatched"
    );

    worker.sync();
    let listed = worker.json(&["report", "list"]);
    let report = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["report_id"] == report_id.as_str())
        .expect("the report reached the grid");
    assert_eq!(report["photos"].as_array().unwrap().len(), 1);
    assert!(report.get("phone").is_none() && report.get("reporter").is_none());
    // Dispatched by location to the nearest venue's grid; the worker finds it at CY-JS-001.
    assert_eq!(report["grid"], "劲松三区-03");
    let venue = report["venue_id"]
        .as_str()
        .unwrap_or("CY-JS-001")
        .to_owned();
    let checked = worker.json(&[
        "report",
        "check",
        &report_id,
        "--venue",
        &venue,
        "--area",
        "escape_routes",
        "--note",
        "后门堵塞",
    ]);
    let hazard = checked["hazard_id"].as_str().unwrap().to_owned();
    // Actionable at once, before any sync.
    let detail = worker.json(&["hazard", "verify", &hazard]);
    assert_eq!(status(&detail), ("VERIFYING", None));
    assert_eq!(detail["state"]["report_id"], report_id.as_str());
    worker.sync();
    assert_eq!(
        status(&worker.hazard(&hazard)),
        ("VERIFYING", Some("VERIFYING"))
    );

    resident.sync();
    let mine = resident.json(&["report", "mine"]);
    assert_eq!(mine[0]["status"], "hazard_opened");
    let steps: Vec<&str> = mine[0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["received", "dispatched", "hazard_opened"]);
    // A resident acts on no hazard and checks no report.
    assert!(!resident
        .run(&["hazard", "verify", &hazard])
        .status
        .success());
    assert!(!resident
        .run(&["report", "check", &report_id, "--no-hazard", "x"])
        .status
        .success());
}

#[test]
fn a_warning_is_heard_live_and_acknowledged() {
    let server = Server::start();
    let worker = Device::new();
    let supervisor = Device::new();
    worker.enroll(&server, "u-zhangwei");
    supervisor.enroll(&server, "u-wangjing");
    let refused = worker.run(&[
        "warnings",
        "issue",
        "--level",
        "red",
        "--type",
        "rainstorm",
        "--text",
        "暴雨",
    ]);
    assert!(!refused.status.success(), "a worker issued a warning");
    let issued = supervisor.json(&[
        "warnings",
        "issue",
        "--level",
        "red",
        "--type",
        "rainstorm",
        "--grid",
        "劲松三区-03",
        "--text",
        "暴雨红色预警：请立即检查低洼场所",
        "--ack-within",
        "20",
    ]);
    let id = issued["warning_id"].as_str().unwrap().to_owned();
    supervisor.sync();

    // The live stream brings it before any pull.
    let heard = worker.ok(&["--json", "warnings", "watch", "--seconds", "3"]);
    let first: Value = serde_json::from_str(heard.lines().next().expect("a warning")).unwrap();
    assert_eq!(first["warning_id"], id.as_str());
    assert_eq!(first["level"], "red");
    assert_eq!(first["acknowledged"], false);
    let listed = worker.json(&["warnings", "list"]);
    assert_eq!(listed[0]["warning_id"], id.as_str());

    let acked = worker.json(&["warnings", "ack", &id]);
    assert_eq!(
        (
            acked["acknowledged"].clone(),
            acked["ack_unconfirmed"].clone()
        ),
        (true.into(), true.into())
    );
    worker.sync();
    let listed = worker.json(&["warnings", "list"]);
    assert_eq!(
        (
            listed[0]["acknowledged"].clone(),
            listed[0]["ack_unconfirmed"].clone()
        ),
        (true.into(), false.into())
    );
}
