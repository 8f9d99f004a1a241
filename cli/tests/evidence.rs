//! The evidence commands as a user runs them: add a draft and an attached photo, list, verify
//! (exit 1 naming the changed file), refuse a bad photo with a typed JSON error, collect drafts.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gridpatrol"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .expect("the gridpatrol binary runs")
}

fn json(data: &Path, args: &[&str]) -> Value {
    let out = run(data, &[&["--json"], args].concat());
    assert!(out.status.success(), "{args:?}: {out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn photo(name: &str) -> String {
    format!(
        "{}/../tests/fixtures/photos/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn photos_are_added_listed_verified_and_collected() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let venues = format!(
        "{}/../tests/fixtures/venues.json",
        env!("CARGO_MANIFEST_DIR")
    );
    json(data, &["venues", "import", &venues]);
    let id = json(data, &["inspect", "start", "CY-JS-001"])["inspection_id"]
        .as_str()
        .unwrap()
        .to_owned();

    // A draft: printed with both hashes, sizes and the stored path.
    let draft = run(data, &["evidence", "add", &photo("gray.jpg")]);
    assert!(draft.status.success(), "{draft:?}");
    let text = String::from_utf8(draft.stdout).unwrap();
    assert!(text.starts_with("evidence sha256 "), "{text}");
    assert!(
        text.contains("original  sha256 ") && text.contains("draft:"),
        "{text}"
    );

    let attached = json(
        data,
        &[
            "evidence",
            "add",
            &photo("exif_full.jpg"),
            "--target-inspection",
            &id,
            "--item",
            "R01",
        ],
    );
    let stored = attached["path"].as_str().unwrap().to_owned();
    assert!(stored.ends_with(&format!("{}.jpg", attached["sha256"].as_str().unwrap())));
    let listed = json(
        data,
        &[
            "evidence",
            "list",
            "--target-inspection",
            &id,
            "--item",
            "R01",
        ],
    );
    assert_eq!(listed, Value::Array(vec![attached]));

    let ok = run(data, &["evidence", "verify"]);
    assert_eq!(ok.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&ok.stdout).starts_with("ok: 2 photos"));

    // A bad photo: exit 1, a typed error, nothing recorded.
    let bad = run(data, &["--json", "evidence", "add", &photo("bomb.png")]);
    assert_eq!(bad.status.code(), Some(1));
    let body: Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(body["error"]["kind"], "invalid_input");

    // The draft goes, the attached photo stays.
    let gc = json(data, &["evidence", "gc", "--older-than-hours", "0"]);
    assert_eq!(gc["collected"], 1);

    // A changed evidence file: exit 1, naming it.
    let mut bytes = std::fs::read(&stored).unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 0x20;
    std::fs::write(&stored, bytes).unwrap();
    let broken = run(data, &["evidence", "verify"]);
    assert_eq!(broken.status.code(), Some(1));
    let text = String::from_utf8(broken.stdout).unwrap();
    assert!(
        text.starts_with("1 of 1 photos have problems; first: ") && text.contains(&stored),
        "{text}"
    );
}
