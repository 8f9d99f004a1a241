//! The one public error type and its single mapping from the internal `Error`. Variants are
//! chosen by what the app does with them, not by where they came from.

use crate::error::Error;
use crate::evidence::ErrorClass;

/// Why a GridPatrol call failed. `reason` is a human-readable sentence (no personal data).
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum GridPatrolError {
    /// The input cannot be accepted; show the reason next to the field or item it names.
    #[error("{reason}")]
    InvalidInput { reason: String },
    /// The venue, inspection or item does not exist on this device.
    #[error("{reason}")]
    NotFound { reason: String },
    /// The request clashes with the current state (e.g. the inspection is already finished).
    #[error("{reason}")]
    Conflict { reason: String },
    /// The device's storage failed or is unusable (full disk, newer schema, closed).
    #[error("{reason}")]
    Storage { reason: String },
    /// The server could not be reached or is failing; try again later.
    #[error("{reason}")]
    Network { reason: String },
    /// The server refused the request; the reason says why (e.g. an unknown enrollment code).
    #[error("{reason}")]
    Rejected { reason: String },
}

impl From<Error> for GridPatrolError {
    fn from(err: Error) -> Self {
        let reason = err.to_string();
        match err {
            Error::InvalidInput(_) | Error::Json(_) => GridPatrolError::InvalidInput { reason },
            Error::NotFound(_) => GridPatrolError::NotFound { reason },
            Error::Conflict(_) => GridPatrolError::Conflict { reason },
            Error::Network(_) => GridPatrolError::Network { reason },
            Error::Rejected(_) => GridPatrolError::Rejected { reason },
            Error::Evidence(e) => match e.class() {
                ErrorClass::InvalidInput => GridPatrolError::InvalidInput { reason },
                ErrorClass::NotFound => GridPatrolError::NotFound { reason },
                ErrorClass::Storage => GridPatrolError::Storage { reason },
            },
            Error::SchemaTooNew { .. }
            | Error::Storage(_)
            | Error::Closed
            | Error::Sqlite(_)
            | Error::Io(_)
            | Error::Canonical(_) => GridPatrolError::Storage { reason },
        }
    }
}
