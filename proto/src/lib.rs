//! The GridPatrol wire contract, shared by the phone core and the sync server so that the two
//! cannot drift: canonical JSON, the event envelope and its hash chain, the event kinds, and the
//! reference data (venues, checklists) both sides exchange, the hazard lifecycle's transition
//! table, residents' reports and warnings.
//!
//! Everything here is pure (no I/O, no clock, no storage); both sides call the same functions.

pub mod canonical;
pub mod event;
pub mod events;
pub mod geo;
pub mod hazard_flow;
pub mod ledger_csv;
pub mod reference;
pub mod reports;
pub mod sync;
pub mod venue_token;
pub mod warnings;

pub use canonical::{canonical_json, CanonicalError};
pub use event::{EventEnvelope, GENESIS_HASH};
