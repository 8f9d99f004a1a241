//! What the original's EXIF tells about the capture: orientation, time and place.
//!
//! Read from the original only; the stored evidence copy carries no EXIF at all (device make,
//! model, serials and GPS stay out of the file that is uploaded and shown). Broken or absent
//! EXIF is not an error: the photo is still evidence, the fields are just unknown.

use exif::{DateTime, Exif, In, Reader, Tag, Value};

use crate::evidence::orientation::Orientation;

/// When the shutter was pressed, as the camera recorded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaptureTime {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    /// From SubSecTimeOriginal, when present.
    pub nanosecond: Option<u32>,
    /// From OffsetTimeOriginal (minutes east of UTC); without it the time is local and its
    /// zone unknown.
    pub utc_offset_minutes: Option<i16>,
}

impl CaptureTime {
    /// RFC 3339 text; without an offset this is a local date-time (no `Z`, no offset).
    pub fn to_rfc3339(&self) -> String {
        let mut s = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        );
        if let Some(ns) = self.nanosecond.filter(|&ns| ns > 0) {
            s.push_str(&format!(".{:03}", ns / 1_000_000));
        }
        if let Some(offset) = self.utc_offset_minutes {
            let sign = if offset < 0 { '-' } else { '+' };
            let abs = offset.unsigned_abs();
            s.push_str(&format!("{sign}{:02}:{:02}", abs / 60, abs % 60));
        }
        s
    }
}

/// Where the camera was, per its GPS.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GpsPosition {
    /// Decimal degrees, north positive.
    pub latitude: f64,
    /// Decimal degrees, east positive.
    pub longitude: f64,
    /// Metres above sea level (negative below), when recorded.
    pub altitude_m: Option<f64>,
}

/// The capture facts read from a photo's EXIF.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CaptureMetadata {
    pub orientation: Orientation,
    pub capture_time: Option<CaptureTime>,
    pub gps: Option<GpsPosition>,
}

impl CaptureMetadata {
    /// Parses a raw EXIF (TIFF) block, as found in a JPEG APP1 after `Exif\0\0` or a PNG `eXIf`.
    pub fn from_exif_tiff(tiff: &[u8]) -> Self {
        match Reader::new().read_raw(tiff.to_vec()) {
            Ok(exif) => Self {
                orientation: orientation(&exif),
                capture_time: capture_time(&exif),
                gps: gps(&exif),
            },
            Err(_) => Self::default(),
        }
    }
}

fn orientation(exif: &Exif) -> Orientation {
    exif.get_field(Tag::Orientation, In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .map_or(Orientation::Normal, Orientation::from_exif)
}

fn ascii(exif: &Exif, tag: Tag) -> Option<&[u8]> {
    match &exif.get_field(tag, In::PRIMARY)?.value {
        Value::Ascii(parts) => parts.first().map(Vec::as_slice),
        _ => None,
    }
}

fn capture_time(exif: &Exif) -> Option<CaptureTime> {
    let mut dt = DateTime::from_ascii(ascii(exif, Tag::DateTimeOriginal)?).ok()?;
    if let Some(subsec) = ascii(exif, Tag::SubSecTimeOriginal) {
        // Ignore a malformed sub-second field rather than losing the whole time.
        let _ = dt.parse_subsec(subsec);
    }
    if let Some(offset) = ascii(exif, Tag::OffsetTimeOriginal) {
        let _ = dt.parse_offset(offset);
    }
    let valid = (1..=12).contains(&dt.month)
        && (1..=31).contains(&dt.day)
        && dt.hour < 24
        && dt.minute < 60
        && dt.second <= 60
        && dt.offset.is_none_or(|o| o.abs() <= 18 * 60);
    valid.then_some(CaptureTime {
        year: dt.year,
        month: dt.month,
        day: dt.day,
        hour: dt.hour,
        minute: dt.minute,
        second: dt.second,
        nanosecond: dt.nanosecond,
        utc_offset_minutes: dt.offset,
    })
}

/// Degrees-minutes-seconds rationals to signed decimal degrees.
fn coordinate(exif: &Exif, value_tag: Tag, ref_tag: Tag, negative_ref: u8) -> Option<f64> {
    let Value::Rational(dms) = &exif.get_field(value_tag, In::PRIMARY)?.value else {
        return None;
    };
    let part = |i: usize| {
        dms.get(i)
            .filter(|r| r.denom != 0)
            .map_or(0.0, |r| r.to_f64())
    };
    if dms.first().is_none_or(|r| r.denom == 0) {
        return None;
    }
    let degrees = part(0) + part(1) / 60.0 + part(2) / 3600.0;
    let negative = ascii(exif, ref_tag)
        .and_then(|r| r.first())
        .is_some_and(|&c| c.eq_ignore_ascii_case(&negative_ref));
    Some(if negative { -degrees } else { degrees })
}

fn gps(exif: &Exif) -> Option<GpsPosition> {
    let latitude = coordinate(exif, Tag::GPSLatitude, Tag::GPSLatitudeRef, b'S')?;
    let longitude = coordinate(exif, Tag::GPSLongitude, Tag::GPSLongitudeRef, b'W')?;
    if !(-90.0..=90.0).contains(&latitude) || !(-180.0..=180.0).contains(&longitude) {
        return None;
    }
    let altitude_m = exif
        .get_field(Tag::GPSAltitude, In::PRIMARY)
        .and_then(|f| match &f.value {
            Value::Rational(v) => v.first().filter(|r| r.denom != 0).map(|r| r.to_f64()),
            _ => None,
        });
    let below_sea_level = exif
        .get_field(Tag::GPSAltitudeRef, In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        == Some(1);
    Some(GpsPosition {
        latitude,
        longitude,
        altitude_m: altitude_m.map(|a| if below_sea_level { -a } else { a }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_with_and_without_offset() {
        let mut t = CaptureTime {
            year: 2024,
            month: 5,
            day: 17,
            hour: 9,
            minute: 41,
            second: 27,
            nanosecond: Some(250_000_000),
            utc_offset_minutes: Some(8 * 60),
        };
        assert_eq!(t.to_rfc3339(), "2024-05-17T09:41:27.250+08:00");
        t.utc_offset_minutes = Some(-330);
        t.nanosecond = None;
        assert_eq!(t.to_rfc3339(), "2024-05-17T09:41:27-05:30");
        t.utc_offset_minutes = None;
        assert_eq!(t.to_rfc3339(), "2024-05-17T09:41:27");
    }

    #[test]
    fn garbage_exif_gives_defaults() {
        let meta = CaptureMetadata::from_exif_tiff(b"not a tiff header at all");
        assert_eq!(meta, CaptureMetadata::default());
    }
}
