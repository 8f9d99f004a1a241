//! The QR decoder against the committed fixtures (tests/fixtures/qr/, made by
//! tools/qr-corpus/fixtures.py; each image has a JSON label with its exact payloads).

mod files;
mod frames;

use std::path::{Path, PathBuf};

/// A fixture image and the payloads its label lists.
pub struct Fixture {
    pub path: PathBuf,
    pub payloads: Vec<String>,
    pub corners: Vec<[f32; 2]>,
}

pub fn fixture(name: &str) -> Fixture {
    let dir = fixtures_dir();
    let label: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap())
            .unwrap();
    let payloads = label["payloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    let corners = label["codes"]
        .as_array()
        .unwrap()
        .first()
        .map(|c| {
            c["corners"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| [p[0].as_f64().unwrap() as f32, p[1].as_f64().unwrap() as f32])
                .collect()
        })
        .unwrap_or_default();
    Fixture {
        path: dir.join(label["file"].as_str().unwrap()),
        payloads,
        corners,
    }
}

/// The QR fixtures folder (`tests/fixtures/qr/` at the repository root).
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/qr")
}

pub fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

pub const ALL: &[&str] = &[
    "url_rotated",
    "url_inverted",
    "url_perspective",
    "two_codes",
    "low_contrast",
    "decoy_no_code",
];
