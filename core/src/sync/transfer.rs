//! One sync pass: upload due evidence blobs (resuming from the server's offset), push due
//! events in batches, pull changes. Network and server failures become back-off or wedges on
//! the items (data, not errors); only local storage failures are errors.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use chrono::Utc;
use gridpatrol_proto::sync::{PushRequest, PushStatus};

use super::http::{Failure, Server};
use super::retry::RetryClass;
use super::{account, blocking, pull, queue};
use crate::api::records::{SyncOutcome, SyncPhase, SyncProgress, SyncReport};
use crate::domain::outcomes::{self, Outcome};
use crate::domain::warnings;
use crate::engine::Core;
use crate::error::{Error, Result};
use crate::notify::Throttle;

/// Changes asked for per request.
const PULL_PAGE: u32 = 500;

/// Runs one pass for the enrolled account. `force` (the user asked) ignores the client's own
/// back-off, never a `Retry-After` from the server.
pub async fn pass(core: Arc<Core>, force: bool) -> Result<SyncReport> {
    let account = blocking(&core, |c| c.account()).await?.ok_or_else(|| {
        Error::InvalidInput("this device is not enrolled: enroll with a server first".into())
    })?;
    if account.record.auth_required {
        return Ok(SyncReport::new(
            SyncOutcome::AuthRequired,
            Some("the server no longer accepts this device's token: enroll again".into()),
        ));
    }
    let server = Arc::new(
        Server::new(&account.record.server_url, Some(account.token.clone()))
            .map_err(|f| Error::Network(f.to_string()))?,
    );
    let mut report = SyncReport::new(SyncOutcome::Completed, None);
    let mut stop = upload_blobs(&core, &server, &mut report, force).await?;
    if stop.is_none() {
        stop = push_events(&core, &server, &mut report, force).await?;
    }
    if stop.is_none() {
        stop = pull_changes(&core, &server, &mut report).await?;
    }
    report.bytes_sent = server.bytes_sent.load(Ordering::Relaxed);
    report.bytes_received = server.bytes_received.load(Ordering::Relaxed);
    report.clock_skew_ms = server.clock_skew_ms();
    if let Some(failure) = stop {
        report.message = Some(failure.to_string());
        report.outcome = match failure.class {
            RetryClass::Network => SyncOutcome::Offline,
            RetryClass::Transient => SyncOutcome::ServerUnavailable,
            RetryClass::Auth => {
                blocking(&core, |c| c.store.write(account::mark_auth_failed)).await?;
                SyncOutcome::AuthRequired
            }
            RetryClass::Permanent | RetryClass::Success => SyncOutcome::Failed,
        };
    }
    Ok(report)
}

/// Progress of one phase, throttled before it reaches the listener.
struct Progress {
    core: Arc<Core>,
    phase: SyncPhase,
    total: u64,
    bytes_total: u64,
    state: Mutex<(u64, u64, Throttle)>,
}

impl Progress {
    fn new(core: &Arc<Core>, phase: SyncPhase, total: u64, bytes_total: u64) -> Arc<Progress> {
        Arc::new(Progress {
            core: core.clone(),
            phase,
            total,
            bytes_total,
            state: Mutex::new((0, 0, Throttle::new())),
        })
    }

    fn advance(&self, items: u64, bytes: u64) {
        let update = {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.0 += items;
            state.1 += bytes;
            let fraction = if self.bytes_total > 0 {
                state.1 as f64 / self.bytes_total as f64
            } else if self.total > 0 {
                state.0 as f64 / self.total as f64
            } else {
                1.0
            };
            let (done, bytes_done) = (state.0, state.1);
            state
                .2
                .should_emit(fraction.min(1.0), Instant::now())
                .then_some((done, bytes_done))
        };
        if let Some((done, bytes_done)) = update {
            self.core.notifier.sync_progress(SyncProgress {
                phase: self.phase,
                done,
                total: self.total,
                bytes_done,
                bytes_total: self.bytes_total,
            });
        }
    }
}

async fn upload_blobs(
    core: &Arc<Core>,
    server: &Arc<Server>,
    report: &mut SyncReport,
    force: bool,
) -> Result<Option<Failure>> {
    let due = blocking(core, move |c| {
        c.store
            .read(|conn| queue::due_blobs(conn, Utc::now(), force))
    })
    .await?;
    if due.is_empty() {
        return Ok(None);
    }
    let progress = Progress::new(
        core,
        SyncPhase::Uploading,
        due.len() as u64,
        due.iter().map(|d| d.1).sum(),
    );
    for (sha256, bytes) in due {
        let on_bytes: Arc<dyn Fn(u64) + Send + Sync> = {
            let progress = progress.clone();
            Arc::new(move |n| progress.advance(0, n))
        };
        let outcome = upload_one(core, server, &sha256, bytes, on_bytes).await;
        let sha = sha256.clone();
        match outcome {
            Ok(sent) => {
                blocking(core, move |c| {
                    c.store.write(|tx| queue::blob_done(tx, &sha))
                })
                .await?;
                report.blobs_uploaded += 1;
                report.blob_bytes += sent;
                progress.advance(1, 0);
            }
            Err(failure) if failure.class == RetryClass::Permanent => {
                let reason = failure.to_string();
                blocking(core, move |c| {
                    c.store.write(|tx| queue::blob_wedged(tx, &sha, &reason))
                })
                .await?;
                report.wedged += 1;
                progress.advance(1, 0);
            }
            Err(failure) => {
                let f = failure.clone();
                blocking(core, move |c| {
                    c.store
                        .write(|tx| queue::blob_backoff(tx, &sha, &f, Utc::now()))
                })
                .await?;
                return Ok(Some(failure));
            }
        }
    }
    Ok(None)
}

/// Uploads one blob from wherever the server's copy ends; returns the bytes sent.
async fn upload_one(
    core: &Arc<Core>,
    server: &Server,
    sha256: &str,
    bytes: u64,
    on_bytes: Arc<dyn Fn(u64) + Send + Sync>,
) -> Result<u64, Failure> {
    let path = core.evidence_path(sha256);
    let length = tokio::fs::metadata(&path)
        .await
        .map_err(|e| Failure::local(format!("evidence file {sha256} is missing: {e}")))?
        .len();
    if length != bytes {
        return Err(Failure::local(format!(
            "evidence file {sha256} changed size ({bytes} → {length} bytes)"
        )));
    }
    let head = server.blob_head(sha256).await?;
    if head.complete {
        return Ok(0);
    }
    let mut offset = head.offset;
    // One more round after the server reports a different offset (409), then back off.
    for _ in 0..2 {
        if offset > length {
            return Err(Failure::local(format!(
                "the server holds more of {sha256} than the file has"
            )));
        }
        let state = server
            .blob_upload(sha256, &path, offset, length, on_bytes.clone())
            .await?;
        if state.complete {
            return Ok(length - head.offset);
        }
        offset = state.offset;
    }
    Err(Failure {
        class: RetryClass::Transient,
        status: None,
        code: None,
        message: format!("upload of {sha256} did not complete"),
        retry_after: None,
    })
}

async fn push_events(
    core: &Arc<Core>,
    server: &Arc<Server>,
    report: &mut SyncReport,
    force: bool,
) -> Result<Option<Failure>> {
    let pending = core.outbox_status()?.events_pending;
    let progress = Progress::new(core, SyncPhase::Pushing, pending, 0);
    loop {
        let batch = blocking(core, move |c| {
            c.store
                .read(|conn| queue::next_events(conn, Utc::now(), force))
        })
        .await?;
        let events = match batch {
            queue::EventBatch::Ready(events) => events,
            queue::EventBatch::Empty | queue::EventBatch::NotDue | queue::EventBatch::Blocked => {
                return Ok(None)
            }
        };
        let first_seq = events[0].device_seq;
        let request = PushRequest {
            device_id: core.device_id.clone(),
            events,
        };
        let reply = match server.push(&request).await {
            Ok(reply) => reply,
            Err(failure) if failure.class == RetryClass::Permanent => {
                let reason = failure.to_string();
                blocking(core, move |c| {
                    c.store
                        .write(|tx| queue::event_wedged(tx, first_seq, &reason))
                })
                .await?;
                report.wedged += 1;
                return Ok(None);
            }
            Err(failure) => {
                let f = failure.clone();
                blocking(core, move |c| {
                    c.store
                        .write(|tx| queue::events_backoff(tx, first_seq, &f, Utc::now()))
                })
                .await?;
                return Ok(Some(failure));
            }
        };
        let mut acked = Vec::new();
        let mut wedge: Option<(u64, String)> = None;
        for (event, result) in request.events.iter().zip(&reply.results) {
            if result.event_id != event.event_id || result.device_seq != event.device_seq {
                wedge = Some((
                    event.device_seq,
                    format!(
                        "server answered for event {} in place of {}",
                        result.event_id, event.event_id
                    ),
                ));
                break;
            }
            match result.status {
                PushStatus::Accepted => {
                    report.events_sent += 1;
                    acked.push(Outcome::of(result));
                }
                PushStatus::Duplicate => {
                    report.duplicates += 1;
                    acked.push(Outcome::of(result));
                }
                PushStatus::Conflict | PushStatus::Rejected | PushStatus::Forbidden => {
                    report.rejected += 1;
                    let reason = result
                        .reason
                        .clone()
                        .unwrap_or_else(|| format!("{:?}", result.status).to_lowercase());
                    wedge = Some((
                        event.device_seq,
                        format!("server refused the event: {reason}"),
                    ));
                    break;
                }
            }
        }
        let n = acked.len() as u64;
        let stalled = wedge.is_none() && acked.is_empty();
        let wedged = wedge.is_some();
        let not_applied: Vec<u64> = acked
            .iter()
            .filter(|o| o.is_refusal())
            .map(|o| o.device_seq)
            .collect();
        let refusals = blocking(core, move |c| {
            c.store.write(|tx| {
                queue::events_acked(tx, &acked, Utc::now())?;
                if let Some((seq, reason)) = &wedge {
                    queue::event_wedged(tx, *seq, reason)?;
                }
                outcomes::refusals_among(tx, &not_applied)
            })
        })
        .await?;
        // After the commit, so a listener that reads the hazard sees the refusal stored.
        for refusal in refusals {
            core.notifier.event_refused(refusal);
        }
        progress.advance(n, 0);
        if wedged {
            report.wedged += 1;
            return Ok(None);
        }
        if stalled {
            return Ok(Some(Failure {
                class: RetryClass::Transient,
                status: None,
                code: None,
                message: "the server acknowledged none of the events sent".into(),
                retry_after: None,
            }));
        }
    }
}

async fn pull_changes(
    core: &Arc<Core>,
    server: &Arc<Server>,
    report: &mut SyncReport,
) -> Result<Option<Failure>> {
    let progress = Progress::new(core, SyncPhase::Pulling, 0, 0);
    loop {
        let since = blocking(core, |c| c.store.read(pull::cursor)).await?;
        let page = match server.changes(since, PULL_PAGE).await {
            Ok(page) => page,
            Err(failure) => return Ok(Some(failure)),
        };
        let n = page.changes.len() as u64;
        let more = page.more;
        let news = blocking(core, move |c| {
            c.store.write(|tx| {
                let news = pull::apply(tx, &page)?;
                warnings_read(tx, &news)
            })
        })
        .await?;
        for warning in news {
            core.notifier.warning(warning);
        }
        report.changes_pulled += n;
        progress.advance(n, 0);
        if !more {
            return Ok(None);
        }
    }
}

/// The warnings a page brought that the user must hear about, as the screens show them.
fn warnings_read(
    conn: &rusqlite::Connection,
    news: &pull::News,
) -> Result<Vec<crate::api::report_records::WarningRecord>> {
    news.warnings
        .iter()
        .map(|id| warnings::get(conn, id))
        .collect()
}
