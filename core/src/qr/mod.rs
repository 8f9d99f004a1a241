//! Scan-to-inspect (扫码检查): finding every QR code in a camera luma plane (rows padded, as
//! phones deliver them) or an image file, and checking each payload against the venue-code keys
//! this device synced.
//!
//! The decoder was chosen and tuned by measurement on a labelled corpus
//! (`tools/qr-corpus/`, `core/benches/qr.rs`, docs/adr/0011-qr-decoder.md): rxing's port of
//! zxing-cpp's QR reader with our own binarisation and finder search around it. It never returns
//! a payload that failed Reed-Solomon decoding, and finds light-on-dark codes too.
//! Verification (`verify`) is offline: the token format lives in `gridpatrol_proto::venue_token`.

mod binarize;
mod decode;
mod error;
mod file;
mod finder;
pub mod keys;
mod luma;
mod ops;
mod reader;
mod resample;
pub mod verify;

pub use decode::{Binarization, DecoderConfig, Point, QrCode, QrDecoder};
pub use error::DecodeError;
pub use file::{load_luma_bytes, load_luma_file};
pub use luma::{LumaImage, LumaPlane, MAX_PIXELS, MAX_SIDE};
