//! The typeface (DejaVu Sans, regular and bold, shipped in `assets/fonts/`), text measurement,
//! line wrapping, and per-document subsetting.
//!
//! Policy: the whole font files are compiled in, and each PDF embeds only the glyphs it uses
//! (printpdf subsets only with its heavy `text_layout` feature, so we subset with allsorts,
//! which printpdf already depends on). A character the font lacks prints as the font's
//! `.notdef` box rather than failing the certificate.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use printpdf::ParsedFont;

use super::PdfError;

const REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// A weight of the typeface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Face {
    Regular,
    Bold,
}

impl Face {
    fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => REGULAR_TTF,
            Face::Bold => BOLD_TTF,
        }
    }
}

/// The parsed full fonts, for metrics. Parsing takes about a millisecond, so it is done once.
static PARSED: LazyLock<Option<[ParsedFont; 2]>> = LazyLock::new(|| {
    let parse = |face: Face| ParsedFont::from_bytes(face.bytes(), 0, &mut Vec::new());
    Some([parse(Face::Regular)?, parse(Face::Bold)?])
});

/// Advance widths of both faces.
pub(super) struct Metrics {
    fonts: &'static [ParsedFont; 2],
}

impl Metrics {
    /// The metrics of the embedded faces.
    pub fn load() -> Result<Self, PdfError> {
        PARSED
            .as_ref()
            .map(|fonts| Metrics { fonts })
            .ok_or_else(|| PdfError::Font("the embedded TrueType file does not parse".into()))
    }

    fn font(&self, face: Face) -> &ParsedFont {
        match face {
            Face::Regular => &self.fonts[0],
            Face::Bold => &self.fonts[1],
        }
    }

    /// The width of `text` set in `face` at `size` points, in points.
    pub fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let font = self.font(face);
        let units: u32 = text
            .chars()
            .map(|c| {
                let gid = font.lookup_glyph_index(u32::from(c)).unwrap_or(0);
                u32::from(font.get_glyph_width(gid).unwrap_or(0))
            })
            .sum();
        units as f32 * size / f32::from(font.units_per_em.max(1))
    }

    /// `text` broken into lines no wider than `max` points: at spaces where possible, inside
    /// a word only when the word alone is too wide (long URLs, codes).
    pub fn wrap(&self, face: Face, size: f32, text: &str, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
            if self.width(face, size, &candidate) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                line.push(c);
                if self.width(face, size, &line) > max && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::replace(&mut line, c.to_string()));
                }
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// A font holding only the glyphs for `chars` (plus `.notdef`), keeping their Unicode
    /// mapping so that the text stays selectable and searchable.
    pub fn subset(&self, face: Face, chars: &BTreeSet<char>) -> Result<ParsedFont, PdfError> {
        let font = self.font(face);
        let mut glyphs: Vec<u16> = std::iter::once(0)
            .chain(chars.iter().filter_map(|&c| font.lookup_glyph_index(u32::from(c))))
            .collect();
        glyphs.sort_unstable();
        glyphs.dedup();
        let font_err = |what: &str| PdfError::Font(format!("{what} ({face:?})"));
        let data = ReadScope::new(face.bytes())
            .read::<FontData<'_>>()
            .map_err(|e| font_err(&format!("unreadable font: {e}")))?;
        let provider =
            data.table_provider(0).map_err(|e| font_err(&format!("unreadable font tables: {e}")))?;
        let bytes = subset(&provider, &glyphs, &SubsetProfile::Pdf, CmapTarget::Unicode)
            .map_err(|e| font_err(&format!("subsetting failed: {e:?}")))?;
        ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
            .ok_or_else(|| font_err("the subset font does not parse"))
    }
}
