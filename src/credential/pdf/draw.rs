//! Turns laid-out pages into a printpdf document, with subset fonts and fixed metadata.
//!
//! The document dates are the issue date (midnight UTC), never "now", so that rendering stays
//! free of clock reads.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveTime;
use printpdf::date::OffsetDateTime;
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage,
    PdfParseErrorSeverity, PdfSaveOptions, Point, Polygon, PolygonRing, Pt, Rgb, TextItem, WindingOrder,
};

use super::fonts::{Face, Metrics};
use super::labels;
use super::layout::{Item, PAGE_H, PAGE_W, Page};
use super::{CertificateDocument, PdfError};

/// A document's metadata.
pub(super) struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub identifier: String,
    /// The document's date (midnight UTC), never "now".
    pub date: chrono::NaiveDate,
}

/// The document as lopdf objects, ready for the attachment and for saving.
pub(super) fn draw(
    doc: &CertificateDocument,
    pages: &[Page],
    m: &Metrics,
) -> Result<lopdf::Document, PdfError> {
    let l = labels::labels(doc.lang);
    let meta = Meta {
        title: format!("{} – {}", l.title(doc.kind), doc.candidate),
        author: doc.organisation.clone(),
        subject: doc.framework.clone(),
        identifier: doc.certificate_number.clone(),
        date: doc.issued_on,
    };
    draw_pages(&meta, pages, m)
}

/// Any laid-out pages as lopdf objects, with `meta` and subset fonts.
pub(super) fn draw_pages(meta: &Meta, pages: &[Page], m: &Metrics) -> Result<lopdf::Document, PdfError> {
    let mut pdf = PdfDocument::new(&meta.title);
    let info = &mut pdf.metadata.info;
    info.author = meta.author.clone();
    info.creator = "validera".to_owned();
    info.producer = "validera (printpdf)".to_owned();
    info.subject = meta.subject.clone();
    info.identifier = meta.identifier.clone();
    let midnight = meta.date.and_time(NaiveTime::MIN).and_utc().timestamp();
    // A date beyond year 9999 keeps printpdf's epoch default; it is metadata only.
    if let Ok(issued) = OffsetDateTime::from_unix_timestamp(midnight) {
        info.creation_date = issued;
        info.modification_date = issued;
        info.metadata_date = issued;
    }

    let mut used: BTreeMap<Face, BTreeSet<char>> = BTreeMap::new();
    for item in pages.iter().flatten() {
        if let Item::Text { face, text, .. } = item {
            used.entry(*face).or_default().extend(text.chars());
        }
    }
    let mut ids: BTreeMap<Face, FontId> = BTreeMap::new();
    for (face, chars) in &used {
        let font = m.subset(*face, chars)?;
        ids.insert(*face, pdf.add_font(&font));
    }

    let pdf_pages = pages
        .iter()
        .map(|items| PdfPage::new(Mm::from(Pt(PAGE_W)), Mm::from(Pt(PAGE_H)), ops(items, &ids)))
        .collect();
    let mut warnings = Vec::new();
    let out = pdf.with_pages(pdf_pages).to_lopdf_document(&PdfSaveOptions::default(), &mut warnings);
    if let Some(w) = warnings.iter().find(|w| w.severity == PdfParseErrorSeverity::Error) {
        return Err(PdfError::Font(w.msg.clone()));
    }
    Ok(out)
}

fn color([r, g, b]: [f32; 3]) -> Color {
    Color::Rgb(Rgb { r, g, b, icc_profile: None })
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false }
}

fn ops(items: &[Item], fonts: &BTreeMap<Face, FontId>) -> Vec<Op> {
    let mut ops = Vec::new();
    for item in items {
        match item {
            Item::Text { face, size, color: c, x, y, text } => {
                let Some(id) = fonts.get(face) else { continue };
                ops.extend([
                    Op::StartTextSection,
                    Op::SetFont { font: PdfFontHandle::External(id.clone()), size: Pt(*size) },
                    Op::SetFillColor { col: color(*c) },
                    Op::SetTextCursor { pos: Point { x: Pt(*x), y: Pt(*y) } },
                    Op::ShowText { items: vec![TextItem::Text(text.clone())] },
                    Op::EndTextSection,
                ]);
            }
            Item::Fill { color: c, rects } => {
                let rings = rects
                    .iter()
                    .map(|&[x, y, w, h]| PolygonRing {
                        points: vec![point(x, y), point(x + w, y), point(x + w, y + h), point(x, y + h)],
                    })
                    .collect();
                ops.push(Op::SetFillColor { col: color(*c) });
                ops.push(Op::DrawPolygon {
                    polygon: Polygon { rings, mode: PaintMode::Fill, winding_order: WindingOrder::NonZero },
                });
            }
            Item::Line { color: c, width, from, to } => {
                ops.push(Op::SetOutlineColor { col: color(*c) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![point(from[0], from[1]), point(to[0], to[1])],
                        is_closed: false,
                    },
                });
            }
        }
    }
    ops
}
