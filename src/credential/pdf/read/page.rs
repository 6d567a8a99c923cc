//! The text a PDF prints: the page tree walked once, each page's content stream interpreted
//! for its text operators, string bytes mapped to Unicode through the font's `/ToUnicode`.
//!
//! Positions are where each text-showing operator starts. After showing, the position moves
//! on by the glyph widths the font declares (`/Widths`, or `/W` and `/DW` of a composite
//! font), with character and word spacing and horizontal scaling; a standard font that
//! declares no widths does not advance.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::super::text::TextRun;
use super::lex::{Dict, Lexer, Obj, Parser, Tok};
use super::{Limits, Reader, malformed, too_complex};
use crate::credential::pdf::PdfError;

/// Character mappings across all `/ToUnicode` maps of a request.
const MAX_MAPPINGS: u64 = 100_000;
/// `q` inside `q`; real content nests a few levels.
const MAX_SAVED_STATES: u64 = 256;
/// Operands before one operator; the most any text operator takes is three.
const MAX_OPERANDS: u64 = 64;

/// The text shown on each page of `pdf`, in page and content order.
pub fn printed_text(pdf: &[u8]) -> Result<Vec<TextRun>, PdfError> {
    printed_text_with(pdf, Limits::default())
}

pub(crate) fn printed_text_with(pdf: &[u8], limits: Limits) -> Result<Vec<TextRun>, PdfError> {
    let mut r = Reader::open(pdf, limits)?;
    let catalog = r.catalog()?;
    let catalog = catalog.as_dict().ok_or_else(|| malformed("the catalog is not a dictionary"))?;
    let mut visited = HashSet::new();
    if let Some(Obj::Ref(id)) = catalog.get(b"Pages") {
        visited.insert(*id);
    }
    let root = r.key(catalog, b"Pages")?;
    let mut out = Output { runs: Vec::new(), fonts: HashMap::new(), mappings: 0 };
    // (node, depth, resources inherited from the parent Pages node)
    let mut stack: Vec<(Rc<Obj>, u32, Option<Rc<Obj>>)> = vec![(root, 0, None)];
    let mut page = 0;
    while let Some((node, depth, inherited)) = stack.pop() {
        let Some(dict) = node.as_dict() else { continue };
        let resources = match dict.get(b"Resources") {
            Some(o) => Some(r.resolve(o)?),
            None => inherited,
        };
        let kids = r.key(dict, b"Kids")?;
        if let Some(kids) = kids.as_array() {
            if depth >= r.limits.tree_depth {
                return Err(too_complex("tree levels", u64::from(r.limits.tree_depth)));
            }
            for kid in kids.iter().rev() {
                if let Obj::Ref(id) = kid
                    && !visited.insert(*id)
                {
                    continue;
                }
                stack.push((r.resolve(kid)?, depth + 1, resources.clone()));
            }
        } else if dict.get(b"Type").and_then(Obj::as_name) == Some(b"Page") {
            let content = contents(&mut r, dict)?;
            interpret(&mut r, &mut out, page, resources.as_deref(), &content)?;
            page += 1;
        }
    }
    Ok(out.runs)
}

/// A page's `/Contents`, one stream or an array of them, as one buffer.
fn contents(r: &mut Reader<'_>, page: &Dict) -> Result<Vec<u8>, PdfError> {
    let contents = r.key(page, b"Contents")?;
    let parts: Vec<Obj> = match &*contents {
        Obj::Array(a) => a.clone(),
        Obj::Null => Vec::new(),
        other => vec![other.clone()],
    };
    let mut out = Vec::new();
    for part in &parts {
        let part = r.resolve(part)?;
        let stream = part.as_stream().ok_or_else(|| malformed("page /Contents is not a stream"))?;
        out.extend_from_slice(&r.decode(stream, None)?);
        // Parts are split anywhere between tokens, and need a separator when joined.
        out.push(b'\n');
    }
    Ok(out)
}

struct Output {
    runs: Vec<TextRun>,
    /// Fonts by object number: a font shared by many pages is read once.
    fonts: HashMap<u32, Rc<Font>>,
    mappings: u64,
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// What `q` saves and `Q` restores, of what text extraction needs: the CTM and text state.
#[derive(Clone)]
struct State {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f32,
    leading: f32,
    char_space: f32,
    word_space: f32,
    /// Horizontal scaling, 1.0 for 100 %.
    scale: f32,
    rise: f32,
}

impl State {
    /// The text a string shows and how far it moves the text position, in text space.
    fn show(&self, bytes: &[u8]) -> (String, f32) {
        let font = self.font.as_deref();
        let mut text = String::new();
        let mut advance = 0.0;
        for (code, len) in codes(font, bytes) {
            push_text(&mut text, font, code, len);
            let glyph = font.map_or(0.0, |f| f.widths.width(code)) / 1000.0;
            // Word spacing applies to the single-byte code 32 only, whatever the font.
            let word = if len == 1 && code == 32 { self.word_space } else { 0.0 };
            advance += (glyph * self.size + self.char_space + word) * self.scale;
        }
        (text, advance)
    }

    /// `TJ`'s strings joined, with the adjustments moving the position. An adjustment wider
    /// than a fifth of an em reads as a space: writers that set words apart by kerning mean one.
    fn show_array(&self, items: &[Obj]) -> (String, f32) {
        let mut text = String::new();
        let mut advance = 0.0;
        for item in items {
            match item {
                Obj::Str(s) => {
                    let (t, a) = self.show(s);
                    text.push_str(&t);
                    advance += a;
                }
                Obj::Int(_) | Obj::Real(_) => {
                    let adjust = item.as_f32().unwrap_or(0.0);
                    advance -= adjust / 1000.0 * self.size * self.scale;
                    if adjust < -200.0 && !text.is_empty() && !text.ends_with(' ') {
                        text.push(' ');
                    }
                }
                _ => {}
            }
        }
        (text, advance)
    }
}

fn interpret(
    r: &mut Reader<'_>,
    out: &mut Output,
    page: usize,
    resources: Option<&Obj>,
    content: &[u8],
) -> Result<(), PdfError> {
    let fonts = match resources.and_then(Obj::as_dict) {
        Some(res) => r.key(res, b"Font")?,
        None => Rc::new(Obj::Null),
    };
    let mut gs = State {
        ctm: IDENTITY,
        font: None,
        size: 0.0,
        leading: 0.0,
        char_space: 0.0,
        word_space: 0.0,
        scale: 1.0,
        rise: 0.0,
    };
    let mut saved: Vec<State> = Vec::new();
    let (mut tm, mut tlm) = (IDENTITY, IDENTITY);
    let mut operands: Vec<Obj> = Vec::new();
    let mut tokens = 0u64;
    let mut p = Parser {
        lex: Lexer::new(content, 0),
        tokens: &mut tokens,
        max_tokens: r.limits.tokens_per_object,
        max_depth: r.limits.depth,
    };
    loop {
        *p.tokens = 0;
        let Some(tok) = p.token()? else { break };
        let op = match tok {
            Tok::Keyword(k) if !matches!(k, b"true" | b"false" | b"null") => k,
            t => {
                if operands.len() as u64 >= MAX_OPERANDS {
                    return Err(too_complex("operands of an operator", MAX_OPERANDS));
                }
                operands.push(p.object_from(t, 0)?);
                continue;
            }
        };
        let num = |i: usize| operands.get(i).and_then(Obj::as_f32).unwrap_or(0.0);
        let six = || -> Matrix { [num(0), num(1), num(2), num(3), num(4), num(5)] };
        let mut shown: Option<TextRun> = None;
        match op {
            b"BT" => (tm, tlm) = (IDENTITY, IDENTITY),
            b"Td" | b"TD" => {
                if op == b"TD" {
                    gs.leading = -num(1);
                }
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, num(0), num(1)], &tlm);
                tm = tlm;
            }
            b"Tm" => (tm, tlm) = (six(), six()),
            b"T*" => {
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                tm = tlm;
            }
            b"TL" => gs.leading = num(0),
            b"Tc" => gs.char_space = num(0),
            b"Tw" => gs.word_space = num(0),
            b"Tz" => gs.scale = num(0) / 100.0,
            b"Ts" => gs.rise = num(0),
            b"Tf" => {
                gs.size = num(1);
                gs.font = match operands.first().and_then(Obj::as_name) {
                    Some(name) => font(r, out, &fonts, name)?,
                    None => None,
                };
            }
            b"Tj" | b"'" | b"\"" | b"TJ" => {
                if op == b"\"" {
                    (gs.word_space, gs.char_space) = (num(0), num(1));
                }
                if op == b"'" || op == b"\"" {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.leading], &tlm);
                    tm = tlm;
                }
                let m = mul(&tm, &gs.ctm);
                let (text, advance) = match operands.last() {
                    Some(Obj::Str(s)) => gs.show(s),
                    Some(Obj::Array(items)) => gs.show_array(items),
                    _ => (String::new(), 0.0),
                };
                tm = mul(&[1.0, 0.0, 0.0, 1.0, advance, 0.0], &tm);
                // The run starts at the text space origin, raised by the rise.
                let (x, y) = (gs.rise * m[2] + m[4], gs.rise * m[3] + m[5]);
                shown = Some(TextRun { page, x, y, text });
            }
            b"cm" => gs.ctm = mul(&six(), &gs.ctm),
            b"q" => {
                if saved.len() as u64 >= MAX_SAVED_STATES {
                    return Err(too_complex("saved graphics states", MAX_SAVED_STATES));
                }
                saved.push(gs.clone());
            }
            b"Q" => {
                if let Some(s) = saved.pop() {
                    gs = s;
                }
            }
            b"BI" => skip_inline_image(&mut p.lex),
            _ => {}
        }
        operands.clear();
        if let Some(run) = shown {
            if out.runs.len() as u64 >= r.limits.runs {
                return Err(too_complex("text runs", r.limits.runs));
            }
            out.runs.push(run);
        }
    }
    Ok(())
}

/// Steps over an inline image's binary data, which is no content syntax, to its `EI`.
fn skip_inline_image(lex: &mut Lexer<'_>) {
    let buf = lex.buf;
    let from = buf[lex.pos..].windows(2).position(|w| w == b"ID").map_or(buf.len(), |i| lex.pos + i + 2);
    let mut i = from;
    while i + 2 <= buf.len() {
        let before = i == 0 || super::lex::is_space(buf[i - 1]);
        let after = buf.get(i + 2).is_none_or(|&b| super::lex::is_space(b));
        if &buf[i..i + 2] == b"EI" && before && after {
            lex.pos = i + 2;
            return;
        }
        i += 1;
    }
    lex.pos = buf.len();
}

/// A font as text extraction sees it: how codes are cut from a string, what they mean, and
/// how wide their glyphs are.
struct Font {
    /// A composite (Type0) font: codes are two bytes unless its ToUnicode code space says
    /// otherwise.
    composite: bool,
    /// A composite font with an Identity encoding: every code is two bytes, whatever else.
    identity: bool,
    cmap: Option<CMap>,
    widths: Widths,
}

/// Glyph widths in thousandths of an em, by code.
enum Widths {
    /// A standard font without metrics, or one we could not read: no advance.
    Unknown,
    /// A simple font's `/FirstChar` and `/Widths`.
    Simple { first: u32, widths: Vec<f32> },
    /// A composite font's `/DW` and its `/W` as (first, last, width), sorted.
    Composite { default: f32, ranges: Vec<(u32, u32, f32)> },
}

impl Widths {
    fn width(&self, code: u32) -> f32 {
        match self {
            Widths::Unknown => 0.0,
            Widths::Simple { first, widths } => {
                code.checked_sub(*first).and_then(|i| widths.get(i as usize)).copied().unwrap_or(0.0)
            }
            Widths::Composite { default, ranges } => {
                let i = ranges.partition_point(|(lo, _, _)| *lo <= code);
                match i.checked_sub(1).map(|i| ranges[i]) {
                    Some((_, hi, w)) if code <= hi => w,
                    _ => *default,
                }
            }
        }
    }
}

/// The widths a font declares; the arrays were parsed within the token limits already.
fn widths(r: &mut Reader<'_>, font: &Dict, composite: bool) -> Result<Widths, PdfError> {
    if !composite {
        let first = font.get(b"FirstChar").and_then(Obj::as_int).and_then(|f| u32::try_from(f).ok());
        let widths = r.key(font, b"Widths")?;
        return Ok(match (first, widths.as_array()) {
            (Some(first), Some(w)) => {
                Widths::Simple { first, widths: w.iter().map(|w| w.as_f32().unwrap_or(0.0)).collect() }
            }
            _ => Widths::Unknown,
        });
    }
    let descendants = r.key(font, b"DescendantFonts")?;
    let Some(first) = descendants.as_array().and_then(|a| a.first()) else { return Ok(Widths::Unknown) };
    let cid = r.resolve(first)?;
    let Some(cid) = cid.as_dict() else { return Ok(Widths::Unknown) };
    let default = cid.get(b"DW").and_then(Obj::as_f32).unwrap_or(1000.0);
    let w = r.key(cid, b"W")?;
    let w = w.as_array().unwrap_or_default();
    let code = |o: &Obj| o.as_int().and_then(|c| u32::try_from(c).ok());
    let mut ranges = Vec::new();
    let mut i = 0;
    while let Some(c) = w.get(i).and_then(code) {
        match w.get(i + 1) {
            // c [w1 w2 ...]: the widths of c, c + 1, ...
            Some(Obj::Array(ws)) => {
                for (k, width) in (c..).zip(ws) {
                    ranges.push((k, k, width.as_f32().unwrap_or(default)));
                }
                i += 2;
            }
            // c_first c_last w: one width for the whole range.
            Some(last) => {
                let (Some(last), Some(width)) = (code(last), w.get(i + 2).and_then(Obj::as_f32)) else {
                    break;
                };
                ranges.push((c, last, width));
                i += 3;
            }
            None => break,
        }
    }
    ranges.sort_by_key(|(lo, _, _)| *lo);
    Ok(Widths::Composite { default, ranges })
}

fn font(
    r: &mut Reader<'_>,
    out: &mut Output,
    fonts: &Obj,
    name: &[u8],
) -> Result<Option<Rc<Font>>, PdfError> {
    let Some(entry) = fonts.as_dict().and_then(|d| d.get(name)) else { return Ok(None) };
    if let Obj::Ref(id) = entry
        && let Some(f) = out.fonts.get(id)
    {
        return Ok(Some(f.clone()));
    }
    let obj = r.resolve(entry)?;
    let Some(dict) = obj.as_dict() else { return Ok(None) };
    let composite = dict.get(b"Subtype").and_then(Obj::as_name) == Some(b"Type0");
    let encoding = dict.get(b"Encoding").and_then(Obj::as_name);
    let mut font = Font {
        composite,
        identity: composite && matches!(encoding, Some(b"Identity-H" | b"Identity-V")),
        cmap: None,
        widths: widths(r, dict, composite)?,
    };
    let to_unicode = r.key(dict, b"ToUnicode")?;
    if let Some(stream) = to_unicode.as_stream() {
        let data = r.decode(stream, None)?;
        font.cmap = Some(CMap::parse(&data, &mut out.mappings)?);
    }
    let font = Rc::new(font);
    if let Obj::Ref(id) = entry {
        out.fonts.insert(*id, font.clone());
    }
    Ok(Some(font))
}

/// The codes of a shown string with their lengths in bytes.
fn codes(font: Option<&Font>, bytes: &[u8]) -> Vec<(u32, usize)> {
    let mut out = Vec::new();
    let mut rest = bytes;
    let composite = font.is_some_and(|f| f.composite);
    let default = if composite { 2 } else { 1 };
    // Simple fonts have one-byte codes whatever their map claims; only a composite font
    // with an encoding other than Identity cuts its codes by code space.
    let cmap = font.filter(|f| f.composite && !f.identity).and_then(|f| f.cmap.as_ref());
    while !rest.is_empty() {
        let len = cmap.and_then(|c| c.code_len(rest)).unwrap_or(default).min(rest.len());
        out.push((rest[..len].iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b)), len));
        rest = &rest[len..];
    }
    out
}

/// Appends what `code` means. Without a map, a one-byte code reads as Latin-1 (right for the
/// ASCII that simple fonts mostly show) and a longer one as U+FFFD.
fn push_text(text: &mut String, font: Option<&Font>, code: u32, len: usize) {
    match font.and_then(|f| f.cmap.as_ref()).and_then(|c| c.lookup(code)) {
        Some(s) => text.push_str(&s),
        None if len == 1 => text.extend(u8::try_from(code).map(char::from)),
        None => text.push(char::REPLACEMENT_CHARACTER),
    }
}

/// A `/ToUnicode` CMap: code spaces, single mappings and ranges.
#[derive(Default)]
struct CMap {
    /// (bytes, low, high)
    spaces: Vec<(usize, u32, u32)>,
    chars: HashMap<u32, String>,
    /// (low, high, destination), sorted by low.
    ranges: Vec<(u32, u32, RangeDst)>,
}

enum RangeDst {
    /// UTF-16 of the low code; the last unit counts up through the range.
    Base(Vec<u16>),
    /// One string per code.
    List(Vec<String>),
}

fn code_of(bytes: &[u8]) -> Option<(usize, u32)> {
    (1..=4)
        .contains(&bytes.len())
        .then(|| (bytes.len(), bytes.iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b))))
}

fn utf16(bytes: &[u8]) -> Vec<u16> {
    bytes.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect()
}

impl CMap {
    fn parse(data: &[u8], mappings: &mut u64) -> Result<CMap, PdfError> {
        let mut map = CMap::default();
        let mut lex = Lexer::new(data, 0);
        let mut count = |n: u64| {
            *mappings += n;
            if *mappings > MAX_MAPPINGS {
                return Err(too_complex("character mappings", MAX_MAPPINGS));
            }
            Ok(())
        };
        while let Some(tok) = lex.next()? {
            match tok {
                Tok::Keyword(b"begincodespacerange") => {
                    while let (Some(Tok::Str(lo)), Some(Tok::Str(hi))) = (lex.next()?, lex.next()?) {
                        if let (Some((n, lo)), Some((_, hi))) = (code_of(&lo), code_of(&hi)) {
                            count(1)?;
                            map.spaces.push((n, lo, hi));
                        }
                    }
                }
                Tok::Keyword(b"beginbfchar") => {
                    while let (Some(Tok::Str(src)), Some(Tok::Str(dst))) = (lex.next()?, lex.next()?) {
                        if let Some((_, code)) = code_of(&src) {
                            count(1)?;
                            map.chars.insert(code, String::from_utf16_lossy(&utf16(&dst)));
                        }
                    }
                }
                Tok::Keyword(b"beginbfrange") => {
                    while let (Some(Tok::Str(lo)), Some(Tok::Str(hi))) = (lex.next()?, lex.next()?) {
                        let dst = match lex.next()? {
                            Some(Tok::Str(base)) => RangeDst::Base(utf16(&base)),
                            Some(Tok::ArrayOpen) => {
                                let mut list = Vec::new();
                                while let Some(Tok::Str(s)) = lex.next()? {
                                    count(1)?;
                                    list.push(String::from_utf16_lossy(&utf16(&s)));
                                }
                                RangeDst::List(list)
                            }
                            _ => break,
                        };
                        if let (Some((_, lo)), Some((_, hi))) = (code_of(&lo), code_of(&hi)) {
                            count(1)?;
                            map.ranges.push((lo, hi, dst));
                        }
                    }
                }
                _ => {}
            }
        }
        map.ranges.sort_by_key(|(lo, _, _)| *lo);
        Ok(map)
    }

    /// How many bytes the code at the start of `bytes` takes, by the code space ranges.
    fn code_len(&self, bytes: &[u8]) -> Option<usize> {
        (1..=4.min(bytes.len())).find(|&n| {
            let code = bytes[..n].iter().fold(0u32, |acc, &b| acc << 8 | u32::from(b));
            self.spaces.iter().any(|&(len, lo, hi)| len == n && (lo..=hi).contains(&code))
        })
    }

    fn lookup(&self, code: u32) -> Option<String> {
        if let Some(s) = self.chars.get(&code) {
            return Some(s.clone());
        }
        let i = self.ranges.partition_point(|(lo, _, _)| *lo <= code).checked_sub(1)?;
        let (lo, hi, dst) = &self.ranges[i];
        if code > *hi {
            return None;
        }
        let offset = code - lo;
        match dst {
            RangeDst::Base(units) => {
                let mut units = units.clone();
                let last = units.last_mut()?;
                *last = last.wrapping_add(u16::try_from(offset).ok()?);
                Some(String::from_utf16_lossy(&units))
            }
            RangeDst::List(list) => list.get(usize::try_from(offset).ok()?).cloned(),
        }
    }
}
