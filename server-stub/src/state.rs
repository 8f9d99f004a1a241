//! `AppState`: what every handler shares — the two stores, the clock, counters, the fault plan,
//! per-blob upload locks and settings — and the helpers that run storage calls on the blocking
//! pool.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, Weak};

use tempfile::TempDir;
use tokio::sync::OwnedMutexGuard;

use crate::clock::Clock;
use crate::config::{Config, Limits, Storage};
use crate::error::AppError;
use crate::faults::Faults;
use crate::qr::FontSource;
use crate::stats::Stats;
use crate::store::{BlobStore, FsBlobStore, SqliteStore, Store, StoreError, StoreResult};

/// Settings fixed at start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Base URL venue codes carry.
    pub public_url: String,
    pub limits: Limits,
    pub test_controls: bool,
    pub code_ttl: chrono::Duration,
    /// How often the periodic task re-evaluates deadlines and warnings.
    pub tick: std::time::Duration,
}

/// Shared by every handler; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub blobs: Arc<dyn BlobStore>,
    pub clock: Arc<Clock>,
    pub stats: Arc<Stats>,
    pub faults: Arc<Faults>,
    pub uploads: Arc<UploadLocks>,
    pub fonts: Arc<FontSource>,
    /// The TrueType CJK font rectification notices embed.
    pub pdf_font: Arc<crate::notice_pdf::PdfFont>,
    pub settings: Arc<Settings>,
    /// Bumped whenever warnings may have changed (issued, acknowledged, escalated): the live
    /// warning streams wake on it.
    pub warnings_changed: Arc<tokio::sync::watch::Sender<u64>>,
    /// Keeps the `--memory` blob directory alive as long as the state.
    _scratch: Option<Arc<TempDir>>,
}

impl AppState {
    /// Opens storage as `config` says; `public_url` is the base URL venue codes carry.
    pub fn open(config: &Config, public_url: String) -> Result<Self, StoreError> {
        let io = |e: std::io::Error| StoreError::Backend(format!("data directory: {e}"));
        let (store, blobs, scratch): (Arc<dyn Store>, _, _) = match &config.storage {
            Storage::Memory => {
                let dir = tempfile::Builder::new()
                    .prefix("gridpatrol-server-")
                    .tempdir()
                    .map_err(io)?;
                let blobs = FsBlobStore::open(dir.path()).map_err(io)?;
                (
                    Arc::new(SqliteStore::open_in_memory()?),
                    blobs,
                    Some(Arc::new(dir)),
                )
            }
            Storage::Dir(dir) => {
                std::fs::create_dir_all(dir).map_err(io)?;
                let blobs = FsBlobStore::open(dir).map_err(io)?;
                (
                    Arc::new(SqliteStore::open(&dir.join("server.db"))?),
                    blobs,
                    None,
                )
            }
        };
        Ok(AppState {
            store,
            blobs: Arc::new(blobs),
            clock: Arc::new(Clock::default()),
            stats: Arc::new(Stats::default()),
            faults: Arc::new(Faults::default()),
            uploads: Arc::new(UploadLocks::default()),
            fonts: Arc::new(FontSource::new(config.font.clone())),
            pdf_font: Arc::new(crate::notice_pdf::PdfFont::new(config.font.clone())),
            settings: Arc::new(Settings {
                public_url,
                limits: config.limits,
                test_controls: config.test_controls,
                code_ttl: chrono::Duration::hours(config.enrollment_code_ttl_hours),
                tick: config.tick,
            }),
            warnings_changed: Arc::new(tokio::sync::watch::Sender::new(0)),
            _scratch: scratch,
        })
    }

    /// Runs a storage call on the blocking pool.
    pub async fn db<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> StoreResult<T> + Send + 'static,
    {
        let store = self.store.clone();
        Ok(tokio::task::spawn_blocking(move || f(store.as_ref())).await??)
    }

    /// Re-evaluates deadlines and unacknowledged warnings at the server's `now` (lazily before
    /// reads, and from the periodic task); wakes the warning streams when a warning escalated.
    pub async fn refresh(&self) -> Result<crate::store::Refreshed, AppError> {
        let now = self.clock.now();
        let refreshed = self.db(move |store| store.refresh(now)).await?;
        if refreshed.escalations > 0 {
            self.warnings_changed.send_modify(|n| *n += 1);
        }
        Ok(refreshed)
    }

    /// Runs a blob-store call on the blocking pool.
    pub async fn blob_io<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&dyn BlobStore) -> std::io::Result<T> + Send + 'static,
    {
        let blobs = self.blobs.clone();
        Ok(tokio::task::spawn_blocking(move || f(blobs.as_ref())).await??)
    }
}

/// One async lock per blob being uploaded, so two PATCHes of the same blob never interleave
/// their bytes (a reconnecting client may overlap the request the server has not yet seen
/// die). Entries go away with their last guard.
#[derive(Debug, Default)]
pub struct UploadLocks {
    locks: Mutex<HashMap<String, Weak<tokio::sync::Mutex<()>>>>,
}

impl UploadLocks {
    pub async fn lock(&self, sha256: &str) -> OwnedMutexGuard<()> {
        let lock = {
            let mut locks = self.locks.lock().unwrap_or_else(PoisonError::into_inner);
            locks.retain(|_, weak| weak.strong_count() > 0);
            match locks.get(sha256).and_then(Weak::upgrade) {
                Some(lock) => lock,
                None => {
                    let lock = Arc::new(tokio::sync::Mutex::new(()));
                    locks.insert(sha256.to_owned(), Arc::downgrade(&lock));
                    lock
                }
            }
        };
        lock.lock_owned().await
    }
}
