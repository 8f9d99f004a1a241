//! The sync engine (docs/adr/0007, 0010): enrollment, and sync passes that upload evidence
//! blobs, push journal events and pull changes, on the core's own tokio runtime. Passes run one
//! at a time, when the app asks (`sync_now`) or in the background while the app says the device
//! is online; `pause` cancels the pass in flight, and the queue's state lives in SQLite, so a
//! pass cancelled or killed at any point loses nothing and sends nothing twice.

pub mod account;
mod credentials;
mod http;
mod live;
mod pull;
mod queue;
pub mod retry;
mod transfer;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::Utc;
use gridpatrol_proto::sync::{EnrollRequest, EnrollResponse, ResidentEnrollRequest, Role};
use tokio::runtime::Runtime;
use tokio::sync::Notify;
use tokio::task::{AbortHandle, JoinHandle};

use crate::api::records::{AccountRecord, OutboxItemKind, SyncOutcome, SyncReport, WedgedItem};
use crate::clock::format_utc;
use crate::engine::Core;
use crate::error::{Error, Result};
use http::{Failure, Server};
use retry::RetryClass;

pub use queue::enqueue_blob;

/// How often a device that is online and idle asks the server for changes.
const PULL_INTERVAL: Duration = Duration::from_secs(5 * 60);
/// Quick taps are sent together: a background pass starts this long after new work appears.
const DEBOUNCE: Duration = Duration::from_millis(500);
const LAST_SYNC_KEY: &str = "last_synced_at";
const SKEW_KEY: &str = "clock_skew_ms";

/// Owns the runtime and the state shared with its tasks.
pub struct SyncEngine {
    runtime: Mutex<Option<Runtime>>,
    shared: Arc<Shared>,
}

struct Shared {
    core: Arc<Core>,
    online: AtomicBool,
    paused: AtomicBool,
    wake: Notify,
    pass_lock: tokio::sync::Mutex<()>,
    current: Mutex<Option<AbortHandle>>,
    /// The foreground warning watcher, while one runs.
    watcher: Mutex<Option<AbortHandle>>,
}

impl SyncEngine {
    /// Starts the runtime (two small worker threads plus the blocking pool for SQLite) and the
    /// background loop, which stays idle until the app calls `set_online(true)`.
    pub fn start(core: Arc<Core>) -> Result<SyncEngine> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("gridpatrol-sync")
            .enable_all()
            .build()?;
        let shared = Arc::new(Shared {
            core,
            online: AtomicBool::new(false),
            paused: AtomicBool::new(false),
            wake: Notify::new(),
            pass_lock: tokio::sync::Mutex::new(()),
            current: Mutex::new(None),
            watcher: Mutex::new(None),
        });
        runtime.spawn(background(shared.clone()));
        Ok(SyncEngine {
            runtime: Mutex::new(Some(runtime)),
            shared,
        })
    }

    fn spawn<F>(&self, future: F) -> Result<JoinHandle<F::Output>>
    where
        F: std::future::Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let guard = self.runtime.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(guard.as_ref().ok_or(Error::Closed)?.spawn(future))
    }

    /// Enrolls this device with `server_url` using a one-time `code`.
    pub fn enroll(
        &self,
        server_url: String,
        code: String,
        device_name: Option<String>,
    ) -> Result<JoinHandle<Result<AccountRecord>>> {
        let core = self.shared.core.clone();
        self.spawn(async move {
            let server = Server::new(&server_url, None).map_err(failure_error)?;
            let request = EnrollRequest {
                code,
                device_id: core.device_id.clone(),
                device_name,
            };
            let reply = server.enroll(&request).await.map_err(failure_error)?;
            store_enrollment(core, server_url, reply).await
        })
    }

    /// Registers this device as a resident's with `server_url` (no code). Refused while a
    /// worker's field work is still queued: it would be sent under the resident's token.
    pub fn enroll_resident(
        &self,
        server_url: String,
        phone: Option<String>,
    ) -> Result<JoinHandle<Result<AccountRecord>>> {
        let phone = resident_phone(phone)?;
        let core = self.shared.core.clone();
        let worker_work_queued = core.store.read(|c| {
            let role = account::load(c)?.map(|a| a.record.role);
            Ok(role.is_some_and(|r| r != Role::Resident) && {
                let s = crate::outbox::status(c)?;
                s.events_pending + s.events_wedged > 0
            })
        })?;
        if worker_work_queued {
            return Err(Error::Conflict(
                "this device still has unsent field work: sync it before switching to resident mode"
                    .into(),
            ));
        }
        self.spawn(async move {
            let server = Server::new(&server_url, None).map_err(failure_error)?;
            let request = ResidentEnrollRequest {
                device_id: core.device_id.clone(),
                phone,
                device_name: None,
            };
            let reply = server
                .enroll_resident(&request)
                .await
                .map_err(failure_error)?;
            if reply.role != Role::Resident {
                return Err(Error::Rejected(
                    "the server did not register a resident account".into(),
                ));
            }
            store_enrollment(core, server_url, reply).await
        })
    }

    /// Runs one pass now (or waits for the one in flight, then runs), ignoring the client's own
    /// back-off: the user asked. Dropping the returned future does not cancel the pass; `pause`
    /// does.
    pub fn sync_now(&self) -> Result<JoinHandle<Result<SyncReport>>> {
        let shared = self.shared.clone();
        self.spawn(async move { shared.run_pass(true).await })
    }

    /// The app's view of connectivity: background passes run only while online.
    pub fn set_online(&self, online: bool) {
        self.shared.online.store(online, Ordering::SeqCst);
        if online {
            self.shared.wake.notify_one();
        }
    }

    /// Holds the live warning stream open until `pause` or `shutdown` (or the server refuses
    /// the device), storing each warning and telling the listener; reconnects with back-off.
    /// Returns at once while sync is paused. A second watcher replaces the first.
    pub fn watch_warnings(&self) -> Result<JoinHandle<Result<()>>> {
        let shared = self.shared.clone();
        self.spawn(async move {
            if shared.paused.load(Ordering::SeqCst) {
                return Ok(());
            }
            let watch = tokio::spawn(live::watch(shared.core.clone()));
            let previous = shared
                .watcher
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .replace(watch.abort_handle());
            if let Some(previous) = previous {
                previous.abort();
            }
            match watch.await {
                Ok(result) => result,
                Err(join) if join.is_cancelled() => Ok(()),
                Err(join) => Err(Error::InvalidInput(format!(
                    "warning watcher failed: {join}"
                ))),
            }
        })
    }

    /// Stops syncing, cancels the pass in flight (what it finished is kept) and the warning
    /// watcher.
    pub fn pause(&self) {
        self.shared.paused.store(true, Ordering::SeqCst);
        for task in [&self.shared.current, &self.shared.watcher] {
            if let Some(task) = task.lock().unwrap_or_else(PoisonError::into_inner).take() {
                task.abort();
            }
        }
    }

    pub fn resume(&self) {
        self.shared.paused.store(false, Ordering::SeqCst);
        self.shared.wake.notify_one();
    }

    /// New work was committed: an online device sends it soon.
    pub fn wake(&self) {
        self.shared.wake.notify_one();
    }

    /// Stops the runtime: passes in flight are cancelled (what they finished is kept).
    pub fn shutdown(&self) {
        self.pause();
        let runtime = self
            .runtime
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(runtime) = runtime {
            // Blocking SQLite work in flight finishes on its own thread; never wait for it
            // from inside a runtime (that panics), and never for long from the app's thread.
            if tokio::runtime::Handle::try_current().is_ok() {
                runtime.shutdown_background();
            } else {
                runtime.shutdown_timeout(Duration::from_secs(2));
            }
        }
    }

    pub fn wedged(&self) -> Result<Vec<WedgedItem>> {
        self.shared.core.store.read(queue::wedged)
    }

    pub fn retry(&self, kind: OutboxItemKind, id: &str) -> Result<()> {
        self.shared
            .core
            .store
            .write(|tx| queue::retry_wedged(tx, kind, id))?;
        self.wake();
        Ok(())
    }

    pub fn discard(&self, kind: OutboxItemKind, id: &str) -> Result<()> {
        self.shared
            .core
            .store
            .write(|tx| queue::discard_wedged(tx, kind, id))
    }
}

impl Drop for SyncEngine {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl Shared {
    /// One pass: evidence blobs, then events, then pull. Cancelled by `pause`.
    async fn run_pass(self: Arc<Self>, force: bool) -> Result<SyncReport> {
        if self.paused.load(Ordering::SeqCst) {
            return Ok(SyncReport::new(
                SyncOutcome::Paused,
                Some("sync is paused".into()),
            ));
        }
        let _one_at_a_time = self.pass_lock.lock().await;
        let pass = tokio::spawn(transfer::pass(self.core.clone(), force));
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = Some(pass.abort_handle());
        let report = match pass.await {
            Ok(result) => result?,
            Err(join) if join.is_cancelled() => {
                SyncReport::new(SyncOutcome::Paused, Some("sync was paused".into()))
            }
            Err(join) => return Err(Error::InvalidInput(format!("sync pass failed: {join}"))),
        };
        self.current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let core = self.core.clone();
        let finished = report.clone();
        blocking(&self.core, move |c| {
            c.store.write(|tx| {
                if let Some(skew) = finished.clock_skew_ms {
                    crate::store::set_meta(tx, SKEW_KEY, &skew.to_string())?;
                }
                if finished.outcome == SyncOutcome::Completed {
                    crate::store::set_meta(tx, LAST_SYNC_KEY, &format_utc(&Utc::now()))?;
                }
                Ok(())
            })
        })
        .await?;
        core.notifier.sync_finished(report.clone());
        if let Ok(status) = core.outbox_status() {
            core.notifier.outbox_changed(status);
        }
        Ok(report)
    }

    /// Whether the background loop may start a pass now.
    async fn may_auto_sync(&self) -> bool {
        if !self.online.load(Ordering::SeqCst) || self.paused.load(Ordering::SeqCst) {
            return false;
        }
        blocking(&self.core, |c| c.account())
            .await
            .ok()
            .flatten()
            .is_some_and(|a| !a.record.auth_required)
    }

    /// How long the background loop sleeps unless woken: until the next item is due, at least
    /// the debounce, at most the pull interval.
    async fn next_wakeup(&self) -> Duration {
        let due = blocking(&self.core, |c| c.store.read(queue::next_due))
            .await
            .ok()
            .flatten();
        let until_due = due.as_ref().and_then(|at| {
            let at = chrono::DateTime::parse_from_rfc3339(at).ok()?;
            (at.with_timezone(&Utc) - Utc::now()).to_std().ok()
        });
        match due {
            Some(_) => until_due
                .unwrap_or(Duration::ZERO)
                .max(DEBOUNCE)
                .min(PULL_INTERVAL),
            None => PULL_INTERVAL,
        }
    }
}

async fn background(shared: Arc<Shared>) {
    loop {
        let wait = if shared.may_auto_sync().await {
            shared.next_wakeup().await
        } else {
            PULL_INTERVAL
        };
        tokio::select! {
            _ = shared.wake.notified() => tokio::time::sleep(DEBOUNCE).await,
            _ = tokio::time::sleep(wait) => {}
        }
        if shared.may_auto_sync().await {
            if let Err(err) = shared.clone().run_pass(false).await {
                tracing::warn!(error = %err, "background sync pass failed");
            }
        }
    }
}

/// Stores an enrollment the server granted and returns it as the app sees it.
async fn store_enrollment(
    core: Arc<Core>,
    server_url: String,
    reply: EnrollResponse,
) -> Result<AccountRecord> {
    blocking(&core, move |c| {
        let kept = c.keep_token(&reply.token)?;
        c.store
            .write(|tx| account::save(tx, &server_url, &reply, &kept, &format_utc(&Utc::now())))?;
        c.store.read(account::load)
    })
    .await?
    .map(|a| a.record)
    .ok_or_else(|| Error::NotFound("the enrollment was not stored".into()))
}

/// A resident's phone number as given: digits with an optional `+`, spaces and dashes, 5 to 20
/// characters; empty is none. The error never repeats the number.
fn resident_phone(phone: Option<String>) -> Result<Option<String>> {
    let Some(phone) = phone.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let shape_ok = phone
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || c == ' ' || c == '-' || (c == '+' && i == 0));
    if !shape_ok || !(5..=20).contains(&phone.chars().count()) || digits < 5 {
        return Err(Error::InvalidInput(
            "the phone number is not valid: digits, optionally with a leading + and dashes".into(),
        ));
    }
    Ok(Some(phone))
}

/// Runs SQLite work on the blocking pool.
async fn blocking<T: Send + 'static>(
    core: &Arc<Core>,
    f: impl FnOnce(&Core) -> Result<T> + Send + 'static,
) -> Result<T> {
    let core = core.clone();
    tokio::task::spawn_blocking(move || f(&core))
        .await
        .map_err(|e| Error::InvalidInput(format!("storage task failed: {e}")))?
}

/// A request failure as the app sees it when there is no queue to hold it (enrollment).
fn failure_error(f: Failure) -> Error {
    match f.class {
        RetryClass::Network | RetryClass::Transient => Error::Network(f.to_string()),
        RetryClass::Auth | RetryClass::Permanent | RetryClass::Success => {
            Error::Rejected(f.to_string())
        }
    }
}
