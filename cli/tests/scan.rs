//! The scan commands as a user runs them: make a key, import its public half, print a venue
//! code, scan it; the exit codes (0 verified, 2 no code, 3 none verified) and the JSON outcome.

use std::path::Path;
use std::process::{Command, Output};

fn gridpatrol(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gridpatrol"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("the gridpatrol binary runs")
}

fn fixture(path: &str) -> String {
    format!("{}/../tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_code_made_and_scanned_round_trips_with_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let key = dir.path().join("key.json");
    let keys = dir.path().join("keys.json");
    let code = dir.path().join("code.png");
    let path = |p: &Path| p.display().to_string();

    let made = gridpatrol(
        &data,
        &["keys", "generate", "--out", &path(&key), "--key-id", "7"],
    );
    assert!(made.status.success(), "{made:?}");
    std::fs::write(&keys, &made.stdout).unwrap();
    // the private key file is never overwritten
    let again = gridpatrol(&data, &["keys", "generate", "--out", &path(&key)]);
    assert_eq!(again.status.code(), Some(1));

    assert!(
        gridpatrol(&data, &["venues", "import", &fixture("venues.json")])
            .status
            .success()
    );
    assert!(gridpatrol(&data, &["keys", "import", &path(&keys)])
        .status
        .success());
    let qr = gridpatrol(
        &data,
        &[
            "qr",
            "make",
            "CY-JS-002",
            "--key",
            &path(&key),
            "--out",
            &path(&code),
        ],
    );
    assert!(qr.status.success(), "{qr:?}");

    let scanned = gridpatrol(&data, &["--json", "scan", &path(&code)]);
    assert_eq!(scanned.status.code(), Some(0), "{scanned:?}");
    let results: serde_json::Value = serde_json::from_slice(&scanned.stdout).unwrap();
    assert_eq!(results[0]["verification"]["outcome"], "verified");
    assert_eq!(results[0]["verification"]["venue_id"], "CY-JS-002");
    assert_eq!(results[0]["verification"]["key_id"], 7);

    // no code at all: 2; codes, none verified (a code signed with another key): 3
    let none = gridpatrol(&data, &["scan", &fixture("qr/decoy_no_code.png")]);
    assert_eq!(none.status.code(), Some(2), "{none:?}");
    let other = gridpatrol(&data, &["scan", &fixture("qr/signed_cy_js_001.png")]);
    assert_eq!(other.status.code(), Some(3), "{other:?}");
    assert!(String::from_utf8_lossy(&other.stdout).contains("unknown_key"));
    // an unreadable image is an error (1), not "no code"
    let bad = gridpatrol(&data, &["scan", &path(&keys)]);
    assert_eq!(bad.status.code(), Some(1), "{bad:?}");
}
