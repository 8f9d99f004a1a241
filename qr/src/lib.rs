//! Finding every QR code in a camera luma plane (rows padded, as phones deliver them) or an
//! image file (JPEG, PNG).
//!
//! The decoder was chosen and tuned by measurement on a labelled corpus
//! (`tools/qr-corpus/`, `core/benches/qr.rs`, docs/adr/0011-qr-decoder.md): rxing's port of
//! zxing-cpp's QR reader with our own binarisation and finder search around it. It never returns
//! a payload that failed Reed-Solomon decoding, and finds light-on-dark codes too.
//!
//! It is a crate of its own, not a module of the core, so that the phone library's size-tuned
//! profile can still build this hot pixel loop for speed (ADR 0005, ADR 0011). What a payload
//! means (venue tokens, keys, inspections) stays in the core's `qr` module.

mod binarize;
mod decode;
mod error;
mod file;
mod finder;
mod luma;
mod reader;
mod resample;

pub use decode::{Binarization, DecoderConfig, Point, QrCode, QrDecoder};
pub use error::DecodeError;
pub use file::{load_luma_bytes, load_luma_file};
pub use luma::{LumaImage, LumaPlane, MAX_PIXELS, MAX_SIDE};
