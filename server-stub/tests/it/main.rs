//! Integration tests of the server over real HTTP on 127.0.0.1:0 (no mocks): enrollment, push,
//! resumable blobs, the changes feed and scope, QR codes, the error shape, test controls and
//! restarts; the closed loop — hazard lifecycle and refusals, deadlines on a moved clock, the
//! ledger, notices, residents' reports and privacy, the web form, warnings. `support` holds the client side: devices that build hash-chained events with the
//! proto types.

mod blobs;
mod changes;
mod controls;
mod deadlines;
mod enroll;
mod ledger;
mod lifecycle;
mod notice;
mod push;
mod qr;
mod refusals;
mod reports;
mod support;
mod warnings;
mod web;
