//! PDF tokens and objects: a lexer over a byte slice and a recursive-descent parser whose
//! depth and token count are capped, so a hostile object costs at most the caps.

use std::rc::Rc;

use super::super::PdfError;
use super::{malformed, too_complex};

/// A parsed PDF object. Stream data stays in the file: only its place is kept.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Obj {
    Null,
    Bool(bool),
    Int(i64),
    Real(f64),
    Str(Vec<u8>),
    Name(Vec<u8>),
    Array(Vec<Obj>),
    Dict(Dict),
    Ref(u32),
    Stream(Rc<Stream>),
}

/// A dictionary; small in real files, so a list searched in order beats a map.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Dict(pub(crate) Vec<(Vec<u8>, Obj)>);

/// A stream: its dictionary and where its raw bytes lie in the file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Stream {
    pub(crate) dict: Dict,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

impl Dict {
    pub(crate) fn get(&self, key: &[u8]) -> Option<&Obj> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl Obj {
    pub(crate) fn as_dict(&self) -> Option<&Dict> {
        match self {
            Obj::Dict(d) => Some(d),
            Obj::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }
    pub(crate) fn as_array(&self) -> Option<&[Obj]> {
        match self {
            Obj::Array(a) => Some(a),
            _ => None,
        }
    }
    pub(crate) fn as_int(&self) -> Option<i64> {
        match self {
            Obj::Int(i) => Some(*i),
            _ => None,
        }
    }
    pub(crate) fn as_f32(&self) -> Option<f32> {
        match self {
            Obj::Int(i) => Some(*i as f32),
            Obj::Real(r) => Some(*r as f32),
            _ => None,
        }
    }
    pub(crate) fn as_name(&self) -> Option<&[u8]> {
        match self {
            Obj::Name(n) => Some(n),
            _ => None,
        }
    }
    pub(crate) fn as_str(&self) -> Option<&[u8]> {
        match self {
            Obj::Str(s) => Some(s),
            _ => None,
        }
    }
    pub(crate) fn as_stream(&self) -> Option<&Rc<Stream>> {
        match self {
            Obj::Stream(s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Debug, PartialEq)]
pub(crate) enum Tok<'a> {
    Int(i64),
    Real(f64),
    Str(Vec<u8>),
    Name(Vec<u8>),
    ArrayOpen,
    ArrayClose,
    DictOpen,
    DictClose,
    /// A bare word: `obj`, `R`, `true`, a content operator such as `Tj`.
    Keyword(&'a [u8]),
}

pub(crate) fn is_space(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

fn is_delimiter(b: u8) -> bool {
    matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn is_regular(b: u8) -> bool {
    !is_space(b) && !is_delimiter(b)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

pub(crate) struct Lexer<'a> {
    pub(crate) buf: &'a [u8],
    pub(crate) pos: usize,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(buf: &'a [u8], pos: usize) -> Self {
        Lexer { buf, pos }
    }

    fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    pub(crate) fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if is_space(b) {
                self.pos += 1;
            } else if b == b'%' {
                while self.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// The next token, or `None` at the end of the buffer.
    pub(crate) fn next(&mut self) -> Result<Option<Tok<'a>>, PdfError> {
        self.skip_space();
        let Some(b) = self.peek() else { return Ok(None) };
        let start = self.pos;
        self.pos += 1;
        let tok = match b {
            b'[' => Tok::ArrayOpen,
            b']' => Tok::ArrayClose,
            b'<' if self.peek() == Some(b'<') => {
                self.pos += 1;
                Tok::DictOpen
            }
            b'>' if self.peek() == Some(b'>') => {
                self.pos += 1;
                Tok::DictClose
            }
            b'<' => Tok::Str(self.hex_string()?),
            b'(' => Tok::Str(self.literal_string()?),
            b'/' => Tok::Name(self.name()),
            b'{' | b'}' => Tok::Keyword(&self.buf[start..self.pos]),
            b'0'..=b'9' | b'+' | b'-' | b'.' => self.number(start),
            b')' | b'>' => return Err(malformed(format!("unexpected '{}' at byte {start}", b as char))),
            _ => {
                while self.peek().is_some_and(is_regular) {
                    self.pos += 1;
                }
                Tok::Keyword(&self.buf[start..self.pos])
            }
        };
        Ok(Some(tok))
    }

    fn number(&mut self, start: usize) -> Tok<'a> {
        while self.peek().is_some_and(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+') {
            self.pos += 1;
        }
        let text = std::str::from_utf8(&self.buf[start..self.pos]).unwrap_or("0");
        if !text.contains('.')
            && let Ok(i) = text.parse::<i64>()
        {
            return Tok::Int(i);
        }
        // Writers emit oddities such as "-.5" or "4."; anything unparseable reads as zero, as
        // in common readers.
        Tok::Real(text.parse::<f64>().unwrap_or(0.0))
    }

    fn name(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(b) = self.peek().filter(|&b| is_regular(b)) {
            self.pos += 1;
            if b == b'#' {
                let pair =
                    self.buf.get(self.pos..self.pos + 2).and_then(|p| Some(hex(p[0])? << 4 | hex(p[1])?));
                if let Some(v) = pair {
                    out.push(v);
                    self.pos += 2;
                    continue;
                }
            }
            out.push(b);
        }
        out
    }

    fn hex_string(&mut self) -> Result<Vec<u8>, PdfError> {
        let mut out = Vec::new();
        let mut high: Option<u8> = None;
        loop {
            let Some(b) = self.peek() else { return Err(malformed("unterminated hex string")) };
            self.pos += 1;
            if b == b'>' {
                break;
            }
            if is_space(b) {
                continue;
            }
            let v = hex(b).ok_or_else(|| malformed(format!("bad hex digit at byte {}", self.pos - 1)))?;
            match high.take() {
                Some(h) => out.push(h << 4 | v),
                None => high = Some(v),
            }
        }
        if let Some(h) = high {
            out.push(h << 4);
        }
        Ok(out)
    }

    fn literal_string(&mut self) -> Result<Vec<u8>, PdfError> {
        let mut out = Vec::new();
        let mut depth = 1usize;
        loop {
            let Some(b) = self.peek() else { return Err(malformed("unterminated string")) };
            self.pos += 1;
            match b {
                b'(' => {
                    depth += 1;
                    out.push(b);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                    out.push(b);
                }
                b'\\' => {
                    let Some(e) = self.peek() else { continue };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(0x08),
                        b'f' => out.push(0x0C),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        // A backslash before a line end continues the string on the next line.
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                // A line end in a string reads as a single newline, whatever the writer used.
                b'\r' => {
                    if self.peek() == Some(b'\n') {
                        self.pos += 1;
                    }
                    out.push(b'\n');
                }
                _ => out.push(b),
            }
        }
        Ok(out)
    }
}

/// Caps for one parse; the counter is shared so the caller can charge it to the request.
pub(crate) struct Parser<'a, 'c> {
    pub(crate) lex: Lexer<'a>,
    pub(crate) tokens: &'c mut u64,
    pub(crate) max_tokens: u64,
    pub(crate) max_depth: u32,
}

impl<'a> Parser<'a, '_> {
    pub(crate) fn token(&mut self) -> Result<Option<Tok<'a>>, PdfError> {
        *self.tokens += 1;
        if *self.tokens > self.max_tokens {
            return Err(too_complex("tokens in an object", self.max_tokens));
        }
        self.lex.next()
    }

    /// The next object; a missing one is an error.
    pub(crate) fn object(&mut self) -> Result<Obj, PdfError> {
        match self.token()? {
            Some(t) => self.object_from(t, 0),
            None => Err(malformed("an object is cut off by the end of the data")),
        }
    }

    /// The object that starts with `tok`.
    pub(crate) fn object_from(&mut self, tok: Tok<'a>, depth: u32) -> Result<Obj, PdfError> {
        Ok(match tok {
            Tok::Int(n) => self.maybe_reference(n)?,
            Tok::Real(r) => Obj::Real(r),
            Tok::Str(s) => Obj::Str(s),
            Tok::Name(n) => Obj::Name(n),
            Tok::ArrayOpen => {
                self.deeper(depth)?;
                let mut items = Vec::new();
                loop {
                    match self.token()? {
                        Some(Tok::ArrayClose) => break,
                        Some(t) => items.push(self.object_from(t, depth + 1)?),
                        None => return Err(malformed("unterminated array")),
                    }
                }
                Obj::Array(items)
            }
            Tok::DictOpen => {
                self.deeper(depth)?;
                let mut entries = Vec::new();
                loop {
                    match self.token()? {
                        Some(Tok::DictClose) => break,
                        Some(Tok::Name(key)) => {
                            let value = match self.token()? {
                                Some(t) => self.object_from(t, depth + 1)?,
                                None => return Err(malformed("unterminated dictionary")),
                            };
                            entries.push((key, value));
                        }
                        _ => return Err(malformed("a dictionary key is not a name")),
                    }
                }
                Obj::Dict(Dict(entries))
            }
            Tok::Keyword(b"true") => Obj::Bool(true),
            Tok::Keyword(b"false") => Obj::Bool(false),
            Tok::Keyword(b"null") => Obj::Null,
            Tok::Keyword(k) => {
                return Err(malformed(format!("unexpected '{}'", String::from_utf8_lossy(k))));
            }
            Tok::ArrayClose | Tok::DictClose => return Err(malformed("unbalanced ']' or '>>'")),
        })
    }

    fn deeper(&self, depth: u32) -> Result<(), PdfError> {
        if depth >= self.max_depth {
            return Err(too_complex("nesting levels in an object", u64::from(self.max_depth)));
        }
        Ok(())
    }

    /// `n g R` is a reference; otherwise `n` is just a number and the lexer steps back.
    fn maybe_reference(&mut self, n: i64) -> Result<Obj, PdfError> {
        let back = self.lex.pos;
        if let (Ok(Some(Tok::Int(_))), Ok(Some(Tok::Keyword(b"R")))) = (self.lex.next(), self.lex.next()) {
            if let Ok(num) = u32::try_from(n) {
                return Ok(Obj::Ref(num));
            }
            return Err(malformed(format!("bad object number {n}")));
        }
        self.lex.pos = back;
        Ok(Obj::Int(n))
    }
}

/// What starts at a file offset: `num gen obj <object>`, and where stream data starts if the
/// object is a stream's dictionary.
pub(crate) fn indirect_at(p: &mut Parser<'_, '_>) -> Result<(u32, Obj, Option<usize>), PdfError> {
    let (Some(Tok::Int(num)), Some(Tok::Int(_)), Some(Tok::Keyword(b"obj"))) =
        (p.token()?, p.token()?, p.token()?)
    else {
        return Err(malformed(format!("no 'n g obj' at byte {}", p.lex.pos)));
    };
    let num = u32::try_from(num).map_err(|_| malformed(format!("bad object number {num}")))?;
    let obj = p.object()?;
    let at = p.lex.pos;
    if let (Obj::Dict(_), Ok(Some(Tok::Keyword(b"stream")))) = (&obj, p.lex.next()) {
        let buf = p.lex.buf;
        let mut start = p.lex.pos;
        if buf.get(start) == Some(&b'\r') {
            start += 1;
        }
        if buf.get(start) == Some(&b'\n') {
            start += 1;
        }
        return Ok((num, obj, Some(start)));
    }
    p.lex.pos = at;
    Ok((num, obj, None))
}
