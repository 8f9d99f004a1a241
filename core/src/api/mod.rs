//! The uniffi surface, and the only module that uses uniffi: the `GridPatrol` object (its
//! evidence and sync methods in their own files), the records the screens read, the public
//! error and the listener.

mod closed_loop;
mod credentials;
mod error;
mod evidence;
mod gridpatrol;
mod listener;
pub mod loop_records;
pub mod records;
pub mod report_records;
mod reports;
mod scan;
pub mod scan_records;
mod sync;

pub use credentials::CredentialStore;
pub use error::GridPatrolError;
pub use gridpatrol::GridPatrol;
pub use listener::GridPatrolListener;
