//! The rectification notice (整改通知书) as PDF: venue, responsible person, each hazard with its
//! deadline and evidence photos (embedded as they are: JPEG through DCTDecode) with their
//! SHA-256, the inspector, the issue date. Written with `pdf-writer` (typst's low-level PDF
//! writer); the Chinese text uses a TrueType CJK font from the system, subset with
//! `subsetter` to the glyphs used and embedded as a CID font (Identity-H) with a ToUnicode map,
//! so the text can be searched and extracted (`pdftotext`). See docs/adr/0013 for why these
//! crates and which font.
//!
//! Blocking CPU work: call it on the blocking pool.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
use subsetter::GlyphRemapper;

use crate::photo::jpeg_info;
use crate::rules::parse_time;
use crate::store::{GridInfo, NoticeData};
use gridpatrol_proto::ledger_csv::{grade_label, status_label};

/// Fonts tried in order. Only TrueType outlines (which the CID embedding here writes) with both
/// CJK and Latin glyphs qualify: Debian's `fonts-wqy-zenhei` (face 0 of its collection, the
/// font the QR sheet uses too) or `fonts-wqy-microhei`. `fonts-droid-fallback` has no Latin
/// letters or digits (ids, dates and hashes would print as blanks) and Noto CJK is CFF.
pub const PDF_FONT_CANDIDATES: &[(&str, u32)] = &[
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
];

/// The notice font's bytes, loaded on first use.
pub struct PdfFont {
    configured: Option<PathBuf>,
    loaded: OnceLock<Option<(Vec<u8>, u32)>>,
}

impl PdfFont {
    pub fn new(configured: Option<PathBuf>) -> Self {
        PdfFont {
            configured,
            loaded: OnceLock::new(),
        }
    }

    /// The font file and face index, or `None` when no candidate has TrueType CJK outlines.
    pub fn get(&self) -> Option<(&[u8], u32)> {
        self.loaded
            .get_or_init(|| {
                let configured = self.configured.iter().map(|p| (p.clone(), 0));
                let known = PDF_FONT_CANDIDATES
                    .iter()
                    .map(|(p, i)| (PathBuf::from(p), *i));
                for (path, index) in configured.chain(known) {
                    let Ok(bytes) = std::fs::read(&path) else {
                        continue;
                    };
                    let usable = ttf_parser::Face::parse(&bytes, index).is_ok_and(|face| {
                        face.tables().glyf.is_some()
                            && "整改A0:".chars().all(|c| face.glyph_index(c).is_some())
                    });
                    if usable {
                        tracing::info!(font = %path.display(), "loaded the notice font");
                        return Some((bytes, index));
                    }
                }
                None
            })
            .as_ref()
            .map(|(bytes, index)| (bytes.as_slice(), *index))
    }
}

/// A photo for the notice: its SHA-256 and, if the server holds it, its bytes.
pub struct NoticePhoto {
    pub sha256: String,
    pub bytes: Option<Vec<u8>>,
}

#[derive(Debug, thiserror::Error)]
pub enum NoticeError {
    #[error("the font cannot be read: {0}")]
    Font(String),
}

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const PHOTO_W: f32 = 220.0;
const PHOTO_H: f32 = 165.0;

/// An embedded photo: its object, JPEG bytes, and (width, height, colour components).
type Embedded = (Ref, Vec<u8>, (u32, u32, u8));

/// Lays text and pictures out top to bottom, page after page.
struct Layout<'f> {
    face: ttf_parser::Face<'f>,
    remapper: GlyphRemapper,
    /// New glyph id → (advance in 1/1000 em, the character it shows).
    glyphs: BTreeMap<u16, (f32, char)>,
    pages: Vec<Content>,
    images: Vec<Embedded>,
    /// Per page: the images placed on it (name index into `images`).
    page_images: Vec<Vec<usize>>,
    y: f32,
    next_ref: i32,
}

impl<'f> Layout<'f> {
    fn new(face: ttf_parser::Face<'f>) -> Self {
        let mut layout = Layout {
            face,
            remapper: GlyphRemapper::new(),
            glyphs: BTreeMap::new(),
            pages: Vec::new(),
            images: Vec::new(),
            page_images: Vec::new(),
            y: 0.0,
            // 1–7 are the catalog, the page tree and the font's objects.
            next_ref: 8,
        };
        layout.new_page();
        layout
    }

    fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.page_images.push(Vec::new());
        self.y = PAGE_H - MARGIN;
    }

    fn ensure(&mut self, height: f32) {
        if self.y - height < MARGIN {
            self.new_page();
        }
    }

    /// The text as Identity-H codes (the remapped glyph ids) and its width at `size`.
    fn encode(&mut self, text: &str, size: f32) -> (Vec<u8>, f32) {
        let em = f32::from(self.face.units_per_em());
        let mut codes = Vec::with_capacity(text.len() * 2);
        let mut width = 0.0;
        for c in text.chars() {
            let gid = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
            let advance = self.face.glyph_hor_advance(gid).map_or(em, f32::from);
            let new = self.remapper.remap(gid.0);
            self.glyphs.entry(new).or_insert((advance * 1000.0 / em, c));
            codes.extend_from_slice(&new.to_be_bytes());
            width += advance / em * size;
        }
        (codes, width)
    }

    fn text_width(&self, text: &str, size: f32) -> f32 {
        let em = f32::from(self.face.units_per_em());
        text.chars()
            .map(|c| {
                let gid = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                self.face.glyph_hor_advance(gid).map_or(em, f32::from) / em * size
            })
            .sum()
    }

    fn show(&mut self, text: &str, size: f32, x: f32) {
        let (codes, _) = self.encode(text, size);
        let y = self.y;
        let page = self.pages.last_mut().expect("a page");
        page.begin_text();
        page.set_font(Name(b"F1"), size);
        page.next_line(x, y);
        page.show(Str(&codes));
        page.end_text();
    }

    /// One paragraph, wrapped at the right margin (CJK text breaks anywhere).
    fn paragraph(&mut self, text: &str, size: f32, indent: f32) {
        let width = PAGE_W - MARGIN - (MARGIN + indent);
        let mut line = String::new();
        let mut lines = Vec::new();
        for c in text.chars() {
            line.push(c);
            if self.text_width(&line, size) > width {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
        lines.push(line);
        for line in lines {
            self.ensure(size * 1.6);
            self.y -= size * 1.6;
            self.show(&line, size, MARGIN + indent);
        }
    }

    fn centred(&mut self, text: &str, size: f32) {
        self.ensure(size * 2.0);
        self.y -= size * 2.0;
        let width = self.text_width(text, size);
        self.show(text, size, (PAGE_W - width) / 2.0);
    }

    fn gap(&mut self, points: f32) {
        self.y -= points;
    }

    /// A photo scaled into the photo box, with its SHA-256 under it.
    fn photo(&mut self, photo: &NoticePhoto, indent: f32) {
        let info = photo.bytes.as_deref().and_then(jpeg_info);
        match (&photo.bytes, info) {
            (Some(bytes), Some(info)) => {
                let (w, h) = (info.0 as f32, info.1 as f32);
                let scale = (PHOTO_W / w).min(PHOTO_H / h);
                let (dw, dh) = (w * scale, h * scale);
                self.ensure(dh + 30.0);
                self.y -= dh + 4.0;
                let id = Ref::new(self.next_ref);
                self.next_ref += 1;
                self.images.push((id, bytes.clone(), info));
                let index = self.images.len() - 1;
                self.page_images.last_mut().expect("a page").push(index);
                let name = format!("Im{index}");
                let (x, y) = (MARGIN + indent, self.y);
                let page = self.pages.last_mut().expect("a page");
                page.save_state();
                page.transform([dw, 0.0, 0.0, dh, x, y]);
                page.x_object(Name(name.as_bytes()));
                page.restore_state();
            }
            (Some(_), None) => self.paragraph("（照片不是 JPEG，未嵌入）", 9.0, indent),
            (None, _) => self.paragraph("（照片尚未上传到服务器）", 9.0, indent),
        }
        self.paragraph(&format!("SHA-256: {}", photo.sha256), 8.0, indent);
    }
}

fn local_date(data: &NoticeData, text: &str) -> String {
    parse_time(text).map_or_else(|| text.to_owned(), |t| data.rules.local_date(t))
}

/// The notice as PDF bytes. `photos` holds each item's photos in the items' order.
pub fn render(
    font: (&[u8], u32),
    place: &GridInfo,
    data: &NoticeData,
    photos: &[Vec<NoticePhoto>],
    issued: DateTime<Utc>,
) -> Result<Vec<u8>, NoticeError> {
    let face =
        ttf_parser::Face::parse(font.0, font.1).map_err(|e| NoticeError::Font(e.to_string()))?;
    let mut l = Layout::new(face);
    let venue = &data.venue;
    l.centred("安全隐患整改通知书", 20.0);
    l.paragraph(&format!("编号：{}", data.subject_id), 9.0, 0.0);
    l.gap(6.0);
    l.paragraph(&format!("被检查单位：{}", venue.name), 12.0, 0.0);
    l.paragraph(&format!("地址：{}", venue.address), 11.0, 0.0);
    l.paragraph(
        &format!(
            "负责人：{}",
            venue.responsible_name.as_deref().unwrap_or("（未登记）")
        ),
        11.0,
        0.0,
    );
    l.paragraph(
        &format!(
            "所属网格：{} {} {} {}",
            place.district, place.street, place.community, place.grid
        ),
        11.0,
        0.0,
    );
    l.gap(8.0);
    l.paragraph(
        &format!(
            "经检查，你单位存在下列 {} 项安全隐患，请于整改期限前完成整改，并接受复查。",
            data.items.len()
        ),
        11.0,
        0.0,
    );
    for (n, item) in data.items.iter().enumerate() {
        let h = &item.hazard;
        l.gap(6.0);
        l.paragraph(&format!("{}. {}", n + 1, item.title), 12.0, 0.0);
        l.paragraph(
            &format!(
                "等级：{}    状态：{}",
                grade_label(h.grade).0,
                status_label(h.status).0
            ),
            10.0,
            14.0,
        );
        if let Some(note) = &h.note {
            l.paragraph(&format!("情况说明：{note}"), 10.0, 14.0);
        }
        let deadline = item.fix_deadline.as_deref().map_or_else(
            || "待定（以交办通知为准）".to_owned(),
            |d| local_date(data, d),
        );
        l.paragraph(&format!("整改期限：{deadline}"), 10.0, 14.0);
        l.paragraph(&format!("隐患编号：{}", h.hazard_id), 8.0, 14.0);
        let item_photos = photos.get(n).map(Vec::as_slice).unwrap_or_default();
        if !item_photos.is_empty() {
            l.paragraph(
                &format!("现场照片（{} 张）：", item_photos.len()),
                10.0,
                14.0,
            );
        }
        for photo in item_photos {
            l.photo(photo, 14.0);
        }
    }
    l.gap(12.0);
    l.paragraph(
        &format!("检查人：{}", data.inspectors.join("、")),
        11.0,
        0.0,
    );
    l.paragraph(
        &format!("签发日期：{}", data.rules.local_date(issued)),
        11.0,
        0.0,
    );
    l.paragraph(
        &format!("签发单位：{}{}", place.district, place.street),
        11.0,
        0.0,
    );
    l.gap(10.0);
    l.paragraph(
        "被检查单位签收：____________    日期：____________",
        11.0,
        0.0,
    );
    Ok(write(l, font))
}

/// zlib-compressed (the PDF FlateDecode filter).
fn deflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(bytes, 6)
}

fn write(l: Layout<'_>, font: (&[u8], u32)) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let pages_id = Ref::new(2);
    let type0 = Ref::new(3);
    let cid = Ref::new(4);
    let descriptor = Ref::new(5);
    let font_file = Ref::new(6);
    let cmap_id = Ref::new(7);
    // Pages come after the images (numbered while laying out): object numbers stay dense,
    // and so does the cross-reference table.
    let first_page = l.next_ref;
    let page_count = l.pages.len() as i32;
    let page_ids: Vec<Ref> = (0..page_count)
        .map(|i| Ref::new(first_page + 2 * i))
        .collect();
    pdf.catalog(catalog).pages(pages_id);
    pdf.pages(pages_id)
        .kids(page_ids.iter().copied())
        .count(page_count);
    for (i, content) in l.pages.into_iter().enumerate() {
        let page_id = page_ids[i];
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(page_id);
        page.parent(pages_id)
            .media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .contents(content_id);
        let mut resources = page.resources();
        resources.fonts().pair(Name(b"F1"), type0);
        let mut x_objects = resources.x_objects();
        for index in &l.page_images[i] {
            let name = format!("Im{index}");
            x_objects.pair(Name(name.as_bytes()), l.images[*index].0);
        }
        x_objects.finish();
        resources.finish();
        page.finish();
        pdf.stream(content_id, &deflate(&content.finish()))
            .filter(Filter::FlateDecode);
    }
    for (id, bytes, (w, h, components)) in &l.images {
        let mut image = pdf.image_xobject(*id, bytes);
        image.filter(Filter::DctDecode);
        image
            .width(*w as i32)
            .height(*h as i32)
            .bits_per_component(8);
        match components {
            1 => image.color_space().device_gray(),
            4 => image.color_space().device_cmyk(),
            _ => image.color_space().device_rgb(),
        }
    }
    let base = Name(b"GPNTCE+CJK");
    let system = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    pdf.type0_font(type0)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap_id);
    let mut cid_font = pdf.cid_font(cid);
    cid_font
        .subtype(CidFontType::Type2)
        .base_font(base)
        .system_info(system)
        .font_descriptor(descriptor)
        .default_width(1000.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    let mut widths = cid_font.widths();
    for (gid, (width, _)) in &l.glyphs {
        widths.consecutive(*gid, [*width]);
    }
    widths.finish();
    cid_font.finish();
    let em = f32::from(l.face.units_per_em());
    let scale = |v: i16| f32::from(v) * 1000.0 / em;
    let bbox = l.face.global_bounding_box();
    pdf.font_descriptor(descriptor)
        .name(base)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            scale(bbox.x_min),
            scale(bbox.y_min),
            scale(bbox.x_max),
            scale(bbox.y_max),
        ))
        .italic_angle(0.0)
        .ascent(scale(l.face.ascender()))
        .descent(scale(l.face.descender()))
        .cap_height(scale(l.face.capital_height().unwrap_or(l.face.ascender())))
        .stem_v(80.0)
        .font_file2(font_file);
    let subset = subsetter::subset(font.0, font.1, &l.remapper).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "font subsetting failed; embedding the whole font");
        font.0.to_vec()
    });
    pdf.stream(font_file, &deflate(&subset))
        .filter(Filter::FlateDecode);
    let mut cmap = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), system);
    for (gid, (_, c)) in &l.glyphs {
        cmap.pair(*gid, *c);
    }
    pdf.cmap(cmap_id, &cmap.finish());
    pdf.finish()
}
