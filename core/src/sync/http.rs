//! HTTP to the sync server: one reqwest client, requests and replies as the proto types, every
//! failure turned into a classified [`Failure`], and the server's `Date` sampled for clock skew.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use gridpatrol_proto::sync::{
    blob_path, BlobState, ChangesResponse, EnrollRequest, EnrollResponse, ErrorBody, PushRequest,
    PushResponse, ResidentEnrollRequest, BLOB_COMPLETE, CHANGES_PATH, ENROLL_PATH, EVENTS_PATH,
    RESIDENT_ENROLL_PATH, UPLOAD_LENGTH, UPLOAD_OFFSET, WARNINGS_STREAM_PATH,
};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use super::retry::{classify, parse_retry_after, RetryClass};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);
/// JSON requests are small: a whole-request limit is fine for them (never for blob uploads).
const JSON_TIMEOUT: Duration = Duration::from_secs(60);
/// A blob upload may take minutes on a weak signal; it fails only when no byte moves for this long.
const READ_TIMEOUT: Duration = Duration::from_secs(60);
const CHUNK: usize = 64 * 1024;

/// Why a request did not succeed, and what the queue should do about it.
#[derive(Debug, Clone)]
pub struct Failure {
    pub class: RetryClass,
    pub status: Option<u16>,
    /// The server's machine code (`ErrorBody.code`), when it sent one.
    pub code: Option<String>,
    pub message: String,
    pub retry_after: Option<Duration>,
}

impl Failure {
    fn network(err: reqwest::Error) -> Failure {
        Failure {
            class: RetryClass::Network,
            status: None,
            code: None,
            message: format!("network: {}", error_chain(&err)),
            retry_after: None,
        }
    }

    /// A problem on this device (a missing evidence file): the item is wedged.
    pub fn local(message: String) -> Failure {
        Failure {
            class: RetryClass::Permanent,
            status: None,
            code: None,
            message,
            retry_after: None,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.status, &self.code) {
            (Some(status), Some(code)) => write!(f, "HTTP {status} {code}: {}", self.message),
            (Some(status), None) => write!(f, "HTTP {status}: {}", self.message),
            (None, _) => f.write_str(&self.message),
        }
    }
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Where a blob stands on the server.
pub struct BlobHead {
    pub offset: u64,
    pub complete: bool,
}

/// A connection to one sync server.
pub struct Server {
    client: reqwest::Client,
    base: String,
    token: Option<String>,
    /// Request bytes put on the wire (bodies), and response bytes read.
    pub bytes_sent: Arc<AtomicU64>,
    pub bytes_received: AtomicU64,
    /// The latest server-minus-device clock difference, from a response's `Date`.
    skew_ms: Mutex<Option<i64>>,
}

impl Server {
    pub fn new(base: &str, token: Option<String>) -> Result<Server, Failure> {
        let client = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .read_timeout(READ_TIMEOUT)
            .user_agent(concat!("GridPatrol/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Failure::local(format!("HTTP client: {}", error_chain(&e))))?;
        Ok(Server {
            client,
            base: base.trim_end_matches('/').to_owned(),
            token,
            bytes_sent: Arc::new(AtomicU64::new(0)),
            bytes_received: AtomicU64::new(0),
            skew_ms: Mutex::new(None),
        })
    }

    /// Server clock minus device clock, from the last response (±1 s: `Date` has seconds).
    pub fn clock_skew_ms(&self) -> Option<i64> {
        *self.skew_ms.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let builder = self.client.request(method, format!("{}{path}", self.base));
        match &self.token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    /// Sends a request; a response with a status outside `accept` becomes a `Failure`.
    async fn send(
        &self,
        builder: RequestBuilder,
        accept: &[StatusCode],
    ) -> Result<Response, Failure> {
        let response = builder.send().await.map_err(Failure::network)?;
        self.sample_clock(&response);
        let status = response.status();
        if status.is_success() || accept.contains(&status) {
            return Ok(response);
        }
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, Utc::now()));
        let body = response.bytes().await.unwrap_or_default();
        self.bytes_received
            .fetch_add(body.len() as u64, Ordering::Relaxed);
        let error: Option<ErrorBody> = serde_json::from_slice(&body).ok();
        Err(Failure {
            class: classify(status.as_u16()),
            status: Some(status.as_u16()),
            message: error.as_ref().map_or_else(
                || status.canonical_reason().unwrap_or("error").to_owned(),
                |e| e.message.clone(),
            ),
            code: error.map(|e| e.code),
            retry_after,
        })
    }

    async fn json<T: DeserializeOwned>(&self, response: Response) -> Result<T, Failure> {
        let body = response.bytes().await.map_err(Failure::network)?;
        self.bytes_received
            .fetch_add(body.len() as u64, Ordering::Relaxed);
        serde_json::from_slice(&body).map_err(|e| Failure {
            class: RetryClass::Transient,
            status: None,
            code: None,
            message: format!("unreadable server reply: {e}"),
            retry_after: None,
        })
    }

    fn json_body<T: serde::Serialize>(&self, builder: RequestBuilder, body: &T) -> RequestBuilder {
        let bytes = serde_json::to_vec(body).expect("request types serialise");
        self.bytes_sent
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        builder
            .timeout(JSON_TIMEOUT)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(bytes)
    }

    fn sample_clock(&self, response: &Response) {
        let server = response
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| DateTime::parse_from_rfc2822(v).ok());
        if let Some(server) = server {
            let skew =
                server.with_timezone(&Utc).timestamp_millis() - Utc::now().timestamp_millis();
            *self.skew_ms.lock().unwrap_or_else(PoisonError::into_inner) = Some(skew);
        }
    }

    pub async fn enroll(&self, request: &EnrollRequest) -> Result<EnrollResponse, Failure> {
        let builder = self.json_body(self.request(Method::POST, ENROLL_PATH), request);
        let response = self.send(builder, &[]).await?;
        self.json(response).await
    }

    pub async fn enroll_resident(
        &self,
        request: &ResidentEnrollRequest,
    ) -> Result<EnrollResponse, Failure> {
        let builder = self.json_body(self.request(Method::POST, RESIDENT_ENROLL_PATH), request);
        let response = self.send(builder, &[]).await?;
        self.json(response).await
    }

    /// Pushes a batch. 409, 422 and 403 carry per-event results too and are returned as replies.
    pub async fn push(&self, request: &PushRequest) -> Result<PushResponse, Failure> {
        let builder = self.json_body(self.request(Method::POST, EVENTS_PATH), request);
        let accept = [
            StatusCode::CONFLICT,
            StatusCode::UNPROCESSABLE_ENTITY,
            StatusCode::FORBIDDEN,
        ];
        let response = self.send(builder, &accept).await?;
        let status = response.status();
        let body = response.bytes().await.map_err(Failure::network)?;
        self.bytes_received
            .fetch_add(body.len() as u64, Ordering::Relaxed);
        serde_json::from_slice(&body).map_err(|_| {
            let error: Option<ErrorBody> = serde_json::from_slice(&body).ok();
            Failure {
                class: classify(status.as_u16()),
                status: Some(status.as_u16()),
                message: error
                    .as_ref()
                    .map_or_else(|| "unreadable push reply".to_owned(), |e| e.message.clone()),
                code: error.map(|e| e.code),
                retry_after: None,
            }
        })
    }

    pub async fn blob_head(&self, sha256: &str) -> Result<BlobHead, Failure> {
        let response = self
            .send(
                self.request(Method::HEAD, &blob_path(sha256))
                    .timeout(JSON_TIMEOUT),
                &[],
            )
            .await?;
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Ok(BlobHead {
            offset: header(UPLOAD_OFFSET)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            complete: header(BLOB_COMPLETE).is_some_and(|v| v == "true"),
        })
    }

    /// Sends `path` from byte `offset` to the end; `on_bytes` hears every chunk handed to the
    /// connection. 409 (the server holds another offset) comes back as a reply to resume from.
    pub async fn blob_upload(
        &self,
        sha256: &str,
        path: &Path,
        offset: u64,
        length: u64,
        on_bytes: Arc<dyn Fn(u64) + Send + Sync>,
    ) -> Result<BlobState, Failure> {
        let mut file = tokio::fs::File::open(path)
            .await
            .map_err(|e| Failure::local(format!("evidence file {sha256} cannot be read: {e}")))?;
        file.seek(std::io::SeekFrom::Start(offset))
            .await
            .map_err(|e| Failure::local(format!("evidence file {sha256} cannot be read: {e}")))?;
        let sent = self.bytes_sent.clone();
        let stream = futures_util::stream::unfold(
            (file.take(length - offset), sent, on_bytes),
            |(mut file, sent, on_bytes)| async move {
                let mut buf = vec![0u8; CHUNK];
                match file.read(&mut buf).await {
                    Ok(0) => None,
                    Ok(n) => {
                        buf.truncate(n);
                        sent.fetch_add(n as u64, Ordering::Relaxed);
                        on_bytes(n as u64);
                        Some((Ok::<_, std::io::Error>(buf), (file, sent, on_bytes)))
                    }
                    Err(e) => Some((Err(e), (file, sent, on_bytes))),
                }
            },
        );
        let builder = self
            .request(Method::PATCH, &blob_path(sha256))
            .header(UPLOAD_OFFSET, offset)
            .header(UPLOAD_LENGTH, length)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/offset+octet-stream",
            )
            .header(reqwest::header::CONTENT_LENGTH, length - offset)
            .body(reqwest::Body::wrap_stream(stream));
        let response = self.send(builder, &[StatusCode::CONFLICT]).await?;
        self.json(response).await
    }

    /// Opens the live warning stream (Server-Sent Events); the body is read as it arrives.
    /// No whole-request timeout: the server keeps it open with comments well within
    /// `READ_TIMEOUT`.
    pub async fn warnings_stream(&self) -> Result<Response, Failure> {
        let builder = self
            .request(Method::GET, WARNINGS_STREAM_PATH)
            .header(reqwest::header::ACCEPT, "text/event-stream");
        self.send(builder, &[]).await
    }

    pub async fn changes(&self, since: u64, limit: u32) -> Result<ChangesResponse, Failure> {
        let path = format!("{CHANGES_PATH}?since={since}&limit={limit}");
        let response = self
            .send(self.request(Method::GET, &path).timeout(JSON_TIMEOUT), &[])
            .await?;
        self.json(response).await
    }
}
