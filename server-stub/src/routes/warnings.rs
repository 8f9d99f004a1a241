//! Warnings (预警) and their receipts: `GET /v1/warnings` (the caller's), `GET
//! /v1/warnings/{id}` (the receipt trail, supervisors of that street) and `GET
//! /v1/warnings/stream`, a Server-Sent Events stream for a phone in the foreground: each
//! warning for the caller as it arrives or changes (escalated to them, acknowledged), as
//! `WarningForRecipient` JSON. A warning sent over the stream counts as delivered. Warnings are
//! issued and acknowledged as events (`POST /v1/events`); residents have none.

use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use futures_util::stream::{self, Stream};
use gridpatrol_proto::sync::Role;
use gridpatrol_proto::warnings::{WarningForRecipient, WarningTrail};
use serde::Serialize;

use super::AppPath;
use crate::clock::rfc3339;
use crate::error::AppError;
use crate::openapi::schema;
use crate::state::AppState;
use crate::store::Caller;

/// How often an open stream re-evaluates escalations when nothing woke it.
const STREAM_POLL: Duration = Duration::from_secs(1);

/// `GET /v1/warnings`.
#[derive(Debug, Serialize)]
pub struct WarningList {
    pub warnings: Vec<WarningForRecipient>,
    pub server_time: String,
}

fn staff_only(caller: &Caller) -> Result<(), AppError> {
    if caller.role == Role::Resident {
        return Err(AppError::forbidden("residents receive no warnings"));
    }
    Ok(())
}

/// The warnings the caller received (a supervisor: every warning of their street), newest first.
#[utoipa::path(
    get,
    path = "/v1/warnings",
    tag = "warnings",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's warnings", body = schema::WarningList),
        (status = 401, description = "`unauthorized`", body = schema::ErrorBody),
        (status = 403, description = "`forbidden`: a resident", body = schema::ErrorBody),
        (status = "default", description = "Any other error", body = schema::ErrorBody),
    )
)]
pub async fn warnings_list(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<WarningList>, AppError> {
    staff_only(&caller)?;
    state.refresh().await?;
    let warnings = state.db(move |store| store.warnings_for(&caller)).await?;
    Ok(Json(WarningList {
        warnings,
        server_time: rfc3339(state.clock.now()),
    }))
}

/// A warning and its receipt trail: delivered, acknowledged, escalated — who and when.
#[utoipa::path(
    get,
    path = "/v1/warnings/{warning_id}",
    tag = "warnings",
    security(("bearer" = [])),
    params(("warning_id" = String, Path, description = "The warning's id")),
    responses(
        (status = 200, description = "The trail", body = schema::WarningTrail),
        (status = 401, description = "`unauthorized`", body = schema::ErrorBody),
        (status = 403, description = "`forbidden`: not a supervisor of the warning's street", body = schema::ErrorBody),
        (status = 404, description = "`not_found`", body = schema::ErrorBody),
        (status = "default", description = "Any other error", body = schema::ErrorBody),
    )
)]
pub async fn warnings_get(
    State(state): State<AppState>,
    caller: Caller,
    AppPath(warning_id): AppPath<String>,
) -> Result<Json<WarningTrail>, AppError> {
    if caller.role != Role::Supervisor {
        return Err(AppError::forbidden(
            "the receipt trail is for the street's supervisors",
        ));
    }
    state.refresh().await?;
    let id = warning_id.clone();
    let (street, trail) = state
        .db(move |store| store.warning_trail(&id))
        .await?
        .ok_or_else(|| AppError::not_found(format!("no warning '{warning_id}'")))?;
    if caller.street.as_deref() != Some(street.as_str()) {
        return Err(AppError::forbidden("that warning is of another street"));
    }
    Ok(Json(trail))
}

/// What an open stream has sent, to send only what changed.
struct Live {
    state: AppState,
    caller: Caller,
    changed: tokio::sync::watch::Receiver<u64>,
    sent: HashMap<String, (bool, Option<String>, String)>,
    queue: VecDeque<WarningForRecipient>,
    started: bool,
}

impl Live {
    /// The next warning to send, waiting for one as long as it takes; `None` ends the stream.
    async fn next(&mut self) -> Option<WarningForRecipient> {
        loop {
            if let Some(warning) = self.queue.pop_front() {
                let (user, id, now) = (
                    self.caller.user_id.clone(),
                    vec![warning.warning_id.clone()],
                    self.state.clock.now(),
                );
                self.state
                    .db(move |store| store.mark_delivered(&user, &id, now))
                    .await
                    .ok()?;
                return Some(warning);
            }
            if self.started {
                tokio::select! {
                    changed = self.changed.changed() => changed.ok()?,
                    _ = tokio::time::sleep(STREAM_POLL) => {}
                }
            }
            self.started = true;
            self.state.refresh().await.ok()?;
            let caller = self.caller.clone();
            let warnings = self
                .state
                .db(move |store| store.warnings_for(&caller))
                .await
                .ok()?;
            for warning in warnings.into_iter().rev() {
                let seen = (
                    warning.acknowledged,
                    warning.escalated_from.clone(),
                    warning.ack_due_at.clone(),
                );
                if self.sent.get(&warning.warning_id) != Some(&seen) {
                    self.sent.insert(warning.warning_id.clone(), seen);
                    self.queue.push_back(warning);
                }
            }
        }
    }
}

/// Server-Sent Events: each warning for the caller (event `warning`, data
/// `WarningForRecipient` JSON) now and as it arrives or changes; comments keep it alive.
#[utoipa::path(
    get,
    path = "/v1/warnings/stream",
    tag = "warnings",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "An endless text/event-stream of `warning` events", content_type = "text/event-stream", body = String),
        (status = 401, description = "`unauthorized`", body = schema::ErrorBody),
        (status = 403, description = "`forbidden`: a resident", body = schema::ErrorBody),
        (status = "default", description = "Any other error", body = schema::ErrorBody),
    )
)]
pub async fn warnings_stream(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    staff_only(&caller)?;
    let live = Live {
        changed: state.warnings_changed.subscribe(),
        state,
        caller,
        sent: HashMap::new(),
        queue: VecDeque::new(),
        started: false,
    };
    let events = stream::unfold(live, |mut live| async move {
        let warning = live.next().await?;
        let event = Event::default()
            .event("warning")
            .id(warning.warning_id.clone())
            .json_data(&warning)
            .unwrap_or_else(|_| Event::default().comment("unserialisable warning"));
        Some((Ok(event), live))
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
