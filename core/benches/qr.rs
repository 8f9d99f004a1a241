//! The QR bench (not a test): the core's decoder against zxing-cpp and zbar on the labelled
//! corpus, per tag (docs/adr/0011-qr-decoder.md). `scripts/bench-qr` installs what it needs
//! and runs it; by hand:
//!
//!     cargo bench -p gridpatrol-core --bench qr                      # rxing as shipped, ours, peers
//!     cargo bench -p gridpatrol-core --bench qr -- --variants ours --skip-peers
//!     cargo bench -p gridpatrol-core --bench qr -- --variants all    # every tuning step
//!     cargo bench -p gridpatrol-core --bench qr -- --corpus target/qr-holdout --seed 777 --regenerate
//!
//! Steps: make the Python venv `.tools/qr-venv` from tools/qr-corpus/requirements.txt if no
//! `--python` is given; generate the corpus into target/qr-corpus if absent; run the peers
//! (tools/qr-corpus/peers.py, which times only the decode call); decode every image with each of
//! our variants; print markdown tables.

#[path = "qr/corpus.rs"]
mod corpus;
#[path = "qr/score.rs"]
mod score;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use gridpatrol_core::qr::Binarization::{Hybrid, Local};
use gridpatrol_core::qr::{DecoderConfig, LumaPlane, QrDecoder};
use score::Run;

struct Args {
    corpus: PathBuf,
    python: Option<PathBuf>,
    variants: Vec<String>,
    repeats: usize,
    skip_peers: bool,
    regenerate: bool,
    misses: Option<PathBuf>,
    seed: Option<String>,
}

/// A decoder under test: luma plane in, decoded texts out.
type DecodeFn = Box<dyn Fn(&LumaPlane<'_>) -> Vec<String>>;

/// Our decoder's variants: the pipeline steps in the order they were added (ADR 0011).
fn variant(name: &str) -> Option<DecodeFn> {
    // Every step spells out all the settings it changes, so a later default cannot leak in.
    let cfg = |binarization, try_inverted, pyramid: &[u32]| DecoderConfig {
        binarization,
        relaxed_finder: false,
        fast_finder: false,
        try_inverted,
        pyramid: pyramid.to_vec(),
        min_layer_side: 120,
        layer_min_range: match binarization {
            Local { min_range } => min_range,
            Hybrid => 0,
        },
    };
    let ours = |config: DecoderConfig| -> Option<DecodeFn> {
        let decoder = QrDecoder::with_config(config);
        Some(Box::new(move |p| {
            decoder
                .decode_plane(p)
                .into_iter()
                .map(|c| c.text)
                .collect()
        }))
    };
    match name {
        "rxing-generic" => Some(Box::new(rxing_generic)),
        "step1-qr-reader" => ours(cfg(Hybrid, false, &[])),
        "step2-inverted" => ours(cfg(Hybrid, true, &[])),
        "step3-pyramid2" => ours(cfg(Hybrid, true, &[2])),
        "step4-local-threshold" => ours(cfg(Local { min_range: 24 }, true, &[2])),
        "step4b-range16" => ours(cfg(Local { min_range: 16 }, true, &[2])),
        "step4c-pyramid3" => ours(cfg(Local { min_range: 24 }, true, &[3])),
        "step4d-pyramid2-4" => ours(cfg(Local { min_range: 24 }, true, &[2, 4])),
        "step5-relaxed-finder" => ours(DecoderConfig {
            relaxed_finder: true,
            ..cfg(Local { min_range: 24 }, true, &[2])
        }),
        "step6-fast-finder" => ours(DecoderConfig {
            relaxed_finder: true,
            fast_finder: true,
            ..cfg(Local { min_range: 24 }, true, &[2])
        }),
        "step7-layer-range12" | "step7-layer-range16" | "step7-layer-range20" => {
            ours(DecoderConfig {
                relaxed_finder: true,
                fast_finder: true,
                layer_min_range: name[name.len() - 2..].parse().ok()?,
                ..cfg(Local { min_range: 24 }, true, &[2])
            })
        }
        "ours" => ours(DecoderConfig::default()),
        _ => None,
    }
}

/// What a plain run compares: the crate as shipped, and our decoder.
const DEFAULT_VARIANTS: &[&str] = &["rxing-generic", "ours"];

/// Every step of the decoder's tuning history (ADR 0011), in order (`--variants all`).
const ALL_VARIANTS: &[&str] = &[
    "rxing-generic",
    "step1-qr-reader",
    "step2-inverted",
    "step3-pyramid2",
    "step4-local-threshold",
    "step4b-range16",
    "step4c-pyramid3",
    "step4d-pyramid2-4",
    "step5-relaxed-finder",
    "step6-fast-finder",
    "step7-layer-range12",
    "step7-layer-range16",
    "step7-layer-range20",
    "ours",
];

/// The crate as its README suggests: GenericMultipleBarcodeReader over the multi-format reader,
/// QR only, with rxing's own "also inverted" retry.
fn rxing_generic(plane: &LumaPlane<'_>) -> Vec<String> {
    let img = plane.to_image();
    let mut hints = rxing::DecodeHints {
        PossibleFormats: Some([rxing::BarcodeFormat::QR_CODE].into()),
        AlsoInverted: Some(true),
        ..Default::default()
    };
    rxing::helpers::detect_multiple_in_luma_with_hints(
        img.pixels, img.width, img.height, &mut hints,
    )
    .map(|v| v.into_iter().map(|r| r.getText().to_owned()).collect())
    .unwrap_or_default()
}

fn main() {
    if let Err(e) = run(parse_args()) {
        eprintln!("qr bench: {e}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> Result<(), String> {
    let root = repo_root();
    let tools = root.join("tools/qr-corpus");
    let needs_python =
        args.regenerate || !args.corpus.join("corpus.json").exists() || !args.skip_peers;
    let python = match (&args.python, needs_python) {
        (Some(p), _) => p.clone(),
        (None, true) => ensure_venv(&root)?,
        (None, false) => PathBuf::from("python3"),
    };
    if args.regenerate || !args.corpus.join("corpus.json").exists() {
        let _ = std::fs::remove_dir_all(&args.corpus);
        let mut generate = Command::new(&python);
        generate
            .arg(tools.join("generate.py"))
            .arg("--out")
            .arg(&args.corpus);
        if let Some(seed) = &args.seed {
            generate.args(["--seed", seed]);
        }
        sh(&mut generate)?;
    }
    let peers_json = args.corpus.join("peers.json");
    if !args.skip_peers {
        sh(Command::new(&python)
            .arg(tools.join("peers.py"))
            .args(["--corpus".as_ref(), args.corpus.as_os_str()])
            .args(["--out".as_ref(), peers_json.as_os_str()])
            .args(["--repeats", &args.repeats.to_string()]))?;
    }
    let samples = corpus::load(&args.corpus)?;
    eprintln!(
        "qr bench: {} images loaded from {}",
        samples.len(),
        args.corpus.display()
    );

    let mut runs = Vec::new();
    for name in &args.variants {
        let decode = variant(name).ok_or_else(|| format!("unknown variant {name}"))?;
        let t0 = Instant::now();
        runs.push(run_ours(name, &samples, args.repeats, &*decode)?);
        eprintln!("qr bench: {name}: {:.1} s", t0.elapsed().as_secs_f64());
    }
    if peers_json.exists() {
        runs.extend(peer_runs(&peers_json, &samples)?);
    }
    score::print_tables(&samples, &runs);
    println!("\nload average after the run: {}", load_average());
    if let Some(path) = &args.misses {
        score::write_misses(path, &samples, &runs)?;
    }
    Ok(())
}

fn run_ours(
    name: &str,
    samples: &[corpus::Sample],
    repeats: usize,
    decode: &dyn Fn(&LumaPlane<'_>) -> Vec<String>,
) -> Result<Run, String> {
    let mut results = Vec::with_capacity(samples.len());
    for s in samples {
        let plane = LumaPlane::new(&s.pixels, s.width, s.height, s.stride)
            .map_err(|e| format!("{}: {e}", s.id))?;
        let mut times = Vec::with_capacity(repeats);
        let mut texts = Vec::new();
        for _ in 0..repeats.max(1) {
            let t = Instant::now();
            texts = decode(&plane);
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        // the fastest of the repeats: robust against other processes on a shared machine
        results.push(Some((
            texts,
            times.iter().copied().fold(f64::INFINITY, f64::min),
        )));
    }
    Ok(Run {
        name: name.to_owned(),
        results,
    })
}

fn peer_runs(path: &Path, samples: &[corpus::Sample]) -> Result<Vec<Run>, String> {
    let json = corpus::read_json(path)?;
    let decoders = json["decoders"]
        .as_object()
        .ok_or("peers.json: no decoders")?;
    let mut runs = Vec::new();
    for (key, d) in decoders {
        let results = samples
            .iter()
            .map(|s| {
                let r = &d["results"][&s.id];
                let texts = r["texts"]
                    .as_array()?
                    .iter()
                    .filter_map(|t| t.as_str().map(str::to_owned));
                Some((texts.collect(), r["ms"].as_f64()?))
            })
            .collect();
        runs.push(Run {
            name: d["name"].as_str().unwrap_or(key).to_owned(),
            results,
        });
    }
    Ok(runs)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown".into(),
        |s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    )
}

/// The repository root (the workspace above this crate).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The Python used for the corpus and the peers: `.tools/qr-venv`, created on first use.
fn ensure_venv(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join(".tools/qr-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        eprintln!(
            "qr bench: creating {} (PyPI: segno, Pillow, numpy, zxing-cpp, pyzbar)",
            venv.display()
        );
        sh(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
        sh(Command::new(&python)
            .args(["-m", "pip", "install", "-q", "-r"])
            .arg(root.join("tools/qr-corpus/requirements.txt")))?;
    }
    Ok(python)
}

fn sh(cmd: &mut Command) -> Result<(), String> {
    let status = cmd.status().map_err(|e| format!("{cmd:?}: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("{cmd:?} failed: {status}"))
}

fn parse_args() -> Args {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| repo_root().join("target"), PathBuf::from);
    let mut args = Args {
        corpus: target.join("qr-corpus"),
        python: None,
        variants: DEFAULT_VARIANTS.iter().map(|s| s.to_string()).collect(),
        repeats: 5,
        skip_peers: false,
        regenerate: false,
        misses: None,
        seed: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--corpus" => args.corpus = it.next().expect("--corpus DIR").into(),
            "--python" => args.python = Some(it.next().expect("--python PATH").into()),
            "--variants" => {
                let list = it.next().expect("--variants a,b|all");
                args.variants = if list == "all" {
                    ALL_VARIANTS.iter().map(|s| s.to_string()).collect()
                } else {
                    list.split(',').map(str::to_owned).collect()
                };
            }
            "--repeats" => {
                args.repeats = it.next().and_then(|n| n.parse().ok()).expect("--repeats N")
            }
            "--skip-peers" => args.skip_peers = true,
            "--regenerate" => args.regenerate = true,
            "--misses" => args.misses = Some(it.next().expect("--misses FILE").into()),
            "--seed" => args.seed = Some(it.next().expect("--seed N")),
            "--bench" => {} // passed by `cargo bench`
            other => {
                eprintln!("usage: qr [--corpus DIR] [--python PATH] [--variants a,b|all] [--repeats N] [--skip-peers] [--regenerate] [--seed N] [--misses FILE]\nvariants: {}", ALL_VARIANTS.join(","));
                eprintln!("unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    args
}
