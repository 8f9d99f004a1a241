//! The uniffi surface, and the only module that uses uniffi: the `GridPatrol` object (its
//! evidence and sync methods in their own files), the records the screens read, the public
//! error and the listener.

mod error;
mod evidence;
mod gridpatrol;
mod listener;
pub mod records;
mod scan;
pub mod scan_records;
mod sync;

pub use error::GridPatrolError;
pub use gridpatrol::GridPatrol;
pub use listener::GridPatrolListener;
