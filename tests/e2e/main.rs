//! End-to-end tests across process boundaries: the `gridpatrol` CLI, and a journal writer
//! killed with SIGKILL at random moments.

mod cli;
mod crash;
