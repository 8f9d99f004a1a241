//! Helpers shared by the end-to-end tests: where the built binaries and fixtures are, a phone
//! (the core) talking to a real server-stub on loopback, and the street office's console.

pub mod office;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gridpatrol_core::api::records::{GridPatrolConfig, Verdict};
use gridpatrol_core::GridPatrol;
use gridpatrol_proto::events::EvidenceTarget;
use gridpatrol_proto::sync::Role;
use server_stub::{Account, Config, Handle};
use tempfile::TempDir;

/// The workspace's `tests/fixtures` folder.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A binary of another workspace crate, built into the same target folder as the running test
/// (`cargo test --workspace` and `cargo nextest run --workspace` build every member's binaries).
pub fn workspace_bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    // target/<profile>/deps/<test> -> target/<profile>/<name>
    let bin = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target folder")
        .join(name);
    assert!(
        bin.exists(),
        "{} is not built; run `cargo build --workspace` first",
        bin.display()
    );
    bin
}

/// The demo district's grid of the first worker, and one of its venues (a small eatery).
pub const GRID_A: &str = server_stub::seed::DEMO_GRID_A;
pub const GRID_B: &str = server_stub::seed::DEMO_GRID_B;

/// A server-stub with the demo district and test controls, in a data folder that survives a
/// restart.
pub async fn demo_server(dir: &TempDir) -> Handle {
    server_stub::spawn(
        Config::in_dir(dir.path().join("server"))
            .with_demo()
            .with_test_controls(),
    )
    .await
    .expect("server-stub starts")
}

/// A worker account in `grid`.
pub fn worker(user_id: &str, grid: &str) -> Account {
    Account {
        user_id: user_id.into(),
        display_name: format!("worker {user_id}"),
        role: Role::Worker,
        grids: vec![grid.into()],
        street: Some(server_stub::seed::DEMO_STREET.into()),
    }
}

/// The demo street's supervisor.
pub fn supervisor(user_id: &str) -> Account {
    Account {
        user_id: user_id.into(),
        display_name: format!("supervisor {user_id}"),
        role: Role::Supervisor,
        grids: Vec::new(),
        street: Some(server_stub::seed::DEMO_STREET.into()),
    }
}

/// A phone: the core in its own folder.
pub struct Phone {
    pub dir: TempDir,
    pub gp: Arc<GridPatrol>,
}

impl Phone {
    pub fn new() -> Phone {
        let dir = tempfile::tempdir().expect("temp dir");
        let gp = Phone::open_in(&dir);
        Phone { dir, gp }
    }

    /// Opens the core in `dir` with the `gridpatrol` CLI's layout (`--data dir`), so the CLI
    /// can take over a phone's data.
    pub fn open_in(dir: &TempDir) -> Arc<GridPatrol> {
        GridPatrol::open(GridPatrolConfig {
            database_path: dir.path().join("gridpatrol.db").display().to_string(),
            evidence_dir: dir.path().join("evidence").display().to_string(),
            locale: None,
        })
        .expect("core opens")
    }

    /// Enrolls with a fresh code for a worker of `grid`.
    pub async fn enroll(&self, server: &Handle, user_id: &str, grid: &str) {
        self.enroll_as(server, worker(user_id, grid)).await;
    }

    /// Enrolls with a fresh code for `account`.
    pub async fn enroll_as(&self, server: &Handle, account: Account) {
        let code = server.enrollment_code(account).await.expect("code");
        self.gp
            .enroll(
                server.base_url().to_owned(),
                code,
                Some("test phone".into()),
            )
            .await
            .expect("enrolls");
    }

    /// Inspects `venue` start to finish, failing `fail` (as general hazards); returns the
    /// inspection id. Items failed here must not need a photo.
    pub fn inspect(&self, venue: &str, fail: &[&str]) -> String {
        let inspection = self.gp.start_inspection(venue.into()).expect("starts");
        for entry in self
            .gp
            .checklist(inspection.inspection_id.clone())
            .expect("checklist")
        {
            let failed = fail.contains(&entry.item_id.as_str());
            self.gp
                .answer_item(
                    inspection.inspection_id.clone(),
                    entry.item_id,
                    if failed { Verdict::Fail } else { Verdict::Pass },
                    failed.then(|| "seen on site".to_owned()),
                    false,
                )
                .expect("answers");
        }
        self.gp
            .finish_inspection(inspection.inspection_id.clone())
            .expect("finishes");
        inspection.inspection_id
    }
}

impl Default for Phone {
    fn default() -> Self {
        Phone::new()
    }
}

/// Writes a camera-like JPEG of `width` × `height` whose pixels are seeded noise over a
/// gradient: noise does not compress, so the normalised evidence stays large (the upload tests
/// want 1–5 MB files).
pub fn noise_photo(path: &Path, width: u32, height: u32, seed: u64) {
    use rand::{Rng, SeedableRng};
    let mut pixels = vec![0u8; (width * height * 3) as usize];
    rand::rngs::StdRng::seed_from_u64(seed).fill_bytes(&mut pixels);
    let image = image::RgbImage::from_raw(width, height, pixels).expect("buffer size");
    let file = std::io::BufWriter::new(std::fs::File::create(path).expect("photo file"));
    image::codecs::jpeg::JpegEncoder::new_with_quality(file, 95)
        .encode_image(&image)
        .expect("photo encodes");
}

impl Phone {
    /// Inspects `venue`, failing `fail` with one photo each from `photos` (round robin); the
    /// rest pass. Returns the inspection id.
    pub fn inspect_with_photos(
        &self,
        venue: &str,
        fail: &[&str],
        photos: &mut impl Iterator<Item = PathBuf>,
    ) -> String {
        let inspection = self.gp.start_inspection(venue.into()).expect("starts");
        let id = inspection.inspection_id.clone();
        for entry in self.gp.checklist(id.clone()).expect("checklist") {
            let failed = fail.contains(&entry.item_id.as_str());
            self.gp
                .answer_item(
                    id.clone(),
                    entry.item_id.clone(),
                    if failed { Verdict::Fail } else { Verdict::Pass },
                    failed.then(|| "see photo".to_owned()),
                    false,
                )
                .expect("answers");
            if failed {
                let photo = photos.next().expect("enough photos");
                let target = EvidenceTarget::Answer {
                    inspection_id: id.clone(),
                    item_id: entry.item_id,
                };
                self.gp
                    .attach_photo(target, photo.display().to_string())
                    .expect("photo attaches");
            }
        }
        self.gp.finish_inspection(id.clone()).expect("finishes");
        id
    }
}
