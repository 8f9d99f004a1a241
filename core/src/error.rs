//! The core's internal error type. Domain code returns it; `api::error` maps it, in one place,
//! onto the public `GridPatrolError` the apps see.
//!
//! Messages name items, venues and ids, never people, phone numbers or coordinates.

/// Anything that can go wrong inside the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The caller asked for something that cannot be done with this input.
    #[error("{0}")]
    InvalidInput(String),
    /// The named thing does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The request is valid but clashes with the current state (e.g. answering a finished inspection).
    #[error("{0}")]
    Conflict(String),
    /// The database was written by a newer app version; opening it would risk the data.
    #[error("the database has schema version {found}, newer than this app knows ({known}); update the app")]
    SchemaTooNew { found: u32, known: u32 },
    /// The server could not be reached, or failed in a way worth retrying later.
    #[error("{0}")]
    Network(String),
    /// The server refused the request (a bad enrollment code, a malformed request).
    #[error("{0}")]
    Rejected(String),
    /// The object was closed by the app.
    /// The device's storage (or the app's credential store) failed in a way the user must see.
    #[error("{0}")]
    Storage(String),
    #[error("GridPatrol has been closed")]
    Closed,
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
    #[error("canonical JSON error: {0}")]
    Canonical(#[from] gridpatrol_proto::CanonicalError),
    /// A photo was refused or could not be stored; the message names the cause.
    #[error(transparent)]
    Evidence(#[from] crate::evidence::EvidenceError),
}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
