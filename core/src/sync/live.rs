//! The foreground warning watcher: `GET /v1/warnings/stream` (Server-Sent Events) held open on
//! the core's runtime while the app is in the foreground, so a warning reaches the worker in
//! seconds rather than at the next pull. Each `warning` event is stored like a pulled one and,
//! when it is new or escalated to this user, told to the listener after the commit. A dropped
//! stream is opened again with back-off; a refused token stops the watcher (and the queue) until
//! the device enrolls again. It runs until `pause_sync` or `shutdown`.

use std::sync::Arc;
use std::time::Duration;

use gridpatrol_proto::sync::Role;
use gridpatrol_proto::warnings::WarningForRecipient;

use super::http::Server;
use super::retry::{self, RetryClass};
use super::{account, blocking};
use crate::domain::warnings;
use crate::engine::Core;
use crate::error::{Error, Result};

/// The longest wait before opening the stream again: a foreground app wants warnings fast.
const MAX_RECONNECT_DELAY: Duration = Duration::from_secs(60);

/// Watches until cancelled (the caller aborts the task) or the server refuses the device.
pub async fn watch(core: Arc<Core>) -> Result<()> {
    let mut failures = 0u32;
    loop {
        let account = blocking(&core, |c| c.account()).await?.ok_or_else(|| {
            Error::InvalidInput("this device is not enrolled: enroll with a server first".into())
        })?;
        if account.record.role == Role::Resident {
            return Err(Error::InvalidInput("residents receive no warnings".into()));
        }
        if account.record.auth_required {
            return Err(Error::Rejected(
                "the server no longer accepts this device's token: enroll again".into(),
            ));
        }
        let server = Server::new(&account.record.server_url, Some(account.token))
            .map_err(|f| Error::Network(f.to_string()))?;
        let retry_after = match server.warnings_stream().await {
            Ok(mut response) => {
                failures = 0;
                let mut events = SseParser::default();
                // Read until the stream ends or breaks; then open it again.
                while let Ok(Some(chunk)) = response.chunk().await {
                    for event in events.push(&chunk) {
                        if event.name == "warning" {
                            receive(&core, &event.data).await?;
                        }
                    }
                }
                None
            }
            Err(failure) => match failure.class {
                RetryClass::Auth => {
                    blocking(&core, |c| c.store.write(account::mark_auth_failed)).await?;
                    return Err(Error::Rejected(failure.to_string()));
                }
                RetryClass::Permanent | RetryClass::Success => {
                    return Err(Error::Rejected(failure.to_string()))
                }
                RetryClass::Network | RetryClass::Transient => failure.retry_after,
            },
        };
        failures += 1;
        let wait = retry::delay(failures, retry_after, rand::random::<f64>());
        tokio::time::sleep(wait.min(MAX_RECONNECT_DELAY)).await;
    }
}

/// Stores one streamed warning and tells the listener when the user must hear of it.
async fn receive(core: &Arc<Core>, data: &str) -> Result<()> {
    let warning: WarningForRecipient = match serde_json::from_str(data) {
        Ok(w) => w,
        Err(err) => {
            tracing::warn!(error = %err, "unreadable warning on the stream, skipped");
            return Ok(());
        }
    };
    let news = blocking(core, move |c| {
        c.store.write(|tx| {
            Ok(match warnings::store(tx, &warning, None)? {
                true => Some(warnings::get(tx, &warning.warning_id)?),
                false => None,
            })
        })
    })
    .await?;
    if let Some(record) = news {
        core.notifier.warning(record);
    }
    Ok(())
}

/// One Server-Sent Event.
#[derive(Debug, PartialEq, Eq)]
pub struct SseEvent {
    /// `event:` (default `message`).
    pub name: String,
    /// The `data:` lines joined with `\n`.
    pub data: String,
}

/// Turns the bytes of a `text/event-stream` into events, whatever the chunk boundaries (even
/// inside a UTF-8 character or a CRLF).
#[derive(Default)]
pub struct SseParser {
    line: Vec<u8>,
    name: Option<String>,
    data: Option<String>,
}

impl SseParser {
    /// Feeds bytes; returns the events they completed.
    pub fn push(&mut self, bytes: &[u8]) -> Vec<SseEvent> {
        let mut out = Vec::new();
        for &b in bytes {
            if b != b'\n' {
                self.line.push(b);
                continue;
            }
            if self.line.last() == Some(&b'\r') {
                self.line.pop();
            }
            let line = String::from_utf8_lossy(&std::mem::take(&mut self.line)).into_owned();
            if line.is_empty() {
                if let Some(data) = self.data.take() {
                    out.push(SseEvent {
                        name: self.name.take().unwrap_or_else(|| "message".into()),
                        data,
                    });
                }
                self.name = None;
                continue;
            }
            if line.starts_with(':') {
                continue; // a comment: keep-alive
            }
            let (field, value) = line.split_once(':').unwrap_or((&line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "event" => self.name = Some(value.to_owned()),
                "data" => match &mut self.data {
                    Some(data) => {
                        data.push('\n');
                        data.push_str(value);
                    }
                    None => self.data = Some(value.to_owned()),
                },
                _ => {} // id, retry: not needed (every event carries the whole warning)
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_parsed_across_any_chunk_boundary() {
        let stream =
            ": keep-alive\r\n\r\nevent: warning\r\nid: W-1\r\ndata: {\"text\":\"暴雨\"}\r\n\r\n\
                      data: one\ndata: two\n\nevent: warning\ndata: x\n\n";
        let whole = SseParser::default().push(stream.as_bytes());
        let expected = vec![
            SseEvent {
                name: "warning".into(),
                data: "{\"text\":\"暴雨\"}".into(),
            },
            SseEvent {
                name: "message".into(),
                data: "one\ntwo".into(),
            },
            SseEvent {
                name: "warning".into(),
                data: "x".into(),
            },
        ];
        assert_eq!(whole, expected);
        for size in 1..8 {
            let mut parser = SseParser::default();
            let events: Vec<SseEvent> = stream
                .as_bytes()
                .chunks(size)
                .flat_map(|c| parser.push(c))
                .collect();
            assert_eq!(events, expected, "chunks of {size} bytes");
        }
    }
}
