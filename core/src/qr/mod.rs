//! Scan-to-inspect (扫码检查): the decoder (crate `gridpatrol-qr`, re-exported here) finds every
//! QR code in a camera luma plane or an image file; this module checks each payload against the
//! venue-code keys this device synced and starts the inspection.
//! Verification (`verify`) is offline: the token format lives in `gridpatrol_proto::venue_token`.

mod error;
pub mod keys;
mod ops;
pub mod verify;

pub use gridpatrol_qr::{
    load_luma_bytes, load_luma_file, Binarization, DecodeError, DecoderConfig, LumaImage,
    LumaPlane, Point, QrCode, QrDecoder, MAX_PIXELS, MAX_SIDE,
};
