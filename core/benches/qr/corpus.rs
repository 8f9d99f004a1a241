//! The labelled corpus as the bench sees it: labels from `corpus.json`, pixels as luma planes.
//!
//! Frames (`.y`) are kept with their padded row stride so our decoder is measured through the
//! same `decode_luma` entry point a phone uses.

use std::path::{Path, PathBuf};

use serde_json::Value;

pub struct Sample {
    pub id: String,
    pub group: String,
    pub tags: Vec<String>,
    pub payloads: Vec<String>,
    pub pixels: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub stride: u32,
}

impl Sample {
    /// Timing class: per-image figures exclude the camera frames, which get their own rows.
    pub fn timing_class(&self) -> &'static str {
        match self.group.as_str() {
            "frame_720" => "720p frame",
            "frame_1080" => "1080p frame",
            _ => "image",
        }
    }
}

pub fn load(dir: &Path) -> Result<Vec<Sample>, String> {
    let index = read_json(&dir.join("corpus.json"))?;
    let images = index["images"].as_array().ok_or("corpus.json: no images")?;
    images.iter().map(|label| load_one(dir, label)).collect()
}

fn load_one(dir: &Path, label: &Value) -> Result<Sample, String> {
    let s = |k: &str| label[k].as_str().unwrap_or_default().to_owned();
    let n = |k: &str| label[k].as_u64().unwrap_or_default() as u32;
    let strings = |k: &str| -> Vec<String> {
        label[k]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let path: PathBuf = dir.join(s("file"));
    let (pixels, width, height, stride) = if s("format") == "luma8" {
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        (bytes, n("width"), n("height"), n("stride"))
    } else {
        let luma = gridpatrol_core::qr::load_luma_file(&path).map_err(|e| e.to_string())?;
        (luma.pixels, luma.width, luma.height, luma.width)
    };
    Ok(Sample {
        id: s("id"),
        group: s("group"),
        tags: strings("tags"),
        payloads: strings("payloads"),
        pixels,
        width,
        height,
        stride,
    })
}

pub fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}
