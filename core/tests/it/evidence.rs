//! Evidence photos: the pipeline on real files (`tests/fixtures/photos/`, made by
//! `scripts/gen-photos.py small`) and through fault-injecting filesystems; then attaching,
//! listing, verifying and garbage-collecting through the `GridPatrol` object.

mod attach;
mod faults;
mod ingest;
mod refusals;
mod support;
mod upkeep;
