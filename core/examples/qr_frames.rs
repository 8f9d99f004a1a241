//! Decodes every camera frame of one corpus group, for instruction counts under callgrind
//! (robust on a shared machine, unlike wall time). docs/adr/0011-qr-decoder.md compares it with
//! `tools/qr-corpus/zxing_frames.py`, which does the same with zxing-cpp:
//!
//!     cargo build --release -p gridpatrol-core --example qr_frames
//!     valgrind --tool=callgrind target/release/examples/qr_frames frame_720 load
//!     valgrind --tool=callgrind target/release/examples/qr_frames frame_720 decode
//!
//! `decode` decodes every frame five times and prints the wall time per frame (best pass), for
//! comparing build profiles (ADR 0011). The difference of the two callgrind totals, divided by
//! five times the number of frames, is the cost per frame.

use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(group), Some(mode)) = (args.next(), args.next()) else {
        eprintln!("usage: qr_frames GROUP load|decode [CORPUS_DIR]");
        std::process::exit(2);
    };
    let dir = args.next().unwrap_or_else(|| "target/qr-corpus".into());
    let dir = Path::new(&dir);
    let index: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("corpus.json")).expect("corpus.json"),
    )
    .expect("valid corpus.json");
    let mut frames = Vec::new();
    for label in index["images"].as_array().expect("images") {
        if label["group"] != group.as_str() || label["format"] != "luma8" {
            continue;
        }
        let n = |k: &str| label[k].as_u64().expect("dimension") as u32;
        let bytes = std::fs::read(dir.join(label["file"].as_str().expect("file"))).expect("frame");
        frames.push((bytes, n("width"), n("height"), n("stride")));
    }
    let decoder = gridpatrol_core::qr::QrDecoder::new();
    let mut codes = 0;
    let mut best = std::time::Duration::MAX;
    if mode == "decode" {
        for _ in 0..5 {
            let started = std::time::Instant::now();
            codes = 0;
            for (bytes, w, h, stride) in &frames {
                codes += decoder
                    .decode_luma(bytes, *w, *h, *stride)
                    .expect("valid frame")
                    .len();
            }
            best = best.min(started.elapsed());
        }
    }
    print!("{} frames, {codes} codes", frames.len());
    if mode == "decode" && !frames.is_empty() {
        let per_frame = best.as_secs_f64() * 1e3 / frames.len() as f64;
        print!(", {per_frame:.2} ms per frame (best of 5 passes)");
    }
    println!();
}
