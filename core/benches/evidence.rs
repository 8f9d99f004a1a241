//! Evidence benchmark (not a test): our photo pipeline vs `vipsthumbnail` vs Pillow (`draft()`),
//! each run as its own process on the same 12 MP and 48 MP photos, median wall time and peak
//! RSS; then the streaming SHA-256 vs `openssl dgst -sha256` on a 1 GiB file.
//!
//! Run: `scripts/bench-evidence` (installs libvips-tools, Pillow and numpy, then runs
//! `cargo bench -p gridpatrol-core --bench evidence`).
//!
//! Child modes (how the bench runs our pipeline as a small CLI, like the other tools):
//!   evidence normalize SRC DEST_DIR
//!   evidence hash FILE
//!
//! Environment: EVIDENCE_BENCH_RUNS (default 7), EVIDENCE_PYTHON (default .tools/venv/bin/python),
//! EVIDENCE_BENCH_DATA (default target/evidence-bench/, generated on first run).
//! Every child is measured with `wait4`, which returns that process's own `ru_maxrss`, so one
//! run cannot inflate the next and the tools compare like for like.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use gridpatrol_core::evidence::{hash_file_streaming, normalize_photo, Limits};

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; the child modes take plain words.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["normalize", src, dest] => child_normalize(Path::new(src), Path::new(dest)),
        ["hash", file] => child_hash(Path::new(file)),
        [] => run_bench(),
        _ => {
            eprintln!("usage: evidence [normalize SRC DEST | hash FILE]");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("evidence bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn child_normalize(src: &Path, dest: &Path) -> Result<(), String> {
    let photo = normalize_photo(src, dest, &Limits::default()).map_err(|e| e.to_string())?;
    println!(
        "{} {}x{} {} bytes (decoded at 1/{})",
        photo.evidence.sha256,
        photo.evidence.width,
        photo.evidence.height,
        photo.evidence.bytes,
        photo.decode_reduction
    );
    Ok(())
}

fn child_hash(file: &Path) -> Result<(), String> {
    let digest = hash_file_streaming(file).map_err(|e| e.to_string())?;
    println!("SHA2-256({})= {}", file.display(), digest.sha256);
    Ok(())
}

/// Turns (source photo, scratch folder) into the commands of one tool invocation.
type CommandsFor = Box<dyn Fn(&Path, &Path) -> Vec<Command>>;
/// Where a tool put its evidence image and thumbnail inside the scratch folder.
type OutputsIn = Box<dyn Fn(&Path) -> (PathBuf, PathBuf)>;

/// A tool under comparison.
struct Tool {
    name: &'static str,
    commands: CommandsFor,
    outputs: OutputsIn,
}

/// Medians of one tool on one photo.
#[derive(Clone, Copy)]
struct Stats {
    wall: Duration,
    cpu: Duration,
    rss_kib: u64,
    evidence_bytes: u64,
}

struct Row {
    label: String,
    /// One per tool, in `tools` order.
    results: Vec<Stats>,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("core/ lives in the workspace")
        .to_path_buf()
}

fn run_bench() -> Result<(), String> {
    let root = repo_root();
    let data = std::env::var_os("EVIDENCE_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/evidence-bench"));
    let python = std::env::var_os("EVIDENCE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let venv = root.join(".tools/venv/bin/python");
            if venv.exists() {
                venv
            } else {
                PathBuf::from("python3")
            }
        });
    let runs: usize = std::env::var("EVIDENCE_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(7);

    let photos = [
        ("12 MP baseline", "photo_12mp.jpg"),
        ("48 MP baseline", "photo_48mp.jpg"),
        ("12 MP progressive", "photo_12mp_progressive.jpg"),
        ("48 MP progressive", "photo_48mp_progressive.jpg"),
        ("12 MP CMYK", "photo_12mp_cmyk.jpg"),
        ("12 MP PNG", "photo_12mp.png"),
    ];
    if photos.iter().any(|(_, f)| !data.join(f).exists()) {
        eprintln!("generating bench photos into {} ...", data.display());
        run_measured(
            Command::new(&python)
                .arg(root.join("scripts/gen-photos.py"))
                .arg("bench")
                .arg(&data),
        )
        .map_err(|e| format!("fixture generation failed ({e}); run scripts/bench-evidence"))?;
    }
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let pillow_script = root.join("scripts/pillow-normalize.py");
    let tools = vec![
        Tool {
            name: "ours",
            commands: Box::new(move |src, out| {
                let mut c = Command::new(&me);
                c.arg("normalize").arg(src).arg(out.join("evidence"));
                vec![c]
            }),
            outputs: Box::new(|out| {
                let dir = out.join("evidence");
                let ev = std::fs::read_dir(&dir)
                    .ok()
                    .and_then(|mut d| {
                        d.find_map(|e| {
                            let p = e.ok()?.path();
                            (p.extension()? == "jpg").then_some(p)
                        })
                    })
                    .unwrap_or_default();
                let th = dir.join("thumbs").join(ev.file_name().unwrap_or_default());
                (ev, th)
            }),
        },
        Tool {
            name: "vipsthumbnail",
            commands: Box::new(|src, out| {
                let evidence = out.join("evidence.jpg");
                let mut big = Command::new("vipsthumbnail");
                big.arg(src)
                    .args(["-s", "1600", "-o"])
                    .arg(format!("{}[Q=80,strip]", evidence.display()));
                let mut small = Command::new("vipsthumbnail");
                small
                    .arg(&evidence)
                    .args(["-s", "320", "-o"])
                    .arg(format!("{}[Q=80,strip]", out.join("thumb.jpg").display()));
                vec![big, small]
            }),
            outputs: Box::new(|out| (out.join("evidence.jpg"), out.join("thumb.jpg"))),
        },
        Tool {
            name: "Pillow draft()",
            commands: Box::new(move |src, out| {
                let mut c = Command::new(&python);
                c.arg(&pillow_script).arg(src).arg(out);
                vec![c]
            }),
            outputs: Box::new(|out| (out.join("evidence.jpg"), out.join("thumb.jpg"))),
        },
    ];

    let load_at_start = load_average();
    let scratch = data.join("scratch");
    let mut rows = Vec::new();
    for (label, file) in photos {
        let src = data.join(file);
        eprintln!("{label}: {} runs per tool", runs);
        let mut samples: Vec<Vec<Measured>> = vec![Vec::new(); tools.len()];
        let mut sizes = vec![0u64; tools.len()];
        // Run 0 warms the page cache and checks each tool's output; it is not counted.
        for run in 0..=runs {
            for (t, tool) in tools.iter().enumerate() {
                let _ = std::fs::remove_dir_all(&scratch);
                std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
                let m = run_sequence(&mut (tool.commands)(&src, &scratch))
                    .map_err(|e| format!("{} on {file}: {e}", tool.name))?;
                if run == 0 {
                    let (ev, th) = (tool.outputs)(&scratch);
                    let dims = jpeg_dimensions(&ev).map_err(|e| format!("{}: {e}", tool.name))?;
                    let tdims = jpeg_dimensions(&th).map_err(|e| format!("{}: {e}", tool.name))?;
                    if dims.0.max(dims.1) != 1600 || tdims.0.max(tdims.1) != 320 {
                        return Err(format!("{}: produced {dims:?} / {tdims:?}", tool.name));
                    }
                    sizes[t] = std::fs::metadata(&ev).map_err(|e| e.to_string())?.len();
                } else {
                    samples[t].push(m);
                }
            }
        }
        let results = samples
            .iter()
            .zip(&sizes)
            .map(|(s, &size)| Stats {
                wall: median(&s.iter().map(|m| m.wall).collect::<Vec<_>>()),
                cpu: median(&s.iter().map(|m| m.cpu).collect::<Vec<_>>()),
                rss_kib: median(&s.iter().map(|m| m.max_rss_kib).collect::<Vec<_>>()),
                evidence_bytes: size,
            })
            .collect();
        rows.push(Row {
            label: label.to_string(),
            results,
        });
    }
    let _ = std::fs::remove_dir_all(&scratch);

    let mut report = format!(
        "Load average at start: {load_at_start}; at the end of the photo runs: {}.\n\n",
        load_average()
    );
    report.push_str(&photo_table(&tools, &rows));
    report.push('\n');
    report.push_str(&sha_table(&data, runs)?);
    print!("{report}");
    let saved = data.join("results.md");
    std::fs::write(&saved, &report).map_err(|e| e.to_string())?;
    eprintln!("saved {}", saved.display());
    Ok(())
}

/// The 1/5/15-minute load averages: the machine is shared, so the report says how busy it was.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn photo_table(tools: &[Tool], rows: &[Row]) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Photo → 1600 px evidence JPEG + 320 px thumbnail, q80, no EXIF. Medians; wall = \
         elapsed, CPU = user+sys, peak = ru_maxrss of the process (vipsthumbnail: sum of its \
         two runs' times, max of their peaks)."
    );
    let _ = writeln!(s);
    let _ = write!(s, "| photo |");
    for t in tools {
        let _ = write!(s, " {0} wall ms | {0} CPU ms | {0} peak MiB |", t.name);
    }
    let _ = writeln!(
        s,
        " ours/vips wall | ours/vips peak | Pillow/vips wall | Pillow/vips peak | \
         evidence KB ours/vips/Pillow |"
    );
    let _ = writeln!(
        s,
        "|---|{}---:|---:|---:|---:|---|",
        "---:|".repeat(3 * tools.len())
    );
    for row in rows {
        let _ = write!(s, "| {} |", row.label);
        for r in &row.results {
            let _ = write!(
                s,
                " {:.0} | {:.0} | {:.1} |",
                ms(r.wall),
                ms(r.cpu),
                mib(r.rss_kib)
            );
        }
        let (ours, vips, pil) = (row.results[0], row.results[1], row.results[2]);
        let _ = writeln!(
            s,
            " {:.2}× | {:.2}× | {:.2}× | {:.2}× | {} / {} / {} |",
            ms(ours.wall) / ms(vips.wall),
            ours.rss_kib as f64 / vips.rss_kib as f64,
            ms(pil.wall) / ms(vips.wall),
            pil.rss_kib as f64 / vips.rss_kib as f64,
            ours.evidence_bytes / 1024,
            vips.evidence_bytes / 1024,
            pil.evidence_bytes / 1024,
        );
    }
    s
}

/// 1 GiB of pseudo-random bytes (xorshift), written once and reused.
fn ensure_gib_file(path: &Path) -> io::Result<()> {
    const GIB: u64 = 1 << 30;
    if std::fs::metadata(path).is_ok_and(|m| m.len() == GIB) {
        return Ok(());
    }
    let mut out = io::BufWriter::new(std::fs::File::create(path)?);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut chunk = vec![0u8; 1 << 20];
    for _ in 0..(GIB >> 20) {
        for word in chunk.chunks_exact_mut(8) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            word.copy_from_slice(&x.to_le_bytes());
        }
        out.write_all(&chunk)?;
    }
    out.flush()
}

fn sha_table(data: &Path, runs: usize) -> Result<String, String> {
    let file = data.join("sha256-1GiB.bin");
    ensure_gib_file(&file).map_err(|e| e.to_string())?;
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let runs = runs.clamp(3, 5);
    let mut ours = Vec::new();
    let mut openssl = Vec::new();
    for run in 0..=runs {
        let a =
            run_measured(Command::new(&me).arg("hash").arg(&file)).map_err(|e| e.to_string())?;
        let b = run_measured(Command::new("openssl").args(["dgst", "-sha256"]).arg(&file))
            .map_err(|e| format!("openssl: {e}"))?;
        if run > 0 {
            ours.push(a);
            openssl.push(b);
        }
    }
    let mbps = |v: &[Measured]| {
        let wall = median(&v.iter().map(|m| m.wall).collect::<Vec<_>>());
        (1024.0 / wall.as_secs_f64(), wall)
    };
    let ((ours_mbps, ours_wall), (ssl_mbps, ssl_wall)) = (mbps(&ours), mbps(&openssl));
    let rss = |v: &[Measured]| mib(median(&v.iter().map(|m| m.max_rss_kib).collect::<Vec<_>>()));
    let mut s = String::new();
    let _ = writeln!(
        s,
        "SHA-256 of a 1 GiB file (page cache warm), median of {runs} runs:"
    );
    let _ = writeln!(s);
    let _ = writeln!(s, "| hasher | ms | MiB/s | peak MiB | vs openssl |");
    let _ = writeln!(s, "|---|---:|---:|---:|---:|");
    let _ = writeln!(
        s,
        "| evidence::hash_file_streaming | {:.0} | {:.0} | {:.1} | {:.2}× |",
        ours_wall.as_secs_f64() * 1e3,
        ours_mbps,
        rss(&ours),
        ours_mbps / ssl_mbps
    );
    let _ = writeln!(
        s,
        "| openssl dgst -sha256 | {:.0} | {:.0} | {:.1} | 1.00× |",
        ssl_wall.as_secs_f64() * 1e3,
        ssl_mbps,
        rss(&openssl)
    );
    Ok(s)
}

// --- Measuring child processes ---

/// One finished child process.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub wall: Duration,
    /// User + system CPU time: less sensitive than wall time to other load on the machine.
    pub cpu: Duration,
    pub max_rss_kib: u64,
}

/// Runs `cmd` to completion; fails if it cannot start or exits unsuccessfully.
pub fn run_measured(cmd: &mut Command) -> io::Result<Measured> {
    cmd.stdin(Stdio::null()).stdout(Stdio::null());
    let start = Instant::now();
    let child = cmd.spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: plain FFI call with valid out-pointers; rusage is plain old data.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    drop(child); // already reaped: dropping a std Child neither waits nor kills
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        return Err(io::Error::other(format!(
            "{cmd:?} failed with status {status}"
        )));
    }
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    // Linux reports ru_maxrss in KiB.
    Ok(Measured {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        max_rss_kib: usage.ru_maxrss as u64,
    })
}

/// Runs several commands one after another as one tool invocation: wall times add up, the
/// peak is the largest of the peaks.
pub fn run_sequence(cmds: &mut [Command]) -> io::Result<Measured> {
    let mut total = Measured {
        wall: Duration::ZERO,
        cpu: Duration::ZERO,
        max_rss_kib: 0,
    };
    for cmd in cmds {
        let m = run_measured(cmd)?;
        total.wall += m.wall;
        total.cpu += m.cpu;
        total.max_rss_kib = total.max_rss_kib.max(m.max_rss_kib);
    }
    Ok(total)
}

/// Median of a non-empty sample (the lower middle for even counts).
pub fn median<T: Copy + Ord>(values: &[T]) -> T {
    let mut sorted = values.to_vec();
    sorted.sort();
    sorted[(sorted.len() - 1) / 2]
}

/// Width and height from a JPEG's frame header, to check what a tool produced.
pub fn jpeg_dimensions(path: &Path) -> io::Result<(u16, u16)> {
    let bytes = std::fs::read(path)?;
    let mut i = 2;
    while i + 9 < bytes.len() {
        if bytes[i] != 0xFF {
            i += 1;
            continue;
        }
        let marker = bytes[i + 1];
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            let h = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]);
            let w = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]);
            return Ok((w, h));
        }
        i += 2 + len;
    }
    Err(io::Error::other("no JPEG frame header"))
}
