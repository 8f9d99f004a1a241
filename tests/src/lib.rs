//! Helpers shared by the end-to-end tests: where the built binaries and fixtures are.

use std::path::PathBuf;

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
