//! How a server is started: where it listens, where it keeps data, which URL its venue codes
//! carry, whether the demo district is seeded and whether test controls are mounted.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

/// Where data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    /// SQLite in memory and blobs in a temporary directory, both gone at shutdown (tests).
    Memory,
    /// `server.db` and `blobs/`, `partial/` in this directory (created if missing).
    Dir(PathBuf),
}

/// Size limits; requests over them get 413 `payload_too_large`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// `POST /v1/events` body.
    pub events_body: usize,
    /// Every other JSON body (enroll, test controls).
    pub json_body: usize,
    /// Bytes one `PATCH /v1/blobs/{sha256}` request may carry.
    pub blob_request: u64,
    /// The largest blob (`upload-length`). Phones send a blob in one PATCH, so keep this at
    /// most `blob_request`.
    pub blob_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        const MIB: usize = 1024 * 1024;
        Limits {
            events_body: 2 * MIB,
            json_body: 64 * 1024,
            blob_request: 32 * MIB as u64,
            blob_size: 32 * MIB as u64,
        }
    }
}

/// Everything [`crate::spawn`] needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// Default `127.0.0.1:0` (the OS picks a free port). Pass a previous server's address to
    /// restart on the same port.
    pub listen: SocketAddr,
    pub storage: Storage,
    /// The base URL printed into venue codes (`<public_url>/q/<token>`); default
    /// `http://<bound address>`.
    pub public_url: Option<String>,
    /// Mount `/v1/test/*` (fault injection, counters, clock) and the fault middleware.
    pub test_controls: bool,
    /// Seed the demo district (idempotent) and issue fresh demo enrollment codes.
    pub seed_demo: bool,
    pub limits: Limits,
    /// How long a new enrollment code stays valid.
    pub enrollment_code_ttl_hours: i64,
    /// A CJK font (TTF/OTF/TTC) for the printable QR sheet; default: the first of the
    /// known Debian font paths that exists (see `qr::sheet`).
    pub font: Option<PathBuf>,
    /// How often a background task re-evaluates deadlines (overdue, escalation) and
    /// unacknowledged warnings; reads also do it lazily.
    pub tick: std::time::Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            storage: Storage::Memory,
            public_url: None,
            test_controls: false,
            seed_demo: false,
            limits: Limits::default(),
            enrollment_code_ttl_hours: 7 * 24,
            font: None,
            tick: std::time::Duration::from_secs(15),
        }
    }
}

impl Config {
    /// In memory, on `127.0.0.1:0`.
    pub fn memory() -> Self {
        Config::default()
    }

    /// Data in `dir`, on `127.0.0.1:0`.
    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        Config {
            storage: Storage::Dir(dir.into()),
            ..Config::default()
        }
    }

    /// With test controls mounted.
    pub fn with_test_controls(mut self) -> Self {
        self.test_controls = true;
        self
    }

    /// With the demo district seeded.
    pub fn with_demo(mut self) -> Self {
        self.seed_demo = true;
        self
    }

    /// Listening on `addr` (e.g. the address of the server this one replaces).
    pub fn listening_on(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }
}
