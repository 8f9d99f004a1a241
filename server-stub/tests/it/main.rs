//! Integration tests of the server over real HTTP on 127.0.0.1:0 (no mocks): enrollment, push,
//! resumable blobs, the changes feed and scope, QR codes, the error shape, test controls and
//! restarts. `support` holds the client side: devices that build hash-chained events with the
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
mod reports;
mod support;
mod warnings;
mod web;
