//! GridPatrol's core: everything a grid worker's phone does, offline first.
//!
//! The apps hold one [`api::GridPatrol`] object for their lifetime. Under it, every user
//! action becomes an event in a hash-chained journal ([`journal`]) written in the same SQLite
//! transaction ([`store`]) as the tables the screens read ([`domain`]) and the upload queue
//! ([`outbox`]). Only [`api`] knows about uniffi.

uniffi::setup_scaffolding!();

#[cfg(target_os = "android")]
mod android_tls;
pub mod api;
mod clock;
mod closed_loop;
pub mod domain;
mod engine;
pub mod error;
pub mod evidence;
pub mod journal;
mod notify;
pub mod outbox;
pub mod qr;
pub mod store;
pub mod sync;

pub use api::{GridPatrol, GridPatrolError, GridPatrolListener};
pub use gridpatrol_proto::geo;
