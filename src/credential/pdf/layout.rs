//! Places the certificate's text and shapes on A4 pages.
//!
//! The cursor runs down from the top of the page in points; items are stored in PDF space
//! (origin bottom left). Page one carries the heading, the unit table flows onto further
//! pages with its header repeated, and the closing block (dates, names, number, QR code,
//! verification URL) is never split.

use qrcode::{Color, EcLevel, QrCode};
use unicode_normalization::UnicodeNormalization;

use super::fonts::{Face, Metrics};
use super::labels::{self, Labels};
use super::{CertificateDocument, CertificateKind, PdfError};

/// A4 in points.
pub(super) const PAGE_W: f32 = 595.28;
pub(super) const PAGE_H: f32 = 841.89;
pub(super) const MARGIN: f32 = 56.0;
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
/// The cursor may not pass this line: below it is the footer.
pub(super) const BOTTOM: f32 = PAGE_H - 88.0;
const QR_SIZE: f32 = 104.0;
/// Width of the labels column of the closing block; the values start after it (the
/// comparison reads them there).
pub(super) const CLOSING_LABEL_W: f32 = 122.0;
const PAD: f32 = 6.0;
/// Column widths of code, level and credits; the unit title takes the rest.
const COL_CODE: f32 = 74.0;
const COL_LEVEL: f32 = 72.0;
const COL_CREDITS: f32 = 84.0;

/// A colour, as RGB in 0..=1.
pub(super) type Rgb = [f32; 3];
const INK: Rgb = [0.12, 0.14, 0.16];
const MUTED: Rgb = [0.36, 0.40, 0.43];
const ACCENT: Rgb = [0.05, 0.31, 0.36];
const TINT: Rgb = [0.91, 0.945, 0.95];
const RULE: Rgb = [0.80, 0.84, 0.85];

/// Something drawn on a page, in PDF coordinates.
pub(super) enum Item {
    /// One line of text; `y` is the baseline.
    Text { face: Face, size: f32, color: Rgb, x: f32, y: f32, text: String },
    /// Filled rectangles `[x, y, width, height]`, `y` at their bottom edge.
    Fill { color: Rgb, rects: Vec<[f32; 4]> },
    /// A straight line.
    Line { color: Rgb, width: f32, from: [f32; 2], to: [f32; 2] },
}

/// One page's items.
pub(super) type Page = Vec<Item>;

/// NFC, and control characters (newlines from a form field) as spaces.
fn clean(s: &str) -> String {
    s.nfc().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

#[derive(Clone, Copy)]
enum Align {
    Left,
    Center,
    Right,
}

struct Layout<'a> {
    m: &'a Metrics,
    pages: Vec<Page>,
    /// Distance of the cursor from the top of the page.
    y: f32,
}

impl Layout<'_> {
    fn page(&mut self) -> &mut Page {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// One line of text in a box `lh` high whose top is `top`, aligned within `[x, x + w]`.
    #[expect(clippy::too_many_arguments, reason = "a text run has this many properties")]
    fn line(
        &mut self,
        face: Face,
        size: f32,
        color: Rgb,
        x: f32,
        w: f32,
        top: f32,
        lh: f32,
        align: Align,
        text: String,
    ) {
        let width = self.m.width(face, size, &text);
        let x = match align {
            Align::Left => x,
            Align::Center => x + (w - width) / 2.0,
            Align::Right => x + w - width,
        };
        // Centres the capital height (about 0.73 em) in the line box.
        let baseline = top + (lh + 0.73 * size) / 2.0;
        self.page().push(Item::Text { face, size, color, x, y: PAGE_H - baseline, text });
    }

    /// A wrapped paragraph across the content width; the cursor moves below it.
    fn paragraph(&mut self, face: Face, size: f32, color: Rgb, lh: f32, align: Align, text: &str) {
        for line in self.m.wrap(face, size, text, CONTENT_W) {
            self.line(face, size, color, MARGIN, CONTENT_W, self.y, lh, align, line);
            self.y += lh;
        }
    }

    fn fill(&mut self, color: Rgb, x: f32, top: f32, w: f32, h: f32) {
        self.page().push(Item::Fill { color, rects: vec![[x, PAGE_H - top - h, w, h]] });
    }

    fn rule(&mut self, color: Rgb, width: f32, x: f32, top: f32, len: f32) {
        let y = PAGE_H - top;
        self.page().push(Item::Line { color, width, from: [x, y], to: [x + len, y] });
    }

    /// Starts a page: the accent band, and on later pages a reminder of whose certificate it is.
    fn new_page(&mut self, running_head: &str) {
        self.pages.push(Vec::new());
        self.fill(ACCENT, 0.0, 0.0, PAGE_W, 8.0);
        self.y = 44.0;
        if self.pages.len() > 1 {
            self.paragraph(Face::Regular, 9.0, MUTED, 12.0, Align::Left, running_head);
            self.y += 4.0;
            self.rule(RULE, 0.5, MARGIN, self.y, CONTENT_W);
            self.y += 18.0;
        }
    }
}

/// Lays out the whole certificate.
pub(super) fn layout(doc: &CertificateDocument, m: &Metrics) -> Result<Vec<Page>, PdfError> {
    let l = labels::labels(doc.lang);
    let title = l.title(doc.kind);
    let candidate = clean(&doc.candidate);
    let head = format!("{title} · {candidate} · {} ({})", clean(&doc.certificate_number), l.continued);
    let mut p = Layout { m, pages: Vec::new(), y: 0.0 };
    p.new_page(&head);

    heading(&mut p, doc, &l, &candidate);
    table(&mut p, doc, &l, &head);
    statements(&mut p, &l.results, &doc.results, &head);
    statements(&mut p, &l.quality, &doc.quality, &head);
    closing(&mut p, doc, &l, &head)?;
    footers(&mut p, doc, &l);
    Ok(p.pages)
}

fn heading(p: &mut Layout<'_>, doc: &CertificateDocument, l: &Labels, candidate: &str) {
    p.y = 70.0;
    p.paragraph(Face::Bold, 12.0, ACCENT, 16.0, Align::Center, &clean(&doc.organisation));
    p.y += 22.0;
    p.paragraph(Face::Bold, 30.0, INK, 38.0, Align::Center, l.title(doc.kind));
    p.y += 10.0;
    p.rule(ACCENT, 1.5, (PAGE_W - 48.0) / 2.0, p.y, 48.0);
    p.y += 24.0;
    p.paragraph(Face::Regular, 11.0, MUTED, 16.0, Align::Center, &l.lead);
    p.y += 6.0;
    p.paragraph(Face::Bold, 24.0, INK, 31.0, Align::Center, candidate);
    p.y += 6.0;
    let qualification = doc.qualification.as_deref().map(clean);
    match (doc.kind, &qualification) {
        (CertificateKind::Qualification, Some(q)) => {
            p.paragraph(Face::Regular, 11.0, MUTED, 16.0, Align::Center, &l.after_name_qualification);
            p.y += 4.0;
            p.paragraph(Face::Bold, 16.0, INK, 21.0, Align::Center, q);
        }
        _ => p.paragraph(Face::Regular, 11.0, MUTED, 16.0, Align::Center, &l.after_name_units),
    }
    p.y += 10.0;
    let framework = format!("{}: {}", l.framework, clean(&doc.framework));
    p.paragraph(Face::Regular, 10.5, INK, 15.0, Align::Center, &framework);
    if let (CertificateKind::Units, Some(q)) = (doc.kind, &qualification) {
        p.paragraph(Face::Regular, 10.5, INK, 15.0, Align::Center, &format!("{}: {q}", l.qualification));
    }
    p.y += 24.0;
}

/// The x positions and widths of the four columns.
pub(super) fn columns() -> [(f32, f32); 4] {
    let unit_w = CONTENT_W - COL_CODE - COL_LEVEL - COL_CREDITS;
    let x1 = MARGIN + COL_CODE;
    let x2 = x1 + unit_w;
    let x3 = x2 + COL_LEVEL;
    [(MARGIN, COL_CODE), (x1, unit_w), (x2, COL_LEVEL), (x3, COL_CREDITS)]
}

const BODY: f32 = 10.0;
const BODY_LH: f32 = 13.5;
const HEAD: f32 = 8.5;
const HEAD_H: f32 = 22.0;

fn table_header(p: &mut Layout<'_>, l: &Labels) {
    p.fill(TINT, MARGIN, p.y, CONTENT_W, HEAD_H);
    let cols = columns();
    let texts = [&l.code, &l.unit, &l.level, &l.credits];
    for (i, ((x, w), text)) in cols.iter().zip(texts).enumerate() {
        let align = if i == 3 { Align::Right } else { Align::Left };
        p.line(Face::Bold, HEAD, ACCENT, x + PAD, w - 2.0 * PAD, p.y, HEAD_H, align, text.clone());
    }
    p.y += HEAD_H;
}

fn table(p: &mut Layout<'_>, doc: &CertificateDocument, l: &Labels, head: &str) {
    let cols = columns();
    let cell = |i: usize, text: &str| p.m.wrap(Face::Regular, BODY, &clean(text), cols[i].1 - 2.0 * PAD);
    let rows: Vec<[Vec<String>; 4]> = doc
        .items
        .iter()
        .map(|it| [cell(0, &it.code), cell(1, &it.title), cell(2, &it.level), vec![it.credits.to_string()]])
        .collect();
    let row_h = |r: &[Vec<String>; 4]| r.iter().map(Vec::len).max().unwrap_or(1) as f32 * BODY_LH + 2.0 * PAD;

    // The header never stands alone at the foot of a page.
    let first = rows.first().map_or(0.0, row_h);
    if p.y + HEAD_H + first > BOTTOM {
        p.new_page(head);
    }
    table_header(p, l);
    for row in &rows {
        let h = row_h(row);
        if p.y + h > BOTTOM {
            p.new_page(head);
            table_header(p, l);
        }
        for (i, lines) in row.iter().enumerate() {
            let (x, w) = cols[i];
            let align = if i == 3 { Align::Right } else { Align::Left };
            for (n, text) in lines.iter().enumerate() {
                let top = p.y + PAD + n as f32 * BODY_LH;
                p.line(Face::Regular, BODY, INK, x + PAD, w - 2.0 * PAD, top, BODY_LH, align, text.clone());
            }
        }
        p.y += h;
        p.rule(RULE, 0.5, MARGIN, p.y, CONTENT_W);
    }
    let total: u32 = doc.items.iter().map(|it| it.credits).sum();
    p.rule(INK, 0.8, MARGIN, p.y, CONTENT_W);
    let (x3, w3) = cols[3];
    let label_w = x3 - MARGIN - PAD;
    p.line(Face::Bold, BODY, INK, MARGIN, label_w, p.y + 2.0, 22.0, Align::Right, l.total.clone());
    p.line(Face::Bold, BODY, INK, x3 + PAD, w3 - 2.0 * PAD, p.y + 2.0, 22.0, Align::Right, total.to_string());
    p.y += 24.0;
}

/// A titled list of what the credential states (how each criterion was shown, the quality
/// assurance chain), between the table and the closing block, so that reading the pages back
/// finds the table and the closing block where they always are.
fn statements(p: &mut Layout<'_>, title: &str, lines: &[String], head: &str) {
    const SIZE: f32 = 9.0;
    const LH: f32 = 12.5;
    if lines.is_empty() {
        return;
    }
    if p.y + 16.0 + LH > BOTTOM {
        p.new_page(head);
    }
    p.line(Face::Bold, SIZE, INK, MARGIN, CONTENT_W, p.y, 16.0, Align::Left, title.to_owned());
    p.y += 16.0;
    for text in lines {
        for line in p.m.wrap(Face::Regular, SIZE, &clean(text), CONTENT_W - 10.0) {
            if p.y + LH > BOTTOM {
                p.new_page(head);
            }
            p.line(Face::Regular, SIZE, INK, MARGIN + 10.0, CONTENT_W - 10.0, p.y, LH, Align::Left, line);
            p.y += LH;
        }
    }
    p.y += 8.0;
}

/// Dates, names and number beside the QR code, then the verification URL.
fn closing(p: &mut Layout<'_>, doc: &CertificateDocument, l: &Labels, head: &str) -> Result<(), PdfError> {
    const LABEL_W: f32 = CLOSING_LABEL_W;
    const ROW_LH: f32 = 15.0;
    let value_w = CONTENT_W - LABEL_W - QR_SIZE - 16.0;
    let mut rows = vec![(l.issued.as_str(), labels::date(doc.lang, doc.issued_on))];
    if let Some(until) = doc.valid_until {
        rows.push((l.valid_until.as_str(), labels::date(doc.lang, until)));
    }
    rows.push((l.assessor.as_str(), clean(&doc.assessor)));
    rows.push((l.verifier.as_str(), clean(&doc.verifier)));
    rows.push((l.number.as_str(), clean(&doc.certificate_number)));
    let rows: Vec<(&str, Vec<String>)> = rows
        .into_iter()
        .map(|(label, value)| (label, p.m.wrap(Face::Regular, 10.5, &value, value_w)))
        .collect();
    let url = clean(&doc.verify_url);
    let verify = p.m.wrap(Face::Regular, 9.0, &format!("{} {url}", l.verify), CONTENT_W);
    let rows_h: f32 = rows.iter().map(|(_, v)| v.len() as f32 * ROW_LH + 5.0).sum();
    let block_h = 16.0 + rows_h.max(QR_SIZE) + 12.0 + verify.len() as f32 * 13.0;

    p.y += 14.0;
    if p.y + block_h > BOTTOM {
        p.new_page(head);
    }
    // Like the signatures on a paper certificate, the block sits at the foot of the page.
    p.y = p.y.max(BOTTOM - block_h);
    p.rule(RULE, 0.5, MARGIN, p.y, CONTENT_W);
    let top = p.y + 16.0;
    p.y = top;
    for (label, value) in rows {
        p.line(Face::Regular, 8.5, MUTED, MARGIN, LABEL_W, p.y, ROW_LH, Align::Left, label.to_owned());
        for line in value {
            p.line(Face::Regular, 10.5, INK, MARGIN + LABEL_W, value_w, p.y, ROW_LH, Align::Left, line);
            p.y += ROW_LH;
        }
        p.y += 5.0;
    }
    qr(p, &doc.verify_url, PAGE_W - MARGIN - QR_SIZE, top)?;
    p.y = p.y.max(top + QR_SIZE) + 12.0;
    for line in verify {
        p.line(Face::Regular, 9.0, MUTED, MARGIN, CONTENT_W, p.y, 13.0, Align::Left, line);
        p.y += 13.0;
    }
    Ok(())
}

/// The QR code as filled rectangles, one per horizontal run of dark modules. The page around
/// it is white, which gives the quiet zone.
fn qr(p: &mut Layout<'_>, url: &str, x: f32, top: f32) -> Result<(), PdfError> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)?;
    let n = code.width();
    let module = QR_SIZE / n as f32;
    let colors = code.to_colors();
    let mut rects = Vec::new();
    for (row, line) in colors.chunks(n).enumerate() {
        let y = PAGE_H - top - (row + 1) as f32 * module;
        let mut col = 0;
        while col < n {
            if line[col] == Color::Dark {
                let start = col;
                while col < n && line[col] == Color::Dark {
                    col += 1;
                }
                // A hair of overlap so that anti-aliased renderers show no seams.
                let w = (col - start) as f32 * module;
                rects.push([x + start as f32 * module, y - 0.05, w, module + 0.1]);
            } else {
                col += 1;
            }
        }
    }
    p.page().push(Item::Fill { color: [0.0; 3], rects });
    Ok(())
}

/// The signature note, certificate number and page count at the foot of every page.
fn footers(p: &mut Layout<'_>, doc: &CertificateDocument, l: &Labels) {
    let count = p.pages.len();
    let number = format!("{} {}", l.number, clean(&doc.certificate_number));
    for i in 0..count {
        let second = format!("{number} · {}", labels::page_of(doc.lang, i + 1, count));
        let items = &mut p.pages[i];
        let mut page = Layout { m: p.m, pages: vec![std::mem::take(items)], y: 0.0 };
        page.rule(RULE, 0.5, MARGIN, PAGE_H - 60.0, CONTENT_W);
        page.line(
            Face::Regular,
            7.5,
            MUTED,
            MARGIN,
            CONTENT_W,
            PAGE_H - 54.0,
            10.0,
            Align::Center,
            l.signed_note.clone(),
        );
        page.line(Face::Regular, 7.5, MUTED, MARGIN, CONTENT_W, PAGE_H - 43.0, 10.0, Align::Center, second);
        p.pages[i] = page.pages.remove(0);
    }
}
