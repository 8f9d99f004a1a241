//! Running the API: [`spawn`] binds (default `127.0.0.1:0`), opens storage, bootstraps (pack,
//! signing key, optionally the demo) and serves on a background task; the [`Handle`] gives the
//! URL, test helpers and a graceful [`Handle::shutdown`]. A restart in a test is `shutdown` then
//! `spawn` on the same data directory (and, with [`Config::listening_on`], the same port).
//!
//! The accept loop is hyper-util's rather than `axum::serve` because fault injection must be
//! able to drop one connection: each connection gets a [`ConnectionKill`] in its requests'
//! extensions and is dropped when it fires.

use std::net::SocketAddr;
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tower::ServiceExt;

use crate::config::Config;
use crate::faults::{ConnectionKill, FaultPlan};
use crate::routes::app;
use crate::seed::{self, DemoCode};
use crate::state::AppState;
use crate::stats::StatsSnapshot;
use crate::store::{Account, StoreError};

/// How long shutdown waits for open requests before dropping them.
const GRACE: Duration = Duration::from_secs(5);

/// Why a server did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("start-up task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// A running server.
pub struct Handle {
    addr: SocketAddr,
    base_url: String,
    state: AppState,
    demo_codes: Vec<DemoCode>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

/// Starts a server as `config` says and returns once it accepts connections.
pub async fn spawn(config: Config) -> Result<Handle, StartError> {
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|source| StartError::Bind {
            addr: config.listen,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: config.listen,
        source,
    })?;
    let base_url = format!("http://{addr}");
    let public_url = config
        .public_url
        .clone()
        .unwrap_or_else(|| base_url.clone());
    let seed_demo = config.seed_demo;
    let state = tokio::task::spawn_blocking(move || {
        let state = AppState::open(&config, public_url)?;
        seed::bootstrap(&state)?;
        Ok::<_, StoreError>(state)
    })
    .await??;
    let demo_codes = if seed_demo {
        let state = state.clone();
        tokio::task::spawn_blocking(move || seed::seed_demo(&state)).await??
    } else {
        Vec::new()
    };
    let (stop, stopped) = watch::channel(false);
    tokio::spawn(tick(state.clone(), stopped.clone()));
    let task = tokio::spawn(serve(listener, app(state.clone()), stopped));
    Ok(Handle {
        addr,
        base_url,
        state,
        demo_codes,
        stop,
        task,
    })
}

/// The periodic task: deadlines and warnings move with the clock even when nobody reads.
async fn tick(state: AppState, mut stopped: watch::Receiver<bool>) {
    let mut interval = tokio::time::interval(state.settings.tick);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = stopped.changed() => return,
            _ = interval.tick() => {
                if let Err(e) = state.refresh().await {
                    tracing::warn!(error = %e.message, "periodic re-evaluation failed");
                }
            }
        }
    }
}

async fn serve(listener: TcpListener, router: axum::Router, mut stopped: watch::Receiver<bool>) {
    let builder = auto::Builder::new(TokioExecutor::new());
    let graceful = GracefulShutdown::new();
    loop {
        let stream = tokio::select! {
            biased;
            _ = stopped.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // E.g. out of file descriptors: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let (stream, peer) = stream;
        let _ = stream.set_nodelay(true);
        let kill = ConnectionKill::default();
        let router = router.clone();
        let request_kill = kill.clone();
        let service = hyper::service::service_fn(move |mut request| {
            request.extensions_mut().insert(request_kill.clone());
            // The web form's rate limit counts per client address.
            request
                .extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
            router.clone().oneshot(request)
        });
        let connection = graceful.watch(
            builder
                .serve_connection(TokioIo::new(stream), service)
                .into_owned(),
        );
        tokio::spawn(async move {
            tokio::select! {
                _ = connection => {}
                _ = kill.killed() => {}
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("open requests did not finish in time; dropping them");
    }
}

impl Handle {
    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Codes issued at start for the demo users (`--seed-demo` / [`Config::seed_demo`]).
    pub fn demo_codes(&self) -> &[DemoCode] {
        &self.demo_codes
    }

    /// The server's shared state (storage, clock, counters), for tests that need more.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Creates or updates a user and returns a fresh single-use enrollment code for them.
    pub async fn enrollment_code(&self, account: Account) -> Result<String, StartError> {
        let state = self.state.clone();
        Ok(
            tokio::task::spawn_blocking(move || crate::auth::issue_code(&state, &account))
                .await??,
        )
    }

    /// The counters, with the events still waiting for a blob.
    pub async fn stats(&self) -> StatsSnapshot {
        let mut snapshot = self.state.stats.snapshot();
        let store = self.state.store.clone();
        snapshot.evidence_pending_events =
            tokio::task::spawn_blocking(move || store.evidence_pending_events())
                .await
                .ok()
                .and_then(Result::ok)
                .unwrap_or_default();
        snapshot
    }

    /// Replaces the fault plan. Faults apply only when test controls are on.
    pub fn set_faults(&self, plan: FaultPlan) -> Result<(), String> {
        self.state.faults.set(plan)
    }

    /// Moves the server clock by `seconds` (negative: back).
    pub fn advance_clock(&self, seconds: i64) {
        self.state.clock.advance_seconds(seconds);
    }

    /// Stops accepting, lets open requests finish (up to 5 s), and returns when done.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}
