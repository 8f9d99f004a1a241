//! Venue codes as pictures: one code as PNG or SVG, and a printable sheet per grid (A4 at
//! 150 dpi, three codes a row, the venue's name and id under each). The sheet's Chinese text
//! needs a CJK font from the system (Debian `fonts-wqy-zenhei`, or `fonts-noto-cjk`); without
//! one the sheet is refused with 503 `font_unavailable` while single codes still work.
//!
//! Everything here is blocking CPU work: call it on the blocking pool.

use std::io::Cursor;
use std::path::PathBuf;
use std::sync::OnceLock;

use ab_glyph::{Font, FontVec, PxScale, ScaleFont};
use image::{GrayImage, ImageFormat, Luma};
use qrcode::{EcLevel, QrCode};

/// Fonts tried in order when none is configured (`--font`, `GRIDPATROL_CJK_FONT`).
const FONT_CANDIDATES: &[&str] = &[
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
];

/// The environment variable naming a CJK font file.
pub const FONT_ENV: &str = "GRIDPATROL_CJK_FONT";

/// The CJK font for sheets, loaded on first use.
pub struct FontSource {
    configured: Option<PathBuf>,
    loaded: OnceLock<Option<FontVec>>,
}

impl FontSource {
    pub fn new(configured: Option<PathBuf>) -> Self {
        FontSource {
            configured,
            loaded: OnceLock::new(),
        }
    }

    /// The font, or `None` when no candidate file exists or parses.
    pub fn font(&self) -> Option<&FontVec> {
        self.loaded
            .get_or_init(|| {
                let from_env = std::env::var_os(FONT_ENV).map(PathBuf::from);
                let candidates = self
                    .configured
                    .iter()
                    .cloned()
                    .chain(from_env)
                    .chain(FONT_CANDIDATES.iter().map(PathBuf::from));
                for path in candidates {
                    if let Ok(bytes) = std::fs::read(&path) {
                        if let Ok(font) = FontVec::try_from_vec_and_index(bytes, 0) {
                            tracing::info!(font = %path.display(), "loaded the QR sheet font");
                            return Some(font);
                        }
                    }
                }
                None
            })
            .as_ref()
    }
}

/// Why a picture could not be made.
#[derive(Debug, thiserror::Error)]
pub enum QrError {
    #[error("the URL does not fit in a QR code: {0}")]
    Encode(#[from] qrcode::types::QrError),
    #[error("PNG encoding failed: {0}")]
    Png(#[from] image::ImageError),
}

fn code(url: &str) -> Result<QrCode, QrError> {
    // Level M survives a scuffed or partly covered sticker; a 160-character URL is version 8–9.
    Ok(QrCode::with_error_correction_level(url, EcLevel::M)?)
}

fn encode_png(image: &GrayImage) -> Result<Vec<u8>, QrError> {
    let mut bytes = Vec::new();
    image.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)?;
    Ok(bytes)
}

/// One code as a PNG: 8 px modules with the standard 4-module quiet zone.
pub fn png(url: &str) -> Result<Vec<u8>, QrError> {
    let image = code(url)?
        .render::<Luma<u8>>()
        .module_dimensions(8, 8)
        .build();
    encode_png(&image)
}

/// One code as an SVG document.
pub fn svg(url: &str) -> Result<String, QrError> {
    Ok(code(url)?
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(256, 256)
        .build())
}

/// One code on a sheet, with the lines printed under it.
pub struct SheetEntry {
    pub url: String,
    /// The venue's name (large).
    pub name: String,
    /// A smaller line: id and type.
    pub caption: String,
}

const PAGE_WIDTH: u32 = 1240;
const MARGIN: u32 = 60;
const COLUMNS: u32 = 3;
const CODE_SIZE: u32 = 320;
const CELL_HEIGHT: u32 = CODE_SIZE + 110;
const HEADER: u32 = 150;

/// Where entry `index` sits on a sheet: `(left, top, width, height)` in pixels. Decoders that
/// read one code at a time (tests; phones pointed at one sticker) crop to this.
pub fn sheet_cell(index: usize) -> (u32, u32, u32, u32) {
    let cell_width = (PAGE_WIDTH - 2 * MARGIN) / COLUMNS;
    let (col, row) = (index as u32 % COLUMNS, index as u32 / COLUMNS);
    (
        MARGIN + col * cell_width,
        HEADER + row * CELL_HEIGHT,
        cell_width,
        CELL_HEIGHT,
    )
}

/// A printable sheet: a title, then the codes three a row with their captions.
pub fn sheet(
    font: &FontVec,
    title: &str,
    subtitle: &str,
    entries: &[SheetEntry],
) -> Result<Vec<u8>, QrError> {
    let rows = (entries.len() as u32).div_ceil(COLUMNS).max(1);
    let height = HEADER + rows * CELL_HEIGHT + MARGIN;
    let mut page = GrayImage::from_pixel(PAGE_WIDTH, height, Luma([255]));
    let inner = (PAGE_WIDTH - 2 * MARGIN) as f32;
    let centre = PAGE_WIDTH as f32 / 2.0;
    draw_text(&mut page, font, 40.0, title, centre, MARGIN as f32, inner);
    draw_text(
        &mut page,
        font,
        24.0,
        subtitle,
        centre,
        MARGIN as f32 + 52.0,
        inner,
    );
    for (i, entry) in entries.iter().enumerate() {
        let (left, top, cell_width, _) = sheet_cell(i);
        let image = code(&entry.url)?
            .render::<Luma<u8>>()
            .max_dimensions(CODE_SIZE, CODE_SIZE)
            .build();
        let x = left + (cell_width - image.width()) / 2;
        image::imageops::replace(&mut page, &image, x.into(), top.into());
        let cx = (left + cell_width / 2) as f32;
        let text_top = (top + image.height() + 6) as f32;
        let width = cell_width as f32 - 16.0;
        draw_text(&mut page, font, 30.0, &entry.name, cx, text_top, width);
        draw_text(
            &mut page,
            font,
            22.0,
            &entry.caption,
            cx,
            text_top + 40.0,
            width,
        );
    }
    encode_png(&page)
}

/// Draws one line centred on `centre_x`, its top at `top`, shortened with "…" to fit `max_width`.
fn draw_text(
    page: &mut GrayImage,
    font: &FontVec,
    px: f32,
    text: &str,
    centre_x: f32,
    top: f32,
    max_width: f32,
) {
    let scale = PxScale::from(px);
    let scaled = font.as_scaled(scale);
    let width = |s: &str| -> f32 {
        s.chars()
            .map(|c| scaled.h_advance(scaled.glyph_id(c)))
            .sum()
    };
    let mut line = text.to_owned();
    if width(&line) > max_width {
        while !line.is_empty() && width(&format!("{line}…")) > max_width {
            line.pop();
        }
        line.push('…');
    }
    let mut x = centre_x - width(&line) / 2.0;
    let baseline = top + scaled.ascent();
    for c in line.chars() {
        let id = scaled.glyph_id(c);
        let glyph = id.with_scale_and_position(scale, ab_glyph::point(x, baseline));
        x += scaled.h_advance(id);
        let Some(outline) = font.outline_glyph(glyph) else {
            continue;
        };
        let bounds = outline.px_bounds();
        outline.draw(|gx, gy, coverage| {
            let px = bounds.min.x as i64 + i64::from(gx);
            let py = bounds.min.y as i64 + i64::from(gy);
            if px < 0 || py < 0 || px >= page.width() as i64 || py >= page.height() as i64 {
                return;
            }
            let pixel = page.get_pixel_mut(px as u32, py as u32);
            let ink = (255.0 * (1.0 - coverage.clamp(0.0, 1.0))) as u8;
            pixel.0[0] = pixel.0[0].min(ink);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_png_code_decodes_to_its_url() {
        let url = "http://127.0.0.1:8700/q/AQAAAAFpZ3ZhCUNZLUpTLTAwMQ";
        let png = png(url).unwrap();
        let image = image::load_from_memory(&png).unwrap().to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare(image);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        assert_eq!(grids[0].decode().unwrap().1, url);
    }

    #[test]
    fn an_svg_code_is_an_svg_document() {
        let svg = svg("http://x/q/abc").unwrap();
        assert!(svg.contains("<svg"), "{svg}");
    }
}
