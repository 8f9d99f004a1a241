//! The GridPatrol reference sync server (DESIGN.md "server-stub", docs/adr/0007-sync-protocol.md,
//! docs/adr/0008-server-stub.md): enrollment, event push with hash-chain checks, resumable
//! evidence uploads, the scoped changes feed, the hazard ledger and venue QR codes, on SQLite and
//! the file system; with test controls, fault injection, counters and a movable clock.
//!
//! Library use (tests): `let server = server_stub::spawn(Config::memory().with_test_controls()).await?;`
//! then talk HTTP to `server.base_url()`; `server.shutdown().await` when done.

pub mod auth;
pub mod clock;
pub mod config;
pub mod error;
pub mod faults;
pub mod ledger_csv;
pub mod notice_pdf;
pub mod openapi;
pub mod photo;
pub mod qr;
pub mod routes;
pub mod rules;
pub mod seed;
pub mod server;
pub mod state;
pub mod stats;
pub mod store;

pub use config::{Config, Limits, Storage};
pub use faults::{FaultAction, FaultPlan, FaultRule};
pub use routes::app;
pub use seed::DemoCode;
pub use server::{spawn, Handle, StartError};
pub use state::AppState;
pub use stats::{BlobCounts, EventCounts, RequestCounts, StatsSnapshot};
pub use store::Account;
