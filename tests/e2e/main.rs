//! End-to-end tests across process boundaries: the `gridpatrol` CLI, a journal writer killed
//! with SIGKILL at random moments, and the phone's sync against a real server-stub on loopback.

mod cli;
mod closed_loop;
mod crash;
mod faults;
mod forgery;
mod sync;
