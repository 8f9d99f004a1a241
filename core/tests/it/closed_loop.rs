//! The closed loop on the phone, against the core alone: hazard transitions checked offline,
//! the pending state, refusals and conflicts as the server answered them, the offline ledger,
//! residents' reports and warnings. Data the server would send (the ledger, reports of the
//! grid, warnings) and its answers to pushes are written into the database as sync writes them.

mod ledger;
mod lifecycle;
mod reports;
mod support;
mod warnings;
