//! Evidence photos: turn a camera JPEG/PNG into the content-addressed, EXIF-free, upright,
//! downscaled JPEG (plus thumbnail) that inspection events reference, record it, attach it,
//! and keep the evidence folder honest (verification, garbage collection of abandoned drafts).
//!
//! The pipeline (`normalize` and below) has no SQLite and no FFI: it returns a
//! [`NormalizedPhoto`] and the engine records it (`ops`) in one transaction with its events.
//! Decisions and measurements: `docs/adr/0009-photo-normalisation.md`.
//!
//! | module | owns |
//! | --- | --- |
//! | `ops` | `Engine::attach_photo` / `ingest_photo` / `list_evidence`: pipeline + one transaction |
//! | `upkeep` | `Engine::verify_evidence` and `collect_garbage` (abandoned drafts) |
//! | `db` | the evidence tables: lookups, this device's file rows, target checks |
//! | `normalize` | the pipeline and its result types |
//! | `source` | the one-pass read of the original: format sniffing, hashing, vanish detection |
//! | `decode` | JPEG (DCT-scaled) and PNG (row-reduced) decoding with header-first limits |
//! | `raster` | small 8-bit images, final resize, streaming box reduction |
//! | `orientation` | EXIF orientations 1–8 applied to pixels |
//! | `metadata` | capture time and GPS from the original's EXIF |
//! | `encode` | baseline JPEG output without EXIF |
//! | `store` | temp file, fsync, rename into `<sha256>.jpg` and `thumbs/<sha256>.jpg` |
//! | `fs` | the filesystem seam and the real implementation, free space |
//! | `faults` | the real filesystem with faults injected, for tests |
//! | `hash` | SHA-256 digests, streamed |
//! | `limits` | input limits, free-space margin and output spec |
//! | `error` | [`EvidenceError`] |

mod db;
mod decode;
mod encode;
mod error;
mod faults;
mod fs;
mod hash;
mod limits;
mod metadata;
mod normalize;
mod ops;
mod orientation;
mod raster;
mod source;
mod store;
mod upkeep;

pub use error::{ErrorClass, EvidenceError};
pub use faults::{FaultyFs, Vanish};
pub use fs::{DurableWrite, EvidenceFs, OsFs};
pub use hash::{hash_file_streaming, hash_reader_streaming, FileDigest, Sha256Digest};
pub use limits::{fit_within, reduction_denominator, Limits, OutputSpec};
pub use metadata::{CaptureMetadata, CaptureTime, GpsPosition};
pub use normalize::{normalize_photo, NormalizedPhoto, OriginalInfo, PhotoNormalizer, StoredImage};
pub use ops::Photos;
pub use orientation::Orientation;
pub use raster::Raster;
pub use source::SourceFormat;
pub use store::{evidence_paths, remove_evidence, sweep_staging_files, STAGING_PREFIX};
pub use upkeep::DEFAULT_GC_GRACE;
