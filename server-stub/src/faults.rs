//! Fault injection for client tests, mounted only with test controls (`--test-controls`,
//! [`crate::Config::test_controls`]). A plan is a list of rules; each matches requests by
//! method and path prefix, lets `skip` of them through, then applies its action to the next
//! `times`. Actions: an error status (with `Retry-After`), a delay, dropping the connection
//! before the request is handled, cutting the request body after N bytes (the handler keeps
//! what arrived, then the connection drops), or cutting the response after N bytes (the request
//! was fully handled; the client never hears the answer).
//!
//! Dropping a connection needs the server loop's cooperation: it puts a [`ConnectionKill`] into
//! each request's extensions and closes the connection when it fires.

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{ready, Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::Frame;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;
use utoipa::ToSchema;

use crate::error::AppError;
use crate::state::AppState;

/// A list of fault rules; `POST /v1/test/faults` replaces the current plan with it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FaultPlan {
    pub faults: Vec<FaultRule>,
}

/// One rule: which requests, how many, and what happens to them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FaultRule {
    /// Only this method (e.g. `PATCH`), any when absent.
    #[serde(default)]
    pub method: Option<String>,
    /// Only paths starting with this (e.g. `/v1/blobs`), any when absent.
    #[serde(default)]
    pub path_prefix: Option<String>,
    /// Let this many matching requests through first.
    #[serde(default)]
    pub skip: u32,
    /// Then apply the action to this many.
    #[serde(default = "one")]
    pub times: u32,
    pub action: FaultAction,
}

fn one() -> u32 {
    1
}

/// What happens to a matching request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FaultAction {
    /// Answer at once with this status (the request is not handled) and the error shape,
    /// code `injected_fault`; `retry_after` becomes the `Retry-After` header verbatim.
    Status {
        status: u16,
        #[serde(default)]
        retry_after: Option<String>,
    },
    /// Wait, then handle the request normally.
    Delay { ms: u64 },
    /// Close the connection without handling the request.
    DropConnection,
    /// The handler sees only the first `after_bytes` of the request body; then the connection
    /// is closed.
    CutRequest { after_bytes: u64 },
    /// Handle the request fully; send only the first `after_bytes` of the response body, then
    /// close the connection.
    CutResponse { after_bytes: u64 },
}

/// Closes the connection a request arrived on (set per connection by the server loop).
#[derive(Debug, Clone, Default)]
pub struct ConnectionKill(Arc<Notify>);

impl ConnectionKill {
    pub fn kill(&self) {
        self.0.notify_one();
    }

    pub async fn killed(&self) {
        self.0.notified().await;
    }
}

#[derive(Debug)]
struct Armed {
    rule: FaultRule,
    seen: u32,
    applied: u32,
}

/// The current plan.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Mutex<Vec<Armed>>,
}

impl Faults {
    /// Replaces the plan. A status outside 100–999 is refused.
    pub fn set(&self, plan: FaultPlan) -> Result<(), String> {
        for rule in &plan.faults {
            if let FaultAction::Status { status, .. } = rule.action {
                StatusCode::from_u16(status).map_err(|_| format!("bad status {status}"))?;
            }
        }
        let armed = plan
            .faults
            .into_iter()
            .map(|rule| Armed {
                rule,
                seen: 0,
                applied: 0,
            })
            .collect();
        *self.rules.lock().unwrap_or_else(PoisonError::into_inner) = armed;
        Ok(())
    }

    /// What is left of the plan: each rule with the skips and times it still has.
    pub fn remaining(&self) -> FaultPlan {
        let rules = self.rules.lock().unwrap_or_else(PoisonError::into_inner);
        FaultPlan {
            faults: rules
                .iter()
                .filter(|a| a.applied < a.rule.times)
                .map(|a| FaultRule {
                    skip: a.rule.skip - a.seen,
                    times: a.rule.times - a.applied,
                    ..a.rule.clone()
                })
                .collect(),
        }
    }

    fn take(&self, method: &str, path: &str) -> Option<FaultAction> {
        let mut rules = self.rules.lock().unwrap_or_else(PoisonError::into_inner);
        for armed in rules.iter_mut() {
            let rule = &armed.rule;
            let matches = armed.applied < rule.times
                && rule
                    .method
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method))
                && rule
                    .path_prefix
                    .as_deref()
                    .is_none_or(|p| path.starts_with(p));
            if !matches {
                continue;
            }
            if armed.seen < rule.skip {
                armed.seen += 1;
                continue;
            }
            armed.applied += 1;
            return Some(rule.action.clone());
        }
        None
    }
}

/// Middleware applying the plan (mounted only with test controls; never on `/v1/test/`).
pub async fn inject(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.starts_with("/v1/test/") {
        return next.run(request).await;
    }
    let Some(action) = state.faults.take(request.method().as_str(), path) else {
        return next.run(request).await;
    };
    state.stats.fault_applied();
    let kill = request.extensions().get::<ConnectionKill>().cloned();
    match action {
        FaultAction::Status {
            status,
            retry_after,
        } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let mut error = AppError::new(status, "injected_fault", "fault injected by a test");
            if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
                error = error.with_header(RETRY_AFTER, value);
            }
            error.into_response()
        }
        FaultAction::Delay { ms } => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(request).await
        }
        FaultAction::DropConnection => match kill {
            Some(kill) => {
                kill.kill();
                std::future::pending().await
            }
            None => no_kill_switch(),
        },
        FaultAction::CutRequest { after_bytes } => {
            let request = request.map(|body| Body::new(CutBody::new(body, after_bytes, kill)));
            next.run(request).await
        }
        FaultAction::CutResponse { after_bytes } => {
            let response = next.run(request).await;
            response.map(|body| Body::new(CutBody::new(body, after_bytes, kill)))
        }
    }
}

fn no_kill_switch() -> Response {
    AppError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "injected_fault",
        "fault injected by a test (this server loop cannot drop connections)",
    )
    .into_response()
}

/// A body that ends in an error after `remaining` bytes and closes the connection.
struct CutBody {
    inner: Body,
    remaining: u64,
    kill: Option<ConnectionKill>,
}

impl CutBody {
    fn new(inner: Body, after_bytes: u64, kill: Option<ConnectionKill>) -> Self {
        CutBody {
            inner,
            remaining: after_bytes,
            kill,
        }
    }
}

impl http_body::Body for CutBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if self.remaining == 0 {
            if let Some(kill) = &self.kill {
                kill.kill();
            }
            return Poll::Ready(Some(Err(axum::Error::new(
                "connection cut by an injected fault",
            ))));
        }
        match ready!(Pin::new(&mut self.inner).poll_frame(cx)) {
            Some(Ok(frame)) => match frame.into_data() {
                Ok(mut data) => {
                    let keep = data.len().min(self.remaining as usize);
                    data.truncate(keep);
                    self.remaining -= keep as u64;
                    Poll::Ready(Some(Ok(Frame::data(data))))
                }
                Err(frame) => Poll::Ready(Some(Ok(frame))),
            },
            other => Poll::Ready(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(method: Option<&str>, prefix: Option<&str>, skip: u32, times: u32) -> FaultRule {
        FaultRule {
            method: method.map(str::to_owned),
            path_prefix: prefix.map(str::to_owned),
            skip,
            times,
            action: FaultAction::Delay { ms: 1 },
        }
    }

    #[test]
    fn a_rule_skips_then_fires_then_is_spent() {
        let faults = Faults::default();
        faults
            .set(FaultPlan {
                faults: vec![rule(Some("patch"), Some("/v1/blobs"), 1, 2)],
            })
            .unwrap();
        assert!(faults.take("GET", "/v1/blobs/x").is_none());
        assert!(faults.take("PATCH", "/v1/events").is_none());
        assert!(faults.take("PATCH", "/v1/blobs/x").is_none(), "skipped");
        assert!(faults.take("PATCH", "/v1/blobs/x").is_some());
        assert_eq!(faults.remaining().faults[0].times, 1);
        assert!(faults.take("PATCH", "/v1/blobs/y").is_some());
        assert!(faults.take("PATCH", "/v1/blobs/z").is_none(), "spent");
        assert!(faults.remaining().faults.is_empty());
    }

    #[test]
    fn an_impossible_status_is_refused() {
        let mut bad = rule(None, None, 0, 1);
        bad.action = FaultAction::Status {
            status: 42,
            retry_after: None,
        };
        assert!(Faults::default()
            .set(FaultPlan { faults: vec![bad] })
            .is_err());
    }
}
